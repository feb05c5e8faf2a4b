"""`make demo` while `make airflow-demo` runs: the run goes to the stack (its UI), and a
stack asking anything but the local test site is not used (issue #12)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import httpx
import psycopg
import pytest
from newswire import pipeline
from newswire.cli import demo
from newswire.cli.stack_run import StackClient, is_test_site
from newswire.config import Settings
from newswire.models import Window

from devtools.testsite.server import TassTestSite

SINCE, UNTIL = "2024-12-26", "2024-12-27"  # 20 articles of the test site


class StackThatRuns:
    """REST v2 as the stack answers it; a triggered run does what tass_ingest's tasks do,
    here in this process, so the run lands in the warehouse under its dag_run_id."""

    def __init__(self, db_url: str, settings: Settings) -> None:
        self.db_url, self.settings = db_url, settings
        self.triggered: list[dict[str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path
        if request.method == "GET" and path == "/api/v2/dags/tass_ingest":
            return httpx.Response(200, json={"is_paused": False})
        if request.method == "POST" and path == "/api/v2/dags/tass_ingest/dagRuns":
            conf = json.loads(request.content)["conf"]
            self.triggered.append(conf)
            self._run(Window.parse(conf["since"], conf["until"]))
            return httpx.Response(200, json={"dag_run_id": "manual__demo"})
        if request.method == "GET" and path == "/api/v2/dags/tass_ingest/dagRuns/manual__demo":
            return httpx.Response(200, json={"state": "success"})
        return httpx.Response(404, json={})

    def _run(self, window: Window) -> None:
        run_id = pipeline.begin(
            self.db_url, self.settings, window, dag_id="tass_ingest", dag_run_id="manual__demo"
        )
        pipeline.discover_stage(self.db_url, self.settings, run_id)
        pipeline.fetch_stage(self.db_url, self.settings, run_id)
        pipeline.parse_stage(self.db_url, run_id)
        pipeline.load_stage(self.db_url, run_id)
        pipeline.finish(self.db_url, run_id)


def _args(via: str = "auto") -> argparse.Namespace:
    return argparse.Namespace(since=SINCE, until=UNTIL, via=via)


@pytest.fixture
def demo_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    monkeypatch.setenv("NEWSWIRE_DATA_DIR", str(tmp_path / "data"))
    return db_url


def _on_stack(
    monkeypatch: pytest.MonkeyPatch, db_url: str, settings: Settings, site: str
) -> StackThatRuns:
    """A stack that runs into `db_url` and whose workers ask `site`, as the demo finds it."""
    api = StackThatRuns(db_url, settings)
    client = httpx.Client(transport=httpx.MockTransport(api))
    stack = StackClient("http://stack", "tok", client, sleep=lambda s: None)
    monkeypatch.setattr(demo, "running_stack", lambda: stack)
    monkeypatch.setattr(demo, "stack_sites", lambda: {"tass.com": site})
    monkeypatch.setattr(
        demo, "is_test_site", lambda url, _client: is_test_site(url, httpx.Client())
    )
    return api


def test_the_demo_runs_on_a_stack_that_asks_the_test_site(
    demo_env: str,
    site_settings: Settings,
    test_site: TassTestSite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _on_stack(monkeypatch, demo_env, site_settings, test_site.base_url)

    assert demo.cmd_demo(_args()) == 0

    out = capsys.readouterr().out
    assert api.triggered == [
        {"since": "2024-12-26T00:00:00+00:00", "until": "2024-12-27T00:00:00+00:00"}
    ]
    assert "runs there and shows in its UI" in out
    assert "triggered tass_ingest run manual__demo on the stack" in out
    assert ": success\n" in out and "\n  inserted    20\n" in out  # the run summary
    assert "Newest five DPRK-related headlines" in out and "demo finished" in out
    with psycopg.connect(demo_env) as conn:
        rows = conn.execute("SELECT dag_run_id, state, inserted FROM ingest_runs").fetchall()
    assert rows == [("manual__demo", "success", 20)]


class _NotTheTestSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"User-agent: *\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def other_site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotTheTestSite)
    Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_stack_asking_another_site_is_refused_with_via_stack(
    demo_env: str,
    site_settings: Settings,
    other_site: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _on_stack(monkeypatch, demo_env, site_settings, other_site)

    assert demo.cmd_demo(_args("stack")) == 2

    err = capsys.readouterr().err
    assert f"asks {other_site} for tass.com, not the local test site" in err
    assert "make airflow-demo" in err
    assert api.triggered == []
    with psycopg.connect(demo_env) as conn:
        assert conn.execute("SELECT count(*) FROM ingest_runs").fetchone() == (0,)


def test_a_stack_asking_another_site_makes_the_demo_fall_back_saying_so(
    other_site: str,
    site_settings: Settings,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    api = _on_stack(monkeypatch, db_url, site_settings, other_site)

    assert demo.demo_stack("auto") is None  # → airflow dags test with its own test site

    out = capsys.readouterr().out
    assert "so the demo does not use it" in out and "will not show in the stack's UI" in out
    assert api.triggered == []


def test_only_the_test_site_says_it_is_one(test_site: TassTestSite, other_site: str) -> None:
    with httpx.Client() as client:
        assert is_test_site(test_site.base_url, client)
        assert not is_test_site(other_site, client)
        assert not is_test_site("http://127.0.0.1:9", client)  # nothing answers


def test_a_site_beyond_loopback_is_never_asked_whether_it_is_the_test_site() -> None:
    asked: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return httpx.Response(200, headers={"X-Newswire-Test-Site": "1"})

    with httpx.Client(transport=httpx.MockTransport(record)) as client:
        assert not is_test_site("https://tass.com", client)
        assert not is_test_site("http://10.0.0.5:8089", client)
        assert is_test_site("http://127.0.0.1:8089", client)
    assert asked == ["http://127.0.0.1:8089/robots.txt"]
