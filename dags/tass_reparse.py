"""
### tass_reparse — re-extract archived TASS pages with the current parser

Reads the raw archive (`raw_responses`) and re-parses each article's latest archived
200 response, then merges the results through the same load step as `tass_ingest`.
No request goes to the site. Use it after a parser fix, or to turn pages fetched by a
run that stopped early (for example when the circuit breaker opened) into articles.

**Params.** `since` / `until` (ISO 8601, UTC, `until` exclusive; both optional) limit the
work to articles published in that window; without them every archived article is
re-parsed. The run is recorded in `ingest_runs` like any other; pages that still fail
extraction are (re)quarantined (`newswire quarantine` lists them).
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import dag, get_current_context, task
from newswire import pipeline
from newswire.config import REPARSE_DAG_ID
from newswire.migrate import apply_migrations
from newswire.models import parse_instant
from tass_common import DEFAULT_TASK_ARGS, on_task_failure, warehouse_url, window_params


@dag(
    dag_id=REPARSE_DAG_ID,
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "tass", "reparse"],
    doc_md=__doc__,
    default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": on_task_failure},
    params=window_params(),
)
def tass_reparse() -> None:
    @task
    def migrate() -> list[str]:
        return apply_migrations(warehouse_url()).applied

    @task
    def reparse() -> dict[str, object]:
        context = get_current_context()
        params = context["params"]
        since = parse_instant(params["since"], "since") if params.get("since") else None
        until = parse_instant(params["until"], "until") if params.get("until") else None
        summary = pipeline.reparse(
            warehouse_url(),
            since,
            until,
            dag_id=context["dag"].dag_id,
            dag_run_id=context["dag_run"].run_id,
        )
        return summary.as_dict()

    migrate() >> reparse()


tass_reparse()
