"""
### tass_ingest — nightly TASS ingestion into the news warehouse

Discovers the articles of a window (RSS feed + sitemap index + news sitemaps), fetches
their pages politely, parses each into a structured article and merges them into the
warehouse table `articles`. Every run leaves one row in `ingest_runs`.

**Window.** A scheduled run fires at 01:00 UTC and ingests the previous UTC day:
articles whose publication time (RSS `pubDate`) or modification time (sitemap
`lastmod`) falls in `[D-1 00:00, D 00:00)`. Trigger with params `since` / `until`
(ISO 8601, UTC, `until` exclusive) to ingest any other window.

**When it fails.** The failing task's log says why; the run's `ingest_runs.message`
repeats it. Re-running the DAG run resumes where it stopped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import Asset, Param, dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable
from newswire import pipeline
from newswire.config import Settings
from newswire.migrate import apply_migrations
from newswire.models import Window
from tass_common import DEFAULT_TASK_ARGS, record_task_failure, warehouse_url

ARTICLES_ASSET = Asset("newswire_articles")


@dag(
    dag_id="tass_ingest",
    schedule=CronTriggerTimetable("0 1 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "tass", "ingest"],
    doc_md=__doc__,
    default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": record_task_failure},
    params={
        "since": Param(None, type=["null", "string"], description="ISO 8601, UTC, inclusive"),
        "until": Param(None, type=["null", "string"], description="ISO 8601, UTC, exclusive"),
    },
)
def tass_ingest() -> None:
    @task
    def migrate() -> list[str]:
        return apply_migrations(warehouse_url()).applied

    @task
    def start_run() -> int:
        context = get_current_context()
        params = context["params"]
        if params.get("since"):
            window = Window.parse(params["since"], params.get("until"))
        else:
            dag_run = context["dag_run"]
            window = Window.nightly(context.get("logical_date") or dag_run.run_after)
        return pipeline.begin(
            warehouse_url(),
            Settings.from_env(),
            window,
            dag_id=context["dag"].dag_id,
            dag_run_id=context["dag_run"].run_id,
        )

    @task
    def discover(ingest_run_id: int) -> int:
        return pipeline.discover_stage(warehouse_url(), Settings.from_env(), ingest_run_id).done

    @task
    def fetch(ingest_run_id: int) -> dict[str, int]:
        counts = pipeline.fetch_stage(warehouse_url(), Settings.from_env(), ingest_run_id)
        return {"fetched": counts.done, "failed": counts.failed}

    @task
    def parse(ingest_run_id: int) -> dict[str, int]:
        counts = pipeline.parse_stage(warehouse_url(), ingest_run_id)
        return {"parsed": counts.done, "quarantined": counts.failed}

    @task(outlets=[ARTICLES_ASSET])
    def load(ingest_run_id: int) -> dict[str, int]:
        counts = pipeline.load_stage(warehouse_url(), ingest_run_id)
        return {"inserted": counts.inserted, "updated": counts.updated}

    @task
    def summarise(ingest_run_id: int) -> dict[str, object]:
        return pipeline.finish(warehouse_url(), ingest_run_id).as_dict()

    ingest_run_id = start_run()
    migrate() >> ingest_run_id
    discovered = discover(ingest_run_id)
    fetched = fetch(ingest_run_id)
    parsed = parse(ingest_run_id)
    loaded = load(ingest_run_id)
    discovered >> fetched >> parsed >> loaded >> summarise(ingest_run_id)


tass_ingest()
