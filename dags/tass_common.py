"""Airflow-side glue shared by the DAG files: where the warehouse is, failure reporting,
alerts (webhook connection, deadline) and the operator settings read from the environment.

Everything else lives in the `newswire` library, which never imports Airflow.
"""

from __future__ import annotations

import logging
import sys
from datetime import timedelta
from typing import Any

from newswire.config import (
    ALERTS_CONN_ID,
    NEWS_DB_CONN_ID,
    RuntimeSettings,
    Settings,
)
from newswire.db import resolve_db_url

log = logging.getLogger(__name__)

__all__ = ["ALERTS_CONN_ID", "NEWS_DB_CONN_ID"]

DEFAULT_TASK_ARGS = {
    "owner": "newswire",
    # Operators may lower this (tests and `make ingest` runs use 0 to fail fast).
    "retries": RuntimeSettings.from_env().task_retries,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=20),
    "execution_timeout": timedelta(hours=2),
}


def window_params() -> dict[str, Any]:
    """The `since` / `until` params of a DAG that runs over a window (fresh objects per
    DAG): ISO 8601 instants in UTC, both optional, the end exclusive."""
    from airflow.sdk import Param

    return {
        "since": Param(None, type=["null", "string"], description="ISO 8601, UTC, inclusive"),
        "until": Param(None, type=["null", "string"], description="ISO 8601, UTC, exclusive"),
    }


class WarehouseNotConfigured(RuntimeError):
    """A deployed task has no way to reach the warehouse; the message says what to set."""


def warehouse_url() -> str:
    """The Airflow connection `news_db` when defined, else NEWS_DB_URL.

    The embedded Postgres is started only for local commands (`airflow dags test`, i.e.
    `make demo` / `make ingest`): a worker that silently started its own database would
    write articles nobody reads.
    """
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = BaseHook.get_connection(NEWS_DB_CONN_ID)
    except AirflowNotFoundException as exc:  # not defined: fall back
        log.debug("no Airflow connection %s (%s); using NEWS_DB_URL", NEWS_DB_CONN_ID, exc)
        return fallback_warehouse_url(Settings.from_env(), local=running_under_dags_test())
    uri = conn.get_uri()
    return "postgresql://" + uri.split("://", 1)[1]


def fallback_warehouse_url(settings: Settings, *, local: bool) -> str:
    """NEWS_DB_URL; without it the embedded Postgres for a local run, else a clear error."""
    if settings.db_url or local:
        return resolve_db_url(settings)
    raise WarehouseNotConfigured(
        f"no Airflow connection {NEWS_DB_CONN_ID!r} and no NEWS_DB_URL on this worker: define"
        f" the connection (e.g. AIRFLOW_CONN_{NEWS_DB_CONN_ID.upper()}=postgresql://user:pass@"
        "host:5432/news) or NEWS_DB_URL; the embedded Postgres serves local commands only"
    )


def record_task_failure(context: dict) -> None:
    """Marks the run's ingest_runs row failed, naming the task and its error."""
    from newswire import pipeline
    from newswire.db import connect
    from newswire.runs import find_run

    ti = context["ti"]
    dag_run = context["dag_run"]
    error = context.get("exception")
    message = (
        f"task {ti.task_id} failed: {type(error).__name__}: {error}"
        if error
        else (f"task {ti.task_id} failed")
    )
    try:
        db_url = warehouse_url()
        with connect(db_url) as conn:
            run_id = find_run(conn, dag_run.dag_id, dag_run.run_id)
        if run_id is not None:
            pipeline.fail(db_url, run_id, message)
    except Exception:  # reporting must never hide the original failure
        log.exception("could not record the failure in ingest_runs")
    log.error("%s", message)


def max_consecutive_failed_runs() -> int:
    """After this many failed runs in a row Airflow pauses the DAG (0 never pauses)."""
    return RuntimeSettings.from_env().max_consecutive_failed_runs


def max_map_length() -> int:
    from airflow.configuration import conf

    return conf.getint("core", "max_map_length", fallback=1024)


def _webhook_from(conn) -> str | None:  # an airflow Connection
    from newswire.notify import webhook_url

    return webhook_url(conn.conn_type, conn.host, conn.schema, conn.port, conn.extra)


def alert_webhook_url() -> str | None:
    """The webhook of the `newswire_alerts` connection, or None when it is not defined."""
    from airflow.sdk import BaseHook

    try:
        return _webhook_from(BaseHook.get_connection(ALERTS_CONN_ID))
    except Exception as exc:  # not defined, or unreadable: alerts are only logged
        log.debug("no alert connection %s (%s)", ALERTS_CONN_ID, exc)
        return None


async def alert_webhook_url_async() -> str | None:
    from airflow.sdk import BaseHook

    try:
        return _webhook_from(await BaseHook.aget_connection(ALERTS_CONN_ID))
    except Exception as exc:
        log.debug("no alert connection %s (%s)", ALERTS_CONN_ID, exc)
        return None


def notify_task_failure(context: dict) -> bool:
    """Post a `task_failed` alert to the webhook; True when it was delivered."""
    from newswire.notify import send, task_failed_alert

    ti = context["ti"]
    dag_run = context["dag_run"]
    alert = task_failed_alert(dag_run.dag_id, dag_run.run_id, ti.task_id, context.get("exception"))
    try:
        return send(alert_webhook_url(), alert)
    except Exception:  # an alert must never mask the failure it reports
        log.exception("could not send the failure alert")
        return False


def on_task_failure(context: dict) -> None:
    """Every task's failure callback: the ingest_runs row first, then the alert."""
    record_task_failure(context)
    notify_task_failure(context)


async def alert_deadline_missed(context: dict | None = None, **kwargs: object) -> bool:
    """Deadline callback (runs in the triggerer): a run is not done by its deadline."""
    from newswire.notify import deadline_missed_alert, send_async

    context = context or {}
    deadline = (context.get("deadline") or {}).get("deadline_time")
    alert = deadline_missed_alert(context.get("dag_run") or {}, deadline)
    log.warning("%s", alert.text)
    return await send_async(await alert_webhook_url_async(), alert)


def running_under_dags_test(argv: list[str] | None = None) -> bool:
    """True when this process is `airflow dags test` (the CLI parses the DAG file itself)."""
    args = sys.argv if argv is None else argv
    return len(args) >= 3 and args[1:3] == ["dags", "test"] and "airflow" in args[0]


def nightly_deadline():
    """A DeadlineAlert: a run not finished NEWSWIRE_DEADLINE_HOURS after it was queued.

    A nightly run is queued at 01:00 UTC, so the default 5 hours means "not done by 06:00
    UTC", before analysts start their day; decimals are allowed, 0 turns it off. The
    scheduler handles deadlines correctly, but `airflow dags test` (make demo, make ingest)
    in Airflow 3.3.2 crashes when a run of a DAG with a deadline succeeds: it serialises
    the DAG in memory, so `DagRun.update_state` gets encoded alerts where it expects
    deadline_alert row ids ('dict' object has no attribute 'hex'). Under `dags test`, where
    no scheduler would ever fire the alert anyway, the DAG therefore carries no deadline.
    """
    from airflow.sdk.definitions.callback import AsyncCallback
    from airflow.sdk.definitions.deadline import DeadlineAlert, DeadlineReference

    hours = RuntimeSettings.from_env().deadline_hours
    if hours == 0 or running_under_dags_test():
        return None
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_QUEUED_AT,
        interval=timedelta(hours=hours),
        callback=AsyncCallback(alert_deadline_missed),
        name="nightly_run_late",
    )
