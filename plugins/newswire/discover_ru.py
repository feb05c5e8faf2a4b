"""Find the articles of a window on tass.ru: RSS, sitemaps and, when allowed, the listing API.

tass.ru differs from tass.com in what it offers, not in how its feeds look, so the XML
helpers, the deduplication and the robots.txt reading of `newswire.discover` are reused.
What is Russian-specific lives here:

* article URLs are `https://tass.ru/<rubric>/<id>` with ids of six digits or more;
* the news sitemaps are many (about 68 in 2026) and their `lastmod` is a modification
  time, so a sitemap whose own `lastmod` in the index is older than the window is skipped;
* the content listing API (`/tbp/api/v1/content`, newest first, walked back with the
  `last_es_updated_dt` cursor) is read only when the robots.txt served at run time allows
  it. The 2026 rule `Disallow: */api/*` forbids it; the older `Disallow: /api` did not.

Entry point for the source registry: `discover_tass_ru(settings, window, fetcher)`.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlencode, urlsplit

from protego import Protego

from newswire.config import Settings
from newswire.discover import (
    MAX_FEED_BYTES,
    RSS_PATH,
    SITEMAP_INDEX_PATH,
    DiscoveryFailed,
    FeedEntry,
    FeedError,
    LinkMapper,
    merge_entries,
    parse_news_sitemap,
    parse_rss,
    parse_sitemap_index_entries,
    read_listing,
    read_robots,
    robots_allowed,
)
from newswire.fetch import PoliteFetcher
from newswire.models import SOURCE_TASS_RU, DiscoveryResult, Window
from newswire.parse.dateline import MOSCOW, parse_iso

log = logging.getLogger(__name__)

RU_ARTICLE_PATH = re.compile(r"^/([a-z][a-z\-]*)/(\d{6,})$")
CONTENT_API_PATH = "/tbp/api/v1/content"
JSON_ACCEPT = "application/json"
API_PAGE_SIZE = 100
# A safety stop for one run: 200 pages of 100 items is weeks of tass.ru news.
API_MAX_PAGES = 200
# Moscow's clock as it was (UTC+4 from 2011 to October 2014, else UTC+3).
# What discovery can read on tass.ru; the API only where robots.txt allows it.
RU_METHODS = ("rss", "sitemaps", "api")


class RuLinkMapper(LinkMapper):
    """Accepts only tass.ru article URLs (`/<rubric>/<six or more digits>`)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.accepted_hosts |= {SOURCE_TASS_RU, f"www.{SOURCE_TASS_RU}"}

    def article(self, link: str) -> tuple[str, int, str] | None:
        path = urlsplit(link.strip()).path.rstrip("/")
        match = RU_ARTICLE_PATH.match(path)
        if not match:
            return None
        rubric, external_id = match.group(1), int(match.group(2))
        return rubric, external_id, f"https://{self.source}/{rubric}/{external_id}"


def api_time(value: object) -> datetime | None:
    """An ISO time from the API or a sitemap in UTC; one written without a zone is Moscow's.

    The parser's rule for the same times in a page (parse_iso), so both read them alike."""
    return parse_iso(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class ApiItem:
    """One entry of the content listing API."""

    external_id: int
    path: str
    published_at: datetime | None
    modified_at: datetime | None
    es_updated_at: datetime | None


def parse_content_api(data: bytes) -> list[ApiItem]:
    """`{"result": [{"id", "url", "published_dt", "updated_dt", "es_updated_dt"}, ...]}`.

    Items without an id or a path are dropped; anything but that shape is a FeedError.
    """
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"content API: {len(data)} bytes is more than {MAX_FEED_BYTES}")
    try:
        answer = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedError(f"content API: not JSON ({exc})") from exc
    result = answer.get("result") if isinstance(answer, dict) else None
    if isinstance(result, dict):  # the search endpoint's shape: {"contents": [...]}
        result = result.get("contents")
    if not isinstance(result, list):
        raise FeedError("content API: no 'result' list in the answer")
    items: list[ApiItem] = []
    for raw in result:
        if not isinstance(raw, dict):
            continue
        path = raw.get("url")
        try:
            external_id = int(raw.get("id"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not isinstance(path, str) or not path:
            continue
        items.append(
            ApiItem(
                external_id=external_id,
                path=path,
                published_at=api_time(raw.get("published_dt")),
                modified_at=api_time(raw.get("updated_dt")),
                es_updated_at=api_time(raw.get("es_updated_dt")),
            )
        )
    return items


def api_allowed(robots: Protego, settings: Settings) -> bool:
    """Whether the robots.txt served now lets us read the content listing API."""
    return bool(robots.can_fetch(f"{settings.base_url}{CONTENT_API_PATH}", settings.user_agent))


def content_api_url(base_url: str, cursor: datetime | None, limit: int = API_PAGE_SIZE) -> str:
    """A page of the listing, newest first; `cursor` is the last `es_updated_dt` seen."""
    query: dict[str, str | int] = {"limit": limit, "lang": "ru", "sort": "-es_updated_dt"}
    if cursor is None:
        query["offset"] = 0
    else:
        query["last_es_updated_dt"] = cursor.astimezone(MOSCOW).isoformat(timespec="seconds")
    return f"{base_url}{CONTENT_API_PATH}?{urlencode(query)}"


async def read_content_api(
    settings: Settings,
    window: Window,
    fetcher: PoliteFetcher,
    *,
    page_size: int = API_PAGE_SIZE,
    max_pages: int = API_MAX_PAGES,
) -> tuple[list[FeedEntry], int]:
    """Walk the listing back from the newest item until it is older than the window.

    Returns the entries and the number of pages read. Stops on an empty page, on a
    cursor that does not move (the API ignoring it would loop forever) or at `max_pages`.
    """
    entries: list[FeedEntry] = []
    cursor: datetime | None = None
    pages = 0
    while pages < max_pages:
        url = content_api_url(settings.base_url, cursor, page_size)
        page = await fetcher.get(url, accept=JSON_ACCEPT)
        if page.status != 200:
            raise FeedError(f"content API {url}: {page.error or f'HTTP {page.status}'}")
        items = parse_content_api(page.body)
        pages += 1
        for item in items:
            entries.append(
                FeedEntry(
                    f"{settings.base_url}{item.path}",
                    published_at=item.published_at,
                    modified_at=item.modified_at or item.es_updated_at,
                )
            )
        stamps = [i.es_updated_at for i in items if i.es_updated_at is not None]
        if not stamps:
            break
        oldest = min(stamps)
        if oldest < window.start or (cursor is not None and oldest >= cursor):
            break
        cursor = oldest
    else:
        log.warning("content API: stopped after %d pages before reaching %s", pages, window.start)
    return entries, pages


class _Reading:
    """What one discovery pass has read so far: entries, problems and counts."""

    def __init__(self, settings: Settings, fetcher: PoliteFetcher) -> None:
        self.settings = settings
        self.fetcher = fetcher
        self.entries: list[tuple[str, FeedEntry]] = []
        self.problems: list[str] = []
        self.feeds_read = 0
        self.article_lists_read = 0
        self.stale = 0

    def problem(self, exc: FeedError) -> None:
        self.problems.append(str(exc))
        log.warning("%s", exc)

    async def read(self, url: str, what: str) -> bytes | None:
        return await read_listing(self.fetcher, url, what, self.problems, log)

    def take(self, what: str, parse: Callable[[bytes], list[FeedEntry]], data: bytes) -> bool:
        try:
            self.entries.extend((what, entry) for entry in parse(data))
        except FeedError as exc:
            self.problem(exc)
            return False
        return True

    async def rss(self) -> None:
        rss = await self.read(f"{self.settings.base_url}{RSS_PATH}", "RSS feed")
        if rss is not None and self.take("rss", parse_rss, rss):
            self.feeds_read += 1
            self.article_lists_read += 1

    async def sitemaps(self, window: Window, mapper: RuLinkMapper) -> None:
        index = await self.read(f"{self.settings.base_url}{SITEMAP_INDEX_PATH}", "sitemap index")
        sitemaps: list[FeedEntry] = []
        if index is not None:
            try:
                sitemaps = parse_sitemap_index_entries(index)
                self.feeds_read += 1
            except FeedError as exc:
                self.problem(exc)
        for sitemap in sitemaps:
            if not mapper.host_ok(sitemap.link):
                log.warning("skipping sitemap on another host: %s", sitemap.link)
                continue
            if sitemap.modified_at is not None and sitemap.modified_at < window.start:
                self.stale += 1  # nothing in it changed since before the window began
                continue
            data = await self.read(mapper.local_url(sitemap.link), "news sitemap")
            if data is not None and self.take("sitemap", parse_news_sitemap, data):
                self.feeds_read += 1
                self.article_lists_read += 1

    async def api(self, window: Window) -> None:
        try:
            found, pages = await read_content_api(self.settings, window, self.fetcher)
        except FeedError as exc:
            self.problem(exc)
        else:
            self.entries.extend(("api", entry) for entry in found)
            self.feeds_read += pages
            self.article_lists_read += 1


async def discover_tass_ru(
    settings: Settings,
    window: Window,
    fetcher: PoliteFetcher,
    *,
    methods: Collection[str] = RU_METHODS,
) -> DiscoveryResult:
    """The window's tass.ru articles from its RSS feed, its news sitemaps and its API.

    `methods` names what to read (a source registry can list them): "rss", "sitemaps",
    "api". The API is read only when the robots.txt served now also allows it: a rule
    forbidding it always wins.
    """
    unknown = set(methods) - set(RU_METHODS)
    if unknown or not methods:
        raise ValueError(f"discovery methods must be some of {RU_METHODS}, not {sorted(unknown)}")
    mapper = RuLinkMapper(settings)
    robots = await read_robots(settings, fetcher)
    reading = _Reading(settings, fetcher)
    if "rss" in methods:
        await reading.rss()
    if "sitemaps" in methods:
        await reading.sitemaps(window, mapper)
    api_ok = api_allowed(robots, settings)
    use_api = "api" in methods
    if use_api and api_ok:
        await reading.api(window)
    elif use_api:
        log.info(
            "robots.txt of %s disallows %s: not reading the API",
            settings.base_url,
            CONTENT_API_PATH,
        )
    if reading.article_lists_read == 0:
        raise DiscoveryFailed(
            f"no feed of {settings.base_url} could be read: " + "; ".join(reading.problems)
        )
    return _allowed_result(
        settings, window, robots, reading, mapper, "read" if use_api and api_ok else "not read"
    )


def _allowed_result(
    settings: Settings,
    window: Window,
    robots: Protego,
    reading: _Reading,
    mapper: RuLinkMapper,
    api_state: str,
) -> DiscoveryResult:
    """The merged references robots.txt lets us fetch, logged with what was skipped."""
    merged = merge_entries(reading.entries, window, mapper)
    allowed = [replace(ref, language="ru") for ref in robots_allowed(settings, robots, merged.refs)]
    log.info(
        "tass.ru: %d articles in %s from %d feeds (%d sitemaps older than the window, "
        "API %s, %d outside the window, %d off-host, %d disallowed, %d unrecognised)",
        len(allowed),
        window,
        reading.feeds_read,
        reading.stale,
        api_state,
        merged.outside_window,
        merged.skipped_off_host,
        len(merged.refs) - len(allowed),
        merged.skipped_unrecognised,
    )
    return DiscoveryResult(
        refs=allowed,
        feeds_read=reading.feeds_read,
        skipped_off_host=merged.skipped_off_host,
        skipped_robots=len(merged.refs) - len(allowed),
        skipped_unrecognised=merged.skipped_unrecognised,
        outside_window=merged.outside_window,
    )


__all__ = [
    "CONTENT_API_PATH",
    "RU_METHODS",
    "ApiItem",
    "RuLinkMapper",
    "api_allowed",
    "content_api_url",
    "discover_tass_ru",
    "parse_content_api",
    "read_content_api",
]
