"""
### tass_ingest, tass_ru_ingest — nightly ingestion of one wire into the news warehouse

One DAG per entry of `newswire.sources.SOURCES` (tass.com → `tass_ingest`, tass.ru →
`tass_ru_ingest`), each with its own schedule, pool, breaker and alerts. Discovers a
window's articles (feed, sitemaps; older windows through the listing API), fetches them
politely in batches mapped over the source's pool (`tass_http` for tass.com), parses and
merges them into `articles`; one `ingest_runs` row per run.

**Window.** A scheduled run on day D ingests `[D-1 00:00, D 00:00)` UTC (publication or
sitemap modification time); params `since` / `until` (ISO 8601, UTC) choose another.

**Quality and blocks.** `check_quality` fails the run naming the check; when the site
blocks us the first batch records it in `ingest_runs`, the others stop, parse and load
still run and `fetch_complete` fails the run. Failures reach `ingest_runs.message` and
the `newswire_alerts` webhook; re-running resumes; a late run raises a deadline alert and
`NEWSWIRE_MAX_CONSECUTIVE_FAILED_RUNS` failures in a row pause the DAG.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from airflow.sdk import Asset, TriggerRule, dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable
from newswire import config, pipeline, quality
from newswire.migrate import apply_migrations
from newswire.models import Window
from newswire.ops import batches
from newswire.sources import SOURCES, Source
from tass_common import (
    DEFAULT_TASK_ARGS,
    max_consecutive_failed_runs,
    max_map_length,
    nightly_deadline,
    on_task_failure,
    warehouse_url,
    window_params,
)

ARTICLES_ASSET = Asset(config.ARTICLES_ASSET)


def ingest_dag(source: Source) -> Any:
    """The ingest DAG of one source: same tasks, its own id, schedule, pool and host."""

    @dag(
        dag_id=source.dag_id,
        schedule=CronTriggerTimetable(source.schedule, timezone="UTC"),
        start_date=datetime(2026, 1, 1, tzinfo=UTC),
        catchup=False,
        max_active_runs=1,
        tags=["newswire", "ingest", source.name],
        doc_md=__doc__,
        default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": on_task_failure},
        max_consecutive_failed_dag_runs=max_consecutive_failed_runs(),
        deadline=nightly_deadline(),
        params=window_params(),
    )
    def ingest() -> None:
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
                source.settings(),
                window,
                dag_id=context["dag"].dag_id,
                dag_run_id=context["dag_run"].run_id,
            )

        @task
        def discover(ingest_run_id: int) -> int:
            return pipeline.discover_stage(warehouse_url(), source.settings(), ingest_run_id).done

        @task
        def plan_fetch(ingest_run_id: int) -> list[dict[str, int]]:
            plan = batches.plan_fetch(
                warehouse_url(), ingest_run_id, max_map_length=max_map_length()
            )
            return plan.batches()

        @task(pool=source.pool)
        def fetch(ingest_run_id: int, batch: dict[str, int]) -> dict[str, int]:
            first_try = get_current_context()["ti"].try_number <= 1  # a retry probes the site
            index, count = batch["index"], batch["count"]
            counts = batches.fetch_batch(
                warehouse_url(),
                source.settings(),
                ingest_run_id,
                index,
                count,
                first_try=first_try,
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
            pipeline.refresh_views(warehouse_url())

        @task(retries=0)  # the data will not change by asking again: fail at once
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

    return ingest()


for _source in SOURCES.values():
    globals()[_source.dag_id] = ingest_dag(_source)
