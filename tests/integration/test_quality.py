"""Data-quality checks on real runs against the local test site, good and broken ones."""

from __future__ import annotations

import dataclasses

import psycopg
import pytest
from newswire import pipeline, quality
from newswire.config import ConfigError, Settings
from newswire.models import Window

from devtools.testsite import load_fixture_articles
from devtools.testsite.server import TassTestSite

pytestmark = pytest.mark.db

WINDOW = Window.parse("2024-12-26", "2024-12-27")  # 20 fixture articles
STRICT = quality.QualityThresholds(max_extraction_failure_rate=0.05, max_missing_rate=0.02)


def _run(db_url: str, settings: Settings) -> int:
    return pipeline.ingest_window(db_url, settings, WINDOW).run_id


def _check(db_url: str, run_id: int) -> dict[str, quality.CheckResult]:
    with psycopg.connect(db_url) as conn:
        return {r.name: r for r in quality.run_checks(conn, run_id, STRICT)}


def test_a_clean_run_passes_every_check(db_url: str, site_settings: Settings) -> None:
    results = _check(db_url, _run(db_url, site_settings))
    assert set(results) == {
        "fetch_complete", "discovered_minimum", "complete_articles", "stored_vs_discovered",
        "extraction_failure_rate",
    }  # fmt: skip
    assert all(r.passed for r in results.values()), results
    assert "discovered 20, stored 20" in results["stored_vs_discovered"].detail
    quality.enforce(list(results.values()))  # raises nothing


def test_blocked_articles_fail_stored_vs_discovered_naming_the_error(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    test_site.faults.add("403:every=3")
    run_id = _run(db_url, site_settings)
    results = _check(db_url, run_id)
    check = results["stored_vs_discovered"]
    assert not check.passed
    assert "HTTP 403" in check.detail and "of 20 discovered" in check.detail
    with pytest.raises(quality.DataQualityError, match=r"stored_vs_discovered: \d+ of 20"):
        quality.enforce(list(results.values()))


def test_pages_that_cannot_be_extracted_fail_the_failure_rate(
    db_url: str, site_settings: Settings
) -> None:
    # A quarter of the window's pages carry no article text at all.
    records = load_fixture_articles()
    in_window = sorted(r.external_id for r in records if WINDOW.contains(r.published))
    emptied = set(in_window[::4])
    records = [
        dataclasses.replace(r, paragraphs=()) if r.external_id in emptied else r for r in records
    ]
    with TassTestSite(records) as site:
        settings = dataclasses.replace(site_settings, base_url=site.base_url)
        run_id = _run(db_url, settings)
    results = _check(db_url, run_id)
    check = results["extraction_failure_rate"]
    assert not check.passed, check
    assert check.detail.startswith(f"{len(emptied)} of 20 fetched pages")
    assert "threshold 5.0%" in check.detail
    # Quarantined pages are explained, so the stored count still accounts for them.
    assert results["stored_vs_discovered"].passed, results["stored_vs_discovered"]
    lenient = dataclasses.replace(STRICT, max_extraction_failure_rate=0.9)
    with psycopg.connect(db_url) as conn:
        assert quality.check_extraction_failure_rate(conn, run_id, lenient).passed


def test_an_article_without_a_headline_fails_complete_articles(
    db_url: str, site_settings: Settings
) -> None:
    run_id = _run(db_url, site_settings)
    with psycopg.connect(db_url) as conn:
        victim = conn.execute("SELECT min(external_id) FROM articles").fetchone()[0]
        conn.execute("UPDATE articles SET headline = '   ' WHERE external_id = %s", (victim,))
    check = _check(db_url, run_id)["complete_articles"]
    assert not check.passed
    assert f"ids {victim}" in check.detail and check.detail.startswith("1 article(s)")


def test_thresholds_come_from_the_environment() -> None:
    thresholds = quality.QualityThresholds.from_env(
        {"NEWSWIRE_DQ_MAX_EXTRACTION_FAILURE_RATE": "0.1", "NEWSWIRE_DQ_MAX_MISSING_RATE": "0"}
    )
    assert thresholds == quality.QualityThresholds(0.1, 0.0)
    assert quality.QualityThresholds.from_env({}) == quality.QualityThresholds()
    with pytest.raises(ConfigError, match="NEWSWIRE_DQ_MAX_MISSING_RATE='2'"):
        quality.QualityThresholds.from_env({"NEWSWIRE_DQ_MAX_MISSING_RATE": "2"})


def _gate_after_failure(db_url: str, run_id: int) -> str:
    """What the DAG does after a failed task: the gate runs, fails, and is recorded."""
    with pytest.raises(quality.DataQualityError) as caught:
        quality.check_run(db_url, run_id)
    pipeline.fail(db_url, run_id, f"task check_quality failed: {caught.value}")
    with psycopg.connect(db_url) as conn:
        (message,) = conn.execute(
            "SELECT message FROM ingest_runs WHERE id = %s", (run_id,)
        ).fetchone()
    return str(message)


def test_a_failed_run_says_its_first_error_first_then_the_failed_checks(
    db_url: str, site_settings: Settings
) -> None:
    dead = dataclasses.replace(site_settings, base_url="http://127.0.0.1:9", max_attempts=1)
    run_id = pipeline.begin(db_url, dead, WINDOW, dag_id="tass_ingest", dag_run_id="manual__x")
    with pytest.raises(Exception) as discover_error:
        pipeline.discover_stage(db_url, dead, run_id)
    first = f"task discover failed: {type(discover_error.value).__name__}: {discover_error.value}"
    pipeline.fail(db_url, run_id, first)

    message = _gate_after_failure(db_url, run_id)

    assert message.startswith(first + " | then task check_quality failed: ")
    assert "failed data-quality checks: fetch_complete (" in message
    assert message.count("robots.txt") == first.count("robots.txt")  # said once, first


def test_a_blocked_run_names_the_block_once_before_the_checks(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    test_site.faults.add("403")
    blocked = dataclasses.replace(site_settings, max_attempts=1, concurrency=1)
    with pytest.raises(pipeline.FetchBlocked) as caught:
        pipeline.ingest_window(db_url, blocked, WINDOW)
    with psycopg.connect(db_url) as conn:
        (run_id,) = conn.execute("SELECT max(id) FROM ingest_runs").fetchone()

    message = _gate_after_failure(db_url, run_id)

    block = str(caught.value)
    assert message.startswith(block + " | then task check_quality failed: ")
    assert message.count(block) == 1
    assert "fetch_complete: blocked (the run's first error" in message
    assert "stored_vs_discovered" in message.split(" | then ", 1)[1]
