"""History before the sitemaps: walk a source's listing API back through a window.

Feeds and sitemaps only reach back a few years (tass.com's news sitemaps to about
2020-10), so older windows are found by paging a listing API newest first: start at
the window's end, follow the API's cursor, stop when the list is empty, when the cursor
stops moving or once items are older than the window. Every page is a request to the
site, so the walk goes through the run's `PoliteFetcher` (its interval, retries and
circuit breaker), only as far back as the window needs, and is checkpointed in the
warehouse (`listing_cursors`, `listing_items`) page by page: a stopped run resumes at
its cursor instead of asking for the same pages again.

A listing API is described by a small adapter (`ListingApi`): how to ask for one page
and how to read its answer; tass.com's `categoryNewsList` is the one provided here.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import psycopg
from protego import Protego

from newswire.config import Settings
from newswire.db import connect
from newswire.fetch import PoliteFetcher
from newswire.models import ArticleRef, FetchedPage, Window

log = logging.getLogger(__name__)

# Ids sent back as excludeNewsIds: enough to cover the items sharing a page boundary.
EXCLUDE_KEEP = 100


class ListingFailed(RuntimeError):
    """The listing API did not answer as it should; the message names the URL and why."""


@dataclass(frozen=True)
class ListingItem:
    """One article a listing page named."""

    external_id: int
    path: str
    published_at: datetime | None
    headline: str | None = None


@dataclass(frozen=True)
class ListingPage:
    items: list[ListingItem]
    next_cursor: str | None


@dataclass(frozen=True)
class ListingRequest:
    method: str  # GET or POST
    path: str  # with the query string for GET
    payload: Mapping[str, Any] | None = None


class ListingApi(Protocol):
    """How one listing API is asked for a page and how its answer reads."""

    @property
    def name(self) -> str:
        """Named in logs and errors."""
        ...

    @property
    def page_size(self) -> int:
        """Items a page asks for (the backfill estimate counts pages with it)."""
        ...

    def sections(self) -> Sequence[str]:
        """The sections (or rubrics) walked one after the other."""
        ...

    def first_cursor(self, window: Window) -> str | None:
        """The cursor that starts the walk at the window's end (None: the newest)."""
        ...

    def request(self, section: str, cursor: str | None, exclude: Sequence[int]) -> ListingRequest:
        """The request for the page after `cursor`."""
        ...

    def read(self, body: bytes) -> ListingPage:
        """Items and the next cursor of one answer; ListingFailed when it is not one."""
        ...


def _json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ListingFailed(f"{what} answered something that is not JSON ({exc})") from exc


def _path_and_id(link: str) -> tuple[str, int] | None:
    path = urlsplit(link.strip()).path.rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if not path.startswith("/") or not last.isdigit():
        return None
    return path, int(last)


@dataclass(frozen=True)
class CategoryNewsList:
    """tass.com: `POST /userApi/categoryNewsList` per section with a UNIX `timestamp` cursor.

    The answer's `lastTime` is the next page's `timestamp`; `excludeNewsIds` keeps the
    items sharing the boundary second from coming back.
    """

    section_ids: Mapping[str, int]
    path: str = "/userApi/categoryNewsList"
    page_size: int = 20
    image_size: int = 434
    name: str = "categoryNewsList"

    def sections(self) -> Sequence[str]:
        return list(self.section_ids)

    def first_cursor(self, window: Window) -> str | None:
        return str(int(window.end.timestamp()))

    def request(self, section: str, cursor: str | None, exclude: Sequence[int]) -> ListingRequest:
        payload: dict[str, Any] = {
            "sectionId": self.section_ids[section],
            "limit": self.page_size,
            "type": "all",
            "imageSize": self.image_size,
            "excludeNewsIds": list(exclude),
        }
        if cursor is not None:
            payload["timestamp"] = int(cursor)
        return ListingRequest("POST", self.path, payload)

    def read(self, body: bytes) -> ListingPage:
        data = _json(body, self.name)
        if not isinstance(data, dict) or not isinstance(data.get("newsList"), list):
            raise ListingFailed(f"{self.name}: no newsList in the answer")
        items = []
        for raw in data["newsList"]:
            if not isinstance(raw, dict):
                continue
            found = _path_and_id(str(raw.get("link") or ""))
            if found is None:
                continue
            when = raw.get("date")
            published = datetime.fromtimestamp(int(when), UTC) if when is not None else None
            items.append(ListingItem(found[1], found[0], published, raw.get("title")))
        last = data.get("lastTime")
        return ListingPage(items, None if last is None else str(int(last)))


# ------------------------------------------------------------------- checkpoints


@dataclass
class Checkpoint:
    """Where the walk of one section through one window stands."""

    source: str
    section: str
    window: Window
    cursor: str | None = None
    seen_ids: list[int] = field(default_factory=list)
    pages: int = 0
    items: int = 0
    done: bool = False
    stop_reason: str | None = None


def load_checkpoint(
    conn: psycopg.Connection, source: str, section: str, window: Window
) -> Checkpoint:
    row = conn.execute(
        "SELECT cursor_value, seen_ids, pages, items, done, stop_reason FROM listing_cursors"
        " WHERE source = %s AND section = %s AND window_start = %s AND window_end = %s",
        (source, section, window.start, window.end),
    ).fetchone()
    if row is None:
        return Checkpoint(source, section, window)
    return Checkpoint(source, section, window, row[0], list(row[1]), row[2], row[3], row[4], row[5])


def save_page(
    conn: psycopg.Connection,
    point: Checkpoint,
    refs: Sequence[ArticleRef],
    headlines: Mapping[int, str | None],
) -> None:
    """The page's items and the moved cursor, in one transaction."""
    with conn.transaction():
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO listing_items (source, external_id, section, url, published_at,"
                " headline) VALUES (%s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (source, external_id) DO UPDATE SET section = EXCLUDED.section,"
                " url = EXCLUDED.url, published_at = EXCLUDED.published_at,"
                " headline = EXCLUDED.headline, listed_at = now()",
                [
                    (
                        r.source,
                        r.external_id,
                        r.section,
                        r.url,
                        r.published_at,
                        headlines.get(r.external_id),
                    )
                    for r in refs
                ],
            )
        conn.execute(
            "INSERT INTO listing_cursors (source, section, window_start, window_end, cursor_value,"
            " seen_ids, pages, items, done, stop_reason)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (source, section, window_start, window_end) DO UPDATE SET"
            " cursor_value = EXCLUDED.cursor_value, seen_ids = EXCLUDED.seen_ids,"
            " pages = EXCLUDED.pages, items = EXCLUDED.items, done = EXCLUDED.done,"
            " stop_reason = EXCLUDED.stop_reason, updated_at = now()",
            (
                point.source,
                point.section,
                point.window.start,
                point.window.end,
                point.cursor,
                point.seen_ids,
                point.pages,
                point.items,
                point.done,
                point.stop_reason,
            ),
        )


def listed_refs(conn: psycopg.Connection, source: str, window: Window) -> list[ArticleRef]:
    """Every article a listing named as published in the window (any walk, any run)."""
    return [
        ArticleRef(source, ext_id, url, section, published, None, "listing")
        for ext_id, url, section, published in conn.execute(
            "SELECT external_id, url, section, published_at FROM listing_items"
            " WHERE source = %s AND published_at >= %s AND published_at < %s"
            " ORDER BY external_id",
            (source, window.start, window.end),
        )
    ]


# ------------------------------------------------------------------------- walk


@dataclass(frozen=True)
class WalkResult:
    refs: list[ArticleRef]
    pages_requested: int
    sections_disallowed: int = 0


async def _ask(fetcher: PoliteFetcher, base_url: str, request: ListingRequest) -> FetchedPage:
    url = f"{base_url}{request.path}"
    if request.method == "POST":
        return await fetcher.post_json(url, request.payload or {})
    return await fetcher.get(url, accept="application/json")


def _canonical(source: str, path: str) -> tuple[str, str] | None:
    """(section, canonical URL) of an article path such as /world/965296."""
    parts = path.strip("/").split("/")
    if len(parts) != 2 or not parts[1].isdigit():
        return None
    return parts[0], f"https://{source}/{parts[0]}/{parts[1]}"


async def walk_section(
    conn: psycopg.Connection,
    settings: Settings,
    fetcher: PoliteFetcher,
    api: ListingApi,
    section: str,
    window: Window,
) -> int:
    """Page one section back through `window` from its checkpoint; returns pages asked."""
    point = load_checkpoint(conn, settings.source, section, window)
    if point.done:
        return 0
    if point.cursor is None and point.pages == 0:
        point.cursor = api.first_cursor(window)
    asked = 0
    while not point.done:
        request = api.request(section, point.cursor, point.seen_ids[-EXCLUDE_KEEP:])
        answer = await _ask(fetcher, settings.base_url, request)
        asked += 1
        if answer.status != 200:
            raise ListingFailed(
                f"{api.name} of {settings.host} (section {section}) answered"
                f" {answer.error or f'HTTP {answer.status}'}; the walk stays at cursor"
                f" {point.cursor} and resumes there"
            )
        page = api.read(answer.body)
        seen = set(point.seen_ids)
        fresh = [item for item in page.items if item.external_id not in seen]
        inside, headlines = _refs_in_window(settings.source, fresh, window)
        point.pages += 1
        point.items += len(inside)
        point.seen_ids = (point.seen_ids + [item.external_id for item in fresh])[-EXCLUDE_KEEP:]
        _advance(point, page, fresh, window)
        save_page(conn, point, inside, headlines)
    log.info(
        "%s %s section %s: %d pages, %d items in %s (%s)",
        settings.source,
        api.name,
        section,
        point.pages,
        point.items,
        window,
        point.stop_reason,
    )
    return asked


def _refs_in_window(
    source: str, items: list[ListingItem], window: Window
) -> tuple[list[ArticleRef], dict[int, str | None]]:
    """The listed articles published inside the window, and their headlines by id."""
    inside: list[ArticleRef] = []
    headlines: dict[int, str | None] = {}
    for item in items:
        if not window.contains(item.published_at):
            continue
        canonical = _canonical(source, item.path)
        if canonical is None:
            continue
        inside.append(
            ArticleRef(
                source,
                item.external_id,
                canonical[1],
                canonical[0],
                item.published_at,
                None,
                "listing",
            )
        )
        headlines[item.external_id] = item.headline
    return inside, headlines


def _advance(
    point: Checkpoint, page: ListingPage, fresh: list[ListingItem], window: Window
) -> None:
    """Move the checkpoint to the next page, or mark the walk done and say why."""
    dates = [item.published_at for item in page.items if item.published_at is not None]
    if not page.items:
        point.done, point.stop_reason = True, "empty"
    elif dates and min(dates) < window.start:
        point.done, point.stop_reason = True, "older_than_window"
    elif page.next_cursor is None or (page.next_cursor == point.cursor and not fresh):
        point.done, point.stop_reason = True, "cursor_stuck"
    else:
        point.cursor = page.next_cursor


async def walk(
    db_url: str,
    settings: Settings,
    fetcher: PoliteFetcher,
    api: ListingApi,
    window: Window,
    robots: Protego,
) -> WalkResult:
    """Walk every section of `api` through `window`; the articles listed in it."""
    asked = disallowed = 0
    with connect(db_url, autocommit=True) as conn:
        for section in api.sections():
            probe = api.request(section, None, ())
            if not robots.can_fetch(f"{settings.base_url}{probe.path}", settings.user_agent):
                disallowed += 1
                log.warning(
                    "robots.txt of %s disallows %s: section %s not walked",
                    settings.host,
                    probe.path,
                    section,
                )
                continue
            asked += await walk_section(conn, settings, fetcher, api, section, window)
        refs = listed_refs(conn, settings.source, window)
    return WalkResult(refs, asked, disallowed)
