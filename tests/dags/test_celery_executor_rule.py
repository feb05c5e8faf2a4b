"""How `make airflow-up` picks its executor and configures Celery, without starting Airflow.

The stack itself runs on both executors in test_operator_e2e.py; these pin the rule for a
machine with no Redis (LocalExecutor, the fresh-machine case) against a loopback server
that answers PING as Redis does.
"""

from __future__ import annotations

import importlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools import stack

METADATA_URL = "postgresql+psycopg2://postgres@127.0.0.1:5432/airflow_x"


@pytest.fixture
def pong_server() -> Iterator[str]:
    """A loopback server that answers PING with +PONG, as Redis does; yields its URL."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                if conn.recv(64).startswith(b"PING"):
                    conn.sendall(b"+PONG\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    server.close()


def _closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"  # nothing listens once the socket is closed


def test_no_broker_url_means_the_local_executor() -> None:
    assert stack.choose_executor(None) == (
        "LocalExecutor",
        "AIRFLOW_CELERY_BROKER_URL is not set",
    )


def test_a_broker_url_nobody_answers_at_falls_back_to_the_local_executor() -> None:
    url = _closed_port_url()
    assert stack.choose_executor(url) == ("LocalExecutor", f"no Redis answers at {url}")


def test_a_redis_that_answers_means_the_celery_executor(pong_server: str) -> None:
    assert stack.redis_answers(pong_server)
    assert stack.choose_executor(pong_server) == (
        "CeleryExecutor",
        f"Redis answers at {pong_server}",
    )


def test_celery_settings_only_on_the_celery_executor(tmp_path: Path, pong_server: str) -> None:
    config = stack.StackConfig(airflow_home=tmp_path, broker_url=pong_server)
    config.state_dir.mkdir(parents=True)
    local = stack.airflow_env(config, "LocalExecutor", METADATA_URL)
    assert local["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert not any(key.startswith("AIRFLOW__CELERY__") for key in local)

    celery = stack.airflow_env(config, "CeleryExecutor", METADATA_URL)
    assert celery["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert celery["AIRFLOW__CELERY__BROKER_URL"] == pong_server
    assert celery["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + METADATA_URL
    assert celery["AIRFLOW__CELERY__WORKER_CONCURRENCY"] == "4"
    # The workers preload the DAGs' library: the settings module names Airflow's defaults
    # plus the modules, and the modules import.
    options = celery["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"]
    module, _, name = options.rpartition(".")
    settings = getattr(importlib.import_module(module), name)
    assert "broker_url" in settings and "newswire.pipeline" in settings["imports"]
    for preloaded in settings["imports"]:
        importlib.import_module(preloaded)
    assert stack.celery_queue(celery) == "default"
    # The triggerer imports the DAGs' deadline callback by module path: dags/ is importable.
    assert str(stack.project_root() / "dags") in celery["PYTHONPATH"].split(":")


def test_only_the_celery_executor_runs_a_worker(tmp_path: Path) -> None:
    assert set(stack.components("LocalExecutor")) == {
        "api-server", "scheduler", "dag-processor", "triggerer",
    }  # fmt: skip
    config = stack.StackConfig(airflow_home=tmp_path)
    config.state_dir.mkdir(parents=True)
    name = stack.worker_node_name(config)
    assert name == stack.worker_node_name(config), "stable across restarts of one stack"
    other = stack.StackConfig(airflow_home=tmp_path / "other")
    other.state_dir.mkdir(parents=True)
    assert stack.worker_node_name(other) != name, "two stacks never share a node name"
    worker = stack.worker_args(name, "q1", 2)
    assert stack.components("CeleryExecutor", worker)["worker"] == [
        "celery", "worker", "--celery-hostname", name, "--queues", "q1", "--concurrency", "2",
    ]  # fmt: skip
    with pytest.raises(stack.StackError):
        stack.components("CeleryExecutor")


def test_config_reads_the_broker_and_concurrency_from_the_environment(tmp_path: Path) -> None:
    config = stack.StackConfig.from_env(
        {
            "AIRFLOW_HOME": str(tmp_path),
            "AIRFLOW_CELERY_BROKER_URL": "redis://broker.internal:6379/1",
            "AIRFLOW_CELERY_WORKER_CONCURRENCY": "8",
        }
    )
    assert (config.broker_url, config.worker_concurrency) == ("redis://broker.internal:6379/1", 8)
    assert stack.StackConfig.from_env({"AIRFLOW_HOME": str(tmp_path)}).broker_url is None
