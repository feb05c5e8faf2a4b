"""Where an article of a run stands, in one place for the Python code and the SQL.

The values are the `run_articles_status_check` constraint's (sql/migrations/0002); a test
reads the constraint from the catalogue and compares. SQL files take the groups below as
array parameters rather than repeating the literals.
"""

from __future__ import annotations

from enum import StrEnum


class RunArticleStatus(StrEnum):
    """The status column of `run_articles`, in the order a run moves an article along."""

    DISCOVERED = "discovered"
    FETCHED = "fetched"
    FETCH_FAILED = "fetch_failed"
    GONE = "gone"
    NOT_MODIFIED = "not_modified"
    SKIPPED = "skipped"
    PARSED = "parsed"
    PARSE_FAILED = "parse_failed"
    LOADED = "loaded"


# Waiting for a request: never asked, or asked and refused/timed out (a retry asks again).
PENDING_FETCH: tuple[RunArticleStatus, ...] = (
    RunArticleStatus.DISCOVERED,
    RunArticleStatus.FETCH_FAILED,
)
# A usable answer came back: a page to parse, or the stored one still holds.
ANSWERED: tuple[RunArticleStatus, ...] = (
    RunArticleStatus.FETCHED,
    RunArticleStatus.NOT_MODIFIED,
    RunArticleStatus.GONE,
)


def pending_fetch_values() -> list[str]:
    """PENDING_FETCH as plain strings, the shape a SQL array parameter wants."""
    return [str(status) for status in PENDING_FETCH]
