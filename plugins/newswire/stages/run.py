"""A whole run: begin, the stages in order, finish or fail; and the offline reparse."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from newswire import runs
from newswire.analysis.store import refresh_views
from newswire.config import REPARSE_DAG_ID, RuntimeSettings, Settings
from newswire.db import connect, load_sql
from newswire.models import Window
from newswire.stages.discover import discover_stage
from newswire.stages.fetch import FetchBlocked, fetch_stage
from newswire.stages.load import load_stage
from newswire.stages.parse import parse_stage
from newswire.states import RunArticleStatus as S
from newswire.timing import stage_timer

log = logging.getLogger(__name__)

ARCHIVE_BASE_URL = "archive:raw_responses"


@stage_timer("start_run")
def begin(
    db_url: str,
    settings: Settings,
    window: Window,
    *,
    dag_id: str | None = None,
    dag_run_id: str | None = None,
    owner: str | None = None,
) -> int:
    """Open the run's row. Its owner: `owner`, else NEWSWIRE_RUN_OWNER (set by the CLI
    for the Airflow child it waits on); scheduled runs have none."""
    settings.require_contact()
    owner = owner or RuntimeSettings.from_env().run_owner
    with connect(db_url) as conn:
        run_id = runs.start_run(
            conn,
            window,
            settings.base_url,
            dag_id=dag_id,
            dag_run_id=dag_run_id,
            source=settings.source,
            owner=owner,
        )
    log.info("ingest run %d for window %s against %s", run_id, window, settings.base_url)
    return run_id


@stage_timer("summarise")
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
    run_id = begin(db_url, settings, window, dag_id=dag_id, owner=runs.current_owner())
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
            "DELETE FROM run_articles WHERE ingest_run_id = %s AND status <> %s",
            (run_id, S.LOADED),
        )
        candidates = conn.execute(
            load_sql("pipeline/reparse_candidates.sql"), {"since": since, "until": until}
        ).fetchall()
        with conn.cursor() as cur:
            cur.executemany(
                load_sql("pipeline/add_run_article.sql"),
                [_archived_article(run_id, row) for row in candidates],
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


def _archived_article(run_id: int, row: tuple[Any, ...]) -> dict[str, Any]:
    """A reparse candidate (sql/pipeline/reparse_candidates.sql) as a run_articles row."""
    source, external_id, url, section, published_at, modified_at, _, raw_id = row[:8]
    return {
        "run_id": run_id,
        "source": source,
        "external_id": external_id,
        "url": url,
        "section": section,
        "published_at": published_at,
        "modified_at": modified_at,
        "found_in": "archive",
        "status": S.FETCHED,
        "raw_response_id": raw_id,
    }


def utc_now() -> datetime:
    return datetime.now(UTC)
