"""tass_ingest run by Airflow itself (`airflow dags test`) against the local test site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from newswire.models import Window
from newswire.testsite import load_fixture_articles
from newswire.testsite.server import TassTestSite

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")

pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private AIRFLOW_HOME with its own SQLite metadata database."""
    home = tmp_path_factory.mktemp("airflow_home")
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "PYTHONPATH": str(ROOT / "plugins"),
        "NEWSWIRE_TASK_RETRIES": "0",
        "TASS_REQUEST_INTERVAL": "0",
        "TASS_CONCURRENCY": "4",
    }
    env.pop("AIRFLOW_CONN_NEWS_DB", None)
    subprocess.run(
        [str(AIRFLOW), "db", "migrate"], env=env, check=True, capture_output=True, timeout=300
    )
    yield env


def _dags_test(env: dict[str, str], since: str, until: str) -> subprocess.CompletedProcess:
    conf = json.dumps({"since": since, "until": until})
    return subprocess.run(
        [str(AIRFLOW), "dags", "test", "tass_ingest", "--conf", conf],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _runs(db_url: str) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT dag_id, state, discovered, inserted, updated, unchanged, failed, message"
            " FROM ingest_runs ORDER BY id"
        ).fetchall()


def test_dag_ingests_a_window_and_a_rerun_changes_nothing(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    env = {**airflow_env, "NEWS_DB_URL": db_url, "TASS_BASE_URL": test_site.base_url}

    first = _dags_test(env, "2024-12-26", "2024-12-27")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    with psycopg.connect(db_url) as conn:
        stored = conn.execute("SELECT * FROM articles ORDER BY external_id").fetchall()
        ids = {row[0] for row in conn.execute("SELECT external_id FROM articles")}
    window = Window.parse("2024-12-26", "2024-12-27")
    assert ids == {r.external_id for r in load_fixture_articles() if window.contains(r.published)}
    assert len(stored) == 20

    second = _dags_test(env, "2024-12-26", "2024-12-27")
    assert second.returncode == 0, second.stdout[-3000:]
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT * FROM articles ORDER BY external_id").fetchall() == stored

    assert _runs(db_url) == [
        ("tass_ingest", "success", 20, 20, 0, 0, 0, None),
        ("tass_ingest", "success", 20, 0, 0, 20, 0, None),
    ]


def test_a_failing_run_fails_the_command_and_says_why(
    airflow_env: dict[str, str], db_url: str
) -> None:
    env = {
        **airflow_env,
        "NEWS_DB_URL": db_url,
        "TASS_BASE_URL": "http://127.0.0.1:9",
        "TASS_MAX_ATTEMPTS": "1",
        "TASS_CONNECT_TIMEOUT": "1",
    }
    result = _dags_test(env, "2024-12-26", "2024-12-27")

    assert result.returncode != 0
    (run,) = _runs(db_url)
    assert run[1] == "failed"
    assert "task discover failed" in run[7]
    assert "robots.txt" in run[7]
