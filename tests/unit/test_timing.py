"""Stage timings: recorded only when asked for, one whole line per call, failures too."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from newswire import pipeline, quality
from newswire.migrate import apply_migrations
from newswire.ops import batches
from newswire.timing import read_timings, stage_timer, timed


def test_nothing_is_written_when_unset(tmp_path: Path) -> None:
    with timed("parse", env={}):
        pass
    assert list(tmp_path.iterdir()) == []


def test_each_call_appends_its_stage_and_duration(tmp_path: Path) -> None:
    target = tmp_path / "timings.jsonl"
    env = {"NEWSWIRE_STAGE_TIMINGS": str(target)}
    with timed("fetch", env=env):
        sum(range(200_000))
    with pytest.raises(RuntimeError), timed("load", env=env):
        raise RuntimeError("a failed stage still spent its time")
    first, second = read_timings(target)
    assert (first.stage, second.stage) == ("fetch", "load")
    assert first.pid == os.getpid()
    assert first.seconds > 0
    assert first.start <= second.start
    assert first.start + first.seconds <= second.start + 1e-3


def test_a_missing_file_reads_as_no_timings(tmp_path: Path) -> None:
    assert read_timings(tmp_path / "absent.jsonl") == []


def test_a_decorated_function_times_each_call_and_keeps_its_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "timings.jsonl"
    monkeypatch.setenv("NEWSWIRE_STAGE_TIMINGS", str(target))

    @stage_timer("plan_fetch")
    def double(n: int, *, plus: int = 0) -> int:
        """Doubles."""
        if n < 0:
            raise ValueError(n)
        return 2 * n + plus

    assert double(3, plus=1) == 7
    with pytest.raises(ValueError):
        double(-1)
    assert [t.stage for t in read_timings(target)] == ["plan_fetch", "plan_fetch"]
    assert double.__name__ == "double" and double.__doc__ == "Doubles."


def test_nothing_is_written_by_a_decorated_function_when_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NEWSWIRE_STAGE_TIMINGS", raising=False)
    monkeypatch.chdir(tmp_path)
    assert stage_timer("load")(len)("abc") == 3
    assert list(tmp_path.iterdir()) == []


# What the ingest DAG calls, under the names benchmarks/backfill.py reports per stage.
DAG_STAGES = [
    (pipeline.begin, "start_run"),
    (pipeline.discover_stage, "discover"),
    (batches.plan_fetch, "plan_fetch"),
    (batches.fetch_batch, "fetch"),
    (pipeline.parse_stage, "parse"),
    (pipeline.load_stage, "load"),
    (pipeline.refresh_views, "refresh_views"),
    (quality.check_run, "check_quality"),
    (pipeline.finish, "summarise"),
    (apply_migrations, "migrate"),
]


@pytest.mark.parametrize(("stage_function", "stage"), DAG_STAGES, ids=[s for _, s in DAG_STAGES])
def test_the_stage_functions_the_dag_calls_time_themselves(
    stage_function: Callable[..., object],
    stage: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "timings.jsonl"
    monkeypatch.setenv("NEWSWIRE_STAGE_TIMINGS", str(target))
    with pytest.raises(TypeError):  # no arguments: fails inside the timing, touches nothing
        stage_function()
    assert [t.stage for t in read_timings(target)] == [stage]
