"""Which load path a run takes: by its size, against NEWSWIRE_BULK_LOAD_MIN_ARTICLES, and
the warehouse's (the rebuild covers whole tables)."""

from __future__ import annotations

import pytest
from newswire.config import ConfigError, RuntimeSettings
from newswire.stages.bulk import MAX_STORED_PER_STAGED, use_bulk


def test_runs_from_the_threshold_on_take_the_bulk_path() -> None:
    assert not use_bulk(49_999, 0, 50_000)
    assert use_bulk(50_000, 0, 50_000)
    assert use_bulk(250_000, 750_000, 50_000)


def test_a_run_small_beside_the_warehouse_keeps_the_regular_path() -> None:
    run = 50_000
    assert use_bulk(run, MAX_STORED_PER_STAGED * run, 50_000)
    assert not use_bulk(run, MAX_STORED_PER_STAGED * run + 1, 50_000)
    assert not use_bulk(run, 1_000_000, 50_000)


def test_zero_turns_the_bulk_path_off() -> None:
    assert not use_bulk(1_000_000, 0, 0)
    assert not use_bulk(0, 0, 0)


def test_threshold_comes_from_the_environment() -> None:
    assert RuntimeSettings.from_env({}).bulk_load_min_articles == 50_000
    env = {"NEWSWIRE_BULK_LOAD_MIN_ARTICLES": "1000"}
    assert RuntimeSettings.from_env(env).bulk_load_min_articles == 1_000
    with pytest.raises(ConfigError):
        RuntimeSettings.from_env({"NEWSWIRE_BULK_LOAD_MIN_ARTICLES": "-1"})
