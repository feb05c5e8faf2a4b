"""A window through the running native stack's REST API, so the run is in its UI.

`make ingest` used `airflow dags test` only, whose runs land in a separate SQLite file
the stack never shows; when `make airflow-up` is running, the run is triggered there and
followed until it ends instead.
"""

from __future__ import annotations

import ipaddress
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from newswire.cli.common import TESTSITE_HEADER
from newswire.models import Window

log = logging.getLogger(__name__)

FINISHED = ("success", "failed")


class StackRunError(RuntimeError):
    """The stack refused or lost the run; the message says what to do."""


class ServerError(RuntimeError):
    """The api-server answered a poll with a 5xx (busy or restarting)."""


@dataclass(frozen=True)
class StackRun:
    dag_id: str
    dag_run_id: str
    state: str


@dataclass
class StackClient:
    """The stack's API with a bearer token (see `backfill.airflow_stack`)."""

    api_url: str
    token: str
    client: httpx.Client
    poll_seconds: float = 5.0
    max_missed: int = 12  # unanswered polls in a row (each up to the client's timeout)
    sleep: Callable[[float], None] = time.sleep

    def _url(self, path: str) -> str:
        return f"{self.api_url}/api/v2{path}"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def trigger(self, dag_id: str, window: Window) -> str:
        """A manual run of `dag_id` for `window`; its run id. A paused DAG is refused
        up front: its run would wait in `queued` until someone unpaused it."""
        dag = self.client.get(self._url(f"/dags/{dag_id}"), headers=self._headers())
        if dag.status_code == 404:
            raise StackRunError(f"the stack does not know {dag_id} (yet): see dag-processor.log")
        dag.raise_for_status()
        if dag.json().get("is_paused"):
            raise StackRunError(
                f"{dag_id} is paused on the stack, so a triggered run would wait in `queued`:"
                " unpause it (`make airflow-up UNPAUSE=yes`, or the UI's toggle) or run"
                " through `airflow dags test` with VIA=dags-test"
            )
        conf = {"since": window.start.isoformat(), "until": window.end.isoformat()}
        response = self.client.post(
            self._url(f"/dags/{dag_id}/dagRuns"),
            headers=self._headers(),
            json={"logical_date": None, "conf": conf},
        )
        if response.status_code >= 400:
            raise StackRunError(f"triggering {dag_id}: HTTP {response.status_code} {response.text}")
        return str(response.json()["dag_run_id"])

    def state(self, dag_id: str, dag_run_id: str) -> str:
        response = self.client.get(
            self._url(f"/dags/{dag_id}/dagRuns/{dag_run_id}"), headers=self._headers()
        )
        if response.status_code >= 500:
            raise ServerError(f"HTTP {response.status_code}")
        response.raise_for_status()
        return str(response.json()["state"])

    def follow(self, dag_id: str, dag_run_id: str, timeout: float = 24 * 3600.0) -> StackRun:
        """Poll until the run ends; on Ctrl-C mark it failed on the stack, then re-raise.

        A busy api-server sometimes answers a poll late or with a 5xx: that is not the
        run's end, so polling goes on; only `max_missed` unanswered polls in a row give up.
        """
        deadline = time.monotonic() + timeout
        missed = 0
        try:
            while time.monotonic() < deadline:
                try:
                    state = self.state(dag_id, dag_run_id)
                    missed = 0
                except (httpx.TransportError, ServerError) as exc:
                    missed += 1
                    log.warning("the stack did not answer a poll (%s); %d in a row", exc, missed)
                    if missed >= self.max_missed:
                        raise StackRunError(
                            f"the stack at {self.api_url} stopped answering ({exc}); {dag_id}"
                            f" run {dag_run_id} may still be running there: see its UI"
                        ) from exc
                    state = "unknown"
                if state in FINISHED:
                    return StackRun(dag_id, dag_run_id, state)
                self.sleep(self.poll_seconds)
        except KeyboardInterrupt:
            self.stop(dag_id, dag_run_id)
            raise
        raise StackRunError(f"{dag_id} run {dag_run_id} did not end within {timeout:.0f}s")

    def stop(self, dag_id: str, dag_run_id: str) -> None:
        """Mark the run failed: the scheduler then stops its running tasks."""
        self.client.patch(
            self._url(f"/dags/{dag_id}/dagRuns/{dag_run_id}"),
            headers=self._headers(),
            json={"state": "failed"},
        )


def stack_sites() -> dict[str, str]:
    """The root URL each source's runs ask on the native stack, as `make airflow-up`
    recorded it; empty without a stack (or from a stack started before it was recorded)."""
    try:  # the stack is a development tool beside the checkout, not in the library
        from devtools.stack import StackConfig, StackState
    except ImportError:
        return {}
    state = StackState.load(StackConfig.from_env().state_dir / "state.json")
    return dict(state.sites) if state else {}


def is_test_site(base_url: str, client: httpx.Client) -> bool:
    """Whether `base_url` is the local test site (it marks every answer), not a real host.

    The local test site listens on loopback; any other host is not asked at all, so
    checking never sends a request to TASS.
    """
    host = urlsplit(base_url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name, not an address
        loopback = False
    if not loopback:
        return False
    try:
        response = client.get(f"{base_url.rstrip('/')}/robots.txt", timeout=5)
    except httpx.HTTPError:
        return False
    return str(response.headers.get(TESTSITE_HEADER, "")) == "1"
