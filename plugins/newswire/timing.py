"""Where a task's time goes: optional per-stage timings, one JSON line per stage call.

Only for measuring (the backfill benchmark sets NEWSWIRE_STAGE_TIMINGS): the time spent
inside the library's own stage functions, recorded by the functions themselves (the
`stage_timer` decorator), so that what a scheduler adds around them — process start, DAG
parsing, queueing, the gaps between tasks — is the rest of the wall-clock time, and the
DAG files stay pure wiring. Unset (the default) records nothing and costs one environment
lookup per call.
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import ParamSpec, TypeVar

from newswire.config import env_str, environment

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class StageTiming:
    """One call of a stage function: which, when it started (epoch s), how long, where."""

    stage: str
    start: float
    seconds: float
    pid: int


@contextmanager
def timed(stage: str, env: Mapping[str, str] | None = None) -> Iterator[None]:
    """Append the block's StageTiming to NEWSWIRE_STAGE_TIMINGS when it is set.

    Written also when the block raises: a failed stage still spent the time.
    """
    target = env_str(environment() if env is None else env, "NEWSWIRE_STAGE_TIMINGS")
    start, t0 = time.time(), time.perf_counter()
    try:
        yield
    finally:
        if target:
            record = StageTiming(stage, start, time.perf_counter() - t0, os.getpid())
            # One short append per call: whole lines, even with several writers.
            with Path(target).open("a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(record)) + "\n")


def stage_timer(stage: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Time every call of the decorated function as `stage` (see `timed`).

    On the stage functions themselves, so every caller — a DAG task, the CLI — is measured
    the same way and the callers need not know about timing.
    """

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(func)
        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            with timed(stage):
                return func(*args, **kwargs)

        return call

    return decorate


def read_timings(path: Path) -> list[StageTiming]:
    """Every StageTiming in a file `timed` wrote; a missing file has none."""
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [StageTiming(**json.loads(line)) for line in lines if line.strip()]
