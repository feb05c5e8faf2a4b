"""A stage's process pool starts inside a daemonic process, as a Celery task runs."""

from __future__ import annotations

import multiprocessing
from multiprocessing.queues import Queue

from newswire.procpool import process_pool


def _square(x: int) -> int:
    return x * x


def _in_daemon(out: Queue[object]) -> None:
    me = multiprocessing.current_process()
    try:
        with process_pool(2) as pool:
            out.put(list(pool.map(_square, range(6))))
        out.put(me.daemon)
    except BaseException as exc:  # reported to the test, not lost in the child
        out.put(repr(exc))
        out.put(me.daemon)


def test_a_daemonic_process_gets_its_pool_and_keeps_its_flag() -> None:
    out: Queue[object] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_in_daemon, args=(out,), daemon=True)
    child.start()
    try:
        assert out.get(timeout=120) == [0, 1, 4, 9, 16, 25]
        assert out.get(timeout=30) is True  # daemonic again once the pool is gone
    finally:
        child.join(timeout=30)
