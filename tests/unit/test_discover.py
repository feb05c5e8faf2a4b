"""Discovery: canonical URLs, one ref per article, the configured host only, robots.txt,
and feeds that are broken or hostile (malformed, billion laughs, oversized)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from newswire.config import Settings
from newswire.discover import (
    DiscoveryFailed,
    FeedEntry,
    FeedError,
    LinkMapper,
    canonical_host,
    discover,
    merge_entries,
    parse_news_sitemap,
    parse_rss,
    parse_xml,
)
from newswire.fetch import PoliteFetcher
from newswire.models import DiscoveryResult, Window

from devtools.testsite.faults import BILLION_LAUGHS, MALFORMED_RSS, OFF_HOST
from devtools.testsite.server import TassTestSite

WHEN = datetime(2024, 12, 26, 12, tzinfo=UTC)
DAY = Window.parse("2024-12-26", "2024-12-27")


def _discover(settings: Settings, window: Window = DAY) -> DiscoveryResult:
    async def go() -> DiscoveryResult:
        async with PoliteFetcher(settings) as fetcher:
            return await discover(settings, window, fetcher)

    return asyncio.run(go())


def test_links_are_canonicalised_and_deduplicated() -> None:
    mapper = LinkMapper(Settings())
    links = [
        ("rss", FeedEntry("http://tass.com/world/1892567/", published_at=WHEN)),
        ("sitemap", FeedEntry("https://TASS.com/world/1892567?utm_source=x#top", modified_at=WHEN)),
        ("sitemap", FeedEntry("https://www.tass.com:443/politics/1892567")),
        ("rss", FeedEntry("https://tass.com/world", published_at=WHEN)),
        ("rss", FeedEntry("https://evil.example/world/1892568", published_at=WHEN)),
        ("rss", FeedEntry("https://tass.com.evil.example/world/1892569", published_at=WHEN)),
    ]

    result = merge_entries(links, DAY, mapper)

    assert [(r.external_id, r.url, r.found_in) for r in result.refs] == [
        (1892567, "https://tass.com/world/1892567", "rss+sitemap")
    ]
    assert result.refs[0].published_at == WHEN and result.refs[0].modified_at == WHEN
    assert (result.skipped_off_host, result.skipped_unrecognised) == (2, 1)


def test_canonical_host_drops_default_ports_and_case() -> None:
    assert canonical_host("HTTPS://User@Tass.COM:443/x") == "tass.com"
    assert canonical_host("http://127.0.0.1:8089/x") == "127.0.0.1:8089"
    assert canonical_host("http://tass.com:notaport/") == ""


def test_a_billion_laughs_sitemap_fails_fast_with_a_clear_error() -> None:
    # Refused at the DTD, before any entity is expanded: nothing to time.
    with pytest.raises(FeedError, match=r"news sitemap: refused \(DTDForbidden\)"):
        parse_news_sitemap(BILLION_LAUGHS)


def test_malformed_and_oversized_feeds_are_refused() -> None:
    with pytest.raises(FeedError, match="RSS feed: malformed XML"):
        parse_rss(MALFORMED_RSS)
    with pytest.raises(FeedError, match="more than the 100 allowed"):
        parse_xml(b"<rss>" + b" " * 200 + b"</rss>", "RSS feed", max_bytes=100)


def test_discovery_survives_a_broken_feed_and_a_poisoned_sitemap(
    test_site: TassTestSite, site_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    clean = _discover(site_settings)
    test_site.faults.update({"malformed_feed", "billion_laughs:sitemap=0"})

    faulty = _discover(site_settings)

    assert len(clean.refs) == 20
    assert [r.external_id for r in faulty.refs] == [r.external_id for r in clean.refs]
    assert faulty.feeds_read == clean.feeds_read - 2  # the RSS feed and one sitemap
    assert "RSS feed: malformed XML" in caplog.text
    assert "refused (DTDForbidden)" in caplog.text


def test_an_off_host_feed_link_is_skipped_and_counted(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    test_site.faults.add("offhost_link")
    newest = Window(
        test_site.articles[0].published,
        test_site.articles[0].published.replace(year=test_site.articles[0].published.year + 1),
    )

    result = _discover(site_settings, newest)

    assert result.skipped_off_host == 1
    assert all(OFF_HOST not in r.url for r in result.refs)
    assert not any(OFF_HOST in path for _, path, _ in test_site.requests)


def test_robots_disallowed_articles_are_skipped_and_counted(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    everything = _discover(site_settings)
    test_site.disallow = ["/search", "/politics/"]

    allowed = _discover(site_settings)

    politics = [r for r in everything.refs if r.section == "politics"]
    assert politics, "the window has politics articles"
    assert allowed.skipped_robots == len(politics)
    assert {r.external_id for r in allowed.refs} == {
        r.external_id for r in everything.refs if r.section != "politics"
    }


def test_no_readable_feed_fails_discovery(test_site: TassTestSite, site_settings: Settings) -> None:
    test_site.faults.add("malformed_feed")
    test_site.sitemap_size = 10_000  # one sitemap, then poison it
    test_site.update_article(test_site.articles[0].external_id)  # rebuild the feeds
    test_site.faults.add("billion_laughs:sitemap=0")

    with pytest.raises(DiscoveryFailed, match=r"no feed of .* could be read"):
        _discover(site_settings)
