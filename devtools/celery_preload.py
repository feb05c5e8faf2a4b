"""Celery settings of the stack's workers: Airflow's, plus the DAGs' library imported once.

On the CeleryExecutor every task runs in a process forked from a worker's pool process,
which then parses the DAG file and so imports the newswire library (the pipeline's stages,
the analysis with SQLAlchemy, lxml, ...): about 1-2 s of CPU on a quiet machine, several
seconds on a busy one, paid again by each of the ten tasks a backfill window runs in a
row. Celery imports the modules named in `imports` in the worker's main process before it
forks its pool, so every task process inherits them and parsing the DAG file finds them
loaded. The stack points `[celery] celery_config_options` here.
"""

from __future__ import annotations

from typing import Any

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

# What dags/tass_ingest.py and its tasks import, the costly part first; cheap to list
# more, since a module already imported costs nothing.
PRELOADED = (
    "newswire.pipeline",
    "newswire.analysis.store",
    "newswire.migrate",
    "newswire.quality",
    "newswire.ops.batches",
    "newswire.sources",
    "airflow.timetables.trigger",
    # What runs a task: imported by each pool process on its first task otherwise.
    "airflow.sdk.execution_time.supervisor",
    "airflow.sdk.execution_time.task_runner",
)

CELERY_CONFIG: dict[str, Any] = {**DEFAULT_CELERY_CONFIG, "imports": PRELOADED}
