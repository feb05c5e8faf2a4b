"""Markers of the DAG-level tests (registered here so `-m operator` selects the e2e run),
the private Airflow home the `airflow dags test` modules share, and the native stack's
start-up the stack modules share (each module defines its own `stack_config`)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from devtools import stack
from devtools.scratch import scratch_database
from tests.conftest import _admin_url
from tests.dags.airflow_api import DAG_ID, AirflowApi

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "operator: starts the native Airflow stack and drives it through the REST API and a"
        " headless browser (select with -m operator)",
    )


def airflow_home_env(home: Path) -> dict[str, str]:
    """This environment with Airflow living in `home` (its SQLite metadata database there)
    and reading this project's DAGs and plugins: how an `airflow dags test` child starts."""
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "PYTHONPATH": str(ROOT / "plugins"),
    }


@pytest.fixture(scope="module")
def airflow_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A private AIRFLOW_HOME with its own SQLite metadata database, per test module;
    runs fail fast (no retries) against a test site served without a request interval."""
    env = {
        **airflow_home_env(tmp_path_factory.mktemp("airflow_home")),
        "NEWSWIRE_TASK_RETRIES": "0",
        "TASS_REQUEST_INTERVAL": "0",
        "TASS_CONCURRENCY": "4",
    }
    env.pop("AIRFLOW_CONN_NEWS_DB", None)
    subprocess.run(
        [str(AIRFLOW), "db", "migrate"], env=env, check=True, capture_output=True, timeout=300
    )
    yield env


@pytest.fixture(scope="module")
def metadata_db() -> Iterator[str]:
    """A fresh Airflow metadata database on the test Postgres, dropped afterwards."""
    with scratch_database(_admin_url(), "airflow_test") as conninfo:
        yield stack.sqlalchemy_url(psycopg.conninfo.conninfo_to_dict(conninfo))


@pytest.fixture(scope="module")
def running_stack(stack_config: stack.StackConfig) -> Iterator[stack.StackState]:
    """The module's stack (its `stack_config`), up for the module and down after it."""
    started = time.monotonic()
    state = stack.up(stack_config)
    print(f"stack up in {time.monotonic() - started:.1f}s at {state.base_url} ({state.executor})")
    try:
        yield state
    finally:
        stack.down(stack_config)


@pytest.fixture(scope="module")
def api(running_stack: stack.StackState, stack_config: stack.StackConfig) -> AirflowApi:
    """A client of the running stack, once the ingest DAG is parsed and unpaused."""
    client = AirflowApi(
        running_stack.base_url, stack_config.admin_user, stack_config.admin_password
    )
    client.wait_for_dag()
    client.request("PATCH", f"/dags/{DAG_ID}", json={"is_paused": False})
    return client
