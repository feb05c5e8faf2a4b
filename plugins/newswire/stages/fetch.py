"""Fetch stage: download the run's discovered articles politely and archive every answer.

What an answer means for the run (statuses, quarantine, the block message) lives in
`fetch_records`; this module is the work list and the concurrent attempt.

`fetch_stage` reads the work list and hands it to a `FetchAttempt`, whose fetchers, writer
and block watcher run side by side on one event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import psycopg

from newswire import runs
from newswire.archive import PreparedResponse, prepare, validators_for_run
from newswire.breaker import CircuitBreaker, CircuitOpen
from newswire.config import Settings
from newswire.db import connect, load_sql, one_row
from newswire.fetch import PoliteFetcher, Validators
from newswire.models import ArticleRef
from newswire.stages.counts import StageCounts
from newswire.stages.fetch_records import (
    FetchBlocked,
    block_reason,
    breaker_message,
    record_fetches,
)
from newswire.states import ANSWERED, RunArticleStatus, pending_fetch_values

log = logging.getLogger(__name__)

WRITE_BATCH = 100
# Threads that gzip pages for the archive while the event loop keeps fetching.
COMPRESS_THREADS = 2
# How often a fetch batch looks for a block recorded by another batch of its run.
BLOCK_POLL_SECONDS = 0.5

S = RunArticleStatus
WorkItem = tuple[ArticleRef, "asyncio.Future[PreparedResponse]"]


def _fetch_url(settings: Settings, section: str, external_id: int) -> str:
    return f"{settings.base_url}/{section}/{external_id}"


class FetchAttempt:
    """One attempt at fetching a work list: fetchers, one archive writer, a block watcher.

    Fetchers take articles in id order and hand each page to a thread pool that compresses
    it; the writer archives them in batches; the watcher shares this attempt's block with
    the other batches of the run and stops this one when another records a block. The
    bounded queue keeps memory flat (a slow database slows the fetchers rather than piling
    up pages), and compression and writes run in threads so the event loop keeps the
    connections to the site busy meanwhile.
    """

    def __init__(
        self,
        settings: Settings,
        run_id: int,
        todo: Sequence[ArticleRef],
        validators: dict[tuple[str, int], Validators],
        started: datetime,
    ) -> None:
        self.settings = settings
        self.run_id = run_id
        self.todo = list(todo)
        self.validators = validators
        self.started = started
        self.breaker = CircuitBreaker(settings.host)
        self.outcome: Counter[RunArticleStatus] = Counter()
        self._fetching_done = False

    def run(self, db_url: str) -> None:
        """Fetch everything (or until blocked) and leave the run's block state right."""
        with connect(db_url) as conn, connect(db_url, autocommit=True) as watch_conn:
            asyncio.run(self._run(conn, watch_conn))
            if self.breaker.is_open and self.breaker.tripped_by is None:
                # Also when the breaker opened too late for the watcher: the run must know.
                reason = block_reason(self.settings, self.breaker)
                runs.record_block(watch_conn, self.run_id, reason)
            elif sum(self.outcome[status] for status in ANSWERED):
                # This attempt got usable answers: a block recorded before it started is over.
                runs.clear_block_before(watch_conn, self.run_id, self.started)

    @property
    def left(self) -> int:
        """Articles of the work list never requested (the breaker stopped the attempt)."""
        return len(self.todo) - sum(self.outcome.values())

    async def _run(self, conn: psycopg.Connection, watch_conn: psycopg.Connection) -> None:
        self._wake = asyncio.Event()  # the breaker opened, or fetching is over
        self.breaker.on_open = lambda _: self._wake.set()
        self._queue: asyncio.Queue[WorkItem | None] = asyncio.Queue(
            maxsize=max(2 * WRITE_BATCH, self.settings.concurrency * 4)
        )
        self._pending = iter(self.todo)
        self._compressors = ThreadPoolExecutor(COMPRESS_THREADS, thread_name_prefix="gzip")
        try:
            async with (
                PoliteFetcher(self.settings, breaker=self.breaker) as fetcher,
                asyncio.TaskGroup() as group,
            ):
                group.create_task(self._write_all(conn))
                group.create_task(self._fetch_all(fetcher))
                group.create_task(self._watch(watch_conn))
        except ExceptionGroup as failure:  # surface the real error (e.g. the database)
            raise failure.exceptions[0] from None
        finally:
            self._compressors.shutdown(wait=True, cancel_futures=True)

    async def _fetch_all(self, fetcher: PoliteFetcher) -> None:
        try:
            workers = (self._fetch_some(fetcher) for _ in range(self.settings.concurrency))
            await asyncio.gather(*workers)
        finally:
            self._fetching_done = True
            self._wake.set()
        await self._queue.put(None)

    async def _fetch_some(self, fetcher: PoliteFetcher) -> None:
        """One fetcher: takes the next article from the shared iterator until none is left."""
        loop = asyncio.get_running_loop()
        for ref in self._pending:
            known = self.validators.get((ref.source, ref.external_id))
            url = _fetch_url(self.settings, ref.section, ref.external_id)
            try:
                page = await fetcher.get(url, validators=known)
            except CircuitOpen:
                return  # the rest stay pending for the re-run
            await self._queue.put((ref, loop.run_in_executor(self._compressors, prepare, page)))

    async def _write_all(self, conn: psycopg.Connection) -> None:
        """Archive what the fetchers queue, in batches of whatever is ready (≤ WRITE_BATCH)."""
        done = False
        while not done:
            batch: list[WorkItem] = []
            item = await self._queue.get()
            while item is not None:
                batch.append(item)
                if self._queue.empty() or len(batch) >= WRITE_BATCH:
                    break
                item = self._queue.get_nowait()
            done = item is None
            if batch:
                ready = [(ref, await future) for ref, future in batch]
                await asyncio.to_thread(self._write, conn, ready)

    def _write(
        self, conn: psycopg.Connection, batch: list[tuple[ArticleRef, PreparedResponse]]
    ) -> None:
        statuses = record_fetches(conn, self.run_id, batch)
        for (ref, item), status in zip(batch, statuses, strict=True):
            self.outcome[status] += 1
            if status not in (S.FETCHED, S.NOT_MODIFIED):
                page = item.page
                log.warning("article %s: %s", ref.external_id, page.error or f"HTTP {page.status}")
        conn.commit()

    async def _watch(self, watch_conn: psycopg.Connection) -> None:
        """Share this attempt's block at once; stop when another batch records one."""
        recorded = False
        while not self._fetching_done:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(BLOCK_POLL_SECONDS):
                    await self._wake.wait()
            self._wake.clear()
            if self.breaker.is_open and self.breaker.tripped_by is None and not recorded:
                reason = block_reason(self.settings, self.breaker)
                await asyncio.to_thread(runs.record_block, watch_conn, self.run_id, reason)
                recorded = True
            elif not self.breaker.is_open and not self._fetching_done:
                found = await asyncio.to_thread(
                    runs.block_since, watch_conn, self.run_id, self.started
                )
                if found is not None:
                    self.breaker.trip(found)


def fetch_stage(
    db_url: str,
    settings: Settings,
    run_id: int,
    *,
    only_ids: Sequence[int] | None = None,
    honour_earlier_block: bool = False,
) -> StageCounts:
    """Fetch every article of the run still waiting for a request.

    `only_ids` limits the work to one batch of external ids (Airflow maps fetch over
    batches); articles of the batch already fetched are skipped, so a retry resumes, and
    articles whose fetch failed (refused, timed out) are tried again. Articles stored
    before are asked for with a conditional GET.

    The decision that the host is blocking us is shared by every batch of the run through
    `ingest_runs`: when this batch's breaker opens it is recorded at once, and a block
    another batch records while this one runs stops this one too. A block recorded before
    this call stops it before any request only with `honour_earlier_block` (the first try
    of a mapped batch); otherwise the call is a deliberate new attempt and probes the site.
    Raises FetchBlocked when stopped, after recording everything fetched until then.
    """
    with connect(db_url) as conn:
        (started,) = one_row(conn, "SELECT now()")
        runs.mark_fetch_started(conn, run_id)
        todo = pending_articles(conn, run_id, only_ids)
        validators = validators_for_run(conn, run_id)
        earlier_block = runs.block_since(conn, run_id, None) if honour_earlier_block else None
    if earlier_block is not None and todo:
        log.error("run %d: fetching not started, the run is blocked: %s", run_id, earlier_block)
        raise FetchBlocked(
            f"Fetching not started: an earlier fetch batch of this run found {settings.host}"
            f" blocking us; {len(todo)} articles were not requested. The block: {earlier_block}"
        )
    log.info(
        "run %d: %d article pages to fetch (%d with a conditional GET)",
        run_id,
        len(todo),
        sum(1 for ref in todo if (ref.source, ref.external_id) in validators),
    )
    attempt = FetchAttempt(settings, run_id, todo, validators, started)
    attempt.run(db_url)
    outcome = attempt.outcome
    log.info("run %d: fetch outcome %s", run_id, dict(outcome))
    if attempt.breaker.is_open:
        fetched = outcome[S.FETCHED]
        raise FetchBlocked(breaker_message(settings, attempt.breaker, fetched, attempt.left))
    return StageCounts(
        run_id,
        done=outcome[S.FETCHED],
        failed=outcome[S.FETCH_FAILED] + outcome[S.GONE],
        skipped=outcome[S.SKIPPED] + outcome[S.NOT_MODIFIED],
    )


def pending_articles(
    conn: psycopg.Connection, run_id: int, only_ids: Sequence[int] | None = None
) -> list[ArticleRef]:
    """The run's articles waiting for a request (states.PENDING_FETCH), in id order."""
    params = {
        "run_id": run_id,
        "pending": pending_fetch_values(),
        "only_ids": None if only_ids is None else list(only_ids),
    }
    return [ArticleRef(*row) for row in conn.execute(load_sql("pipeline/fetch_todo.sql"), params)]


__all__ = ["FetchAttempt", "FetchBlocked", "fetch_stage", "pending_articles"]
