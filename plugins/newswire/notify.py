"""Alerts for operators: a JSON message posted to a webhook (chat, paging or ticketing).

Kept free of Airflow so the message format and the delivery rules are tested on their own;
the DAG glue only looks up the webhook's connection and calls these functions. Delivery
never raises: an alert that cannot be sent is logged, and the failure it reports stays the
run's real outcome.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

log = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10.0
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True)
class Alert:
    """One operator alert; `kind` is `task_failed` or `deadline_missed`."""

    kind: str
    dag_id: str
    dag_run_id: str
    summary: str
    task_id: str | None = None
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    sent_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat())

    @property
    def text(self) -> str:
        """One line for chat webhooks that only show a `text` field."""
        where = f"{self.dag_id} / {self.dag_run_id}"
        if self.task_id:
            where += f" / {self.task_id}"
        return f"[newswire] {self.kind}: {where}: {self.summary}"

    def payload(self) -> dict[str, Any]:
        data = asdict(self)
        data["text"] = self.text
        return data


def task_failed_alert(
    dag_id: str, dag_run_id: str, task_id: str, error: BaseException | str | None
) -> Alert:
    """The alert for a failed task; the error text is cut to a readable length."""
    if isinstance(error, BaseException):
        error_text = f"{type(error).__name__}: {error}"
    else:
        error_text = error or "failed without an exception (killed, timed out or upstream)"
    error_text = error_text[:MAX_ERROR_CHARS]
    return Alert(
        kind="task_failed",
        dag_id=dag_id,
        dag_run_id=dag_run_id,
        task_id=task_id,
        error=error_text,
        summary=error_text.splitlines()[0] if error_text else "failed",
    )


def deadline_missed_alert(
    dag_run: Mapping[str, Any], deadline_time: datetime | str | None
) -> Alert:
    """The alert for a run still unfinished at its deadline (from the deadline's context)."""
    deadline = deadline_time.isoformat() if isinstance(deadline_time, datetime) else deadline_time
    return Alert(
        kind="deadline_missed",
        dag_id=str(dag_run.get("dag_id", "?")),
        dag_run_id=str(dag_run.get("dag_run_id") or dag_run.get("run_id") or "?"),
        summary=f"run not finished by its deadline {deadline}; state {dag_run.get('state')}",
        details={"deadline": deadline, "state": dag_run.get("state")},
    )


def webhook_url(
    conn_type: str | None,
    host: str | None,
    schema: str | None = None,
    port: int | None = None,
    extra: Mapping[str, Any] | str | None = None,
) -> str | None:
    """The webhook URL an Airflow connection describes, or None when it names none.

    Accepts the forms operators write: `extra={"url": ...}`, a full URL in `host`, or a
    connection URI such as `https://hooks.example.org/services/x` (which Airflow splits into
    type `https`, host and a path in `schema`).
    """
    if isinstance(extra, str) and extra.strip():
        try:
            extra = json.loads(extra)
        except ValueError:
            extra = None
    if isinstance(extra, Mapping) and extra.get("url"):
        return str(extra["url"])
    if not host:
        return None
    if host.startswith(("http://", "https://")):
        return host
    scheme = "https" if (conn_type or "").lower() == "https" else "http"
    netloc = f"{host}:{port}" if port else host
    path = f"/{schema.lstrip('/')}" if schema else ""
    return f"{scheme}://{netloc}{path}"


def send(url: str | None, alert: Alert, *, timeout: float = WEBHOOK_TIMEOUT_SECONDS) -> bool:
    """POST the alert as JSON; False (and a log line) when there is no URL or it fails."""
    if not url:
        log.info("no alert webhook configured; alert only logged: %s", alert.text)
        return False
    try:
        response = httpx.post(url, json=alert.payload(), timeout=timeout)
        response.raise_for_status()
    except httpx.HTTPError as exc:
        log.error("alert webhook %s failed (%s); alert was: %s", _safe(url), exc, alert.text)
        return False
    log.info("alert sent to %s: %s", _safe(url), alert.text)
    return True


async def send_async(
    url: str | None, alert: Alert, *, timeout: float = WEBHOOK_TIMEOUT_SECONDS
) -> bool:
    """`send` for event loops (deadline callbacks run in Airflow's triggerer)."""
    if not url:
        log.info("no alert webhook configured; alert only logged: %s", alert.text)
        return False
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            response = await client.post(url, json=alert.payload())
            response.raise_for_status()
    except httpx.HTTPError as exc:
        log.error("alert webhook %s failed (%s); alert was: %s", _safe(url), exc, alert.text)
        return False
    log.info("alert sent to %s: %s", _safe(url), alert.text)
    return True


def _safe(url: str) -> str:
    """The URL without its path and query, which often carry the webhook's secret token."""
    parts = httpx.URL(url)
    return f"{parts.scheme}://{parts.host}" + (f":{parts.port}" if parts.port else "")
