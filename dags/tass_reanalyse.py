"""
### tass_reanalyse — recompute the entity mentions and quotes a knowledge base change reaches

Run it after the knowledge base (`analysis/data/`) changed. Only the articles the change
since their last analysis may affect are re-analysed (every article with `all`, or when
the analysis code changed); they are split into batches of consecutive ids; mapped tasks
work through shares of them, each batch written and marked done in one transaction, so
readers never see an article half re-analysed and a failed or retried task redoes only
the batches not yet done. A run resumes the unfinished job of the same knowledge base;
the views are refreshed at the end. No request goes to the site.

**Params.** `all` (every article, changed or not), `batch_size` (articles per
transaction), `parts` (mapped tasks; give about as many as the workers' cores),
`discover` (also recompute unknown people: slow on Russian text), `restart` (drop an
unfinished job and plan anew).
"""

from __future__ import annotations

from datetime import UTC, datetime

from airflow.sdk import Param, dag, get_current_context, task
from newswire.analysis import reanalyse as ra
from newswire.analysis.store import refresh_views
from newswire.config import REANALYSE_DAG_ID
from newswire.migrate import apply_migrations
from tass_common import DEFAULT_TASK_ARGS, on_task_failure, warehouse_url


@dag(
    dag_id=REANALYSE_DAG_ID,
    schedule=None,
    start_date=datetime(2026, 1, 1, tzinfo=UTC),
    catchup=False,
    max_active_runs=1,
    tags=["newswire", "tass", "reanalyse"],
    doc_md=__doc__,
    default_args={**DEFAULT_TASK_ARGS, "on_failure_callback": on_task_failure},
    params={
        "batch_size": Param(ra.DEFAULT_BATCH_SIZE, type="integer", minimum=1),
        "parts": Param(8, type="integer", minimum=1, description="mapped tasks"),
        "discover": Param(True, type="boolean", description="recompute unknown people"),
        "restart": Param(False, type="boolean", description="drop an unfinished job"),
        "all": Param(False, type="boolean", description="every article, changed or not"),
    },
)
def tass_reanalyse() -> None:
    @task
    def plan() -> list[dict[str, object]]:
        params = get_current_context()["params"]
        url = warehouse_url()
        apply_migrations(url)
        job_id = ra.plan_job(
            url,
            batch_size=int(params["batch_size"]),
            discover=bool(params["discover"]),
            restart=bool(params["restart"]),
            everything=bool(params["all"]),
        )
        return [
            {"job_id": job_id, "first_ids": share}
            for share in ra.shares(url, job_id, int(params["parts"]))
        ] or [{"job_id": job_id, "first_ids": []}]

    @task
    def analyse(share: dict[str, object]) -> dict[str, int]:
        first_ids = share["first_ids"]
        assert isinstance(first_ids, list)
        done = ra.run_batches(warehouse_url(), int(str(share["job_id"])), first_ids)
        return {"articles": done.articles, "mentions": done.mentions, "quotes": done.quotes}

    @task
    def finish(shares: list[dict[str, object]]) -> int:
        url = warehouse_url()
        job_id = int(str(shares[0]["job_id"]))
        if not ra.finish_job(url, job_id):
            raise RuntimeError(f"reanalyse job {job_id} has batches not done; run it again")
        refresh_views(url)
        return job_id

    planned = plan()
    analysed = analyse.expand(share=planned)
    analysed >> finish(planned)


tass_reanalyse()
