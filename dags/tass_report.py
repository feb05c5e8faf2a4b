"""
### tass_report — the DPRK–Russia coverage report

Runs whenever `tass_ingest` has loaded articles (it listens on the asset
`newswire_articles`) and writes the self-contained HTML coverage report to
`$NEWSWIRE_REPORT_PATH` (default `.newswire/report/coverage.html`). The analyst views are
already current: `tass_ingest` refreshes them once, right after its load.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from airflow.sdk import Asset, dag, task
from newswire.analysis.report import write_report
from newswire.config import ARTICLES_ASSET, REPORT_DAG_ID, RuntimeSettings, WarehouseSettings
from tass_common import DEFAULT_TASK_ARGS, on_task_failure, warehouse_url


def report_path() -> Path:
    """NEWSWIRE_REPORT_PATH, or coverage.html under the data directory's report/."""
    return RuntimeSettings.from_env().report_file(WarehouseSettings.from_env())


@dag(
    dag_id=REPORT_DAG_ID,
    schedule=[Asset(ARTICLES_ASSET)],
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "tass", "report"],
    doc_md=__doc__,
    default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": on_task_failure},
)
def tass_report() -> None:
    @task
    def render() -> str:
        return str(write_report(warehouse_url(), report_path()))

    render()


tass_report()
