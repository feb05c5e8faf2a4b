"""Process pools for the stages' CPU-bound work that also start inside an Airflow task.

On the CeleryExecutor a task runs in a descendant of a Celery pool process, and Celery's
pool processes are daemonic; multiprocessing refuses to let a daemonic process start
children ("daemonic processes are not allowed to have children"), so a plain
ProcessPoolExecutor fails there while it works under the LocalExecutor, `airflow dags
test` and the CLI. The flag exists so that daemonic children never outlive their parent;
our pool's workers are joined before `process_pool` returns, so the task process drops
the inherited flag while its pool lives and puts it back afterwards.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager


@contextmanager
def process_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A ProcessPoolExecutor of `workers` processes, shut down (joined) on the way out."""
    me = multiprocessing.current_process()
    daemonic = me.daemon
    if daemonic:
        me.daemon = False
    try:
        with ProcessPoolExecutor(workers) as pool:
            yield pool
    finally:
        if daemonic:
            me.daemon = True
