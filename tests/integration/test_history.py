"""History before the sitemaps: the listing API walk, its checkpoint, and the 2017 articles."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import UTC, datetime

import psycopg
import pytest
from newswire import history, pipeline
from newswire.config import Settings
from newswire.fetch import PoliteFetcher
from newswire.history import CategoryNewsList, ListingFailed, ListingPage
from newswire.models import Window
from protego import Protego

from devtools.testsite.server import SITEMAP_HORIZON, TassTestSite

SEED = 965296  # "Pyongyang wants to improve relations with Moscow — ambassador", 2017-09-12
HISTORY_IDS = {965296, 970345, 995294}
WORLD = {"world": 4844}
QUARTER = Window.parse("2025-10-01", "2026-01-01")


def _walk(
    db_url: str, settings: Settings, api: history.ListingApi, window: Window, robots: str = ""
) -> history.WalkResult:
    async def go() -> history.WalkResult:
        async with PoliteFetcher(settings) as fetcher:
            return await history.walk(db_url, settings, fetcher, api, window, Protego.parse(robots))

    return asyncio.run(go())


def _listing_posts(site: TassTestSite) -> int:
    return sum(1 for method, path, _ in site.requests if method == "POST")


def _world_ids(site: TassTestSite, window: Window) -> set[int]:
    return {
        r.external_id
        for r in site.articles
        if r.section == "world" and window.contains(r.published)
    }


def test_walk_pages_back_only_as_far_as_the_window_needs(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    expected = _world_ids(test_site, QUARTER)
    assert len(expected) > 10
    result = _walk(db_url, site_settings, CategoryNewsList(WORLD, page_size=5), QUARTER)

    assert {ref.external_id for ref in result.refs} == expected
    assert {ref.found_in for ref in result.refs} == {"listing"}
    # Starts at the window's end and stops at the first page reaching past its start: the
    # site's newer and older world articles cost no pages beyond that.
    assert result.pages_requested == len(expected) // 5 + 1
    assert _listing_posts(test_site) == result.pages_requested
    with psycopg.connect(db_url) as conn:
        done, stop, items = conn.execute(
            "SELECT done, stop_reason, items FROM listing_cursors WHERE section = 'world'"
        ).fetchone()
    assert (done, stop, items) == (True, "older_than_window", len(expected))

    again = _walk(db_url, site_settings, CategoryNewsList(WORLD, page_size=5), QUARTER)
    assert {ref.external_id for ref in again.refs} == expected
    assert again.pages_requested == 0  # a finished walk is not asked again


@dataclasses.dataclass(frozen=True)
class StopsAfter(CategoryNewsList):
    """The tass.com adapter, but the run dies while reading page `fail_on` (1-based)."""

    fail_on: int = 2
    calls: list[int] = dataclasses.field(default_factory=list)

    def read(self, body: bytes) -> ListingPage:
        self.calls.append(1)
        if len(self.calls) == self.fail_on:
            raise ListingFailed("stopped in the middle of the walk")
        return super().read(body)


def test_a_stopped_walk_resumes_at_its_checkpointed_cursor(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    expected = _world_ids(test_site, QUARTER)
    fresh_pages = len(expected) // 5 + 1
    with pytest.raises(ListingFailed):
        _walk(db_url, site_settings, StopsAfter(WORLD, page_size=5, fail_on=3), QUARTER)
    with psycopg.connect(db_url) as conn:
        cursor, pages, seen = conn.execute(
            "SELECT cursor_value, pages, cardinality(seen_ids) FROM listing_cursors"
        ).fetchone()
    assert (pages, seen) == (2, 10)
    assert int(cursor) < int(QUARTER.end.timestamp())
    before = _listing_posts(test_site)

    resumed = _walk(db_url, site_settings, CategoryNewsList(WORLD, page_size=5), QUARTER)

    assert {ref.external_id for ref in resumed.refs} == expected
    assert resumed.pages_requested == fresh_pages - 2  # the two pages kept are not asked again
    assert _listing_posts(test_site) - before == fresh_pages - 2


def test_listing_requests_carry_the_cursor_and_the_ids_seen(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    api = CategoryNewsList(WORLD, page_size=5)
    first = api.request("world", api.first_cursor(QUARTER), [])
    assert first.payload is not None
    assert first.payload["timestamp"] == int(QUARTER.end.timestamp())
    assert first.payload["sectionId"] == 4844 and first.payload["excludeNewsIds"] == []
    _walk(db_url, site_settings, api, QUARTER)
    with psycopg.connect(db_url) as conn:
        (seen,) = conn.execute("SELECT seen_ids FROM listing_cursors").fetchone()
    assert seen and len(seen) <= history.EXCLUDE_KEEP


def test_the_listing_api_honours_the_fault_switches_and_robots(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    test_site.faults.add("429:ids=4844")  # the world listing answers 429 once, then data
    result = _walk(db_url, site_settings, CategoryNewsList(WORLD, page_size=50), QUARTER)
    assert {r.external_id for r in result.refs} == _world_ids(test_site, QUARTER)

    test_site.faults.clear()
    test_site.faults.add("403:ids=4844")
    window = Window.parse("2025-06-01", "2025-07-01")
    with pytest.raises(ListingFailed, match="HTTP 403"):
        _walk(db_url, site_settings, CategoryNewsList(WORLD), window)

    before = _listing_posts(test_site)
    robots = "User-agent: *\nDisallow: /userApi/\n"
    blocked = _walk(db_url, site_settings, CategoryNewsList(WORLD), window, robots)
    assert blocked.sections_disallowed == 1 and blocked.pages_requested == 0
    assert _listing_posts(test_site) == before


def test_2017_articles_are_found_through_the_listing_api_only(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    sitemap_ids = set()
    for number in range(10):
        page = test_site.respond(f"/sitemap/sitemap_news{number}.xml")
        if page.status == 200:
            sitemap_ids |= {int(x) for x in _ids_in(page.body)}
    assert not HISTORY_IDS & sitemap_ids
    assert not HISTORY_IDS & {int(x) for x in _ids_in(test_site.respond("/rss/v2.xml").body)}

    summary = pipeline.ingest_window(
        db_url, site_settings, Window.parse("2017-09-01", "2018-04-01")
    )

    assert summary.state == "success" and summary.inserted == 3
    with psycopg.connect(db_url) as conn:
        found = dict(
            conn.execute(
                "SELECT external_id, found_in FROM run_articles WHERE ingest_run_id = %s",
                (summary.run_id,),
            ).fetchall()
        )
        seed = conn.execute(
            "SELECT headline, published_at, extraction_method, source FROM articles"
            " WHERE external_id = %s",
            (SEED,),
        ).fetchone()
        source = conn.execute(
            "SELECT source FROM ingest_runs WHERE id = %s", (summary.run_id,)
        ).fetchone()[0]
    assert found == {i: "listing" for i in HISTORY_IDS}
    assert seed[0] == "Pyongyang wants to improve relations with Moscow — ambassador"
    assert seed[1] == datetime(2017, 9, 12, 9, 5, 53, tzinfo=UTC)
    assert seed[2].startswith("b_material")  # served in its era's markup
    assert (seed[3], source) == ("tass.com", "tass.com")


def test_recent_windows_never_touch_the_listing_api(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    assert datetime(2024, 12, 26, tzinfo=UTC) > SITEMAP_HORIZON
    summary = pipeline.ingest_window(
        db_url, site_settings, Window.parse("2025-12-01", "2025-12-02")
    )
    assert summary.state == "success" and summary.discovered > 0
    assert _listing_posts(test_site) == 0


def _ids_in(body: bytes) -> list[str]:
    import re

    return re.findall(rb"/[a-z\-]+/(\d+)<", body)


def test_listing_answers_are_read_defensively() -> None:
    api = CategoryNewsList(WORLD)
    page = api.read(
        json.dumps(
            {
                "newsList": [
                    {"id": 1, "link": "/world/1892567", "date": 1735000000, "title": "t"},
                    {"id": 2, "link": "https://tass.com/politics/1892568/"},
                    {"id": 3, "link": "/world/not-a-number"},
                    "junk",
                ],
                "lastTime": 1734990000,
            }
        ).encode()
    )
    assert [(i.external_id, i.path) for i in page.items] == [
        (1892567, "/world/1892567"),
        (1892568, "/politics/1892568"),
    ]
    assert page.next_cursor == "1734990000"
    with pytest.raises(ListingFailed):
        api.read(b"<html>challenge</html>")
    with pytest.raises(ListingFailed):
        api.read(b'{"something": []}')


def test_a_2019_article_is_served_in_b_material_and_found_through_the_listing(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    (record,) = [r for r in test_site.articles if r.published.year == 2019]
    assert b"b-material__title" in test_site.respond(record.path).body

    summary = pipeline.ingest_window(
        db_url, site_settings, Window.parse("2019-01-01", "2019-02-01")
    )

    assert (summary.state, summary.discovered, summary.inserted) == ("success", 1, 1)
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT a.headline, a.dateline, a.extraction_method, ra.found_in FROM articles a"
            " JOIN run_articles ra USING (source, external_id) WHERE a.external_id = %s",
            (record.external_id,),
        ).fetchone()
    assert row[0] == record.headline and row[1] == "MOSCOW"
    assert row[2].startswith("b_material") and row[3] == "listing"
