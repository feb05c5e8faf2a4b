"""One ingest DAG per source, and `make ingest` reaching back before the sitemaps."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from newswire.sources import SOURCES

from devtools.testsite.server import TassTestSite

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")
SEED = 965296

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    from airflow.dag_processing.dagbag import DagBag

    os.environ.setdefault("AIRFLOW_HOME", str(tmp_path_factory.mktemp("airflow_home_sources")))
    if str(ROOT / "dags") not in sys.path:
        sys.path.insert(0, str(ROOT / "dags"))
    return DagBag(dag_folder=str(ROOT / "dags"))


def test_every_source_has_its_own_dag_pool_and_schedule(dagbag) -> None:
    assert dagbag.import_errors == {}
    pools, schedules = set(), set()
    for source in SOURCES.values():
        dag = dagbag.dags[source.dag_id]
        assert dag.get_task("fetch").pool == source.pool
        assert source.name in dag.tags
        assert dag.max_active_runs == 1
        pools.add(source.pool)
        schedules.add(str(dag.timetable.summary))
    assert len(schedules) == len(SOURCES)
    assert {"tass_ingest", "tass_ru_ingest"} <= set(dagbag.dag_ids)
    assert len(pools) == len(SOURCES)  # a full pool of one wire never holds the other



def test_make_ingest_of_the_seed_day_stores_the_2017_article(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    """`make ingest SINCE=2017-09-12 UNTIL=2017-09-13`: the sitemaps begin in 2020-10, so
    the DAG finds the seed article through the listing API and stores it."""
    env = {**airflow_env, "NEWS_DB_URL": db_url, "TASS_BASE_URL": test_site.base_url}
    result = subprocess.run(
        [sys.executable, "-m", "newswire.cli", "airflow-ingest", "--since", "2017-09-12",
         "--until", "2017-09-13"],
        env=env, capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with psycopg.connect(db_url) as conn:
        stored = conn.execute("SELECT external_id, headline, source FROM articles").fetchall()
        runs = conn.execute("SELECT dag_id, state, source, discovered FROM ingest_runs").fetchall()
        found = conn.execute("SELECT external_id, found_in FROM run_articles").fetchall()
    assert stored == [
        (SEED, "Pyongyang wants to improve relations with Moscow — ambassador", "tass.com")
    ]
    assert runs == [("tass_ingest", "success", "tass.com", 1)]
    assert found == [(SEED, "listing")]
    assert any(method == "POST" for method, _, _ in test_site.requests)


def test_make_backfill_without_a_stack_runs_each_month_through_dags_test(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    """`make backfill MODE=dags-test SINCE=2017-09-01 UNTIL=2017-11-01`, twice: the second
    run finds both months done and asks Airflow (and the site) for nothing."""
    env = {**airflow_env, "NEWS_DB_URL": db_url, "TASS_BASE_URL": test_site.base_url}
    command = [sys.executable, "-m", "newswire.cli", "backfill", "--since", "2017-09-01",
               "--until", "2017-11-01", "--mode", "dags-test"]  # fmt: skip
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    assert "through airflow dags test" in first.stdout
    assert "[2/2]" in first.stdout and "complete, 2 articles" in first.stdout
    with psycopg.connect(db_url) as conn:
        runs = conn.execute(
            "SELECT dag_id, state, source, window_start::date::text FROM ingest_runs ORDER BY id"
        ).fetchall()
        stored = {row[0] for row in conn.execute("SELECT external_id FROM articles")}
    assert runs == [
        ("tass_ingest", "success", "tass.com", "2017-09-01"),
        ("tass_ingest", "success", "tass.com", "2017-10-01"),
    ]
    assert stored == {965296, 970345}

    requests_before = len(test_site.requests)
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "2 done before (2 articles), 0 to do" in second.stdout
    assert len(test_site.requests) == requests_before


def test_make_ingest_source_tass_ru_runs_the_russian_dag(
    airflow_env: dict[str, str], db_url: str
) -> None:
    """`make ingest SOURCE=tass.ru SINCE=2020-03-30 UNTIL=2020-03-31` runs `tass_ru_ingest`
    through Airflow against a tass.ru test site and stores Russian articles as tass.ru's."""
    with TassTestSite(service="tass.ru") as site:
        env = {**airflow_env, "NEWS_DB_URL": db_url, "TASS_RU_BASE_URL": site.base_url,
               "TASS_RU_REQUEST_INTERVAL": "0"}  # fmt: skip
        result = subprocess.run(
            [sys.executable, "-m", "newswire.cli", "airflow-ingest", "--source", "tass.ru",
             "--since", "2020-03-30", "--until", "2020-03-31"],
            env=env, capture_output=True, text=True, timeout=600, cwd=ROOT,
        )  # fmt: skip
        expected = {
            a.external_id
            for a in site.articles
            if datetime.fromisoformat(a.published_at).astimezone(UTC).date().isoformat()
            == "2020-03-30"
        }
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with psycopg.connect(db_url) as conn:
        stored = conn.execute(
            "SELECT external_id, source, language, dateline FROM articles"
        ).fetchall()
        runs = conn.execute("SELECT dag_id, state, source FROM ingest_runs").fetchall()
    assert runs == [("tass_ru_ingest", "success", "tass.ru")]
    assert expected and {row[0] for row in stored} >= expected
    assert {(row[1], row[2]) for row in stored} == {("tass.ru", "ru")}
    assert sum(row[3] == "МОСКВА" for row in stored) >= len(expected) // 2
