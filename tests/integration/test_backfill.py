"""`newswire backfill`: month windows, a stop, and a resume that does only the rest."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
import psycopg
import pytest
from newswire import backfill, backfill_estimate
from newswire.backfill import (
    AirflowBackfillRunner,
    InProcessRunner,
    WindowOutcome,
    month_windows,
    run_backfill,
)
from newswire.config import Settings
from newswire.models import Window
from newswire.sources import TASS_COM, TASS_RU

AUTUMN_2017 = Window.parse("2017-09-01", "2017-12-01")  # 965296 in Sep, 970345 in Oct


class Recording:
    """Runs windows in process and remembers which; interrupts on the call named."""

    name = "recording"

    def __init__(self, inner: InProcessRunner, interrupt_on: int | None = None) -> None:
        self.inner, self.interrupt_on, self.windows = inner, interrupt_on, []

    def __call__(self, window: Window) -> WindowOutcome:
        if self.interrupt_on is not None and len(self.windows) + 1 == self.interrupt_on:
            raise KeyboardInterrupt  # Ctrl-C between two windows
        self.windows.append(window)
        return self.inner(window)


def _successes(db_url: str) -> list[tuple[datetime, datetime, str, int]]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT window_start, window_end, source, discovered FROM ingest_runs"
            " WHERE state = 'success' ORDER BY window_start"
        ).fetchall()


def test_three_months_stopped_after_the_first_and_resumed(
    db_url: str, site_settings: Settings
) -> None:
    months = month_windows(AUTUMN_2017)
    assert [str(w.start.date()) for w in months] == ["2017-09-01", "2017-10-01", "2017-11-01"]
    lines: list[str] = []

    first = Recording(InProcessRunner(db_url, site_settings, "tass_ingest"), interrupt_on=2)
    stopped = run_backfill(TASS_COM, site_settings, db_url, AUTUMN_2017, first, say=lines.append)

    assert stopped.interrupted and not stopped.ok
    assert first.windows == months[:1]
    assert [(s, e) for s, e, _, _ in _successes(db_url)] == [(months[0].start, months[0].end)]
    assert any("[1/3]" in line and "done 1 windows, 1 articles" in line for line in lines)
    assert any("to do 2 windows" in line for line in lines)

    lines.clear()
    second = Recording(InProcessRunner(db_url, site_settings, "tass_ingest"))
    resumed = run_backfill(TASS_COM, site_settings, db_url, AUTUMN_2017, second, say=lines.append)

    assert resumed.ok
    assert second.windows == months[1:]  # the September window is not run again
    assert resumed.skipped == months[:1]
    assert [(s.month, src, n) for s, _, src, n in _successes(db_url)] == [
        (9, "tass.com", 1),
        (10, "tass.com", 1),
        (11, "tass.com", 0),
    ]
    assert "1 done before (1 articles), 2 to do" in lines[0]
    assert lines[-1].endswith("complete, 2 articles")
    with psycopg.connect(db_url) as conn:
        ids = {row[0] for row in conn.execute("SELECT external_id FROM articles")}
    assert ids == {965296, 970345}

    third = Recording(InProcessRunner(db_url, site_settings, "tass_ingest"))
    assert run_backfill(TASS_COM, site_settings, db_url, AUTUMN_2017, third, say=print).ok
    assert third.windows == []  # everything done: nothing asked of the site


def test_months_a_wider_run_covered_count_their_own_articles(
    db_url: str, site_settings: Settings
) -> None:
    """After a demo-sized run (2017-09 .. 2018-04: three articles), the backfill of the
    autumn skips its months and counts the two articles they hold, not 3 per month."""
    from newswire import pipeline

    wide = pipeline.ingest_window(db_url, site_settings, Window.parse("2017-09-01", "2018-04-01"))
    assert (wide.state, wide.discovered) == ("success", 3)
    lines: list[str] = []
    never = Recording(InProcessRunner(db_url, site_settings, "tass_ingest"))

    report = run_backfill(TASS_COM, site_settings, db_url, AUTUMN_2017, never, say=lines.append)

    assert report.ok and never.windows == []
    assert backfill.done_windows(db_url, TASS_COM.name, month_windows(AUTUMN_2017)) == {
        month: n for month, n in zip(month_windows(AUTUMN_2017), (1, 1, 0), strict=True)
    }
    assert "3 done before (2 articles), 0 to do" in lines[0]
    assert lines[-1].endswith("complete, 2 articles")


def test_a_failed_window_stops_the_backfill(db_url: str, site_settings: Settings) -> None:
    calls: list[Window] = []

    class Failing:
        name = "failing"

        def __call__(self, window: Window) -> WindowOutcome:
            calls.append(window)
            return WindowOutcome("failed", message="HTTP 403 x8")

    report = run_backfill(TASS_COM, site_settings, db_url, AUTUMN_2017, Failing(), say=print)
    assert calls == month_windows(AUTUMN_2017)[:1]
    assert report.failed == calls[0] and report.message == "HTTP 403 x8"


def test_month_windows_keep_partial_ends() -> None:
    pieces = month_windows(Window.parse("2017-01-15", "2017-03-10T12:00:00"))
    assert [(str(w.start), str(w.end)) for w in pieces] == [
        ("2017-01-15 00:00:00+00:00", "2017-02-01 00:00:00+00:00"),
        ("2017-02-01 00:00:00+00:00", "2017-03-01 00:00:00+00:00"),
        ("2017-03-01 00:00:00+00:00", "2017-03-10 12:00:00+00:00"),
    ]
    december = month_windows(Window.parse("2016-12-01", "2017-01-01"))
    assert [(w.start.month, w.end.year) for w in december] == [(12, 2017)]


def test_estimate_counts_articles_requests_and_time() -> None:
    settings = Settings.from_env({"TASS_REQUEST_INTERVAL": "1.0"})
    (january,) = month_windows(Window.parse("2017-01-01", "2017-02-01"))
    figure = backfill_estimate.estimate(TASS_COM, settings, [january], per_day=150)
    # 31 days x 150 pages, 13 feed requests, 9 sections + 4650/20 listing pages.
    assert figure.articles_left == 4650
    assert figure.requests_left == 4650 + 13 + 9 + 233
    assert figure.seconds_left == pytest.approx(figure.requests_left * 1.0)
    recent = month_windows(Window.parse("2025-01-01", "2025-02-01"))
    assert backfill_estimate.estimate(TASS_COM, settings, recent, 150).requests_left == 4650 + 13
    assert backfill_estimate.describe_time(4905) == "1.4 h"
    assert backfill_estimate.describe_time(None) == "? (no request interval configured)"


def test_first_trigger_after_follows_each_sources_schedule() -> None:
    end = datetime(2017, 10, 1, tzinfo=UTC)
    assert backfill.first_trigger_after(TASS_COM.schedule, end) == datetime(
        2017, 10, 1, 1, 0, tzinfo=UTC
    )
    assert backfill.first_trigger_after(TASS_RU.schedule, end) == datetime(
        2017, 10, 1, 1, 30, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="daily cron"):
        backfill.first_trigger_after("@hourly", end)


def _scheduled_run_succeeded(db_url: str, window: Window, articles: int) -> None:
    """The ingest_runs row a scheduled run of `window` leaves behind when it succeeds."""
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO ingest_runs (dag_id, base_url, window_start, window_end, state,"
            " discovered, inserted, source) VALUES ('tass_ingest', 'x', %s, %s,"
            " 'success', %s, %s, 'tass.com')",
            (window.start, window.end, articles, articles),
        )


def _runner_against(
    db_url: str, answer: Callable[[httpx.Request], httpx.Response]
) -> AirflowBackfillRunner:
    """A runner whose API server is `answer` and that polls without sleeping."""
    return AirflowBackfillRunner(
        db_url,
        TASS_COM,
        "http://airflow.invalid",
        "secret",
        poll_seconds=0,
        client=httpx.Client(transport=httpx.MockTransport(answer)),
    )


def test_airflow_runner_posts_one_backfill_per_window_and_reads_the_run(db_url: str) -> None:
    window = Window.parse("2017-09-01", "2017-10-01")
    sent: list[dict[str, object]] = []
    # A busy api-server first times out and answers 503: the backfill is polled through.
    polls = iter(["timeout", "503", None, "2026-12-01T10:00:00+00:00"])

    def answer(request: httpx.Request) -> httpx.Response:
        assert request.headers["Authorization"] == "Bearer secret"
        if request.method == "POST":
            sent.append(json.loads(request.content))
            _scheduled_run_succeeded(db_url, window, 1)
            return httpx.Response(201, json={"id": 7})
        if request.url.path == "/api/v2/dags/tass_ingest/dagRuns":
            return httpx.Response(200, json={"dag_runs": [], "total_entries": 0})  # not yet
        assert request.url.path == "/api/v2/backfills/7"
        poll = next(polls)
        if poll == "timeout":
            raise httpx.ReadTimeout("timed out", request=request)
        if poll == "503":
            return httpx.Response(503, json={})
        return httpx.Response(200, json={"id": 7, "completed_at": poll})

    runner = _runner_against(db_url, answer)
    outcome = runner(window)

    assert outcome == WindowOutcome("success", 1, 1, None)
    assert sent == [
        {
            "dag_id": "tass_ingest",
            "from_date": "2017-10-01T01:00:00+00:00",
            "to_date": "2017-10-01T01:00:00+00:00",
            "dag_run_conf": {
                "since": "2017-09-01T00:00:00+00:00",
                "until": "2017-10-01T00:00:00+00:00",
            },
            "reprocess_behavior": "completed",
            "max_active_runs": 1,
        }
    ]


def test_airflow_runner_asks_again_when_a_poll_times_out(db_url: str) -> None:
    window = Window.parse("2017-09-01", "2017-10-01")
    polls = iter(["timeout", "503", "2026-12-01T10:00:00+00:00"])
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            _scheduled_run_succeeded(db_url, window, 3)
            return httpx.Response(201, json={"id": 8})
        poll = next(polls)
        asked.append(poll)
        if poll == "timeout":
            raise httpx.ReadTimeout("the API server is busy", request=request)
        if poll == "503":
            return httpx.Response(503, text="busy")
        return httpx.Response(200, json={"id": 8, "completed_at": poll})

    runner = _runner_against(db_url, answer)

    assert runner(window) == WindowOutcome("success", 3, 3, None)
    assert asked == ["timeout", "503", "2026-12-01T10:00:00+00:00"]


def test_airflow_runner_closes_the_backfill_once_its_run_has_ended(db_url: str) -> None:
    """The scheduler marks a backfill complete only in a sweep every 30 s: the runner
    closes it as soon as the window's run has ended, and accepts the sweep coming first."""
    window = Window.parse("2017-09-01", "2017-10-01")
    asked: list[str] = []
    runs = iter(
        [
            [{"state": "running", "end_date": None}],
            # the run of an earlier backfill of the window, ended before this one began
            [{"state": "success", "end_date": "2000-01-01T00:00:00+00:00"}],
            [{"state": "success", "end_date": "now"}],
        ]
    )

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.method} {request.url.path}")
        if request.url.path == "/api/v2/backfills":
            with psycopg.connect(db_url) as conn:
                conn.execute(
                    "INSERT INTO ingest_runs (dag_id, base_url, window_start, window_end, state,"
                    " discovered, inserted, source) VALUES ('tass_ingest', 'x', %s, %s,"
                    " 'success', 2, 2, 'tass.com')",
                    (window.start, window.end),
                )
            return httpx.Response(201, json={"id": 9})
        if request.url.path.endswith("/dagRuns"):
            assert request.url.params["run_type"] == "backfill"
            assert request.url.params["logical_date_gte"] == "2017-10-01T01:00:00+00:00"
            assert request.url.params["logical_date_lte"] == "2017-10-01T01:00:00+00:00"
            found = [
                {**run, "end_date": datetime.now(UTC).isoformat()}
                if run["end_date"] == "now"
                else run
                for run in next(runs)
            ]
            return httpx.Response(200, json={"dag_runs": found})
        if request.url.path == "/api/v2/backfills/9/cancel":
            if request.method != "PUT":  # as the API server answers
                return httpx.Response(405, json={"detail": "Method Not Allowed"})
            return httpx.Response(409, json={"detail": "Backfill is already completed."})
        return httpx.Response(200, json={"id": 9, "completed_at": None})

    runner = _runner_against(db_url, answer)

    assert runner(window) == WindowOutcome("success", 2, 2, None)
    poll = ["GET /api/v2/backfills/9", "GET /api/v2/dags/tass_ingest/dagRuns"]
    assert asked == ["POST /api/v2/backfills", *poll * 3, "PUT /api/v2/backfills/9/cancel"]
