"""The quarantine: articles whose latest fetch or extraction failed, with a reason code.

One row per article (first and last seen, how often, a link to the raw response when
one came), so an operator sees what is wrong now; a later good fetch removes the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import psycopg
from psycopg.rows import class_row

from newswire.breaker import block_kind
from newswire.challenge import looks_like_challenge
from newswire.db import load_sql
from newswire.models import FetchedPage


class FetchFailure(StrEnum):
    """Why a fetch gave nothing to parse; the extraction reasons cover the rest."""

    TIMEOUT = "timeout"
    CONNECTION_ERROR = "connection_error"
    TOO_LARGE = "too_large"
    BLOCKED = "blocked"
    CHALLENGE = "challenge_page"
    HTTP_ERROR = "http_error"


def fetch_failure(page: FetchedPage) -> tuple[FetchFailure, str]:
    """Reason code and detail for a page that will not be parsed."""
    error = page.error or ""
    if page.status == 0:
        if error.startswith("timeout"):
            return FetchFailure.TIMEOUT, error
        if error.startswith("too large"):
            return FetchFailure.TOO_LARGE, error
        return FetchFailure.CONNECTION_ERROR, error or "no response"
    kind = block_kind(page)
    if kind == "challenge page" or (kind and looks_like_challenge(page.body)):
        return FetchFailure.CHALLENGE, f"HTTP {page.status} with an anti-bot challenge page"
    if kind:
        return FetchFailure.BLOCKED, f"{kind}: the site refused the request"
    return FetchFailure.HTTP_ERROR, error or f"HTTP {page.status}"


def put(
    conn: psycopg.Connection,
    *,
    source: str,
    external_id: int,
    url: str,
    reason: str,
    detail: str,
    raw_response_id: int | None,
    seen_at: datetime,
) -> None:
    """Record (or refresh) the article's quarantine row; the stored article is not touched."""
    params = {
        "source": source,
        "external_id": external_id,
        "url": url,
        "reason": reason,
        "detail": detail,
        "raw_response_id": raw_response_id,
        "seen_at": seen_at,
    }
    conn.execute(load_sql("pipeline/quarantine_put.sql"), params)


def clear(conn: psycopg.Connection, source: str, external_id: int) -> None:
    """Take one article out of quarantine (it parsed, or the site answered again)."""
    clear_many(conn, source, [external_id])


def clear_many(conn: psycopg.Connection, source: str, external_ids: list[int]) -> None:
    """Take a batch of one source's articles out of quarantine, in one statement."""
    params = {"source": source, "external_ids": external_ids}
    conn.execute(load_sql("pipeline/quarantine_clear.sql"), params)


@dataclass(frozen=True)
class QuarantineEntry:
    source: str
    external_id: int
    url: str
    reason: str
    detail: str | None
    raw_response_id: int | None
    raw_status: int | None
    first_seen_at: datetime
    last_seen_at: datetime
    times_seen: int
    stored: bool


def entries(conn: psycopg.Connection, reason: str | None = None) -> list[QuarantineEntry]:
    """The quarantine, most recently seen first; `stored` says whether an older good
    version of the article is in the warehouse."""
    with conn.cursor(row_factory=class_row(QuarantineEntry)) as cur:
        return cur.execute(load_sql("pipeline/quarantine_list.sql"), {"reason": reason}).fetchall()
