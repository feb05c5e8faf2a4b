"""Find the articles of a window: the RSS feed, the sitemap index and its news sitemaps.

Feeds are XML from the open internet, so they are parsed with DTDs forbidden (no entity
expansion, no external fetches) and only after the fetcher's size limit.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException
from protego import Protego

from newswire.config import Settings
from newswire.fetch import PoliteFetcher
from newswire.models import ArticleRef, DiscoveryResult, Window

log = logging.getLogger(__name__)

ARTICLE_PATH = re.compile(r"^/([a-z][a-z0-9\-]*)/(\d+)$")
RSS_PATH = "/rss/v2.xml"
SITEMAP_INDEX_PATH = "/sitemap.xml"
XML_ACCEPT = "application/rss+xml, application/xml;q=0.9, text/xml;q=0.8"
MAX_FEED_BYTES = 20_000_000


class FeedError(ValueError):
    """A feed could not be read as the XML it should be."""


class DiscoveryFailed(RuntimeError):
    """No feed could be read at all: nothing to ingest, and the operator must look."""


@dataclass(frozen=True)
class FeedEntry:
    link: str
    published_at: datetime | None = None
    modified_at: datetime | None = None


def parse_xml(data: bytes, what: str, max_bytes: int = MAX_FEED_BYTES) -> Element:
    """Parse a feed with DTDs (so entity expansion) refused and a size cap."""
    if len(data) > max_bytes:
        raise FeedError(f"{what}: {len(data)} bytes is more than the {max_bytes} allowed")
    try:
        root: Element = safe_xml.fromstring(data, forbid_dtd=True)
        return root
    except DefusedXmlException as exc:
        raise FeedError(
            f"{what}: refused ({type(exc).__name__}); feeds must not carry a DTD"
        ) from exc
    except ParseError as exc:
        raise FeedError(f"{what}: malformed XML ({exc})") from exc


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> Iterator[Element]:
    return (child for child in element.iter() if _local(child.tag) == name)


def _text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC)


def _w3c(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_rss(data: bytes) -> list[FeedEntry]:
    root = parse_xml(data, "RSS feed")
    entries = []
    for item in _children(root, "item"):
        link = _text(item, "link")
        if link:
            entries.append(FeedEntry(link, published_at=_rfc822(_text(item, "pubDate"))))
    return entries


def parse_sitemap_index_entries(data: bytes) -> list[FeedEntry]:
    """The index's sitemaps, each with its own `lastmod` (when that file last changed)."""
    root = parse_xml(data, "sitemap index")
    return [
        FeedEntry(loc, modified_at=_w3c(_text(sm, "lastmod")))
        for sm in _children(root, "sitemap")
        if (loc := _text(sm, "loc"))
    ]


def parse_sitemap_index(data: bytes) -> list[str]:
    return [entry.link for entry in parse_sitemap_index_entries(data)]


def parse_news_sitemap(data: bytes) -> list[FeedEntry]:
    root = parse_xml(data, "news sitemap")
    entries = []
    for url in _children(root, "url"):
        loc = _text(url, "loc")
        if loc:
            entries.append(FeedEntry(loc, modified_at=_w3c(_text(url, "lastmod"))))
    return entries


DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_host(link: str) -> str:
    """host[:port] in lower case, without user info or the scheme's default port."""
    parts = urlsplit(link.strip())
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        return ""
    if port is None or port == DEFAULT_PORTS.get(parts.scheme.lower()):
        return host
    return f"{host}:{port}"


class LinkMapper:
    """Turns a link found in a feed into an article reference on the configured host.

    Links on the source's own host (tass.com) or on the configured host are accepted and
    fetched from the configured host; links anywhere else are refused.
    """

    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.base_url
        self.source = settings.source
        self.accepted_hosts = {
            canonical_host(settings.base_url),
            settings.source,
            f"www.{settings.source}",
        }

    def host_ok(self, link: str) -> bool:
        return canonical_host(link) in self.accepted_hosts

    def local_url(self, link: str) -> str:
        """A feed or sitemap link re-pointed at the configured host."""
        parts = urlsplit(link.strip())
        return f"{self.base_url}{parts.path}"

    def article(self, link: str) -> tuple[str, int, str] | None:
        """(section, id, canonical URL) or None when the link is not an article URL."""
        path = urlsplit(link.strip()).path.rstrip("/")
        match = ARTICLE_PATH.match(path)
        if not match:
            return None
        section, external_id = match.group(1), int(match.group(2))
        return section, external_id, f"https://{self.source}/{section}/{external_id}"


def merge_entries(
    entries: Iterable[tuple[str, FeedEntry]], window: Window, mapper: LinkMapper
) -> DiscoveryResult:
    """Deduplicate by (source, id), keep the earliest publication and latest modification."""
    refs: dict[int, ArticleRef] = {}
    off_host = unrecognised = 0
    for found_in, entry in entries:
        if not mapper.host_ok(entry.link):
            off_host += 1
            continue
        parsed = mapper.article(entry.link)
        if parsed is None:
            unrecognised += 1
            continue
        section, external_id, url = parsed
        known = refs.get(external_id)
        if known is None:
            refs[external_id] = ArticleRef(
                source=mapper.source,
                external_id=external_id,
                url=url,
                section=section,
                published_at=entry.published_at,
                modified_at=entry.modified_at,
                found_in=found_in,
            )
            continue
        refs[external_id] = ArticleRef(
            source=known.source,
            external_id=external_id,
            url=known.url,
            section=known.section,
            published_at=_earliest(known.published_at, entry.published_at),
            modified_at=_latest(known.modified_at, entry.modified_at),
            found_in=known.found_in
            if found_in in known.found_in
            else f"{known.found_in}+{found_in}",
        )
    inside = [
        ref
        for ref in refs.values()
        if window.contains(ref.published_at) or window.contains(ref.modified_at)
    ]
    inside.sort(key=lambda ref: ref.external_id)
    return DiscoveryResult(
        refs=inside,
        feeds_read=0,
        skipped_off_host=off_host,
        skipped_unrecognised=unrecognised,
        outside_window=len(refs) - len(inside),
    )


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min((x for x in (a, b) if x is not None), default=None)


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max((x for x in (a, b) if x is not None), default=None)


async def read_listing(
    fetcher: PoliteFetcher,
    url: str,
    what: str,
    problems: list[str],
    logger: logging.Logger = log,
) -> bytes | None:
    """A feed's or sitemap's body; None when it could not be read, the problem noted in
    `problems` (a discovery that reads nothing names them all) and logged to `logger`."""
    page = await fetcher.get(url, accept=XML_ACCEPT)
    if page.status != 200:
        problems.append(f"{what} {url}: {page.error or f'HTTP {page.status}'}")
        logger.warning("could not read %s %s: %s", what, url, page.error or page.status)
        return None
    return page.body


def robots_allowed(
    settings: Settings, robots: Protego, refs: Iterable[ArticleRef]
) -> list[ArticleRef]:
    """The references whose article page robots.txt lets our user agent fetch."""
    return [
        ref
        for ref in refs
        if robots.can_fetch(
            f"{settings.base_url}/{ref.section}/{ref.external_id}", settings.user_agent
        )
    ]


async def discover(settings: Settings, window: Window, fetcher: PoliteFetcher) -> DiscoveryResult:
    """Read robots.txt, the RSS feed and every news sitemap; return the window's articles."""
    mapper = LinkMapper(settings)
    robots = await read_robots(settings, fetcher)
    entries: list[tuple[str, FeedEntry]] = []
    feeds_read = 0
    article_lists_read = 0  # the RSS feed and news sitemaps; the index lists no articles
    problems: list[str] = []

    async def read(path_or_url: str, what: str) -> bytes | None:
        url = path_or_url if "://" in path_or_url else f"{settings.base_url}{path_or_url}"
        return await read_listing(fetcher, url, what, problems)

    if (data := await read(RSS_PATH, "RSS feed")) is not None:
        try:
            entries.extend(("rss", e) for e in parse_rss(data))
            feeds_read += 1
            article_lists_read += 1
        except FeedError as exc:
            problems.append(str(exc))
            log.warning("%s", exc)

    sitemap_locs: list[str] = []
    if (data := await read(SITEMAP_INDEX_PATH, "sitemap index")) is not None:
        try:
            sitemap_locs = parse_sitemap_index(data)
            feeds_read += 1
        except FeedError as exc:
            problems.append(str(exc))
            log.warning("%s", exc)
    for loc in sitemap_locs:
        if not mapper.host_ok(loc):
            log.warning("skipping sitemap on another host: %s", loc)
            continue
        if (data := await read(mapper.local_url(loc), "news sitemap")) is None:
            continue
        try:
            entries.extend(("sitemap", e) for e in parse_news_sitemap(data))
            feeds_read += 1
            article_lists_read += 1
        except FeedError as exc:
            problems.append(f"{loc}: {exc}")
            log.warning("%s: %s", loc, exc)

    if article_lists_read == 0:
        raise DiscoveryFailed(
            f"no feed of {settings.base_url} could be read: " + "; ".join(problems)
        )
    oldest_listed = min(
        (e.modified_at for found_in, e in entries if found_in == "sitemap" and e.modified_at),
        default=None,
    )
    result = merge_entries(entries, window, mapper)
    return _robots_allowed(settings, window, robots, result, feeds_read, oldest_listed)


def _robots_allowed(
    settings: Settings,
    window: Window,
    robots: Protego,
    result: DiscoveryResult,
    feeds_read: int,
    oldest_listed: datetime | None,
) -> DiscoveryResult:
    """The merged result without the articles robots.txt forbids us, counted as skipped."""
    allowed = robots_allowed(settings, robots, result.refs)
    log.info(
        "discovered %d articles in %s from %d feeds (%d outside the window, %d off-host, "
        "%d disallowed by robots.txt, %d unrecognised links)",
        len(allowed),
        window,
        feeds_read,
        result.outside_window,
        result.skipped_off_host,
        len(result.refs) - len(allowed),
        result.skipped_unrecognised,
    )
    return DiscoveryResult(
        refs=allowed,
        feeds_read=feeds_read,
        skipped_off_host=result.skipped_off_host,
        skipped_robots=len(result.refs) - len(allowed),
        skipped_unrecognised=result.skipped_unrecognised,
        outside_window=result.outside_window,
        oldest_listed=oldest_listed,
    )


async def read_robots(settings: Settings, fetcher: PoliteFetcher) -> Protego:
    """robots.txt as served now: missing (4xx) allows everything, unreachable stops the run."""
    page = await fetcher.get(f"{settings.base_url}/robots.txt", accept="text/plain")
    if page.status == 200:
        return Protego.parse(page.body.decode("utf-8", errors="replace"))
    if 400 <= page.status < 500:
        log.info(
            "no robots.txt at %s (HTTP %d): everything allowed", settings.base_url, page.status
        )
        return Protego.parse("")
    raise DiscoveryFailed(
        f"robots.txt of {settings.base_url} could not be read ({page.error or page.status}); "
        "not crawling without it"
    )
