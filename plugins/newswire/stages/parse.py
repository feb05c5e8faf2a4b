"""Parse stage: archived pages of the run into staged articles; failures quarantined."""

from __future__ import annotations

import logging
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
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


def _staged_row(
    run_id: int, article: ParsedArticle, raw_id: int, fetched_at: datetime
) -> dict[str, Any]:
    row = {name: getattr(article, name) for name in STAGED_FIELDS}
    row.update(run_id=run_id, raw_response_id=raw_id, fetched_at=fetched_at)
    return row


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


def _quarantine(conn: psycopg.Connection, row: tuple[Any, ...], reason: tuple[str, str]) -> str:
    """Quarantine a page that did not parse; returns the run_articles error."""
    source, ext_id, url, _, _, _, _, raw_id, _, fetched_at = row
    exc = ExtractionError(ExtractionReason(reason[0]), reason[1])
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
    return str(exc)


def _record_batch(
    conn: psycopg.Connection, run_id: int, rows: Sequence[tuple[Any, ...]], found: list[Extracted]
) -> int:
    """Stage a batch's parsed pages, quarantine the rest and move them all on.

    A few set-based statements per batch rather than three round trips per page, which
    kept a large run's parse waiting on the database; the caller commits the batch as one
    transaction, so a failure part-way leaves the whole batch `fetched` for a retry.
    Returns how many pages parsed.
    """
    staged: list[dict[str, Any]] = []
    cleared: defaultdict[str, list[int]] = defaultdict(list)
    moved: defaultdict[str, list[tuple[int, str, str | None]]] = defaultdict(list)
    for row, extracted in zip(rows, found, strict=True):
        source, ext_id, raw_id, fetched_at = row[0], row[1], row[7], row[9]
        if isinstance(extracted, ParsedArticle):
            staged.append(_staged_row(run_id, extracted, raw_id, fetched_at))
            cleared[extracted.source].append(extracted.external_id)
            moved[source].append((ext_id, S.PARSED.value, None))
        else:
            moved[source].append((ext_id, S.PARSE_FAILED.value, _quarantine(conn, row, extracted)))
    if staged:
        with conn.cursor() as cur:
            cur.executemany(load_sql("pipeline/stage_article.sql"), staged)
    for source, ids in cleared.items():
        quarantine.clear_many(conn, source, ids)
    for source, items in moved.items():
        ids, statuses, errors = (list(column) for column in zip(*items, strict=True))
        params = {"run_id": run_id, "source": source, "external_ids": ids}
        params.update(statuses=statuses, errors=errors)
        conn.execute(load_sql("pipeline/record_parses.sql"), params)
    return len(staged)


@contextmanager
def _workers(pages: int) -> Iterator[tuple[Executor | None, int]]:
    """One process per core for a large run (a backfill window), else none."""
    workers = os.cpu_count() or 1
    if pages < PARALLEL_MIN_PAGES or workers == 1:
        yield None, PARSE_BATCH
        return
    with process_pool(workers) as pool:
        yield pool, PARSE_BATCH * PARALLEL_BATCHES


def _parsed_batches(
    conn: psycopg.Connection, run_id: int, pending: list[int], pool: Executor | None, step: int
) -> Iterator[tuple[list[tuple[Any, ...]], list[Extracted]]]:
    """Each batch's rows with what their pages parsed into.

    With a pool the next batch is handed to it before this one is yielded, so the workers
    parse while the caller writes.
    """
    ahead: tuple[list[tuple[Any, ...]], Iterator[Extracted]] | None = None
    for start in range(0, len(pending), step):
        params = {
            "run_id": run_id,
            "external_ids": pending[start : start + step],
            "fetched": S.FETCHED,
        }
        rows = conn.execute(load_sql("pipeline/parse_batch.sql"), params).fetchall()
        items = [(row[8], _ref(row)) for row in rows]
        if pool is None:
            yield rows, [_extract(item) for item in items]
            continue
        submitted = pool.map(_extract, items, chunksize=16)  # submits the whole batch now
        if ahead is not None:
            yield ahead[0], list(ahead[1])
        ahead = rows, submitted
    if ahead is not None:
        yield ahead[0], list(ahead[1])


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
            for rows, found in _parsed_batches(conn, run_id, pending, pool, step):
                done = _record_batch(conn, run_id, rows, found)
                parsed, failed = parsed + done, failed + len(rows) - done
                conn.commit()
    log.info("run %d: %d parsed, %d quarantined", run_id, parsed, failed)
    return StageCounts(run_id, done=parsed, failed=failed)
