"""The stages of an ingestion run, each resumable and keyed by the run's id.

Stages hand work to each other through warehouse tables (`run_articles`,
`raw_responses`, `staged_articles`), so a retried task picks up where it stopped and
XCom only ever carries ids and counts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from newswire import quarantine, runs
from newswire.analysis.store import analyse_articles, index_search, refresh_views
from newswire.archive import (
    PreparedResponse,
    prepare,
    read_body,
    store_prepared,
    validators_for_run,
)
from newswire.config import Settings
from newswire.db import connect, load_sql
from newswire.fetch import CircuitBreaker, CircuitOpen, PoliteFetcher, Validators
from newswire.models import (
    ArticleRef,
    DiscoveryResult,
    ExtractionError,
    FetchedPage,
    ParsedArticle,
    Window,
)
from newswire.parse import parse_article
from newswire.sources import DiscoveryContext, source_for

log = logging.getLogger(__name__)

GONE_STATUS = frozenset({404, 410})
REPARSE_DAG_ID = "tass_reparse"
ARCHIVE_BASE_URL = "archive:raw_responses"
PARSE_BATCH = 50
WRITE_BATCH = 100
# Threads that gzip pages for the archive while the event loop keeps fetching.
COMPRESS_THREADS = 2
# How often a fetch batch looks for a block recorded by another batch of its run.
BLOCK_POLL_SECONDS = 0.5


@dataclass(frozen=True)
class StageCounts:
    """Small, XCom-friendly result of one stage."""

    run_id: int
    done: int
    failed: int = 0
    skipped: int = 0


def begin(
    db_url: str,
    settings: Settings,
    window: Window,
    *,
    dag_id: str | None = None,
    dag_run_id: str | None = None,
) -> int:
    with connect(db_url) as conn:
        run_id = runs.start_run(
            conn,
            window,
            settings.base_url,
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            source=settings.source,
        )
    log.info("ingest run %d for window %s against %s", run_id, window, settings.base_url)
    return run_id


def discover_stage(db_url: str, settings: Settings, run_id: int) -> StageCounts:
    with connect(db_url) as conn:
        window = runs.run_window(conn, run_id)

    async def go() -> DiscoveryResult:
        async with PoliteFetcher(settings) as fetcher:
            # The source's own way of finding articles (feeds, sitemaps, listing APIs).
            context = DiscoveryContext(settings, window, fetcher, db_url, run_id)
            return await source_for(settings).discover(context)

    result = asyncio.run(go())
    refs = result.refs
    with connect(db_url) as conn, conn.cursor() as cur:
        # Set, not added: a retried discover task recomputes the same figure.
        cur.execute(
            "UPDATE ingest_runs SET discovery_skipped = %s WHERE id = %s",
            (result.skipped_off_host + result.skipped_robots, run_id),
        )
        cur.executemany(
            "INSERT INTO run_articles (ingest_run_id, source, external_id, url, section,"
            " feed_published_at, feed_modified_at, found_in)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [
                (
                    run_id,
                    r.source,
                    r.external_id,
                    r.url,
                    r.section,
                    r.published_at,
                    r.modified_at,
                    r.found_in,
                )
                for r in refs
            ],
        )
    return StageCounts(run_id, done=len(refs))


def _fetch_url(settings: Settings, section: str, external_id: int) -> str:
    return f"{settings.base_url}/{section}/{external_id}"


class FetchBlocked(RuntimeError):
    """The site kept refusing us and the circuit breaker stopped the fetch stage.

    The message is written for the operator: what happened, how many, what to do.
    """


def _fetch_outcome(page: FetchedPage) -> tuple[str, str | None]:
    """The run_articles status and error a response leads to."""
    if page.status == 200:
        return "fetched", None
    if page.status == 304:
        return "not_modified", None
    if page.status in GONE_STATUS:
        return "gone", f"HTTP {page.status}"
    if 300 <= page.status < 400:
        return "skipped", page.error or f"HTTP {page.status} redirect not followed"
    return "fetch_failed", None  # the error comes with the quarantine reason


def _record_fetches(
    conn: psycopg.Connection, run_id: int, batch: Sequence[tuple[ArticleRef, PreparedResponse]]
) -> list[str]:
    """Archive a batch of responses and move its articles on, in a few round trips.

    A bad answer never touches `articles`: it is archived, and quarantined with its reason.
    """
    answered = [item for _, item in batch if item.page.status]
    raw_ids = iter(store_prepared(conn, answered))
    statuses: list[str] = []
    rows: list[tuple[int, str, int | None, str | None, int]] = []
    for ref, item in batch:
        page = item.page
        raw_id = next(raw_ids) if page.status else None
        status, error = _fetch_outcome(page)
        if status == "not_modified":
            quarantine.clear(conn, ref.source, ref.external_id)
        elif status == "fetch_failed":
            reason, error = quarantine.fetch_failure(page)
            quarantine.put(
                conn,
                source=ref.source,
                external_id=ref.external_id,
                url=ref.url,
                reason=reason.value,
                detail=error,
                raw_response_id=raw_id,
                seen_at=page.fetched_at,
            )
        statuses.append(status)
        rows.append((ref.external_id, status, raw_id, error, page.attempts))
    sources = {ref.source for ref, _ in batch}
    for source in sources:  # one statement per source (there is one in practice)
        mine = [row for (ref, _), row in zip(batch, rows, strict=True) if ref.source == source]
        conn.execute(
            "UPDATE run_articles ra SET status = u.status, raw_response_id = u.raw_id,"
            " error = u.error, attempts = u.attempts"
            " FROM unnest(%s::bigint[], %s::text[], %s::bigint[], %s::text[], %s::int[])"
            " AS u(external_id, status, raw_id, error, attempts)"
            " WHERE ra.ingest_run_id = %s AND ra.source = %s AND ra.external_id = u.external_id",
            (*(list(column) for column in zip(*mine, strict=True)), run_id, source),
        )
    return statuses


def _block_reason(settings: Settings, breaker: CircuitBreaker) -> str:
    """What the run records and the quality gate repeats when the host blocks us."""
    return (
        f"{settings.host} kept refusing article requests ({breaker.describe()}), so the "
        "circuit breaker stopped fetching for this run. "
        "What to do: look at the refused responses (raw_responses, or `newswire quarantine`); "
        "wait before trying again and check TASS_USER_AGENT, TASS_REQUEST_INTERVAL and "
        "TASS_CONCURRENCY; then re-run the failed fetch task (or the same window): it "
        "requests only the articles still missing, and parse and load take in everything "
        "fetched. `newswire reparse` turns archived pages into articles without the network."
    )


def _breaker_message(settings: Settings, breaker: CircuitBreaker, fetched: int, left: int) -> str:
    counts = (
        f"{fetched} article pages fetched before the stop are kept in the raw archive; "
        f"{left} articles were not requested."
    )
    if breaker.tripped_by is not None:
        return (
            f"Fetching stopped: another fetch batch of this run found {settings.host} "
            f"blocking us. {counts} The block: {breaker.tripped_by}"
        )
    head, what_to_do = _block_reason(settings, breaker).split(" What to do: ", 1)
    return f"{head} {counts} What to do: {what_to_do}"


def fetch_stage(
    db_url: str,
    settings: Settings,
    run_id: int,
    *,
    only_ids: Sequence[int] | None = None,
    honour_earlier_block: bool = False,
) -> StageCounts:
    """Fetch every discovered article of the run that has not been fetched yet.

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
        started = conn.execute("SELECT now()").fetchone()[0]
        runs.mark_fetch_started(conn, run_id)
        todo = [
            ArticleRef(*row)
            for row in conn.execute(
                "SELECT source, external_id, url, section FROM run_articles"
                " WHERE ingest_run_id = %s AND status IN ('discovered', 'fetch_failed')"
                " AND (%s::bigint[] IS NULL OR external_id = ANY(%s::bigint[]))"
                " ORDER BY external_id",
                (
                    run_id,
                    None if only_ids is None else list(only_ids),
                    None if only_ids is None else list(only_ids),
                ),
            )
        ]
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
    outcome = {"fetched": 0, "not_modified": 0, "gone": 0, "skipped": 0, "fetch_failed": 0}
    breaker = CircuitBreaker(settings.host)

    def write(conn: psycopg.Connection, batch: list[tuple[ArticleRef, PreparedResponse]]) -> None:
        for (ref, item), status in zip(batch, _record_fetches(conn, run_id, batch), strict=True):
            outcome[status] += 1
            if status not in ("fetched", "not_modified"):
                page = item.page
                log.warning("article %s: %s", ref.external_id, page.error or f"HTTP {page.status}")
        conn.commit()

    async def go(conn: psycopg.Connection, watch_conn: psycopg.Connection) -> None:
        """Fetchers take articles in id order, a thread pool compresses each page, and
        one writer archives them in batches while a watcher shares the block decision.

        The bounded queue keeps memory flat (a slow database slows the fetchers rather
        than piling up pages); compression and writes run in threads so the event loop
        keeps the connections to the site busy meanwhile.
        """
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()  # the breaker opened, or fetching is over
        fetching_done = False
        breaker.on_open = lambda _: wake.set()
        queue: asyncio.Queue[tuple[ArticleRef, asyncio.Future[PreparedResponse]] | None] = (
            asyncio.Queue(maxsize=max(2 * WRITE_BATCH, settings.concurrency * 4))
        )
        pending = iter(todo)
        compressors = ThreadPoolExecutor(max_workers=COMPRESS_THREADS, thread_name_prefix="gzip")

        async with PoliteFetcher(settings, breaker=breaker) as fetcher:

            async def fetcher_worker() -> None:
                for ref in pending:  # shared: each article is taken by one worker
                    known: Validators | None = validators.get((ref.source, ref.external_id))
                    url = _fetch_url(settings, ref.section, ref.external_id)
                    try:
                        page = await fetcher.get(url, validators=known)
                    except CircuitOpen:
                        return  # the rest stay 'discovered' for the re-run
                    await queue.put((ref, loop.run_in_executor(compressors, prepare, page)))

            async def fetch_then_close() -> None:
                nonlocal fetching_done
                try:
                    await asyncio.gather(*(fetcher_worker() for _ in range(settings.concurrency)))
                finally:
                    fetching_done = True
                    wake.set()
                await queue.put(None)

            async def writer() -> None:
                done = False
                while not done:
                    batch = []
                    item = await queue.get()
                    while item is not None:
                        batch.append(item)
                        if queue.empty() or len(batch) >= WRITE_BATCH:
                            break
                        item = queue.get_nowait()
                    done = item is None
                    if batch:
                        ready = [(ref, await future) for ref, future in batch]
                        await asyncio.to_thread(write, conn, ready)

            async def watcher() -> None:
                """Share this batch's block at once; stop when another batch records one."""
                recorded = False
                while not fetching_done:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(BLOCK_POLL_SECONDS):
                            await wake.wait()
                    wake.clear()
                    if breaker.is_open and breaker.tripped_by is None and not recorded:
                        reason = _block_reason(settings, breaker)
                        await asyncio.to_thread(runs.record_block, watch_conn, run_id, reason)
                        recorded = True
                    elif not breaker.is_open and not fetching_done:
                        reason = await asyncio.to_thread(
                            runs.block_since, watch_conn, run_id, started
                        )
                        if reason is not None:
                            breaker.trip(reason)

            try:
                async with asyncio.TaskGroup() as group:
                    group.create_task(writer())
                    group.create_task(fetch_then_close())
                    group.create_task(watcher())
            except ExceptionGroup as failure:  # surface the real error (e.g. the database)
                raise failure.exceptions[0] from None
            finally:
                compressors.shutdown(wait=True, cancel_futures=True)

    with connect(db_url) as conn, connect(db_url, autocommit=True) as watch_conn:
        asyncio.run(go(conn, watch_conn))
        if breaker.is_open and breaker.tripped_by is None:
            # Also when the breaker opened too late for the watcher: the run must know.
            runs.record_block(watch_conn, run_id, _block_reason(settings, breaker))
        elif outcome["fetched"] + outcome["not_modified"] + outcome["gone"]:
            # This attempt got usable answers: a block recorded before it started is over.
            runs.clear_block_before(watch_conn, run_id, started)
    log.info("run %d: fetch outcome %s", run_id, outcome)
    if breaker.is_open:
        left = len(todo) - sum(outcome.values())
        raise FetchBlocked(_breaker_message(settings, breaker, outcome["fetched"], left))
    return StageCounts(
        run_id,
        done=outcome["fetched"],
        failed=outcome["fetch_failed"] + outcome["gone"],
        skipped=outcome["skipped"] + outcome["not_modified"],
    )


def _stage_article(
    conn: psycopg.Connection, run_id: int, article: ParsedArticle, raw_id: int, fetched_at: datetime
) -> None:
    conn.execute(
        "INSERT INTO staged_articles (ingest_run_id, source, external_id, url, section, headline,"
        " lead, dateline, published_at, modified_at, body, language, content_hash,"
        " extraction_method, parser_version, raw_response_id, fetched_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (ingest_run_id, source, external_id) DO NOTHING",
        (
            run_id,
            article.source,
            article.external_id,
            article.url,
            article.section,
            article.headline,
            article.lead,
            article.dateline,
            article.published_at,
            article.modified_at,
            article.body,
            article.language,
            article.content_hash,
            article.extraction_method,
            article.parser_version,
            raw_id,
            fetched_at,
        ),
    )
    quarantine.clear(conn, article.source, article.external_id)


def parse_stage(db_url: str, run_id: int) -> StageCounts:
    """Parse the archived responses of the run into staged articles; failures quarantined."""
    parsed = failed = 0
    with connect(db_url) as conn:
        pending = [
            row[0]
            for row in conn.execute(
                "SELECT external_id FROM run_articles WHERE ingest_run_id = %s"
                " AND status = 'fetched' ORDER BY external_id",
                (run_id,),
            )
        ]
        for start in range(0, len(pending), PARSE_BATCH):
            batch = pending[start : start + PARSE_BATCH]
            rows = conn.execute(
                "SELECT ra.source, ra.external_id, ra.url, ra.section, ra.feed_published_at,"
                " ra.feed_modified_at, ra.found_in, r.id, r.body_gzip, r.fetched_at"
                " FROM run_articles ra JOIN raw_responses r ON r.id = ra.raw_response_id"
                " WHERE ra.ingest_run_id = %s AND ra.external_id = ANY(%s)"
                " AND ra.status = 'fetched'",
                (run_id, batch),
            ).fetchall()
            for source, ext_id, url, section, pub, mod, found_in, raw_id, body, fetched_at in rows:
                ref = ArticleRef(source, ext_id, url, section, pub, mod, found_in)
                try:
                    article = parse_article(read_body(body), ref)
                except ExtractionError as exc:
                    failed += 1
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
                    status, error = "parse_failed", str(exc)
                else:
                    parsed += 1
                    _stage_article(conn, run_id, article, raw_id, fetched_at)
                    status, error = "parsed", None
                conn.execute(
                    "UPDATE run_articles SET status = %s, error = %s WHERE ingest_run_id = %s"
                    " AND source = %s AND external_id = %s",
                    (status, error, run_id, source, ext_id),
                )
            conn.commit()
    log.info("run %d: %d parsed, %d quarantined", run_id, parsed, failed)
    return StageCounts(run_id, done=parsed, failed=failed)


@dataclass(frozen=True)
class LoadCounts:
    run_id: int
    inserted: int
    updated: int
    unchanged: int


def load_stage(db_url: str, run_id: int) -> LoadCounts:
    """Merge the run's staged articles into `articles` in one transaction."""
    with connect(db_url) as conn:
        staged = conn.execute(
            "SELECT count(*) FROM staged_articles WHERE ingest_run_id = %s", (run_id,)
        ).fetchone()[0]
        inserted, updated, changed_ids, _revisions = conn.execute(
            load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
        ).fetchone()
        # Also articles stored before entity extraction existed (or with no mention at all):
        # re-running a window then fills in what an older warehouse lacks.
        never_analysed = [
            row[0]
            for row in conn.execute(
                "SELECT a.id FROM staged_articles s JOIN articles a USING (source, external_id)"
                " WHERE s.ingest_run_id = %s AND NOT EXISTS"
                " (SELECT 1 FROM article_mentions m WHERE m.article_id = a.id)",
                (run_id,),
            )
        ]
        mentions, quotes = analyse_articles(conn, sorted({*changed_ids, *never_analysed}))
        log.info("run %d: %d entity mentions, %d quotes recorded", run_id, mentions, quotes)
        # Same transaction: an article is searchable as soon as the load commits.
        documents = index_search(conn, run_id)
        log.info("run %d: %d search documents written", run_id, documents)
        conn.execute(
            "UPDATE run_articles SET status = 'loaded' WHERE ingest_run_id = %s"
            " AND status = 'parsed'",
            (run_id,),
        )
        conn.execute("DELETE FROM staged_articles WHERE ingest_run_id = %s", (run_id,))
        unchanged = staged - inserted - updated
        runs.add_load_counts(conn, run_id, inserted, updated, unchanged)
    log.info("run %d: %d inserted, %d updated, %d unchanged", run_id, inserted, updated, unchanged)
    return LoadCounts(run_id, inserted, updated, unchanged)


def finish(db_url: str, run_id: int) -> runs.RunSummary:
    with connect(db_url) as conn:
        summary = runs.finish_run(conn, run_id)
    log.info("%s", summary)
    return summary


def fail(db_url: str, run_id: int, message: str) -> runs.RunSummary:
    with connect(db_url) as conn:
        return runs.fail_run(conn, run_id, message)


def ingest_window(
    db_url: str, settings: Settings, window: Window, *, dag_id: str | None = None
) -> runs.RunSummary:
    """Every stage in this process, in order: the CLI's and the tests' way to run."""
    run_id = begin(db_url, settings, window, dag_id=dag_id)
    try:
        discover_stage(db_url, settings, run_id)
        try:
            fetch_stage(db_url, settings, run_id)
        except FetchBlocked as blocked:
            # What was fetched before the breaker opened still becomes articles.
            parse_stage(db_url, run_id)
            load_stage(db_url, run_id)
            refresh_views(db_url)
            fail(db_url, run_id, str(blocked))
            raise
        parse_stage(db_url, run_id)
        load_stage(db_url, run_id)
        refresh_views(db_url)  # analysts read what this run loaded
    except FetchBlocked:
        raise
    except Exception as exc:
        fail(db_url, run_id, f"{type(exc).__name__}: {exc}")
        raise
    return finish(db_url, run_id)


def reparse(
    db_url: str,
    since: datetime | None = None,
    until: datetime | None = None,
    *,
    dag_id: str = REPARSE_DAG_ID,
    dag_run_id: str | None = None,
) -> runs.RunSummary:
    """Re-extract archived pages with the current parser, with no network access.

    Takes each article's latest archived 200 response (all articles, or those published
    in [since, until)) and sends it through the normal parse and load stages under a run
    of its own, so merging, quarantine and counts behave exactly as in an ingest.
    """
    start = since or datetime(1970, 1, 1, tzinfo=UTC)
    end = until or utc_now() + timedelta(days=1)
    window = Window(start, end)  # validates the order of since/until
    with connect(db_url) as conn:
        run_id = runs.start_run(
            conn, window, ARCHIVE_BASE_URL, dag_id=dag_id, dag_run_id=dag_run_id
        )
        conn.execute(
            "DELETE FROM run_articles WHERE ingest_run_id = %s AND status <> 'loaded'", (run_id,)
        )
        candidates = conn.execute(
            load_sql("pipeline/reparse_candidates.sql"), {"since": since, "until": until}
        ).fetchall()
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO run_articles (ingest_run_id, source, external_id, url, section,"
                " feed_published_at, feed_modified_at, found_in, status, raw_response_id,"
                " attempts) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, 'fetched', %s, 0)"
                " ON CONFLICT DO NOTHING",
                [(run_id, *row[:6], "archive", row[7]) for row in candidates],
            )
    log.info("reparse run %d: %d archived pages in %s", run_id, len(candidates), window)
    try:
        parse_stage(db_url, run_id)
        load_stage(db_url, run_id)
        refresh_views(db_url)
    except Exception as exc:
        fail(db_url, run_id, f"{type(exc).__name__}: {exc}")
        raise
    return finish(db_url, run_id)


def utc_now() -> datetime:
    return datetime.now(UTC)
