"""Reaching the data: query listing and exports, the warehouse URL, views kept current by
every write path, the catalogue-driven refresh and the word-level revision changes."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg
import pytest
from newswire import cli
from newswire.config import Settings
from newswire.queries import list_queries

from tests.integration.report_seed import seed


def test_query_list_names_every_query_with_its_question(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["query", "--list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(list_queries()) >= 9
    assert (
        "revision_word_changes  What changed in the 20 most recent revisions, word by word"
        " (against the version before)?" in out
    )


def test_every_query_is_listed_with_a_whole_question() -> None:
    """`query --list` prints each file's first comment line: it must not stop mid-sentence."""
    cut = [q.name for q in list_queries() if not q.summary.endswith(("?", "."))]
    assert cut == []


def test_unknown_query_lists_the_names_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["query", "no_such_query"], ["query", "../secrets", "--csv", "x.csv"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert "no query named" in err and "latest_dprk_headlines" in err
        assert "Traceback" not in err


def test_db_url_never_prints_the_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWS_DB_URL", "postgresql://alice:s3cret@db.internal:5433/news")
    assert cli.main(["db", "url"]) == 0
    assert capsys.readouterr().out.strip() == "postgresql://alice@db.internal:5433/news"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "postgresql://postgres:@/newswire?host=/srv/pg",
            "postgresql://postgres@/newswire?host=%2Fsrv%2Fpg",
        ),
        ("host=h port=5433 user=bob password=x dbname=news", "postgresql://bob@h:5433/news"),
        ("postgresql://a:b@h/news?sslmode=require", "postgresql://a@h/news?sslmode=require"),
    ],
)
def test_url_without_password_keeps_everything_else(url: str, shown: str) -> None:
    from newswire.db import url_without_password

    assert url_without_password(url) == shown


@pytest.fixture
def seeded_env(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    seed(db_url)
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    return db_url


def test_csv_export_with_and_without_bom(seeded_env: str, tmp_path: Path) -> None:
    plain, excel = tmp_path / "plain.csv", tmp_path / "excel.csv"
    assert cli.main(["query", "dprk_russia_headline_articles", "--csv", str(plain)]) == 0
    assert cli.main(["query", "dprk_russia_headline_articles", "--csv", str(excel), "--bom"]) == 0
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes() == b"\xef\xbb\xbf" + plain.read_bytes()
    rows = list(csv.reader(plain.open(encoding="utf-8", newline="")))
    with psycopg.connect(seeded_env) as conn:
        expected = conn.execute(
            "SELECT headline, url FROM dprk_russia_articles WHERE dprk_in_headline"
            " ORDER BY published_at DESC, article_id DESC LIMIT 20"
        ).fetchall()
    assert rows[0] == ["published_at", "headline", "url"]
    assert [(r[1], r[2]) for r in rows[1:]] == expected
    assert "КНДР и Россия подписали договор" in {r[1] for r in rows}


def test_parquet_export_keeps_types(seeded_env: str, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = tmp_path / "changes.parquet"
    assert cli.main(["query", "revision_word_changes", "--parquet", str(out)]) == 0
    table = pq.read_table(out)
    assert table.num_rows == 1
    assert pa.types.is_timestamp(table.schema.field("seen_at").type)
    assert table.schema.field("seen_at").type.tz == "UTC"
    assert table.column("headline_words_added").to_pylist() == [["sign"]]


def test_cli_ingest_leaves_the_views_current(
    db_url: str, site_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    for name in ("TASS_BASE_URL", "TASS_REQUEST_INTERVAL", "TASS_CONCURRENCY"):
        monkeypatch.setenv(name, str(getattr(site_settings, _FIELD[name])))
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(site_settings.data_dir))
    assert cli.main(["ingest", "--since", "2017-09-01", "--until", "2018-04-01"]) == 0
    with psycopg.connect(db_url) as conn:
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()
        in_views = conn.execute("SELECT sum(articles) FROM daily_coverage").fetchone()
        dprk = conn.execute("SELECT article_id FROM dprk_articles ORDER BY 1").fetchall()
    assert stored is not None and in_views is not None and stored[0] > 0
    assert in_views[0] == stored[0]
    assert dprk  # the 2017-2018 DPRK-Russia articles
    with psycopg.connect(db_url) as conn:
        conn.execute("REFRESH MATERIALIZED VIEW dprk_articles")
        assert conn.execute("SELECT article_id FROM dprk_articles ORDER BY 1").fetchall() == dprk


_FIELD = {
    "TASS_BASE_URL": "base_url",
    "TASS_REQUEST_INTERVAL": "request_interval",
    "TASS_CONCURRENCY": "concurrency",
}


def test_refresh_follows_the_catalogue_in_dependency_order(db_url: str) -> None:
    # Sorted by name this view would be refreshed before the dprk_articles it reads.
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute(
            "CREATE MATERIALIZED VIEW aaa_dprk_total AS"
            " SELECT 1 AS k, count(*)::int AS n FROM dprk_russia_articles"
        )
        conn.execute("CREATE UNIQUE INDEX ON aaa_dprk_total (k)")
    try:
        seed(db_url)  # writes articles, then refresh_views()
        with psycopg.connect(db_url) as conn:
            total = conn.execute("SELECT n FROM aaa_dprk_total").fetchone()
            direct = conn.execute("SELECT count(*) FROM dprk_russia_articles").fetchone()
        assert total is not None and direct is not None
        assert total[0] == direct[0] == 9
    finally:
        with psycopg.connect(db_url, autocommit=True) as conn:
            conn.execute("DROP MATERIALIZED VIEW aaa_dprk_total")


@pytest.mark.parametrize(
    ("before", "after", "added"),
    [
        ("Kim meets Putin", "Kim meets Putin", []),
        ("Kim meets Putin.", "Kim, Putin meet", ["meet"]),
        ("Kim said: Kim", "Kim said: Kim, Kim and Kim", ["Kim", "and", "Kim"]),
        (
            "Ким Чен Ын встретился с Путиным.",
            "Ким Чен Ын и Путин встретились",
            ["и", "Путин", "встретились"],
        ),
        (None, "New text", ["New", "text"]),
        ("Old text", "", []),
    ],
)
def test_words_added(db_url: str, before: str | None, after: str, added: list[str]) -> None:
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT words_added(%s, %s)", (before, after)).fetchone() == (added,)


def test_revision_changes_compare_consecutive_versions(db_url: str) -> None:
    seed(db_url)
    with psycopg.connect(db_url) as conn:
        article_id = conn.execute("SELECT min(article_id) FROM article_revisions").fetchone()[0]  # type: ignore[index]
        conn.execute(
            "INSERT INTO article_revisions (article_id, revision, content_hash, headline, lead,"
            " body, seen_at) SELECT article_id, 3, 'h3', headline || ' today', lead,"
            " replace(body, 'steadily', 'fast'), seen_at + interval '1 day'"
            " FROM article_revisions WHERE article_id = %s AND revision = 2",
            (article_id,),
        )
        rows = conn.execute(
            "SELECT revision, headline_words_added, headline_words_removed, body_words_added,"
            " body_words_removed FROM article_revision_changes ORDER BY revision"
        ).fetchall()
    assert rows[0][:3] == (2, ["sign"], ["discuss"])
    assert rows[1] == (3, ["today"], [], ["fast"], ["steadily"])


def test_report_command_draws_the_window_asked_for(
    seeded_env: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    argv = ["report", "--since", "2024-01-10", "--until", "2024-01-16", "--output", str(out)]
    assert cli.main(argv) == 0
    assert "Window: <strong>2024-01-08 to 2024-01-21</strong>" in out.read_text(encoding="utf-8")
    assert cli.main(["report", "--since", "2024-13-01", "--output", str(out)]) == 2
    assert "not an ISO date" in capsys.readouterr().err


# The tables the README lists for analysts; every view is an analyst's too.
ANALYST_TABLES = (
    "articles",
    "article_search",
    "article_revisions",
    "article_mentions",
    "entities",
    "entity_names",
    "entity_roles",
    "quotes",
    "unresolved_mentions",
)


def test_psql_describes_every_relation_and_every_analyst_column(warehouse_url: str) -> None:
    """The README sends analysts to `\\d+ NAME` for what each column means."""
    with psycopg.connect(warehouse_url) as conn:
        bare_relations = conn.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm')"
            " AND c.relname NOT LIKE '%%yoyo%%' AND obj_description(c.oid, 'pg_class') IS NULL"
        ).fetchall()
        bare_columns = conn.execute(
            "SELECT c.relname || '.' || a.attname FROM pg_attribute a"
            " JOIN pg_class c ON c.oid = a.attrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped"
            " AND a.attname <> 'id' AND col_description(c.oid, a.attnum) IS NULL"
            " AND (c.relkind IN ('v', 'm') OR c.relname = ANY(%s))"
            " ORDER BY 1",
            (list(ANALYST_TABLES),),
        ).fetchall()
    assert bare_relations == []
    assert bare_columns == []
