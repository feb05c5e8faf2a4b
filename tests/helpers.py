"""Small helpers several test files need: reading the warehouse and the test site's log,
settings aimed at the tass.ru test site.

One copy here instead of one per file, so a change of schema or of the request log is
fixed once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg
from newswire.config import Settings

from devtools.testsite.server import TassTestSite


def query_one(db_url: str, query: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    """The first row of `query` (which must return one)."""
    with psycopg.connect(db_url) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None, f"no row from {query!r}"
    return row


def query_all(db_url: str, query: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query, params).fetchall()


def stored_ids(db_url: str) -> set[int]:
    """External ids of every stored article."""
    return {row[0] for row in query_all(db_url, "SELECT external_id FROM articles")}


def run_statuses(db_url: str, run_id: int) -> dict[int, str]:
    """Each article of a run: its run_articles status."""
    outcomes = run_outcomes(db_url, run_id)
    return {external_id: status for external_id, (status, _) in outcomes.items()}


def run_outcomes(db_url: str, run_id: int) -> dict[int, tuple[str, str | None]]:
    """Each article of a run: its run_articles status and error."""
    rows = query_all(
        db_url,
        "SELECT external_id, status, error FROM run_articles WHERE ingest_run_id = %s",
        (run_id,),
    )
    return {external_id: (status, error) for external_id, status, error in rows}


def article_requests(site: TassTestSite, ids: int | Iterable[int]) -> int:
    """How many requests the test site received for the article pages of `ids`."""
    wanted = {str(ids)} if isinstance(ids, int) else {str(i) for i in ids}
    return sum(1 for _, path, _ in site.requests if path.rsplit("/", 1)[-1] in wanted)


def ru_site_settings(site: TassTestSite, data_dir: object) -> Settings:
    """Settings of the tass.ru source aimed at its test site, impolitely fast, with the
    data directory `data_dir`; tass.com points where nothing answers, so it is never asked."""
    return Settings.from_env(
        {
            "TASS_BASE_URL": "http://127.0.0.1:9",
            "TASS_RU_BASE_URL": site.base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": "4",
            "TASS_RETRY_BACKOFF": "0.01",
            "TASS_READ_TIMEOUT": "5",
            "NEWSWIRE_DATA_DIR": str(data_dir),
        }
    ).for_source("tass.ru")
