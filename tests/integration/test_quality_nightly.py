"""An empty nightly window fails the quality gate; a window an operator chose does not."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest
from newswire import pipeline, quality
from newswire.config import RuntimeSettings, Settings
from newswire.models import Window

EMPTY = Window.parse("2031-01-01", "2031-01-02")  # the test site has nothing then
FULL = Window.parse("2024-12-26", "2024-12-27")  # 20 fixture articles
GATE = quality.QualityThresholds(min_discovered=1)


def _discovered_check(
    db_url: str, settings: Settings, window: Window, dag_run_id: str | None, gate=GATE
) -> quality.CheckResult:
    run_id = pipeline.begin(db_url, settings, window, dag_id="tass_ingest", dag_run_id=dag_run_id)
    pipeline.discover_stage(db_url, settings, run_id)
    with psycopg.connect(db_url) as conn:
        return quality.check_discovered_minimum(conn, run_id, gate)


def test_a_scheduled_run_that_discovers_nothing_fails(db_url: str, site_settings: Settings) -> None:
    check = _discovered_check(db_url, site_settings, EMPTY, "scheduled__2031-01-02T01:00:00+00:00")
    assert not check.passed
    assert "discovered 0 articles" in check.detail and "NEWSWIRE_DQ_MIN_DISCOVERED" in check.detail
    with pytest.raises(quality.DataQualityError, match="discovered_minimum"):
        quality.enforce([check])


def test_a_scheduled_run_with_articles_and_a_manual_empty_run_pass(
    db_url: str, site_settings: Settings
) -> None:
    full = _discovered_check(db_url, site_settings, FULL, "scheduled__2024-12-27T01:00:00+00:00")
    assert full.passed and full.detail == "discovered 20"
    assert _discovered_check(db_url, site_settings, EMPTY, "manual__2031-01-02").passed


def test_the_threshold_is_configurable(db_url: str, site_settings: Settings) -> None:
    run = "scheduled__2024-12-27T01:00:00+00:00"
    strict = dataclasses.replace(GATE, min_discovered=21)
    assert not _discovered_check(db_url, site_settings, FULL, run, strict).passed
    off = dataclasses.replace(GATE, min_discovered=0)
    assert _discovered_check(db_url, site_settings, EMPTY, run + "x", off).passed
    env = {"NEWSWIRE_DQ_MIN_DISCOVERED": "5"}
    assert quality.QualityThresholds.from_env(env).min_discovered == 5
    assert RuntimeSettings.from_env({}).min_discovered == 1
