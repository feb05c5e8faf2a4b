"""Re-analyse stored articles in batches: resumable, parallel, with progress.

A job takes every article (`everything`) or only those a knowledge base change since
their analysis may affect (`incremental.plan_targets`), and splits them into batches of
consecutive ids (`reanalyse_batches`). Each batch is read, analysed and written, and
marked done, in one transaction: readers never see an article half re-analysed, and a
stopped job loses at most the batches in flight.
The next run with the same knowledge base (and `discover` setting) resumes the job;
`restart=True` drops it and plans anew. Batches run in worker processes, one per core by
default, or as Airflow mapped tasks (`dags/tass_reanalyse.py`) through `run_batches`.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import as_completed
from dataclasses import dataclass
from typing import TextIO

from newswire.analysis.incremental import current_snapshot, plan_targets
from newswire.analysis.knowledge import load_knowledge
from newswire.analysis.store import analyse_articles, refresh_views, sync_entities
from newswire.db import connect, load_sql, one_row
from newswire.procpool import process_pool

log = logging.getLogger(__name__)
DEFAULT_BATCH_SIZE = 1_000


@dataclass(frozen=True)
class BatchResult:
    """What one batch wrote; `skipped` when another worker had already done it."""

    articles: int
    mentions: int
    quotes: int
    skipped: bool = False


@dataclass(frozen=True)
class ReanalyseSummary:
    """A finished job: the articles it (re)analysed in this call and what they hold."""

    job_id: int
    articles: int
    batches: int
    resumed_from: int
    mentions: int
    quotes: int
    seconds: float
    total: int = 0  # articles in the job: every stored one, or those the change may affect
    stored: int = 0  # articles stored when the job was planned
    plan_seconds: float = 0.0  # of `seconds`: planning (and finding the affected articles)


def plan_job(
    db_url: str,
    *,
    batch_size: int,
    discover: bool,
    restart: bool = False,
    everything: bool = False,
) -> int:
    """The id of the unfinished job for the current knowledge base, or of a new one.

    A new job takes every article when `everything`, otherwise only those the knowledge
    base changes since their analysis may affect (`incremental.plan_targets`). A job of
    every article serves an incremental run too; the reverse never happens.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be positive")
    digest = load_knowledge().digest
    with connect(db_url) as conn:
        # Sync first: the batches then only read the entity ids, never write them.
        sync_entities(conn)
        snapshot_id = current_snapshot(conn)
        conn.execute("LOCK TABLE reanalyse_jobs IN SHARE ROW EXCLUSIVE MODE")
        if restart:
            conn.execute("DELETE FROM reanalyse_jobs WHERE finished_at IS NULL")
        found = conn.execute(
            "SELECT id FROM reanalyse_jobs WHERE finished_at IS NULL AND snapshot_id = %s"
            " AND discover = %s AND (everything OR NOT %s) ORDER BY id DESC LIMIT 1",
            (snapshot_id, discover, everything),
        ).fetchone()
        if found is not None:
            return int(found[0])
        (job_id,) = one_row(
            conn,
            "INSERT INTO reanalyse_jobs (digest, discover, batch_size, articles, snapshot_id,"
            " everything) SELECT %s, %s, %s, count(*), %s, %s FROM articles RETURNING id",
            (digest, discover, batch_size, snapshot_id, everything),
        )
        if not everything:
            targets = plan_targets(conn, job_id, snapshot_id, discover)
            conn.execute("UPDATE reanalyse_jobs SET articles = %s WHERE id = %s", (targets, job_id))
        conn.execute(
            load_sql("analysis/reanalyse_plan.sql"),
            {"job_id": job_id, "batch_size": batch_size, "everything": everything},
        )
    return int(job_id)


def pending_batches(db_url: str, job_id: int) -> list[tuple[int, int]]:
    """(first_id, articles) of the job's batches not yet done, in id order."""
    with connect(db_url) as conn:
        rows = conn.execute(
            "SELECT first_id, articles FROM reanalyse_batches"
            " WHERE job_id = %s AND done_at IS NULL ORDER BY first_id",
            (job_id,),
        ).fetchall()
    return [(int(first), int(n)) for first, n in rows]


def job_totals(db_url: str, job_id: int) -> tuple[int, int]:
    """(articles in the job, articles already done)."""
    with connect(db_url) as conn:
        total, done = one_row(
            conn,
            "SELECT COALESCE(sum(articles), 0), COALESCE(sum(articles)"
            " FILTER (WHERE done_at IS NOT NULL), 0) FROM reanalyse_batches WHERE job_id = %s",
            (job_id,),
        )
    return int(total), int(done)


def stored_articles(db_url: str) -> int:
    """How many articles the warehouse holds."""
    with connect(db_url) as conn:
        (n,) = one_row(conn, "SELECT count(*) FROM articles")
    return int(n)


def run_batch(db_url: str, job_id: int, first_id: int) -> BatchResult:
    """Analyse one batch and mark it done, in one transaction (a no-op once done)."""
    with connect(db_url) as conn:
        row = conn.execute(
            "SELECT b.last_id, b.done_at IS NOT NULL, j.discover, j.everything"
            " FROM reanalyse_batches b"
            " JOIN reanalyse_jobs j ON j.id = b.job_id"
            " WHERE b.job_id = %s AND b.first_id = %s FOR UPDATE OF b",
            (job_id, first_id),
        ).fetchone()
        if row is None:
            raise LookupError(f"reanalyse job {job_id} has no batch starting at {first_id}")
        last_id, done, discover, everything = row
        if done:
            return BatchResult(0, 0, 0, skipped=True)
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT id FROM articles a WHERE id BETWEEN %s AND %s AND (%s OR EXISTS"
                " (SELECT 1 FROM reanalyse_targets t WHERE t.job_id = %s AND t.article_id = a.id))"
                " ORDER BY id",
                (first_id, last_id, everything, job_id),
            )
        ]
        mentions, quotes = analyse_articles(conn, ids, discover=discover)
        conn.execute(
            "UPDATE reanalyse_batches SET done_at = now(), mentions = %s, quotes = %s"
            " WHERE job_id = %s AND first_id = %s",
            (mentions, quotes, job_id, first_id),
        )
    return BatchResult(len(ids), mentions, quotes)


def run_batches(db_url: str, job_id: int, first_ids: Iterable[int]) -> BatchResult:
    """Run several batches one after another (an Airflow mapped task's share)."""
    articles = mentions = quotes = 0
    for first_id in first_ids:
        r = run_batch(db_url, job_id, first_id)
        articles, mentions, quotes = articles + r.articles, mentions + r.mentions, quotes + r.quotes
    return BatchResult(articles, mentions, quotes)


def shares(db_url: str, job_id: int, parts: int) -> list[list[int]]:
    """The job's pending batches (their first ids) dealt into at most `parts` shares of
    about equal articles, one per Airflow mapped task."""
    if parts < 1:
        raise ValueError("parts must be positive")
    dealt: list[list[int]] = [[] for _ in range(parts)]
    for i, (first_id, _n) in enumerate(pending_batches(db_url, job_id)):
        dealt[i % parts].append(first_id)
    return [share for share in dealt if share]


def finish_job(db_url: str, job_id: int) -> bool:
    """Close the job when every batch is done; returns whether it is."""
    with connect(db_url) as conn:
        closed = conn.execute(
            "UPDATE reanalyse_jobs SET finished_at = now() WHERE id = %s AND finished_at IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM reanalyse_batches WHERE job_id = %s"
            " AND done_at IS NULL) RETURNING 1",
            (job_id, job_id),
        ).fetchone()
    return closed is not None


class Progress:
    """A one-line progress bar: done / total, rate and time left, redrawn every 0.5 s on
    a terminal; written to a log or pipe as a new line every 10 s at most."""

    def __init__(self, total: int, done: int, stream: TextIO | None) -> None:
        self.total, self.done, self.stream = total, done, stream
        self.start_done, self.t0, self.shown = done, time.monotonic(), 0.0
        self.shown_done = -1

    def advance(self, articles: int, *, final: bool = False) -> None:
        self.done += articles
        now = time.monotonic()
        if self.stream is None:
            return
        if not final and now - self.shown < (0.5 if self.stream.isatty() else 10.0):
            return
        if final and self.shown_done == self.done and not self.stream.isatty():
            return  # the line is already out
        self.shown, self.shown_done = now, self.done
        rate = (self.done - self.start_done) / max(now - self.t0, 1e-9)
        left = (self.total - self.done) / rate if rate > 0 else float("inf")
        share = self.done / self.total if self.total else 1.0
        bar = "#" * int(share * 30)
        eta = "?" if left == float("inf") else f"{int(left) // 60}m{int(left) % 60:02d}s"
        end = "\n" if final or not self.stream.isatty() else ""
        self.stream.write(
            f"\rreanalyse [{bar:<30}] {self.done:,}/{self.total:,} articles"
            f" {rate:,.0f}/s, {eta} left{end}"
        )
        self.stream.flush()


def _run_pool(
    db_url: str,
    job_id: int,
    batches: Sequence[tuple[int, int]],
    workers: int,
    on_done: Callable[[BatchResult], None],
) -> None:
    # A small incremental job: no more worker processes (each loads the models) than batches.
    workers = min(workers, len(batches))
    if workers <= 1:
        for first_id, _n in batches:
            on_done(run_batch(db_url, job_id, first_id))
        return
    with process_pool(workers) as pool:
        futures = [pool.submit(run_batch, db_url, job_id, first) for first, _n in batches]
        for future in as_completed(futures):
            on_done(future.result())


def reanalyse(
    db_url: str,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    workers: int | None = None,
    discover: bool = True,
    restart: bool = False,
    progress: TextIO | None = None,
    refresh: bool = True,
    everything: bool = False,
) -> ReanalyseSummary:
    """Re-analyse the articles the knowledge base changes may affect, or every article
    when `everything` (resuming an unfinished job), then refresh the views."""
    t0 = time.perf_counter()
    job_id = plan_job(
        db_url, batch_size=batch_size, discover=discover, restart=restart, everything=everything
    )
    total, done = job_totals(db_url, job_id)
    stored = stored_articles(db_url)
    plan_seconds = time.perf_counter() - t0
    batches = pending_batches(db_url, job_id)
    bar = Progress(total, done, progress)
    counts = [0, 0, 0]

    def on_done(r: BatchResult) -> None:
        counts[0] += r.articles
        counts[1] += r.mentions
        counts[2] += r.quotes
        bar.advance(r.articles)

    _run_pool(db_url, job_id, batches, workers or os.cpu_count() or 1, on_done)
    bar.advance(0, final=True)
    finish_job(db_url, job_id)
    if refresh:
        refresh_views(db_url)
    seconds = time.perf_counter() - t0
    log.info("reanalyse job %d: %d articles in %.1f s", job_id, counts[0], seconds)
    return ReanalyseSummary(
        job_id,
        counts[0],
        len(batches),
        done,
        counts[1],
        counts[2],
        seconds,
        total,
        stored,
        plan_seconds,
    )
