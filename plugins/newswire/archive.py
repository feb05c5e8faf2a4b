"""The raw archive: every article response kept gzip-compressed in `raw_responses`.

Keeping bodies in the warehouse (not in XCom, not on a worker's disk) lets any task on
any worker parse them, and lets a re-parse run with no network at all.
"""

from __future__ import annotations

import gzip

import psycopg
from psycopg.types.json import Jsonb

from newswire.models import FetchedPage


def store_response(conn: psycopg.Connection, page: FetchedPage) -> int:
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
    return gzip.decompress(body_gzip)
