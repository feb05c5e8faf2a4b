"""Alert delivery (webhook from an Airflow connection, no-op without one) and fetch batching."""

from __future__ import annotations

import asyncio
import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from newswire import notify
from newswire.config import ConfigError
from newswire.ops.batches import batch_members, batch_size_from_env, plan_batches

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append(json.loads(body))
            self.send_response(500 if self.path.endswith("/broken") else 200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/newswire", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def tass_common(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(ROOT / "dags"))
    sys.modules.pop("tass_common", None)
    import tass_common

    return tass_common


def _context(error: BaseException) -> dict[str, Any]:
    return {
        "ti": SimpleNamespace(task_id="fetch"),
        "dag_run": SimpleNamespace(dag_id="tass_ingest", run_id="scheduled__2026-01-02"),
        "exception": error,
    }


def test_failure_alert_goes_to_the_connection_webhook(
    tass_common, webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, received = webhook
    monkeypatch.setenv(
        "AIRFLOW_CONN_NEWSWIRE_ALERTS", json.dumps({"conn_type": "http", "host": url})
    )
    assert tass_common.notify_task_failure(_context(RuntimeError("all 12 fetches: HTTP 403")))
    (alert,) = received
    assert alert["kind"] == "task_failed"
    assert (alert["dag_id"], alert["dag_run_id"], alert["task_id"]) == (
        "tass_ingest",
        "scheduled__2026-01-02",
        "fetch",
    )
    assert alert["error"] == "RuntimeError: all 12 fetches: HTTP 403"
    assert alert["text"].startswith("[newswire] task_failed: tass_ingest / scheduled__2026-01-02")


def test_no_connection_means_no_alert_and_no_error(
    tass_common, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AIRFLOW_CONN_NEWSWIRE_ALERTS", raising=False)
    assert tass_common.alert_webhook_url() is None
    assert tass_common.notify_task_failure(_context(RuntimeError("boom"))) is False


def test_an_unreachable_or_failing_webhook_never_raises(webhook) -> None:
    url, received = webhook
    alert = notify.task_failed_alert("d", "r", "t", "x")
    assert notify.send(url + "/broken", alert) is False
    assert len(received) == 1  # it was tried
    assert notify.send("http://127.0.0.1:9/nothing-listens", alert, timeout=2) is False


def test_deadline_alert_from_the_triggerer_context(
    tass_common, webhook, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, received = webhook
    monkeypatch.setenv("AIRFLOW_CONN_NEWSWIRE_ALERTS", url)  # URI form
    context = {
        "dag_run": {"dag_id": "tass_ingest", "dag_run_id": "scheduled__x", "state": "running"},
        "deadline": {"id": "1", "deadline_time": "2026-01-02T06:00:00+00:00"},
    }
    assert asyncio.run(tass_common.alert_deadline_missed(context=context))
    (alert,) = received
    assert alert["kind"] == "deadline_missed"
    assert "2026-01-02T06:00:00+00:00" in alert["summary"] and "running" in alert["summary"]


@pytest.mark.parametrize(
    ("conn_type", "host", "schema", "port", "extra", "expected"),
    [
        (
            "http",
            "hooks.example.org",
            "services/x",
            None,
            None,
            "http://hooks.example.org/services/x",
        ),
        ("https", "hooks.example.org", "a/b", 8443, None, "https://hooks.example.org:8443/a/b"),
        ("http", "https://full.example.org/h", None, None, None, "https://full.example.org/h"),
        ("http", None, None, None, '{"url": "https://x.example.org/y"}', "https://x.example.org/y"),
        ("http", None, None, None, None, None),
    ],
)
def test_webhook_url_from_connection_forms(conn_type, host, schema, port, extra, expected) -> None:
    assert notify.webhook_url(conn_type, host, schema, port, extra) == expected


def test_a_50000_article_backfill_stays_under_max_map_length() -> None:
    plan = plan_batches(50_000, batch_size=20, max_map_length=1024)
    assert plan.batch_count == 1024  # capped: batches grow instead
    assert plan.batch_size * plan.batch_count >= 50_000
    assert len(plan.batches()) == 1024
    default = plan_batches(50_000)
    assert default.batch_count == 250 and default.batch_size == 200
    assert plan_batches(0).batch_count == 1
    assert plan_batches(20, batch_size=8).batch_count == 3


def test_batches_partition_the_ids_exactly() -> None:
    ids = list(range(1_892_000, 1_892_997))
    plan = plan_batches(len(ids), batch_size=100)
    members = [batch_members(ids, b["index"], b["count"]) for b in plan.batches()]
    assert sorted(i for m in members for i in m) == ids
    assert max(len(m) for m in members) - min(len(m) for m in members) <= 1
    with pytest.raises(ValueError):
        batch_members(ids, plan.batch_count, plan.batch_count)


def test_batch_size_setting_is_validated() -> None:
    assert batch_size_from_env({"NEWSWIRE_FETCH_BATCH_SIZE": "50"}) == 50
    with pytest.raises(ConfigError, match="NEWSWIRE_FETCH_BATCH_SIZE='0'"):
        batch_size_from_env({"NEWSWIRE_FETCH_BATCH_SIZE": "0"})
