"""Parse stage: archived pages of the run into staged articles; failures quarantined."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from datetime import datetime
from typing import Any

import psycopg

from newswire import quarantine
from newswire.archive import read_body
from newswire.db import connect, load_sql
from newswire.models import ArticleRef, ExtractionError, ExtractionReason, ParsedArticle
from newswire.parse import parse_article
from newswire.procpool import process_pool
from newswire.stages.counts import StageCounts
from newswire.states import RunArticleStatus as S
from newswire.timing import stage_timer

log = logging.getLogger(__name__)

PARSE_BATCH = 50
# From this many pages on, the pages are parsed in one process per core (~1-2 ms a page
# against about a second to start the workers), PARALLEL_BATCHES batches at a time, while
# this process writes the results: a backfill window's parse is no longer one core's work.
PARALLEL_MIN_PAGES = 1_000
PARALLEL_BATCHES = 8
# The ParsedArticle fields a staged_articles row takes over as they are.
STAGED_FIELDS = (
    "source",
    "external_id",
    "url",
    "section",
    "headline",
    "lead",
    "dateline",
    "published_at",
    "modified_at",
    "body",
    "language",
    "content_hash",
    "extraction_method",
    "parser_version",
)


def _stage_article(
    conn: psycopg.Connection, run_id: int, article: ParsedArticle, raw_id: int, fetched_at: datetime
) -> None:
    row = {name: getattr(article, name) for name in STAGED_FIELDS}
    row.update(run_id=run_id, raw_response_id=raw_id, fetched_at=fetched_at)
    conn.execute(load_sql("pipeline/stage_article.sql"), row)
    quarantine.clear(conn, article.source, article.external_id)


# A parsed page, or why it could not be one (reason value, detail): what a worker sends back.
Extracted = ParsedArticle | tuple[str, str]


def _extract(item: tuple[bytes, ArticleRef]) -> Extracted:
    """Parse one archived page; runs in a worker process for a large run."""
    body, ref = item
    try:
        return parse_article(read_body(body), ref)
    except ExtractionError as exc:
        return exc.reason.value, exc.detail


def _ref(row: tuple[Any, ...]) -> ArticleRef:
    source, ext_id, url, section, pub, mod, found_in = row[:7]
    return ArticleRef(source, ext_id, url, section, pub, mod, found_in)


def _record(conn: psycopg.Connection, run_id: int, row: tuple[Any, ...], found: Extracted) -> bool:
    """Stage one parsed page as an article, or quarantine it; True when it parsed."""
    source, ext_id, url, _, _, _, _, raw_id, _, fetched_at = row
    status: S
    error: str | None
    if isinstance(found, ParsedArticle):
        _stage_article(conn, run_id, found, raw_id, fetched_at)
        status, error = S.PARSED, None
    else:
        exc = ExtractionError(ExtractionReason(found[0]), found[1])
        log.warning("article %s not extracted: %s", url, exc)
        quarantine.put(
            conn,
            source=source,
            external_id=ext_id,
            url=url,
            reason=exc.reason.value,
            detail=exc.detail,
            raw_response_id=raw_id,
            seen_at=fetched_at,
        )
        status, error = S.PARSE_FAILED, str(exc)
    conn.execute(
        "UPDATE run_articles SET status = %s, error = %s WHERE ingest_run_id = %s"
        " AND source = %s AND external_id = %s",
        (status, error, run_id, source, ext_id),
    )
    return status is S.PARSED


@contextmanager
def _workers(pages: int) -> Iterator[tuple[Executor | None, int]]:
    """One process per core for a large run (a backfill window), else none."""
    workers = os.cpu_count() or 1
    if pages < PARALLEL_MIN_PAGES or workers == 1:
        yield None, PARSE_BATCH
        return
    with process_pool(workers) as pool:
        yield pool, PARSE_BATCH * PARALLEL_BATCHES


@stage_timer("parse")
def parse_stage(db_url: str, run_id: int) -> StageCounts:
    """Parse the archived responses of the run into staged articles; failures quarantined.

    Commits every PARSE_BATCH articles (every PARALLEL_BATCHES of them when a large run
    is parsed over one process per core), so a retried task redoes little.
    """
    parsed = failed = 0
    with connect(db_url) as conn:
        pending = [
            row[0]
            for row in conn.execute(
                "SELECT external_id FROM run_articles WHERE ingest_run_id = %s"
                " AND status = %s ORDER BY external_id",
                (run_id, S.FETCHED),
            )
        ]
        with _workers(len(pending)) as (pool, step):
            for start in range(0, len(pending), step):
                params = {
                    "run_id": run_id,
                    "external_ids": pending[start : start + step],
                    "fetched": S.FETCHED,
                }
                rows = conn.execute(load_sql("pipeline/parse_batch.sql"), params).fetchall()
                items = [(row[8], _ref(row)) for row in rows]
                found = pool.map(_extract, items, chunksize=16) if pool else map(_extract, items)
                for row, extracted in zip(rows, found, strict=True):
                    if _record(conn, run_id, row, extracted):
                        parsed += 1
                    else:
                        failed += 1
                conn.commit()
    log.info("run %d: %d parsed, %d quarantined", run_id, parsed, failed)
    return StageCounts(run_id, done=parsed, failed=failed)
