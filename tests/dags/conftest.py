"""Markers of the DAG-level tests (registered here so `-m operator` selects the e2e run)
and the private Airflow home the `airflow dags test` modules share."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "operator: starts the native Airflow stack and drives it through the REST API and a"
        " headless browser (select with -m operator)",
    )


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private AIRFLOW_HOME with its own SQLite metadata database, per test module;
    runs fail fast (no retries) against a test site served without a request interval."""
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
