"""Chaos on the native stack: a run survives a killed worker, a restarted warehouse and a
restarted scheduler, and ends with the articles of a clean run and no duplicate.

One stack (CeleryExecutor, `devtools.stack.up`) serves the module. The warehouse is a
throw-away PostgreSQL started here with `pg_ctl` on a port of its own, so restarting it
touches no shared server. Tasks get one retry and a short heartbeat timeout, so a task
whose worker died is noticed and retried within the test's bounds. Each test triggers a
run of the same window, does its damage at a chosen moment, waits for the run and compares
`articles` with the clean run's. Runs only where the server Postgres (127.0.0.1:5432) and
Redis (127.0.0.1:6379) answer; select with `-m chaos`.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from newswire.migrate import apply_migrations

from devtools import stack
from devtools.testsite.server import TassTestSite
from tests.dags.airflow_api import AirflowApi
from tests.dags.test_operator_e2e import _fixture_ids

SINCE, UNTIL = "2024-12-26", "2024-12-27"
BROKER_URL = "redis://127.0.0.1:6379/0"
RUN_TIMEOUT = 420.0
# The articles' content, without the times of fetching (which differ between runs).
CONTENT = (
    "SELECT source, external_id, url, section, headline, lead, dateline, published_at,"
    " modified_at, body, language, content_hash FROM articles ORDER BY source, external_id"
)


def _answers(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1.0)
        return sock.connect_ex((host, port)) == 0


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return versions[-1].parent if versions else None


PG_BIN = _pg_bin()
pytestmark = [
    pytest.mark.chaos,
    pytest.mark.airflow,
    pytest.mark.db,
    pytest.mark.skipif(
        not _answers("127.0.0.1", 5432), reason="no server Postgres answers on 127.0.0.1:5432"
    ),
    pytest.mark.skipif(
        not stack.redis_answers(BROKER_URL), reason=f"no Redis answers at {BROKER_URL}"
    ),
    pytest.mark.skipif(PG_BIN is None, reason="no pg_ctl/initdb for a throw-away warehouse"),
]


def _as_server_user(command: list[str]) -> list[str]:
    """Postgres refuses to run as root: there, run `command` as the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", shlex.join(command)]


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temp dir, on a free port, that a test may restart."""

    def __init__(self) -> None:
        assert PG_BIN is not None
        # Not under pytest's (root-only) temp dir: the server user must reach it.
        self.root = Path(tempfile.mkdtemp(prefix="newswire-chaos-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self.port = stack.free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        initdb = [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
        subprocess.run(_as_server_user(initdb), check=True, capture_output=True, timeout=120)
        self.start()

    def _ctl(self, *args: str) -> None:
        assert PG_BIN is not None
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        command = [str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w",
                   "-o", options, *args]  # fmt: skip
        subprocess.run(_as_server_user(command), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._ctl("start")

    def stop(self) -> None:
        self._ctl("stop", "-m", "fast")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="module")
def warehouse() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    try:
        apply_migrations(server.url)
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="module")
def site() -> Iterator[TassTestSite]:
    with TassTestSite() as test_site:
        yield test_site


@pytest.fixture(scope="module")
def stack_config(
    tmp_path_factory: pytest.TempPathFactory,
    metadata_db: str,
    warehouse: ThrowawayPostgres,
    site: TassTestSite,
) -> stack.StackConfig:
    return stack.StackConfig(
        airflow_home=tmp_path_factory.mktemp("airflow_home_chaos"),
        api_port=0,
        admin_password="chaos-" + uuid.uuid4().hex[:8],
        metadata_db_url=metadata_db,
        broker_url=BROKER_URL,
        worker_concurrency=4,
        pool_slots=2,
        extra_env={
            "NEWS_DB_URL": warehouse.url,
            "AIRFLOW_CONN_NEWS_DB": "",
            "TASS_BASE_URL": site.base_url,
            # Slow enough that a fetch batch is still running when the worker is killed.
            "TASS_REQUEST_INTERVAL": "0.3",
            "TASS_CONCURRENCY": "2",
            "TASS_MAX_ATTEMPTS": "2",
            "TASS_RETRY_BACKOFF": "0.01",
            "NEWSWIRE_TASK_RETRIES": "1",
            "NEWSWIRE_FETCH_BATCH_SIZE": "8",
            "NEWSWIRE_DEADLINE_HOURS": "0",
            # A dead worker's task is noticed within seconds, not the default minutes.
            "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "20",
            # A task the killed worker had taken but not started stays `queued` (its Celery
            # message died unacknowledged): requeued after 30 s instead of 10 minutes.
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "30",
            "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "10",
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"newswire-chaos-{uuid.uuid4().hex[:8]}",
        },
    )


def _empty(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename NOT LIKE 'schema_migrations%' AND tablename NOT LIKE '\\_yoyo%'"
        )]  # fmt: skip
        if tables:
            conn.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")


def _content(url: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(CONTENT).fetchall()


def _run(
    api: AirflowApi,
    warehouse: ThrowawayPostgres,
    damage: Callable[[str], None] | None,
    tries: dict[str, int] | None = None,
) -> tuple[str, list[tuple[Any, ...]], float]:
    """Empty the warehouse, trigger a run, do `damage(run_id)`, wait; state, content, time.
    `tries` receives each task's last try number."""
    _empty(warehouse.url)
    run_id = f"chaos_{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    api.trigger(run_id, {"since": SINCE, "until": UNTIL})
    if damage is not None:
        damage(run_id)
    state = api.wait_for_run(run_id, timeout=RUN_TIMEOUT)
    if tries is not None:
        for ti in api.task_instances(run_id):
            tries[ti["task_id"]] = max(tries.get(ti["task_id"], 0), int(ti["try_number"]))
    return state, _content(warehouse.url), time.monotonic() - started


def _wait_task_state(
    api: AirflowApi, run_id: str, task_id: str, states: set[str], timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(t == task_id and s in states for t, _, s in api.tasks(run_id)):
            return
        time.sleep(0.2)  # polls the API; nothing else to wait on
    raise AssertionError(f"{task_id} never reached {states}: {api.tasks(run_id)}")


def _wait_task_running(api: AirflowApi, run_id: str, task_id: str) -> None:
    _wait_task_state(api, run_id, task_id, {"running"})


def _restart(config: stack.StackConfig, state: stack.StackState, name: str) -> None:
    """Start component `name` again as `up` did, recording its pid for `down`."""
    env = stack.airflow_env(config, state.executor, config.metadata_db_url or "")
    worker = None
    if state.executor == "CeleryExecutor":
        assert state.worker_name and state.celery_queue
        worker = stack.worker_args(state.worker_name, state.celery_queue, config.worker_concurrency)
    args = stack.components(state.executor, worker)[name]
    with Path(state.logs[name]).open("ab") as log_file:
        process = subprocess.Popen(
            [str(Path(stack._airflow_bin())), *args], env=env, stdout=log_file,
            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
    state.pids[name] = process.pid
    (config.state_dir / f"{name}.pid").write_text(f"{process.pid}\n")


def _kill(state: stack.StackState, name: str, sig: signal.Signals) -> None:
    pid = state.pids[name]
    os.killpg(pid, sig)
    deadline = time.monotonic() + 30
    while stack.is_alive(pid):
        assert time.monotonic() < deadline, f"{name} outlived {sig.name}"
        time.sleep(0.1)  # polls the process table


def _killed_during_fetch(
    api: AirflowApi, state: stack.StackState, config: stack.StackConfig, name: str
) -> Callable[[str], None]:
    """The damage of a run: once a fetch batch runs, SIGKILL component `name` and start
    it again."""

    def damage(run_id: str) -> None:
        _wait_task_running(api, run_id, "fetch")
        _kill(state, name, signal.SIGKILL)
        _restart(config, state, name)

    return damage


@pytest.fixture(scope="module")
def clean(api: AirflowApi, warehouse: ThrowawayPostgres) -> list[tuple[Any, ...]]:
    """The articles of an undisturbed run of the window."""
    state, content, took = _run(api, warehouse, None)
    print(f"clean run: {state} in {took:.0f}s")
    assert state == "success"
    assert {row[1] for row in content} == _fixture_ids(SINCE, UNTIL)
    return content


def _check(state: str, content: list[tuple[Any, ...]], clean: list[tuple[Any, ...]]) -> None:
    assert state == "success"
    keys = [(row[0], row[1]) for row in content]
    assert len(keys) == len(set(keys)), "duplicate articles"
    assert content == clean


def test_sigkill_of_the_celery_worker_during_fetch(
    api: AirflowApi,
    warehouse: ThrowawayPostgres,
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    clean: list[tuple[Any, ...]],
) -> None:
    damage = _killed_during_fetch(api, running_stack, stack_config, "worker")
    tries: dict[str, int] = {}
    state, content, took = _run(api, warehouse, damage, tries)
    print(f"worker SIGKILL during fetch: {state} in {took:.0f}s, fetch tries {tries['fetch']}")
    assert tries["fetch"] >= 2, "no fetch batch was retried: the kill hit nothing"
    _check(state, content, clean)


def test_warehouse_restart_during_load(
    api: AirflowApi, warehouse: ThrowawayPostgres, clean: list[tuple[Any, ...]]
) -> None:
    tries: dict[str, int] = {}

    def damage(run_id: str) -> None:
        # Down as soon as load is handed to a worker (or runs), up again 8 s later: load's
        # connection dies or cannot be made, so its first try must fail.
        _wait_task_state(api, run_id, "load", {"scheduled", "queued", "running"})
        warehouse.stop()
        down = threading.Event()
        down.wait(8.0)  # the outage itself: nothing to wait for but time
        warehouse.start()

    state, content, took = _run(api, warehouse, damage, tries)
    print(f"warehouse restart during load: {state} in {took:.0f}s, load tries {tries['load']}")
    assert tries["load"] >= 2, "the outage missed load: it succeeded on its first try"
    _check(state, content, clean)


def test_scheduler_restart_mid_run(
    api: AirflowApi,
    warehouse: ThrowawayPostgres,
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    clean: list[tuple[Any, ...]],
) -> None:
    damage = _killed_during_fetch(api, running_stack, stack_config, "scheduler")
    state, content, took = _run(api, warehouse, damage)
    print(f"scheduler restart mid-run: {state} in {took:.0f}s")
    _check(state, content, clean)
