"""Backfill: ingest a long range of one source as month windows, resumably.

A backfill of years is thousands of polite requests an hour for days, so it must be
possible to stop it and start it again without asking the site for anything twice:

* the range is cut into calendar-month windows (UTC), run one after the other, never
  side by side, each at the source's configured politeness;
* a window that already has a successful run of the source in `ingest_runs` is skipped,
  so a rerun of the same command resumes after the last window done (and inside an
  unfinished window the listing walk resumes at its checkpointed cursor);
* after each window it prints what is done and what is left: windows, articles, and an
  estimate of the time left at the configured request interval;
* a failed window stops the backfill (a block is a reason to slow down, not to press on).

Windows run through Airflow's own backfill (`POST /api/v2/backfills`) when the native
stack is up, else in this process or through `airflow dags test`, as `make ingest` does.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx
import psycopg

from newswire import pipeline, runs
from newswire.backfill_estimate import describe_time, estimate
from newswire.config import Settings
from newswire.db import connect, one_row
from newswire.models import Window
from newswire.sources import TASS_COM, Source

log = logging.getLogger(__name__)

# Unanswered polls of a running backfill in a row before it counts as lost.
MAX_MISSED_POLLS = 12


class StackBusy(RuntimeError):
    """The api-server answered a poll with a 5xx (busy or restarting)."""


def month_windows(window: Window) -> list[Window]:
    """`window` cut at calendar-month boundaries (UTC); the ends may be partial months."""
    pieces = []
    start = window.start
    while start < window.end:
        first = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        following = (first + timedelta(days=32)).replace(day=1)
        end = min(following, window.end)
        pieces.append(Window(start, end))
        start = end
    return pieces


def done_windows(db_url: str, source: str, windows: Sequence[Window]) -> dict[Window, int]:
    """The windows some successful run of `source` already covered, with their articles.

    A run of exactly the window counts what it discovered; a wider run (a demo's years,
    an earlier backfill's other cut) discovered more than this window holds, so the
    window counts the source's stored articles published in it instead.
    Runs from before runs recorded their source were all tass.com's.
    """
    if not windows:
        return {}
    with connect(db_url) as conn:
        rows = conn.execute(
            "SELECT window_start, window_end, discovered FROM ingest_runs"
            " WHERE state = 'success' AND coalesce(source, %s) = %s"
            " AND window_end > %s AND window_start < %s",
            (TASS_COM.name, source, windows[0].start, windows[-1].end),
        ).fetchall()
        done: dict[Window, int] = {}
        for window in windows:
            covering = [(s, e, n) for s, e, n in rows if s <= window.start and e >= window.end]
            exact = [int(n) for s, e, n in covering if (s, e) == (window.start, window.end)]
            if exact:
                done[window] = max(exact)
            elif covering:
                done[window] = _stored_in(conn, source, window)
    return done


def _stored_in(conn: psycopg.Connection, source: str, window: Window) -> int:
    (count,) = one_row(
        conn,
        "SELECT count(*) FROM articles WHERE source = %s"
        " AND published_at >= %s AND published_at < %s",
        (source, window.start, window.end),
    )
    return int(count)


@dataclass(frozen=True)
class WindowOutcome:
    state: str  # success or failed
    discovered: int = 0
    inserted: int = 0
    message: str | None = None


class WindowRunner(Protocol):
    """Runs one window of the source to its end and says how it went."""

    name: str

    def __call__(self, window: Window) -> WindowOutcome: ...


def _outcome(summary: runs.RunSummary | None) -> WindowOutcome:
    if summary is None:
        return WindowOutcome("failed", message="the run recorded nothing in ingest_runs")
    return WindowOutcome(summary.state, summary.discovered, summary.inserted, summary.message)


@dataclass
class InProcessRunner:
    """Every stage in this process (the CLI's `ingest`), one window at a time."""

    db_url: str
    settings: Settings
    dag_id: str
    name: str = "in-process"

    def __call__(self, window: Window) -> WindowOutcome:
        try:
            summary = pipeline.ingest_window(
                self.db_url, self.settings, window, dag_id=f"backfill:{self.dag_id}"
            )
        except Exception as exc:  # the run is marked failed; the backfill stops on it
            return WindowOutcome("failed", message=f"{type(exc).__name__}: {exc}")
        return _outcome(summary)


def latest_run(db_url: str, dag_id: str, since: datetime, window: Window) -> runs.RunSummary | None:
    """The newest run of `dag_id` for `window` started after `since`."""
    with connect(db_url) as conn:
        row = conn.execute(
            "SELECT id FROM ingest_runs WHERE dag_id = %s AND started_at >= %s"
            " AND window_start = %s AND window_end = %s ORDER BY id DESC LIMIT 1",
            (dag_id, since, window.start, window.end),
        ).fetchone()
        return runs.get_summary(conn, row[0]) if row else None


@dataclass
class DagsTestRunner:
    """`airflow dags test <dag>` per window, as `make ingest` runs one."""

    db_url: str
    dag_id: str
    run_dag: Callable[[str, str, str], int]  # (dag_id, since, until) → exit status
    name: str = "airflow dags test"

    def __call__(self, window: Window) -> WindowOutcome:
        started = datetime.now(UTC)
        code = self.run_dag(self.dag_id, window.start.isoformat(), window.end.isoformat())
        outcome = _outcome(latest_run(self.db_url, self.dag_id, started, window))
        if code != 0 and outcome.state == "success":
            return WindowOutcome("failed", message=f"airflow dags test exited with {code}")
        return outcome


def first_trigger_after(schedule: str, moment: datetime) -> datetime:
    """The first firing of a daily cron (`M H * * *`) at or after `moment` (UTC)."""
    fields = schedule.split()
    if len(fields) != 5 or fields[2:] != ["*", "*", "*"]:
        raise ValueError(f"backfill through Airflow needs a daily cron, not {schedule!r}")
    minute, hour = int(fields[0]), int(fields[1])
    candidate = moment.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return candidate if candidate >= moment else candidate + timedelta(days=1)


@dataclass
class AirflowBackfillRunner:
    """Airflow's own backfill through REST API v2: one backfill of one run per window.

    The run's logical date is the DAG's first firing after the window, and its conf names
    the window, so the scheduler runs the same tasks, pool and alerts as a nightly run.
    """

    db_url: str
    source: Source
    api_url: str
    token: str
    poll_seconds: float = 10.0
    timeout_seconds: float = 7 * 24 * 3600.0
    client: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30))
    name: str = "Airflow backfill"

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def __call__(self, window: Window) -> WindowOutcome:
        logical = first_trigger_after(self.source.schedule, window.end)
        started = datetime.now(UTC)
        response = self.client.post(
            f"{self.api_url}/api/v2/backfills",
            headers=self._headers(),
            json={
                "dag_id": self.source.dag_id,
                "from_date": logical.isoformat(),
                "to_date": logical.isoformat(),
                "dag_run_conf": {
                    "since": window.start.isoformat(),
                    "until": window.end.isoformat(),
                },
                "reprocess_behavior": "completed",
                "max_active_runs": 1,
            },
        )
        if response.status_code >= 400:
            return WindowOutcome(
                "failed",
                message=f"POST /api/v2/backfills: HTTP {response.status_code} {response.text}",
            )
        backfill_id = response.json()["id"]
        deadline = time.monotonic() + self.timeout_seconds
        missed = 0
        while time.monotonic() < deadline:
            try:
                done = self._completed(backfill_id, logical, started)
                missed = 0
            except (httpx.TransportError, StackBusy) as exc:
                # A busy api-server answers late or with a 5xx: the backfill goes on.
                missed += 1
                log.warning("backfill %s: the stack did not answer (%s)", backfill_id, exc)
                if missed >= MAX_MISSED_POLLS:
                    return WindowOutcome(
                        "failed", message=f"the stack stopped answering about backfill"
                        f" {backfill_id} ({exc}); it may still run there: see its UI",
                    )  # fmt: skip
                done = False
            if done:
                return _outcome(latest_run(self.db_url, self.source.dag_id, started, window))
            time.sleep(self.poll_seconds)
        return WindowOutcome("failed", message=f"backfill {backfill_id} not done in time")

    def _completed(self, backfill_id: object, logical: datetime, started: datetime) -> bool:
        """True once the backfill is over: Airflow says so, or its one run has ended.

        The scheduler marks ended backfills complete in a sweep every 30 s, and no other
        backfill of the DAG may start before: once the window's run has ended, closing
        the backfill here (cancelling it, with nothing left to cancel) lets the next
        window start at once instead of up to half a minute later.
        """
        url = f"{self.api_url}/api/v2/backfills/{backfill_id}"
        if self._get(url).get("completed_at"):
            return True
        if not self._run_ended(logical, started):
            return False
        closed = self.client.put(f"{url}/cancel", headers=self._headers())
        if closed.status_code != 409:  # 409: the scheduler's sweep came first
            _checked(closed)
        return True

    def _run_ended(self, logical: datetime, started: datetime) -> bool:
        """The window's backfill run ended (success or failed) after `started`."""
        params = {"run_type": "backfill", "logical_date_gte": logical.isoformat()}
        params["logical_date_lte"] = logical.isoformat()
        found = self._get(f"{self.api_url}/api/v2/dags/{self.source.dag_id}/dagRuns", params)
        return any(
            run.get("state") in ("success", "failed")
            and run.get("end_date")
            and datetime.fromisoformat(run["end_date"]) >= started
            for run in found.get("dag_runs", [])
        )

    def _get(self, url: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        answer = _checked(self.client.get(url, headers=self._headers(), params=params))
        found: dict[str, Any] = answer.json()
        return found


def _checked(answer: httpx.Response) -> httpx.Response:
    """A 5xx is the api-server busy (asked again); a 4xx (a token refused, no such
    backfill) is final."""
    if answer.status_code >= 500:
        raise StackBusy(f"HTTP {answer.status_code}")
    answer.raise_for_status()
    return answer


def airflow_stack(timeout: float = 5.0) -> tuple[str, str] | None:
    """(API URL, bearer token) of the native stack when it is up and healthy, else None.

    Found as `make airflow-up` left it (AIRFLOW_HOME/stack/state.json, live pids) and
    signed into with the stack's admin user, as an operator's script would.
    """
    try:  # the native stack is a development tool beside the checkout, not in the library
        from devtools.stack import StackConfig, StackState, is_alive
    except ImportError:  # an installed library: no stack of ours to find
        return None

    config = StackConfig.from_env()
    state = StackState.load(config.state_dir / "state.json")
    if state is None or not state.pids or not all(is_alive(pid) for pid in state.pids.values()):
        return None
    try:
        health = httpx.get(f"{state.base_url}/api/v2/monitor/health", timeout=timeout)
        if health.status_code != 200:
            return None
        token = httpx.post(
            f"{state.base_url}/auth/token",
            json={"username": config.admin_user, "password": config.admin_password},
            timeout=timeout,
        )
        token.raise_for_status()
        return state.base_url, str(token.json()["access_token"])
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        log.warning("the Airflow stack at %s does not answer (%s)", state.base_url, exc)
        return None


# ------------------------------------------------------------------------ progress


@dataclass
class BackfillReport:
    windows: list[Window]
    skipped: list[Window] = field(default_factory=list)
    succeeded: list[Window] = field(default_factory=list)
    failed: Window | None = None
    interrupted: bool = False
    articles_done: int = 0
    message: str | None = None

    @property
    def ok(self) -> bool:
        return self.failed is None and not self.interrupted


def run_backfill(
    source: Source,
    settings: Settings,
    db_url: str,
    window: Window,
    runner: WindowRunner,
    *,
    say: Callable[[str], None] = print,
) -> BackfillReport:
    """Run every month window of `window` not done yet, in order, one at a time."""
    windows = month_windows(window)
    already = done_windows(db_url, source.name, windows)
    todo = [w for w in windows if w not in already]
    report = BackfillReport(windows, skipped=[w for w in windows if w in already])
    report.articles_done = sum(already.values())
    say(
        f"backfill {source.name} {window}: {len(windows)} month windows, {len(already)} done"
        f" before ({report.articles_done} articles), {len(todo)} to do, through {runner.name}"
    )
    first = estimate(source, settings, todo, source.items_per_day)
    say(
        f"  to do ≈ {first.articles_left} articles, {first.requests_left} requests,"
        f" ≈ {describe_time(first.seconds_left)} at {settings.request_interval:g} s/request"
    )
    observed_articles, observed_days = 0, 0.0
    for number, current in enumerate(todo, start=1):
        try:
            outcome = runner(current)
        except KeyboardInterrupt:
            report.interrupted = True
            say(f"  interrupted during {current}: rerun the same command to resume there")
            break
        if outcome.state != "success":
            report.failed = current
            report.message = outcome.message
            say(f"  window {current} failed: {outcome.message}; stopped, rerun to resume")
            break
        report.succeeded.append(current)
        report.articles_done += outcome.discovered
        observed_articles += outcome.discovered
        observed_days += (current.end - current.start).total_seconds() / 86400
        # Once real windows are done, their rate says more than the prior figure.
        per_day = observed_articles / observed_days if observed_articles else source.items_per_day
        left = estimate(source, settings, todo[number:], per_day)
        say(
            f"  [{len(report.skipped) + number}/{len(windows)}] {current}: {outcome.discovered}"
            f" articles ({outcome.inserted} new) | done {len(report.skipped) + number} windows,"
            f" {report.articles_done} articles | to do {left.windows_left} windows"
            f" ≈ {left.articles_left} articles ≈ {describe_time(left.seconds_left)}"
        )
    else:
        say(f"backfill {source.name} {window}: complete, {report.articles_done} articles")
    return report
