"""tass.ru discovery: its URLs, its feeds, and the listing API only when robots.txt allows."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from newswire.config import Settings
from newswire.discover import FeedEntry, merge_entries
from newswire.discover_ru import (
    CONTENT_API_PATH,
    RuLinkMapper,
    discover_tass_ru,
    parse_content_api,
    read_content_api,
)
from newswire.fetch import PoliteFetcher
from newswire.models import DiscoveryResult, Window

from devtools.testsite import load_fixture_articles
from devtools.testsite.server import TassTestSite
from tests.helpers import ru_site_settings

ALL_YEARS = Window.parse("2010-01-01", "2021-01-01")
MARCH_30 = Window.parse("2020-03-30", "2020-03-31")
RU = load_fixture_articles("ru")


def _discover(settings: Settings, window: Window, **kwargs: tuple[str, ...]) -> DiscoveryResult:
    async def go() -> DiscoveryResult:
        async with PoliteFetcher(settings) as fetcher:
            return await discover_tass_ru(settings, window, fetcher, **kwargs)

    return asyncio.run(go())


def _api_requests(site: TassTestSite) -> list[str]:
    return [path for _, path, _ in site.requests if path.startswith(CONTENT_API_PATH)]


@pytest.fixture
def ru_site() -> Iterator[TassTestSite]:
    with TassTestSite(service="tass.ru", sitemap_size=20) as site:
        yield site


@pytest.fixture
def old_rules_site() -> Iterator[TassTestSite]:
    with TassTestSite(service="tass.ru", robots="old") as site:
        yield site


def test_settings_aim_at_tass_ru() -> None:
    settings = Settings.from_env({"TASS_RU_BASE_URL": "http://127.0.0.1:8090/"})
    assert settings.ru_base_url == "http://127.0.0.1:8090"
    assert Settings.from_env({}).for_source("tass.ru").base_url == "https://tass.ru"
    ru = settings.for_source("tass.ru")
    assert (ru.base_url, ru.source, ru.language) == ("http://127.0.0.1:8090", "tass.ru", "ru")
    assert settings.for_source("tass.com").base_url == "https://tass.com"
    alone = Settings.from_env({"TASS_SOURCE": "tass.ru", "TASS_RU_BASE_URL": "http://[::1]:81"})
    assert (alone.base_url, alone.source) == ("http://[::1]:81", "tass.ru")


def test_only_tass_ru_article_urls_are_accepted() -> None:
    mapper = RuLinkMapper(Settings().for_source("tass.ru"))
    when = datetime(2020, 3, 30, 9, tzinfo=UTC)
    links = [
        ("rss", FeedEntry("https://tass.ru/mezhdunarodnaya-panorama/6757072", published_at=when)),
        ("sitemap", FeedEntry("http://www.tass.ru/politika/6757072/?utm=x", modified_at=when)),
        ("rss", FeedEntry("https://tass.ru/obschestvo/8115855", published_at=when)),
        ("rss", FeedEntry("https://tass.ru/infographics/8895", published_at=when)),
        ("rss", FeedEntry("https://tass.ru/tag/kndr", published_at=when)),
        ("rss", FeedEntry("https://tass.com/world/1892567", published_at=when)),
        ("rss", FeedEntry("https://tass.ru.evil.example/politika/8115856", published_at=when)),
    ]
    result = merge_entries(links, Window.parse("2020-03-30", None), mapper)
    assert [(r.external_id, r.url, r.section, r.found_in) for r in result.refs] == [
        (
            6757072,
            "https://tass.ru/mezhdunarodnaya-panorama/6757072",
            "mezhdunarodnaya-panorama",
            "rss+sitemap",
        ),
        (8115855, "https://tass.ru/obschestvo/8115855", "obschestvo", "rss"),
    ]
    assert {r.source for r in result.refs} == {"tass.ru"}
    assert (result.skipped_unrecognised, result.skipped_off_host) == (2, 2)


def test_the_api_answer_is_read_with_moscow_time_for_naive_stamps() -> None:
    answer = {
        "result": [
            {"id": 8110843, "url": "/moskovskaya-oblast/8110843",
             "published_dt": "2020-03-30T00:10:00", "updated_dt": "2020-03-30T01:00:00+03:00",
             "es_updated_dt": "2020-03-30T01:00:00+03:00"},
            {"id": "oops", "url": "/x/1"},
            {"id": 8110844},
        ]
    }  # fmt: skip
    items = parse_content_api(json.dumps(answer).encode())
    assert [i.external_id for i in items] == [8110843]
    assert items[0].published_at == datetime(2020, 3, 29, 21, 10, tzinfo=UTC)
    assert items[0].es_updated_at == datetime(2020, 3, 29, 22, 0, tzinfo=UTC)
    old = {
        "result": [
            {"id": 1477863, "url": "/politika/1477863", "published_dt": "2014-10-01T00:07:11"}
        ]
    }
    # before October 2014 Moscow was UTC+4
    assert parse_content_api(json.dumps(old).encode())[0].published_at == datetime(
        2014, 9, 30, 20, 7, 11, tzinfo=UTC
    )
    nested = {"result": {"contents": answer["result"][:1], "has_more": False}}
    assert len(parse_content_api(json.dumps(nested).encode())) == 1


def test_the_2026_robots_rule_keeps_discovery_off_the_api(
    ru_site: TassTestSite, tmp_path: object
) -> None:
    result = _discover(ru_site_settings(ru_site, tmp_path), ALL_YEARS)

    assert _api_requests(ru_site) == []
    assert {r.external_id for r in result.refs} == {r.external_id for r in RU}
    assert {(r.source, r.language) for r in result.refs} == {("tass.ru", "ru")}
    assert all(r.url == f"https://tass.ru/{r.section}/{r.external_id}" for r in result.refs)
    # asking for the API cannot override a robots.txt that forbids it
    _discover(ru_site_settings(ru_site, tmp_path), MARCH_30, methods=("api", "rss"))
    assert _api_requests(ru_site) == []


def test_sitemaps_older_than_the_window_are_not_read(
    ru_site: TassTestSite, tmp_path: object
) -> None:
    result = _discover(ru_site_settings(ru_site, tmp_path), MARCH_30)

    sitemaps = {p for _, p, _ in ru_site.requests if p.startswith("/sitemap/")}
    assert 0 < len(sitemaps) < -(-len(RU) // 20)
    want = {
        r.external_id for r in RU if MARCH_30.contains(r.published) or MARCH_30.contains(r.modified)
    }
    assert {r.external_id for r in result.refs} == want


def test_older_robots_rules_let_the_api_walk_back_with_its_cursor(
    old_rules_site: TassTestSite, tmp_path: object
) -> None:
    settings = ru_site_settings(old_rules_site, tmp_path)

    async def walk() -> list[FeedEntry]:
        async with PoliteFetcher(settings) as fetcher:
            entries, pages = await read_content_api(settings, MARCH_30, fetcher, page_size=10)
        assert pages >= 3
        return entries

    entries = asyncio.run(walk())
    requests = _api_requests(old_rules_site)
    assert "last_es_updated_dt=" in requests[1] and "offset=0" in requests[0]
    seen = [e.link.rsplit("/", 1)[1] for e in entries]
    assert len(seen) == len(set(seen))  # the cursor never repeats an item
    in_window = {
        str(r.external_id)
        for r in RU
        if MARCH_30.contains(r.published) or MARCH_30.contains(r.modified)
    }
    assert in_window <= set(seen)

    result = _discover(settings, MARCH_30)
    assert any("api" in r.found_in for r in result.refs)
    assert {r.external_id for r in result.refs} == {int(i) for i in in_window}


def test_a_failing_api_does_not_fail_discovery(
    old_rules_site: TassTestSite, tmp_path: object
) -> None:
    old_rules_site.faults = {"challenge_403"}  # aimed at every article: the API too
    result = _discover(ru_site_settings(old_rules_site, tmp_path), MARCH_30)
    assert _api_requests(old_rules_site)
    assert result.refs and not any("api" in r.found_in for r in result.refs)


def test_discovery_reads_only_the_methods_named(
    old_rules_site: TassTestSite, tmp_path: object
) -> None:
    settings = ru_site_settings(old_rules_site, tmp_path)
    only_api = _discover(settings, MARCH_30, methods=("api",))
    paths = [p for _, p, _ in old_rules_site.requests]
    assert not any(p.startswith(("/rss", "/sitemap")) for p in paths)
    assert only_api.refs and {r.found_in for r in only_api.refs} == {"api"}

    old_rules_site.requests.clear()
    no_api = _discover(settings, MARCH_30, methods=("rss", "sitemaps"))
    assert _api_requests(old_rules_site) == []
    assert {r.external_id for r in no_api.refs} == {r.external_id for r in only_api.refs}
    with pytest.raises(ValueError, match="discovery methods"):
        _discover(settings, MARCH_30, methods=("lenta",))
