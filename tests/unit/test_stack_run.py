"""`make ingest` on a running stack: trigger over REST, follow, refuse a paused DAG."""

from __future__ import annotations

import json

import httpx
import pytest
from newswire.cli.stack_run import StackClient, StackRunError
from newswire.models import Window

WINDOW = Window.parse("2024-12-26", "2024-12-27")


class FakeApi:
    """The few REST v2 endpoints the client uses, with a run that goes queued→success."""

    def __init__(self, paused: bool = False, states: tuple[str, ...] = ("queued", "success")):
        self.paused, self.states = paused, list(states)
        self.calls: list[tuple[str, str, object]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content) if request.content else None
        self.calls.append((request.method, request.url.path, body))
        assert request.headers["Authorization"] == "Bearer tok"
        path = request.url.path
        if request.method == "GET" and path == "/api/v2/dags/tass_ingest":
            return httpx.Response(200, json={"is_paused": self.paused})
        if request.method == "POST" and path == "/api/v2/dags/tass_ingest/dagRuns":
            return httpx.Response(200, json={"dag_run_id": "manual__1"})
        if request.method == "GET" and path.endswith("/dagRuns/manual__1"):
            return httpx.Response(200, json={"state": self.states.pop(0)})
        if request.method == "PATCH":
            return httpx.Response(200, json={"state": "failed"})
        return httpx.Response(404, json={})


def _client(api: FakeApi) -> StackClient:
    http = httpx.Client(transport=httpx.MockTransport(api))
    return StackClient("http://api", "tok", http, sleep=lambda s: None)


def test_a_run_is_triggered_with_the_window_and_followed_to_its_end() -> None:
    api = FakeApi(states=("queued", "running", "success"))
    client = _client(api)
    run_id = client.trigger("tass_ingest", WINDOW)
    assert run_id == "manual__1"
    post = next(c for c in api.calls if c[0] == "POST")
    assert post[2] == {
        "logical_date": None,
        "conf": {"since": "2024-12-26T00:00:00+00:00", "until": "2024-12-27T00:00:00+00:00"},
    }
    assert client.follow("tass_ingest", run_id).state == "success"


def test_a_paused_dag_is_refused_before_anything_is_queued() -> None:
    api = FakeApi(paused=True)
    with pytest.raises(StackRunError, match=r"paused.*UNPAUSE=yes"):
        _client(api).trigger("tass_ingest", WINDOW)
    assert [c[0] for c in api.calls] == ["GET"]


def test_an_unknown_dag_says_where_to_look() -> None:
    with pytest.raises(StackRunError, match="dag-processor"):
        _client(FakeApi()).trigger("tass_xx_ingest", WINDOW)


def test_ctrl_c_while_following_marks_the_run_failed_on_the_stack() -> None:
    api = FakeApi(states=("running", "running"))
    client = _client(api)

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    client.sleep = interrupted
    with pytest.raises(KeyboardInterrupt):
        client.follow("tass_ingest", "manual__1")
    assert api.calls[-1] == (
        "PATCH", "/api/v2/dags/tass_ingest/dagRuns/manual__1", {"state": "failed"},
    )  # fmt: skip


class SlowApi(FakeApi):
    """A busy api-server: the first polls time out or answer 503, then the run ends."""

    def __init__(self, misses: list[str], states: tuple[str, ...] = ("success",)) -> None:
        super().__init__(states=states)
        self.misses = misses

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and "/dagRuns/" in request.url.path and self.misses:
            miss = self.misses.pop(0)
            if miss == "timeout":
                raise httpx.ReadTimeout("timed out", request=request)
            return httpx.Response(503, json={})
        return super().__call__(request)


def test_a_poll_the_busy_stack_does_not_answer_is_not_the_end_of_following() -> None:
    api = SlowApi(["timeout", "503", "timeout"])
    client = _client(api)
    assert client.follow("tass_ingest", "manual__1").state == "success"
    assert api.misses == []  # every miss was polled through


def test_following_gives_up_only_after_many_unanswered_polls_in_a_row() -> None:
    api = SlowApi(["timeout"] * 5, states=("running",) * 5)
    client = _client(api)
    client.max_missed = 5
    with pytest.raises(StackRunError, match=r"stopped answering.*may still be running"):
        client.follow("tass_ingest", "manual__1")
    assert not any(c[0] == "PATCH" for c in api.calls)  # the run is not stopped for it
