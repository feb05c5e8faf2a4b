"""A whole run in-process against the local test site, into a real Postgres."""

from __future__ import annotations

from datetime import datetime

import psycopg
import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.migrate import apply_migrations
from newswire.models import Window

from devtools.testsite import expected_article, load_fixture_articles
from devtools.testsite.server import TassTestSite

DAY = Window.parse("2024-12-26", "2024-12-27")
ARTICLE_COLUMNS = (
    "source, external_id, url, section, headline, lead, dateline, published_at, modified_at,"
    " body, language, content_hash, extraction_method, parser_version, raw_response_id,"
    " first_seen_at, last_fetched_at"
)


def _articles(db_url: str) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            f"SELECT {ARTICLE_COLUMNS} FROM articles ORDER BY external_id"
        ).fetchall()


def _fixtures_in(window: Window) -> list:
    return [r for r in load_fixture_articles() if window.contains(r.published)]


def test_a_day_lands_with_every_field(db_url: str, site_settings: Settings) -> None:
    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    expected = {r.external_id: expected_article(r) for r in _fixtures_in(DAY)}
    assert len(expected) == 20
    assert summary.state == "success"
    assert (summary.discovered, summary.fetched, summary.parsed) == (20, 20, 20)
    assert (summary.inserted, summary.updated, summary.unchanged, summary.failed) == (20, 0, 0, 0)

    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT external_id, headline, lead, dateline, body, published_at, section, url,"
            " language, source FROM articles"
        ).fetchall()
    assert {row[0] for row in rows} == set(expected)
    for ext_id, headline, lead, dateline, body, published_at, section, url, lang, src in rows:
        want = expected[ext_id]
        assert headline == want["headline"]
        assert lead == want["lead"]
        assert dateline == want["dateline"]
        assert body == want["body"]
        assert published_at.isoformat() == datetime.fromisoformat(want["published_at"]).isoformat()
        assert section == want["section"]
        assert url == f"https://tass.com/{section}/{ext_id}"
        assert (lang, src) == ("en", "tass.com")
        assert " - TASS" not in headline


def test_the_same_window_twice_changes_nothing(db_url: str, site_settings: Settings) -> None:
    first = pipeline.ingest_window(db_url, site_settings, DAY)
    before = _articles(db_url)
    second = pipeline.ingest_window(db_url, site_settings, DAY)

    assert first.inserted == 20
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 20)
    assert _articles(db_url) == before


def test_a_changed_article_is_updated_in_place(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    pipeline.ingest_window(db_url, site_settings, DAY)
    target = _fixtures_in(DAY)[0]
    test_site.update_article(target.external_id, headline="A corrected headline")

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    assert (summary.inserted, summary.updated, summary.unchanged) == (0, 1, 19)
    with psycopg.connect(db_url) as conn:
        headline, count = conn.execute(
            "SELECT headline, (SELECT count(*) FROM articles) FROM articles WHERE external_id = %s",
            (target.external_id,),
        ).fetchone()
    assert (headline, count) == ("A corrected headline", 20)


def test_ingest_runs_records_the_window_and_counts(db_url: str, site_settings: Settings) -> None:
    summary = pipeline.ingest_window(db_url, site_settings, DAY)
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT window_start, window_end, state, discovered, fetched, parsed, inserted,"
            " finished_at IS NOT NULL FROM ingest_runs WHERE id = %s",
            (summary.run_id,),
        ).fetchone()
    assert row == (DAY.start, DAY.end, "success", 20, 20, 20, 20, True)


def test_an_unreachable_site_fails_the_run_and_keeps_the_warehouse(
    db_url: str, site_settings: Settings
) -> None:
    pipeline.ingest_window(db_url, site_settings, DAY)
    before = _articles(db_url)
    dead = Settings.from_env(
        {
            "TASS_BASE_URL": "http://127.0.0.1:9",
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_MAX_ATTEMPTS": "1",
            "TASS_CONNECT_TIMEOUT": "1",
        }
    )

    with pytest.raises(Exception, match=r"robots\.txt"):
        pipeline.ingest_window(db_url, dead, DAY)

    assert _articles(db_url) == before
    with psycopg.connect(db_url) as conn:
        state, message = conn.execute(
            "SELECT state, message FROM ingest_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert state == "failed"
    assert "robots.txt" in message


def test_migrations_rerun_is_a_no_op(db_url: str) -> None:
    report = apply_migrations(db_url)
    assert report.applied == []
    assert report.already_applied >= 1
