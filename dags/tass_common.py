"""Airflow-side glue shared by the DAG files: where the warehouse is, failure reporting.

Everything else lives in the `newswire` library, which never imports Airflow.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta

from newswire.config import Settings
from newswire.db import resolve_db_url

log = logging.getLogger(__name__)

NEWS_DB_CONN_ID = "news_db"

DEFAULT_TASK_ARGS = {
    "owner": "newswire",
    # Operators may lower this (tests and `make ingest` runs use 0 to fail fast).
    "retries": int(os.environ.get("NEWSWIRE_TASK_RETRIES", "3")),
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=20),
    "execution_timeout": timedelta(hours=2),
}


def warehouse_url() -> str:
    """The Airflow connection `news_db` when defined, else NEWS_DB_URL / embedded."""
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    try:
        conn = BaseHook.get_connection(NEWS_DB_CONN_ID)
    except AirflowNotFoundException as exc:  # not defined: fall back
        log.debug("no Airflow connection %s (%s); using NEWS_DB_URL", NEWS_DB_CONN_ID, exc)
        return resolve_db_url(Settings.from_env())
    uri = conn.get_uri()
    return "postgresql://" + uri.split("://", 1)[1]


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
