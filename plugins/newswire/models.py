"""Typed records passed between the stages: discover → fetch → parse → load.

Stages exchange these (or ids of the database rows that hold them), never loose dicts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

SOURCE_TASS_COM = "tass.com"
SOURCE_TASS_RU = "tass.ru"


class WindowError(ValueError):
    """A since/until pair that does not describe a usable window."""


def parse_instant(raw: str | date | datetime, name: str) -> datetime:
    """Accept an ISO 8601 date or datetime; naive values are UTC."""
    if isinstance(raw, datetime):
        value = raw
    elif isinstance(raw, date):
        value = datetime.combine(raw, time.min)
    else:
        text = str(raw).strip()
        if not text:
            raise WindowError(f"{name} is empty")
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as exc:
            raise WindowError(f"{name}={text!r} is not an ISO 8601 date or datetime") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


@dataclass(frozen=True)
class Window:
    """Half-open UTC interval [start, end) of publication or modification times."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise WindowError("window bounds must carry a time zone")
        if self.end <= self.start:
            raise WindowError(
                f"until ({self.end.isoformat()}) must be after since ({self.start.isoformat()})"
            )

    @classmethod
    def parse(cls, since: str | date | datetime, until: str | date | datetime | None) -> Window:
        start = parse_instant(since, "since")
        end = parse_instant(until, "until") if until else start + timedelta(days=1)
        return cls(start, end)

    @classmethod
    def nightly(cls, logical_date: datetime) -> Window:
        """The scheduled window: the whole UTC day before the run's logical date."""
        day = logical_date.astimezone(UTC).date()
        end = datetime.combine(day, time.min, tzinfo=UTC)
        return cls(end - timedelta(days=1), end)

    def contains(self, moment: datetime | None) -> bool:
        return moment is not None and self.start <= moment < self.end

    def __str__(self) -> str:
        return f"[{self.start.isoformat()}, {self.end.isoformat()})"


@dataclass(frozen=True)
class ArticleRef:
    """An article found by discovery: where it lives and what the feeds said about it."""

    source: str
    external_id: int
    url: str
    section: str
    published_at: datetime | None = None
    modified_at: datetime | None = None
    found_in: str = "rss"
    # The language the source publishes in ("ru" for tass.ru), when discovery knows it.
    language: str | None = None


@dataclass(frozen=True)
class DiscoveryResult:
    refs: list[ArticleRef]
    feeds_read: int
    skipped_off_host: int = 0
    skipped_robots: int = 0
    skipped_unrecognised: int = 0
    outside_window: int = 0
    # The oldest time a news sitemap listed: older windows need a listing API.
    oldest_listed: datetime | None = None


@dataclass(frozen=True)
class FetchedPage:
    """One HTTP response as received; the body is kept raw for reprocessing."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    attempts: int = 1
    error: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


class ExtractionReason(StrEnum):
    """Why a page did not yield an article; stored with the page so operators can act."""

    EMPTY = "empty"
    NOT_HTML = "not_html"
    CHALLENGE = "challenge_page"
    NOT_FOUND_PAGE = "not_found_page"
    NO_HEADLINE = "no_headline"
    NO_BODY = "no_body"
    NO_PUBLISHED_AT = "no_published_at"
    TRUNCATED = "truncated"
    UNKNOWN_LAYOUT = "unknown_layout"


class ExtractionError(Exception):
    """A page that cannot become an article, with a machine-readable reason."""

    def __init__(self, reason: ExtractionReason, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)


@dataclass(frozen=True)
class ParsedArticle:
    """An article as extracted from one page; the unit the warehouse stores."""

    source: str
    external_id: int
    url: str
    section: str
    headline: str
    lead: str
    dateline: str | None
    published_at: datetime
    modified_at: datetime | None
    body: str
    language: str
    extraction_method: str
    parser_version: str
    image_url: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)

    @property
    def content_hash(self) -> str:
        """Identity of the content a reader sees; timestamps and parser details excluded."""
        digest = hashlib.sha256()
        for part in (self.headline, self.lead, self.dateline or "", self.body):
            digest.update(part.encode("utf-8"))
            digest.update(b"\x1f")
        return digest.hexdigest()

    @property
    def word_count(self) -> int:
        return len(self.body.split())


@dataclass
class RunCounts:
    """The figures an operator reads first; mirrored in the ingest_runs row."""

    discovered: int = 0
    fetched: int = 0
    parsed: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
