"""The raw archive: every article response kept gzip-compressed in `raw_responses`.

Keeping bodies in the warehouse (not in XCom, not on a worker's disk) lets any task on
any worker parse them, and lets a re-parse run with no network at all.
"""

from __future__ import annotations

import gzip

import psycopg
from psycopg.types.json import Jsonb

from newswire.db import load_sql
from newswire.fetch import Validators
from newswire.models import FetchedPage


def store_response(conn: psycopg.Connection, page: FetchedPage) -> int:
    """Archive one response (any status, 304s and refusals included) and return its id."""
    row = conn.execute(
        "INSERT INTO raw_responses (url, final_url, status_code, headers, fetched_at,"
        " body_gzip, body_sha256, body_bytes) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " RETURNING id",
        (
            page.url,
            page.final_url,
            page.status,
            Jsonb(page.headers),
            page.fetched_at,
            gzip.compress(page.body, compresslevel=6),
            page.sha256,
            len(page.body),
        ),
    ).fetchone()
    assert row is not None
    return int(row[0])


def read_body(body_gzip: bytes) -> bytes:
    """The archived body as received (after the transfer encoding was undone)."""
    return gzip.decompress(body_gzip)


def validators_for_run(conn: psycopg.Connection, run_id: int) -> dict[tuple[str, int], Validators]:
    """Conditional-GET validators for the run's articles still to fetch.

    Only the validators of a response that was loaded into the stored article are used,
    so a 304 can never stand for a page the warehouse does not hold.
    """
    rows = conn.execute(load_sql("pipeline/conditional_validators.sql"), {"run_id": run_id})
    return {
        (source, external_id): Validators(etag=etag, last_modified=last_modified)
        for source, external_id, etag, last_modified in rows
    }
