"""The Airflow REST API v2 as the stack tests drive it: one client for the ingest DAG."""

from __future__ import annotations

import time
from typing import Any

import httpx

DAG_ID = "tass_ingest"
RUN_TIMEOUT = 240.0


class AirflowApi:
    """REST API v2 with a JWT from POST /auth/token, as an operator's script would use it."""

    def __init__(self, base_url: str, user: str, password: str) -> None:
        token = httpx.post(
            f"{base_url}/auth/token", json={"username": user, "password": password}, timeout=30
        )
        token.raise_for_status()
        self.client = httpx.Client(
            base_url=f"{base_url}/api/v2",
            headers={"Authorization": f"Bearer {token.json()['access_token']}"},
            timeout=30,
        )

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.client.request(method, path, **kwargs)
        assert response.status_code < 400, (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    def trigger(self, run_id: str, conf: dict[str, str]) -> None:
        self.request(
            "POST",
            f"/dags/{DAG_ID}/dagRuns",
            json={"dag_run_id": run_id, "logical_date": None, "conf": conf},
        )

    def wait_for_run(self, run_id: str, timeout: float = RUN_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        state = "?"
        while time.monotonic() < deadline:
            state = self.request("GET", f"/dags/{DAG_ID}/dagRuns/{run_id}")["state"]
            if state in ("success", "failed"):
                return state
            time.sleep(1.0)
        raise AssertionError(
            f"run {run_id} still {state} after {timeout:.0f}s: {self.tasks(run_id)}"
        )

    def task_instances(self, run_id: str) -> list[dict[str, Any]]:
        path = f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances"
        return self.request("GET", path, params={"limit": 100})["task_instances"]

    def tasks(self, run_id: str) -> list[tuple[str, int, str | None]]:
        return sorted(
            (t["task_id"], t["map_index"], t["state"]) for t in self.task_instances(run_id)
        )

    def log_text(self, run_id: str, task_id: str, map_index: int = -1, try_number: int = 1) -> str:
        data = self.request(
            "GET",
            f"/dags/{DAG_ID}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}",
            params={"map_index": map_index, "full_content": "true"},
            headers={"Accept": "application/json"},
        )
        content = data.get("content")
        if isinstance(content, list):
            return "\n".join(
                " ".join(str(v) for v in (e.values() if isinstance(e, dict) else [e]))
                for e in content
            )
        return str(content)

    def wait_for_dag(self, timeout: float = 120.0) -> None:
        """Until the dag-processor's first parse of the folder has listed the DAG."""
        deadline = time.monotonic() + timeout
        while not self.request("GET", "/dags", params={"dag_id_pattern": DAG_ID})["dags"]:
            if time.monotonic() > deadline:
                errors = self.request("GET", "/importErrors")
                raise AssertionError(f"{DAG_ID} never appeared: {errors}")
            time.sleep(1)  # polls the API; nothing else to wait on
