"""The raw archive: every article response kept gzip-compressed in `raw_responses`.

Keeping bodies in the warehouse (not in XCom, not on a worker's disk) lets any task on
any worker parse them, and lets a re-parse run with no network at all.
"""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass

import psycopg
from psycopg.types.json import Jsonb

from newswire.db import load_sql
from newswire.fetch import Validators
from newswire.models import FetchedPage
from newswire.states import pending_fetch_values

COMPRESS_LEVEL = 6
RAW_COLUMNS = (
    "id, url, final_url, status_code, headers, fetched_at, body_gzip, body_sha256, body_bytes"
)
RAW_TYPES = ("int8", "text", "text", "int4", "jsonb", "timestamptz", "bytea", "text", "int4")


@dataclass(frozen=True)
class PreparedResponse:
    """A response ready for the archive: the costly work (gzip, SHA-256) already done,
    so it can happen in a worker thread while the database writer does something else."""

    page: FetchedPage
    body_gzip: bytes
    body_sha256: str


def prepare(page: FetchedPage) -> PreparedResponse:
    """Compress and hash the body; zlib and hashlib release the GIL while they work."""
    return PreparedResponse(page, gzip.compress(page.body, COMPRESS_LEVEL, mtime=0), page.sha256)


def store_prepared(conn: psycopg.Connection, prepared: Sequence[PreparedResponse]) -> list[int]:
    """Archive many responses in two round trips and return their ids, in order.

    The ids are drawn from the table's identity sequence first, so one binary COPY can
    write every row (COPY cannot return generated ids) and each id is known per page.
    """
    if not prepared:
        return []
    ids = [
        int(row[0])
        for row in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('raw_responses', 'id'))"
            " FROM generate_series(1, %s)",
            (len(prepared),),
        )
    ]
    with (
        conn.cursor() as cur,
        cur.copy(f"COPY raw_responses ({RAW_COLUMNS}) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(RAW_TYPES)
        for raw_id, item in zip(ids, prepared, strict=True):
            page = item.page
            copy.write_row(
                (
                    raw_id,
                    page.url,
                    page.final_url,
                    page.status,
                    Jsonb(page.headers),
                    page.fetched_at,
                    item.body_gzip,
                    item.body_sha256,
                    len(page.body),
                )
            )
    return ids


def read_body(body_gzip: bytes) -> bytes:
    """The archived body as received (after the transfer encoding was undone)."""
    return gzip.decompress(body_gzip)


def validators_for_run(conn: psycopg.Connection, run_id: int) -> dict[tuple[str, int], Validators]:
    """Conditional-GET validators for the run's articles still to fetch.

    Only the validators of a response that was loaded into the stored article are used,
    so a 304 can never stand for a page the warehouse does not hold.
    """
    params = {"run_id": run_id, "pending": pending_fetch_values()}
    rows = conn.execute(load_sql("pipeline/conditional_validators.sql"), params)
    return {
        (source, external_id): Validators(etag=etag, last_modified=last_modified)
        for source, external_id, etag, last_modified in rows
    }
