"""The operator's end-to-end test: the native stack, driven as an operator drives it.

Starts api-server, scheduler, dag-processor and triggerer against a fresh Postgres
metadata database by the rule of `make airflow-up`: plus a Celery worker on the
CeleryExecutor when a Redis answers at AIRFLOW_CELERY_BROKER_URL (here by default
redis://127.0.0.1:6379/0), else on the LocalExecutor. Unpauses `tass_ingest`; triggers
runs through REST API v2 with a window against the local TASS test site and polls them to
their end; checks the warehouse and `ingest_runs`; checks the scheduler fires the deadline
alert of a run that overran a few-second deadline; makes the site answer 403 to every
article and checks the run fails, its task log (fetched through the API) names the cause
and the alert webhook is told; runs the documented `airflow backfill create` for three
days; signs in to the UI in headless Chromium and keeps a screenshot of the runs under
artifacts/; on Celery, checks the worker ran every task and that `make airflow-worker`'s
command adds a second worker; stops everything, extra worker included.

The tests share one stack (one start-up for both executors' checks) and run in file order
(`-m operator` selects them); the Celery-only ones skip, saying so, when no Redis answers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
from newswire.models import Window

from devtools import stack
from devtools.testsite import load_fixture_articles
from devtools.testsite.server import TassTestSite
from tests.conftest import truncate_all
from tests.dags.airflow_api import DAG_ID, RUN_TIMEOUT, AirflowApi
from tests.dags.browser import Browser, chromium_path
from tests.helpers import stored_ids

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOT = ARTIFACTS / "airflow-ui-tass_ingest-runs.png"
# 0.001 h = 3.6 s after the run is queued: every run of this stack overruns it, so the
# scheduler must create, miss and hand the deadline to the triggerer's callback.
TINY_DEADLINE_HOURS = "0.001"
BROKER_URL = os.environ.get("AIRFLOW_CELERY_BROKER_URL") or "redis://127.0.0.1:6379/0"
ON_CELERY = stack.redis_answers(BROKER_URL)
celery_only = pytest.mark.skipif(
    not ON_CELERY,
    reason=f"no Redis answers at {BROKER_URL} (set AIRFLOW_CELERY_BROKER_URL): LocalExecutor",
)

pytestmark = [pytest.mark.operator, pytest.mark.airflow, pytest.mark.db]


# --------------------------------------------------------------------------- helpers


class AlertReceiver:
    """A loopback webhook that keeps every JSON alert posted to it."""

    def __init__(self) -> None:
        self.alerts: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                receiver.alerts.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/newswire"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _ingest_run(db_url: str, dag_run_id: str) -> dict[str, Any]:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            "SELECT state, window_start, window_end, discovered, fetched, parsed, inserted,"
            " failed, message FROM ingest_runs WHERE dag_id = %s AND dag_run_id = %s",
            (DAG_ID, dag_run_id),
        ).fetchone()
    assert row is not None, f"no ingest_runs row for {dag_run_id}"
    keys = "state window_start window_end discovered fetched parsed inserted failed message"
    return dict(zip(keys.split(), row, strict=True))


def _fixture_ids(since: str, until: str) -> set[int]:
    window = Window.parse(since, until)
    return {r.external_id for r in load_fixture_articles() if window.contains(r.published)}


def wait_for_alerts(
    alerts: AlertReceiver, kind: str, dag_run_id: str, timeout: float = 60.0
) -> list[dict[str, Any]]:
    """The alerts of `kind` posted for `dag_run_id`, waiting up to `timeout` for one."""
    deadline = time.monotonic() + timeout
    while True:
        found = [a for a in alerts.alerts if a["kind"] == kind and a["dag_run_id"] == dag_run_id]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.5)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def site() -> Iterator[TassTestSite]:
    with TassTestSite() as test_site:
        yield test_site


@pytest.fixture(scope="module")
def alerts() -> Iterator[AlertReceiver]:
    receiver = AlertReceiver()
    yield receiver
    receiver.close()


@pytest.fixture(scope="module")
def warehouse(warehouse_url: str) -> str:
    truncate_all(warehouse_url)
    return warehouse_url


@pytest.fixture(scope="module")
def stack_config(
    tmp_path_factory: pytest.TempPathFactory,
    metadata_db: str,
    warehouse: str,
    site: TassTestSite,
    alerts: AlertReceiver,
) -> stack.StackConfig:
    config = stack.StackConfig(
        airflow_home=tmp_path_factory.mktemp("airflow_home"),
        api_port=0,
        admin_user="admin",
        admin_password="e2e-" + uuid.uuid4().hex[:8],
        metadata_db_url=metadata_db,
        broker_url=BROKER_URL,
        worker_concurrency=4,
        pool_slots=2,
        extra_env={
            "NEWS_DB_URL": warehouse,
            "AIRFLOW_CONN_NEWS_DB": "",
            "AIRFLOW_CONN_NEWSWIRE_ALERTS": json.dumps({"conn_type": "http", "host": alerts.url}),
            "TASS_BASE_URL": site.base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": "4",
            "TASS_RETRY_BACKOFF": "0.01",
            "TASS_MAX_ATTEMPTS": "2",
            "TASS_READ_TIMEOUT": "10",
            "NEWSWIRE_TASK_RETRIES": "0",
            # Small batches, so a 20-article window really maps fetch over several tasks.
            "NEWSWIRE_FETCH_BATCH_SIZE": "8",
            "NEWSWIRE_DEADLINE_HOURS": TINY_DEADLINE_HOURS,
            # A queue of its own, so another stack sharing this Redis never takes our tasks.
            "AIRFLOW__OPERATORS__DEFAULT_QUEUE": f"newswire-test-{uuid.uuid4().hex[:8]}",
        },
    )
    return config


@pytest.fixture(scope="module")
def extra_worker() -> Iterator[dict[str, subprocess.Popen[bytes]]]:
    """Holds the `stack worker` process a test starts; ended at teardown if still running."""
    started: dict[str, subprocess.Popen[bytes]] = {}
    yield started
    for process in started.values():
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=60)


# --------------------------------------------------------------------------- tests


def test_the_executor_follows_the_broker(
    running_stack: stack.StackState, stack_config: stack.StackConfig
) -> None:
    core = {"api-server", "scheduler", "dag-processor", "triggerer"}
    if not ON_CELERY:
        assert running_stack.executor == "LocalExecutor"
        assert running_stack.executor_reason == f"no Redis answers at {BROKER_URL}"
        assert set(running_stack.pids) == core
        return
    assert running_stack.executor == "CeleryExecutor", running_stack.executor_reason
    assert set(running_stack.pids) == core | {"worker"}
    queue = stack_config.extra_env["AIRFLOW__OPERATORS__DEFAULT_QUEUE"]
    assert running_stack.celery_queue == queue
    env = stack.airflow_env(stack_config, "CeleryExecutor", stack_config.metadata_db_url or "")
    assert env["AIRFLOW__CELERY__BROKER_URL"] == BROKER_URL
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"] == "db+" + stack_config.metadata_db_url
    workers = stack.celery_workers(env, stack_config.state_dir / "setup.log")
    assert workers.get(running_stack.worker_name or "") == [queue], workers


def test_triggered_run_succeeds_and_fills_the_warehouse(api: AirflowApi, warehouse: str) -> None:
    since, until = "2024-12-26", "2024-12-27"
    api.trigger("e2e_success", {"since": since, "until": until})
    state = api.wait_for_run("e2e_success")
    assert state == "success", api.tasks("e2e_success")

    expected = _fixture_ids(since, until)
    assert len(expected) == 20
    assert stored_ids(warehouse) == expected
    row = _ingest_run(warehouse, "e2e_success")
    assert row["state"] == "success"
    assert (row["discovered"], row["fetched"], row["parsed"], row["inserted"]) == (20, 20, 20, 20)
    assert row["window_start"] == datetime.fromisoformat("2024-12-26T00:00:00+00:00")

    tasks = api.tasks("e2e_success")
    fetches = [t for t in tasks if t[0] == "fetch"]
    assert [t[1] for t in fetches] == [0, 1, 2], "20 articles in batches of 8 map to 3 tasks"
    assert all(t[2] == "success" for t in tasks)
    summary = api.log_text("e2e_success", "summarise")
    assert "discovered  20" in summary and "inserted    20" in summary
    quality = api.log_text("e2e_success", "check_quality")
    assert "stored_vs_discovered" in quality and "extraction_failure_rate" in quality


@celery_only
def test_the_celery_worker_ran_every_task_of_the_run(
    api: AirflowApi, running_stack: stack.StackState
) -> None:
    instances = api.task_instances("e2e_success")
    assert {t["queue"] for t in instances} == {running_stack.celery_queue}
    # The worker's log names every task instance of the run it was handed and executed.
    worker_log = Path(running_stack.logs["worker"]).read_text(errors="replace")
    executed = {
        (m["task"], int(m["map"]))
        for m in re.finditer(
            r"Executing workload in Celery: .*?task_id='(?P<task>[^']+)',"
            rf" dag_id='{DAG_ID}', run_id='e2e_success',.*?map_index=(?P<map>-?\d+)",
            worker_log,
        )
    }
    assert executed == {(t["task_id"], t["map_index"]) for t in instances}, worker_log[-3000:]
    assert ("fetch", 2) in executed


def test_deadline_alert_fires_when_a_run_overruns_its_deadline(
    api: AirflowApi, alerts: AlertReceiver
) -> None:
    # e2e_success ran for longer than the stack's 3.6 s deadline and still succeeded: the
    # scheduler created the deadline, missed it and the triggerer ran the DAG's callback.
    run = api.request("GET", f"/dags/{DAG_ID}/dagRuns/e2e_success")
    assert run["state"] == "success"
    late = wait_for_alerts(alerts, "deadline_missed", "e2e_success")
    assert len(late) == 1, alerts.alerts
    (alert,) = late
    assert alert["dag_id"] == DAG_ID
    deadline = datetime.fromisoformat(alert["details"]["deadline"])
    queued = datetime.fromisoformat(run["queued_at"])
    assert abs((deadline - queued).total_seconds() - 3.6) < 0.01, (deadline, queued)
    assert alert["details"]["state"] in ("queued", "running")
    assert datetime.fromisoformat(run["end_date"]) > deadline, "the run did overrun it"
    assert "not finished by its deadline" in alert["summary"]


def test_blocked_run_fails_and_its_log_names_the_cause(
    api: AirflowApi, warehouse: str, site: TassTestSite, alerts: AlertReceiver
) -> None:
    from devtools.testsite import faults

    fault = "persistent_403" if "persistent_403" in faults.FAULT_NAMES else "403"
    before = stored_ids(warehouse)
    site.faults.add(fault)
    try:
        api.trigger("e2e_blocked", {"since": "2025-10-27", "until": "2025-10-28"})
        state = api.wait_for_run("e2e_blocked")
    finally:
        site.faults.discard(fault)
    assert state == "failed"

    failed = [t for t in api.tasks("e2e_blocked") if t[2] == "failed"]
    assert failed, api.tasks("e2e_blocked")
    task_id, map_index, _ = failed[0]
    log_text = api.log_text("e2e_blocked", task_id, map_index)
    assert "403" in log_text, log_text[-3000:]

    row = _ingest_run(warehouse, "e2e_blocked")
    assert row["state"] == "failed" and "403" in (row["message"] or "")
    assert stored_ids(warehouse) == before, "a blocked run must not touch stored articles"
    failure_alerts = wait_for_alerts(alerts, "task_failed", "e2e_blocked", timeout=30)
    assert failure_alerts, alerts.alerts
    assert "403" in failure_alerts[0]["error"]


def test_clearing_fetch_after_the_block_is_lifted_stores_every_article(
    api: AirflowApi, warehouse: str, site: TassTestSite
) -> None:
    """The blocked run above, cleared from its fetch task once TASS answers again: the
    batch asks again for every page it was refused, and the whole window is stored."""
    assert _ingest_run(warehouse, "e2e_blocked")["state"] == "failed"
    assert not site.faults  # the block is lifted
    # reset_dag_runs would trip Airflow 3.3.2's deadline recalculation (a TypeError in the
    # API server); the run is put back in the queue with a PATCH instead.
    api.request(
        "POST",
        f"/dags/{DAG_ID}/clearTaskInstances",
        json={
            "dry_run": False,
            "dag_run_id": "e2e_blocked",
            "task_ids": ["fetch"],
            "include_downstream": True,
            "only_failed": False,
            "reset_dag_runs": False,
        },
    )
    api.request("PATCH", f"/dags/{DAG_ID}/dagRuns/e2e_blocked", json={"state": "queued"})
    assert api.wait_for_run("e2e_blocked") == "success", api.tasks("e2e_blocked")
    row = _ingest_run(warehouse, "e2e_blocked")
    assert row["state"] == "success", row
    assert row["discovered"] > 0 and row["fetched"] == row["discovered"], row
    with psycopg.connect(warehouse) as conn:
        statuses = dict(
            conn.execute(
                "SELECT ra.external_id, ra.status FROM run_articles ra JOIN ingest_runs r"
                " ON r.id = ra.ingest_run_id WHERE r.dag_run_id = 'e2e_blocked'"
            ).fetchall()
        )
    assert set(statuses.values()) == {"loaded"}, statuses  # every refused page came back
    assert set(statuses) <= stored_ids(warehouse)


def test_backfill_of_three_days(
    api: AirflowApi,
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    warehouse: str,
) -> None:
    env = stack.airflow_env(
        stack_config, running_stack.executor, stack_config.metadata_db_url or ""
    )
    airflow = Path(sys.executable).with_name("airflow")
    # Nightly runs at 01:00 UTC ingest the previous day: these three ingest Jan 2, 3 and 4.
    done = subprocess.run(
        [str(airflow), "backfill", "create", "--dag-id", DAG_ID,
         "--from-date", "2026-01-03", "--to-date", "2026-01-05T23:00:00+00:00",
         "--max-active-runs", "3"],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]

    deadline = time.monotonic() + 2 * RUN_TIMEOUT
    runs: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        runs = api.request(
            "GET", f"/dags/{DAG_ID}/dagRuns", params={"run_type": "backfill", "limit": 10}
        )["dag_runs"]
        if len(runs) == 3 and all(r["state"] in ("success", "failed") for r in runs):
            break
        time.sleep(2)
    assert sorted(r["state"] for r in runs) == ["success"] * 3, runs

    windows = []
    for run in runs:
        row = _ingest_run(warehouse, run["dag_run_id"])
        assert row["state"] == "success"
        windows.append(row["window_start"].date().isoformat())
    assert sorted(windows) == ["2026-01-02", "2026-01-03", "2026-01-04"]
    assert _fixture_ids("2026-01-02", "2026-01-05") <= stored_ids(warehouse)


@pytest.mark.skipif(chromium_path() is None, reason="Chromium is not installed")
def test_ui_shows_the_runs_after_signing_in(
    api: AirflowApi,
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    tmp_path: Path,
) -> None:
    base = running_stack.base_url
    with Browser(tmp_path / "chromium-profile") as browser:
        browser.goto(f"{base}/dags/{DAG_ID}/runs")
        browser.wait_for("document.querySelector('input[name=username]')", what="sign-in form")
        browser.type_into("input[name=username]", stack_config.admin_user)
        browser.type_into("input[name=password]", stack_config.admin_password)
        browser.click("button[type=submit]")
        browser.wait_for("!location.pathname.startsWith('/auth')", what="leaving the sign-in page")
        browser.goto(f"{base}/dags/{DAG_ID}/runs")
        browser.wait_for(
            "document.body.innerText.includes('e2e_success')", what="the successful run"
        )
        browser.wait_for(  # the table has rendered both runs' state badges
            "(t => t.includes('e2e_blocked') && /success/i.test(t) && /failed/i.test(t))"
            "(document.body.innerText)",
            what="both runs with their state badges",
        )
        shot = browser.screenshot(SCREENSHOT)
        text = browser.text()
    assert "e2e_success" in text and "e2e_blocked" in text
    assert "success" in text.lower() and "failed" in text.lower()
    assert shot.stat().st_size > 10_000


@celery_only
def test_an_extra_worker_joins_the_queue(
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    extra_worker: dict[str, subprocess.Popen[bytes]],
) -> None:
    # `make airflow-worker` beside the stack, with the operator's settings but no broker
    # URL: the worker finds the stack's broker in the stack folder.
    env = {
        **{k: v for k, v in os.environ.items() if k != "AIRFLOW_CELERY_BROKER_URL"},
        **stack_config.extra_env,
        "AIRFLOW_HOME": str(stack_config.airflow_home),
        "AIRFLOW_DB_URL": stack_config.metadata_db_url or "",
        "AIRFLOW_CELERY_WORKER_CONCURRENCY": "1",
        "PYTHONPATH": str(ROOT / "plugins"),
    }
    log_path = stack_config.state_dir / "extra-worker.log"
    with log_path.open("wb") as out:
        extra_worker["process"] = subprocess.Popen(
            [sys.executable, "-m", "devtools.stack", "worker"],
            env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
        )  # fmt: skip
    airflow_env = stack.airflow_env(
        stack_config, "CeleryExecutor", stack_config.metadata_db_url or ""
    )
    deadline = time.monotonic() + 90
    workers: dict[str, list[str]] = {}
    while time.monotonic() < deadline:
        assert extra_worker["process"].poll() is None, log_path.read_text(errors="replace")
        workers = stack.celery_workers(airflow_env, stack_config.state_dir / "setup.log")
        if sum(running_stack.celery_queue in q for q in workers.values()) == 2:
            break
        time.sleep(1)
    else:
        raise AssertionError(f"no second worker on {running_stack.celery_queue}: {workers}")
    assert len(list(stack_config.state_dir.glob("worker-extra*.pid"))) == 1


def test_stack_stops_cleanly(
    running_stack: stack.StackState,
    stack_config: stack.StackConfig,
    extra_worker: dict[str, subprocess.Popen[bytes]],
) -> None:
    extras = {
        path.stem: int(path.read_text()) for path in stack_config.state_dir.glob("*-extra*.pid")
    }
    stopped = stack.down(stack_config)
    assert set(stopped) == set(running_stack.pids) | set(extras)
    if "process" in extra_worker:  # `make airflow-worker` ends when its worker is stopped
        assert extra_worker["process"].wait(timeout=60) is not None
    for pid in [*running_stack.pids.values(), *extras.values()]:
        assert not stack.is_alive(pid)
        with pytest.raises(ProcessLookupError):
            os.killpg(pid, 0)
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{running_stack.base_url}/api/v2/monitor/health", timeout=2)
