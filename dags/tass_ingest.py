"""
### tass_ingest — nightly TASS ingestion into the news warehouse

Discovers the articles of a window (RSS feed + sitemap index + news sitemaps), fetches
their pages politely, parses each into a structured article and merges them into the
warehouse table `articles`. Every run leaves one row in `ingest_runs`.

**Window.** A scheduled run fires at 01:00 UTC and ingests the previous UTC day:
articles whose publication time (RSS `pubDate`) or modification time (sitemap
`lastmod`) falls in `[D-1 00:00, D 00:00)`. Trigger with params `since` / `until`
(ISO 8601, UTC, `until` exclusive) to ingest any other window.

**Fetching** is split into batches by dynamic task mapping (`fetch` maps over batches of
`NEWSWIRE_FETCH_BATCH_SIZE` articles, never one task per URL, never more than
`[core] max_map_length`); every batch takes a slot of the `tass_http` pool.

**Data quality.** `check_quality` runs after the load and fails the run naming the check:
`fetch_complete`, `complete_articles`, `stored_vs_discovered`, `extraction_failure_rate`.

**When TASS blocks us** the first batch to notice records it in `ingest_runs` and the
others stop; parse and load still run (`all_done`), then `fetch_complete` fails the run.

**When it fails.** The failing task's log says why; the run's `ingest_runs.message`
repeats it and the `newswire_alerts` webhook (if configured) is told. Re-running the DAG
run resumes where it stopped. A run not done `NEWSWIRE_DEADLINE_HOURS` after it was
queued raises a deadline alert; after `NEWSWIRE_MAX_CONSECUTIVE_FAILED_RUNS` failed runs
in a row the DAG pauses itself.
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import Asset, Param, TriggerRule, dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable
from newswire import pipeline, quality
from newswire.config import Settings
from newswire.migrate import apply_migrations
from newswire.models import Window
from newswire.ops import batches
from tass_common import (
    DEFAULT_TASK_ARGS,
    TASS_HTTP_POOL,
    max_consecutive_failed_runs,
    max_map_length,
    nightly_deadline,
    on_task_failure,
    warehouse_url,
)

ARTICLES_ASSET = Asset("newswire_articles")


@dag(
    dag_id="tass_ingest",
    schedule=CronTriggerTimetable("0 1 * * *", timezone="UTC"),
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "tass", "ingest"],
    doc_md=__doc__,
    default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": on_task_failure},
    max_consecutive_failed_dag_runs=max_consecutive_failed_runs(),
    deadline=nightly_deadline(),
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
    def plan_fetch(ingest_run_id: int) -> list[dict[str, int]]:
        plan = batches.plan_fetch(warehouse_url(), ingest_run_id, max_map_length=max_map_length())
        return plan.batches()

    @task(pool=TASS_HTTP_POOL)
    def fetch(ingest_run_id: int, batch: dict[str, int]) -> dict[str, int]:
        first_try = get_current_context()["ti"].try_number <= 1  # a retry probes the site
        settings = Settings.from_env()
        index, count = batch["index"], batch["count"]
        counts = batches.fetch_batch(
            warehouse_url(), settings, ingest_run_id, index, count, first_try=first_try
        )
        return {"fetched": counts.done, "failed": counts.failed}

    @task(trigger_rule=TriggerRule.ALL_DONE)  # pages fetched before a block count too
    def parse(ingest_run_id: int) -> dict[str, int]:
        counts = pipeline.parse_stage(warehouse_url(), ingest_run_id)
        return {"parsed": counts.done, "quarantined": counts.failed}

    @task
    def load(ingest_run_id: int) -> dict[str, int]:
        counts = pipeline.load_stage(warehouse_url(), ingest_run_id)
        return {"inserted": counts.inserted, "updated": counts.updated}

    @task(outlets=[ARTICLES_ASSET])  # tass_report starts once the views are current
    def refresh_views() -> None:
        """Recompute the materialised analyst views over what load just wrote (once per run)."""
        from newswire.analysis.store import refresh_views as refresh

        refresh(warehouse_url())

    @task
    def check_quality(ingest_run_id: int) -> list[str]:
        return [str(r) for r in quality.check_run(warehouse_url(), ingest_run_id)]

    @task
    def summarise(ingest_run_id: int) -> dict[str, object]:
        summary = pipeline.finish(warehouse_url(), ingest_run_id)
        print(summary, flush=True)  # the run summary, last in the run's last task log
        return summary.as_dict()

    ingest_run_id = start_run()
    migrate() >> ingest_run_id
    discovered = discover(ingest_run_id)
    planned = plan_fetch(ingest_run_id)
    fetched = fetch.partial(ingest_run_id=ingest_run_id).expand(batch=planned)
    parsed = parse(ingest_run_id)
    loaded = load(ingest_run_id)
    checked = check_quality(ingest_run_id)
    discovered >> planned
    fetched >> parsed >> loaded >> checked >> summarise(ingest_run_id)
    loaded >> refresh_views()


tass_ingest()
