"""tass.ru end to end in-process: its test site, discovery, every era's markup, the warehouse."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import datetime, timedelta

import psycopg
import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.models import Window

from devtools.testsite import expected_article, load_fixture_articles
from devtools.testsite.server import TassTestSite
from tests.helpers import ru_site_settings

ALL_YEARS = Window.parse("2010-01-01", "2021-01-01")
RU = {r.external_id: r for r in load_fixture_articles("ru")}


@pytest.fixture(params=["era", "current"])
def ru_site(request: pytest.FixtureRequest) -> Iterator[TassTestSite]:
    with TassTestSite(service="tass.ru", ru_markup=request.param) as site:
        yield site


def test_russian_articles_land_with_every_field(
    db_url: str, ru_site: TassTestSite, tmp_path: object
) -> None:
    summary = pipeline.ingest_window(db_url, ru_site_settings(ru_site, tmp_path), ALL_YEARS)

    assert summary.state == "success"
    assert (summary.discovered, summary.parsed, summary.inserted) == (len(RU), len(RU), len(RU))
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT source, external_id, url, section, headline, lead, dateline, body,"
            " published_at, language, extraction_method FROM articles"
        ).fetchall()
    methods = set()
    for source, ext_id, url, section, headline, lead, dateline, body, published, lang, how in rows:
        want = expected_article(RU[ext_id])
        assert (source, lang) == ("tass.ru", "ru")
        assert url == f"https://tass.ru/{section}/{ext_id}"
        assert (headline, lead, dateline, body) == (
            want["headline"],
            want["lead"],
            want["dateline"],
            want["body"],
        )
        assert published == datetime.fromisoformat(want["published_at"])
        methods.add(how)
    expected_methods = (
        {"b_material_2016", "tass_ru_2019"} if ru_site.ru_markup == "era" else {"tass_ru_next_2025"}
    )
    assert methods == expected_methods
    assert sum(1 for row in rows if row[6]) >= 60  # datelines

    again = pipeline.ingest_window(db_url, ru_site_settings(ru_site, tmp_path), ALL_YEARS)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(RU))


def test_russian_search_is_stemmed(db_url: str, tmp_path: object) -> None:
    with TassTestSite(service="tass.ru") as site:
        pipeline.ingest_window(db_url, ru_site_settings(site, tmp_path), ALL_YEARS)
    with psycopg.connect(db_url) as conn:

        def hits(query: str) -> set[int]:
            rows = conn.execute(
                "SELECT a.external_id FROM search_articles(%s, '2010-01-01', '2021-01-01', 50) s"
                " JOIN articles a ON a.id = s.article_id",
                (query,),
            ).fetchall()
            return {row[0] for row in rows}

        # The text says "в Сеуле" and "учения"; the query asks in other cases.
        seoul_drills = {
            i for i, r in RU.items() if "Сеуле" in " ".join(r.paragraphs) and "учения" in r.headline
        }
        assert seoul_drills and seoul_drills <= hits("Сеул учениями")
        # "звание ... северокорейской армии" found by other cases of the same words.
        army = hits("званием северокорейскую армию")
        assert army and all("северокорейской армии" in " ".join(RU[i].paragraphs) for i in army)
        assert not hits("званием северокорейскую армию -КНДР") & army


def test_the_same_id_on_both_services_is_two_articles(
    db_url: str, tmp_path: object, site_settings: Settings, test_site: TassTestSite
) -> None:
    english = test_site.articles[0]
    russian = next(iter(RU.values()))
    twin = dataclasses.replace(russian, external_id=english.external_id, section="politika")
    with TassTestSite([twin], service="tass.ru") as site:
        window = Window.parse("2010-01-01", "2030-01-01")
        pipeline.ingest_window(db_url, ru_site_settings(site, tmp_path), window)
        day = Window(english.published, english.published + timedelta(days=1))
        pipeline.ingest_window(db_url, site_settings, day)
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT source, url, language FROM articles WHERE external_id = %s ORDER BY source",
            (english.external_id,),
        ).fetchall()
    assert [(r[0], r[2]) for r in rows] == [("tass.com", "en"), ("tass.ru", "ru")]
    assert rows[1][1] == f"https://tass.ru/politika/{english.external_id}"


def test_tass_ru_pages_misbehave_like_tass_com(db_url: str, tmp_path: object) -> None:
    """The same fault switches: a challenge page is quarantined, a 503 is retried."""
    march_30 = Window.parse("2020-03-30", "2020-03-31")
    ids = sorted(i for i, r in RU.items() if march_30.contains(r.published))
    challenged, flaky = ids[0], ids[1]
    with TassTestSite(service="tass.ru") as site:
        site.faults = {f"challenge_200:ids={challenged}", f"503_once:ids={flaky}"}
        summary = pipeline.ingest_window(db_url, ru_site_settings(site, tmp_path), march_30)
    with psycopg.connect(db_url) as conn:
        stored = {row[0] for row in conn.execute("SELECT external_id FROM articles")}
        quarantined = conn.execute("SELECT source, external_id, reason FROM quarantine").fetchall()
    assert quarantined == [("tass.ru", challenged, "challenge_page")]
    assert flaky in stored and challenged not in stored
    assert summary.failed == 1


def test_the_command_line_ingests_tass_ru(
    db_url: str,
    tmp_path: object,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newswire.cli import main

    with TassTestSite(service="tass.ru") as site:
        for name, value in {
            "NEWS_DB_URL": db_url,
            "TASS_BASE_URL": "http://127.0.0.1:9",
            "TASS_RU_BASE_URL": site.base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "NEWSWIRE_DATA_DIR": str(tmp_path),
        }.items():
            monkeypatch.setenv(name, value)
        monkeypatch.delenv("TASS_SOURCE", raising=False)
        code = main(
            ["ingest", "--source", "tass.ru", "--since", "2019-08-13", "--until", "2019-08-14"]
        )
    assert code == 0, capsys.readouterr()
    with psycopg.connect(db_url) as conn:
        rows = conn.execute("SELECT source, external_id, language FROM articles").fetchall()
    assert rows == [("tass.ru", 6757072, "ru")]


def test_the_listing_api_feeds_the_run_when_robots_allows(db_url: str, tmp_path: object) -> None:
    march_30 = Window.parse("2020-03-30", "2020-03-31")
    with TassTestSite(service="tass.ru", robots="old") as site:
        summary = pipeline.ingest_window(db_url, ru_site_settings(site, tmp_path), march_30)
        api_calls = [p for _, p, _ in site.requests if p.startswith("/tbp/api/v1/content")]
    with psycopg.connect(db_url) as conn:
        found = dict(conn.execute("SELECT external_id, found_in FROM run_articles").fetchall())
    assert api_calls and summary.state == "success"
    assert summary.inserted == len(found) > 0
    assert all("api" in how for how in found.values())
