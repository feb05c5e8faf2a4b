"""Stage timings: recorded only when asked for, one whole line per call, failures too."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from newswire.timing import read_timings, timed


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
