"""The bulk load path (foreign keys and secondary indexes dropped, rebuilt at the end)
writes exactly what the regular path writes, is picked by the run's size, and a failure
in the middle leaves the warehouse as it was: keys, indexes and rows."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

import psycopg
import pytest
from newswire import pipeline
from newswire.stages import load as load_module
from newswire.stages.bulk import DEFERRED_TABLES

from devtools.testsite import load_fixture_articles
from tests.conftest import truncate_all
from tests.helpers import query_all, query_one

TABLES = (list(DEFERRED_TABLES), list(DEFERRED_TABLES))
# Whole rows, keyed by the article's (source, external_id), never by surrogate ids, and
# without the times a load stamps (modified_at of a revised article is its fetch time).
SNAPSHOT = {
    "articles": "SELECT source, external_id, headline, body, content_hash, published_at"
    " FROM articles ORDER BY 1, 2",
    "article_revisions": "SELECT a.external_id, r.revision, r.content_hash, r.headline"
    " FROM article_revisions r JOIN articles a ON a.id = r.article_id ORDER BY 1, 2",
    "article_search": "SELECT a.external_id, s.language, s.content_hash, s.document::text"
    " FROM article_search s JOIN articles a ON a.id = s.article_id ORDER BY 1",
    "article_mentions": "SELECT a.external_id, e.key, m.mention_count, m.in_headline,"
    " m.in_lead FROM article_mentions m JOIN articles a ON a.id = m.article_id"
    " JOIN entities e ON e.id = m.entity_id ORDER BY 1, 2",
    "quotes": "SELECT a.external_id, q.position, q.paragraph, q.speaker, q.speaker_name,"
    " q.speaker_role, e.key, q.text FROM quotes q JOIN articles a ON a.id = q.article_id"
    " LEFT JOIN entities e ON e.id = q.speaker_entity_id ORDER BY 1, 2",
    "unresolved_mentions": "SELECT a.external_id, u.normalised, u.language, u.surface,"
    " u.mention_count FROM unresolved_mentions u JOIN articles a ON a.id = u.article_id"
    " ORDER BY 1, 2",
}
# Every index and foreign key of the tables the bulk path touches, with its definition.
STRUCTURE = (
    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
    " WHERE indrelid = ANY(%s::text[]::regclass[])"
    " UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
    " WHERE conrelid = ANY(%s::text[]::regclass[]) ORDER BY 1, 2"
)


def _articles() -> list[tuple[str, Any]]:
    """Real fixture texts, both languages: a few dozen, enough for every kind of row."""
    return [("en", r) for r in load_fixture_articles("en")[:40]] + [
        ("ru", r) for r in load_fixture_articles("ru")[:15]
    ]


def _stage(db_url: str, revised: bool = False) -> int:
    """Stage the fixture articles as one run; `revised`: every third body changed."""
    with psycopg.connect(db_url) as conn:
        run_id = conn.execute(
            "INSERT INTO ingest_runs (base_url, window_start, window_end)"
            " VALUES ('manual', '2000-01-01', '2030-01-01') RETURNING id"
        ).fetchone()[0]
        for k, (language, r) in enumerate(_articles()):
            body = "\n\n".join(r.paragraphs)
            if revised and k % 3 == 0:
                body += "\n\n\u201cWe will meet again,\u201d Lavrov said."
            digest = hashlib.sha256(f"{r.headline}\x1f{r.lead}\x1f{body}".encode()).hexdigest()
            conn.execute(
                "INSERT INTO staged_articles (ingest_run_id, source, external_id, url, section,"
                " headline, lead, body, language, published_at, content_hash,"
                " extraction_method, parser_version, fetched_at) VALUES (%s, 'manual', %s,"
                " %s, 'world', %s, %s, %s, %s, %s, %s, 'manual', '1', now())",
                (run_id, int(r.external_id), f"https://tass.example/{r.external_id}",
                 r.headline, r.lead, body, language, r.published_at, digest),
            )  # fmt: skip
    return run_id


def _load_twice(db_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """A first load, then a re-fetch in which a third of the texts changed."""
    truncate_all(db_url)
    pipeline.load_stage(db_url, _stage(db_url))
    pipeline.load_stage(db_url, _stage(db_url, revised=True))
    return {table: query_all(db_url, query) for table, query in SNAPSHOT.items()}


def test_bulk_path_writes_the_same_tables_as_the_regular_path(
    db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    structure = query_all(db_url, STRUCTURE, TABLES)
    monkeypatch.setenv("NEWSWIRE_BULK_LOAD_MIN_ARTICLES", "0")
    with caplog.at_level(logging.INFO, logger="newswire.stages.load"):
        regular = _load_twice(db_url)
    assert "(bulk path)" not in caplog.text
    # The threshold picks the bulk path for runs of this size.
    monkeypatch.setenv("NEWSWIRE_BULK_LOAD_MIN_ARTICLES", str(len(_articles())))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newswire.stages.load"):
        bulk = _load_twice(db_url)
    assert caplog.text.count("(bulk path)") == 2

    assert all(regular[t] for t in ("article_mentions", "quotes", "article_search"))
    assert len({row[0] for row in regular["article_revisions"] if row[1] == 2}) == 19
    for table in SNAPSHOT:
        assert bulk[table] == regular[table], table
    assert query_all(db_url, STRUCTURE, TABLES) == structure


def test_failed_bulk_load_leaves_keys_indexes_and_rows_as_they_were(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline.load_stage(db_url, _stage(db_url), bulk=False)
    before = {table: query_all(db_url, query) for table, query in SNAPSHOT.items()}
    structure = query_all(db_url, STRUCTURE, TABLES)
    run_id = _stage(db_url, revised=True)

    def broken_search(conn: psycopg.Connection, run: int) -> int:
        raise RuntimeError("search indexing failed")

    monkeypatch.setattr(load_module, "index_search", broken_search)
    with pytest.raises(RuntimeError, match="search indexing failed"):
        pipeline.load_stage(db_url, run_id, bulk=True)

    assert query_all(db_url, STRUCTURE, TABLES) == structure
    assert {table: query_all(db_url, query) for table, query in SNAPSHOT.items()} == before
    staged = query_one(db_url, "SELECT count(*) FROM staged_articles WHERE ingest_run_id = %s",
                       (run_id,))  # fmt: skip
    assert staged == (len(_articles()),)
    # The keys are back and enforced.
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        query_one(db_url, "INSERT INTO quotes (article_id, position, paragraph, speaker, text)"
                  " VALUES (-1, 1, 0, 'x', 'y') RETURNING id")  # fmt: skip


def test_a_load_does_not_read_back_the_texts_it_just_analysed(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newswire.analysis import store

    read: list[int] = []
    real_read = store.read_texts

    def spy(conn: psycopg.Connection, ids: Any) -> Any:
        read.extend(ids)
        return real_read(conn, ids)

    monkeypatch.setattr(store, "read_texts", spy)
    pipeline.load_stage(db_url, _stage(db_url))
    assert read == []
    (first,) = query_one(db_url, "SELECT min(id) FROM articles")
    mentions = query_all(db_url, "SELECT * FROM article_mentions WHERE article_id = %s", (first,))
    assert mentions
    # An article stored without its analysis (an older warehouse) is read and analysed.
    with psycopg.connect(db_url) as conn:
        conn.execute("DELETE FROM article_mentions WHERE article_id = %s", (first,))
    pipeline.load_stage(db_url, _stage(db_url))
    assert first in read
    assert query_all(db_url, "SELECT * FROM article_mentions WHERE article_id = %s", (first,)) == (
        mentions
    )
