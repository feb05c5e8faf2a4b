"""The stages of an ingestion run, each resumable and keyed by the run's id.

Stages hand work to each other through warehouse tables (`run_articles`,
`raw_responses`, `staged_articles`), so a retried task picks up where it stopped and
XCom only ever carries ids and counts.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime

import psycopg

from newswire import runs
from newswire.archive import read_body, store_response
from newswire.config import Settings
from newswire.db import connect, load_sql
from newswire.discover import discover
from newswire.fetch import PoliteFetcher
from newswire.models import ArticleRef, ExtractionError, FetchedPage, ParsedArticle, Window
from newswire.parse import parse_article

log = logging.getLogger(__name__)

GONE_STATUS = frozenset({404, 410})
PARSE_BATCH = 50


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
            conn, window, settings.base_url, dag_id=dag_id, dag_run_id=dag_run_id
        )
    log.info("ingest run %d for window %s against %s", run_id, window, settings.base_url)
    return run_id


def discover_stage(db_url: str, settings: Settings, run_id: int) -> StageCounts:
    with connect(db_url) as conn:
        window = runs.run_window(conn, run_id)

    async def go() -> list[ArticleRef]:
        async with PoliteFetcher(settings) as fetcher:
            return (await discover(settings, window, fetcher)).refs

    refs = asyncio.run(go())
    with connect(db_url) as conn, conn.cursor() as cur:
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


def _record_fetch(conn: psycopg.Connection, run_id: int, ref_key: tuple, page: FetchedPage) -> str:
    raw_id = store_response(conn, page) if page.status else None
    if page.status == 200:
        status, error = "fetched", None
    elif page.status in GONE_STATUS:
        status, error = "gone", f"HTTP {page.status}"
    else:
        status, error = "fetch_failed", page.error or f"HTTP {page.status}"
    conn.execute(
        "UPDATE run_articles SET status = %s, raw_response_id = %s, error = %s"
        " WHERE ingest_run_id = %s AND source = %s AND external_id = %s",
        (status, raw_id, error, run_id, *ref_key),
    )
    return status


def fetch_stage(db_url: str, settings: Settings, run_id: int) -> StageCounts:
    """Fetch every discovered article of the run that has not been fetched yet."""
    with connect(db_url) as conn:
        todo = conn.execute(
            "SELECT source, external_id, section FROM run_articles"
            " WHERE ingest_run_id = %s AND status = 'discovered' ORDER BY external_id",
            (run_id,),
        ).fetchall()
    log.info("run %d: %d article pages to fetch", run_id, len(todo))
    outcome = {"fetched": 0, "gone": 0, "fetch_failed": 0}

    async def go(conn: psycopg.Connection) -> None:
        async with PoliteFetcher(settings) as fetcher:

            async def one(source: str, external_id: int, section: str) -> tuple:
                page = await fetcher.get(_fetch_url(settings, section, external_id))
                return (source, external_id), page

            for next_done in asyncio.as_completed([one(*row) for row in todo]):
                key, page = await next_done
                status = _record_fetch(conn, run_id, key, page)
                conn.commit()
                outcome[status] += 1
                if status != "fetched":
                    log.warning("article %s: %s", key[1], page.error or f"HTTP {page.status}")

    with connect(db_url) as conn:
        asyncio.run(go(conn))
    log.info("run %d: fetch outcome %s", run_id, outcome)
    return StageCounts(
        run_id, done=outcome["fetched"], failed=outcome["fetch_failed"] + outcome["gone"]
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
    conn.execute(
        "DELETE FROM quarantine WHERE source = %s AND external_id = %s",
        (article.source, article.external_id),
    )


def _quarantine(
    conn: psycopg.Connection,
    ref: ArticleRef,
    error: ExtractionError,
    raw_id: int,
    seen_at: datetime,
) -> None:
    conn.execute(
        "INSERT INTO quarantine (source, external_id, url, reason, detail, raw_response_id,"
        " first_seen_at, last_seen_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (source, external_id) DO UPDATE SET reason = EXCLUDED.reason,"
        " detail = EXCLUDED.detail, raw_response_id = EXCLUDED.raw_response_id,"
        " last_seen_at = EXCLUDED.last_seen_at, times_seen = quarantine.times_seen + 1",
        (
            ref.source,
            ref.external_id,
            ref.url,
            error.reason.value,
            error.detail,
            raw_id,
            seen_at,
            seen_at,
        ),
    )


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
                    _quarantine(conn, ref, exc, raw_id, fetched_at)
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
        inserted, updated = conn.execute(
            load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
        ).fetchone()
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
        fetch_stage(db_url, settings, run_id)
        parse_stage(db_url, run_id)
        load_stage(db_url, run_id)
    except Exception as exc:
        fail(db_url, run_id, f"{type(exc).__name__}: {exc}")
        raise
    return finish(db_url, run_id)


def utc_now() -> datetime:
    return datetime.now(UTC)
