"""The commands that ingest: in this process, through `airflow dags test` or the native
stack, and as a backfill (the demo, which uses the same two routes, is in `demo`)."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from newswire import pipeline, runs
from newswire.cli.airflow_child import ChildResult, interactive_environment, run_child
from newswire.cli.common import settings, source_settings
from newswire.cli.stack_run import StackClient, StackRunError
from newswire.config import INGEST_DAG_ID, child_environment
from newswire.db import connect, resolve_db_url
from newswire.migrate import apply_migrations
from newswire.models import Window

log = logging.getLogger("newswire")

DAG_ID = INGEST_DAG_ID


def cmd_migrate(args: argparse.Namespace) -> int:
    report = apply_migrations(resolve_db_url(settings()))
    print(f"applied {len(report.applied)} migrations, {report.already_applied} already in place")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    _, source_config = source_settings(args.source)
    db_url = resolve_db_url(source_config)
    apply_migrations(db_url)
    summary = pipeline.ingest_window(db_url, source_config, Window.parse(args.since, args.until))
    print(summary)
    return 0 if summary.state == "success" else 1


def run_dag_through_airflow(
    since: str,
    until: str | None,
    env: dict[str, str],
    log_path: Path | None = None,
    dag_id: str = DAG_ID,
) -> int:
    """`airflow dags test <dag_id>` with the window as params; returns its exit status.

    Interactive: fails fast (no task retries) and, when this process is stopped, stops the
    child and marks the run it started failed. With `log_path`, Airflow's own (long)
    output goes to that file instead of the terminal.
    """
    window = Window.parse(since, until)
    conf = json.dumps({"since": window.start.isoformat(), "until": window.end.isoformat()})
    airflow = Path(sys.executable).with_name("airflow")
    command = [str(airflow), "dags", "test", dag_id, "--conf", conf]
    child_env = interactive_environment(env)
    log.info("running %s", " ".join(command))
    if log_path is None:
        result = run_child(command, child_env)
    else:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("w") as out:
            result = run_child(command, child_env, stdout=out)
        print(f"Airflow's log of the run: {log_path}")
        if result.code != 0 and result.stopped_by is None:
            print("".join(log_path.read_text(errors="replace").splitlines(True)[-40:]))
    return _after_child(result, env, child_env["NEWSWIRE_RUN_OWNER"])


def _after_child(result: ChildResult, env: dict[str, str], owner: str) -> int:
    """A stopped child's run cannot finish: say so in its ingest_runs row."""
    if result.stopped_by is None:
        return result.code
    name = signal.Signals(result.stopped_by).name
    db_url = env.get("NEWS_DB_URL")
    if db_url:
        with connect(db_url) as conn:
            stopped = runs.fail_owned(conn, owner, f"stopped by the operator ({name})")
        for run_id in stopped:
            print(f"ingest run {run_id}: failed (stopped by the operator, {name})", file=sys.stderr)
    return 128 + result.stopped_by


def latest_run(db_url: str, since: datetime, dag_id: str = DAG_ID) -> runs.RunSummary | None:
    with connect(db_url) as conn:
        row = conn.execute(
            "SELECT id FROM ingest_runs WHERE dag_id = %s AND started_at >= %s"
            " ORDER BY id DESC LIMIT 1",
            (dag_id, since),
        ).fetchone()
        return runs.get_summary(conn, row[0]) if row else None


def cmd_airflow_ingest(args: argparse.Namespace) -> int:
    """Through the native stack when it is up (the run shows in its UI), else through
    `airflow dags test` (its own SQLite metadata, failing fast)."""
    source, source_config = source_settings(args.source)
    db_url = resolve_db_url(source_config)
    stack = None if args.via == "dags-test" else running_stack()
    if args.via == "stack" and stack is None:
        print("newswire: the Airflow stack is not up (make airflow-up)", file=sys.stderr)
        return 2
    if stack is not None:
        return _ingest_on_stack(stack, db_url, source.dag_id, Window.parse(args.since, args.until))
    env = child_environment(NEWS_DB_URL=db_url)
    started = datetime.now(UTC)
    code = run_dag_through_airflow(args.since, args.until, env, dag_id=source.dag_id)
    summary = latest_run(db_url, started, source.dag_id)
    if summary is None:
        print("the DAG run recorded no ingest run (see the Airflow log above)", file=sys.stderr)
        return code or 1
    print(summary)
    if summary.state != "success":
        return code or 1
    return code


def running_stack() -> StackClient | None:
    """The native stack when it is up and answers, signed in."""
    from newswire import backfill

    found = backfill.airflow_stack()
    return StackClient(found[0], found[1], httpx.Client(timeout=30)) if found else None


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM during a followed run: handled as Ctrl-C (the run is marked failed)."""
    raise KeyboardInterrupt


def _ingest_on_stack(stack: StackClient, db_url: str, dag_id: str, window: Window) -> int:
    code, summary = run_on_stack(stack, db_url, dag_id, window)
    if summary is not None:
        print(summary)
    return code


def run_on_stack(
    stack: StackClient, db_url: str, dag_id: str, window: Window
) -> tuple[int, runs.RunSummary | None]:
    """Trigger `window` on the stack and follow it; the exit status and the run's summary
    (None when the stack refused it, it was stopped, or it recorded no ingest run)."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        dag_run_id = stack.trigger(dag_id, window)
        print(f"triggered {dag_id} run {dag_run_id} on the stack at {stack.api_url}; following")
        print(f"  watch it at {stack.api_url}/dags/{dag_id}/runs (Ctrl-C marks it failed)")
        run = stack.follow(dag_id, dag_run_id)
    except StackRunError as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2, None
    except KeyboardInterrupt:
        print("stopped: the run was marked failed on the stack", file=sys.stderr)
        return 130, None
    finally:
        signal.signal(signal.SIGTERM, previous)
    with connect(db_url) as conn:
        run_id = runs.find_run(conn, dag_id, dag_run_id)
        summary = runs.get_summary(conn, run_id) if run_id is not None else None
    if summary is None:
        print(
            f"{dag_id} run {dag_run_id}: {run.state}; no ingest run recorded in this"
            " warehouse (see the UI; does the stack use another NEWS_DB_URL?)"
        )
        return 1, None
    return (0 if run.state == "success" and summary.state == "success" else 1), summary


def cmd_backfill(args: argparse.Namespace) -> int:
    """Month windows of one source, resumable, through Airflow's backfill when it is up."""
    from newswire import backfill

    source, source_config = source_settings(args.source)
    if not args.verbose:  # one progress line per window; the runs' own logs say the same
        for chatty in ("newswire.pipeline", "newswire.discover", "newswire.history"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
    db_url = resolve_db_url(source_config)
    apply_migrations(db_url)
    until = args.until or datetime.now(UTC).date().isoformat()
    window = Window.parse(args.since, until)
    runner: backfill.WindowRunner
    stack = backfill.airflow_stack() if args.mode in ("auto", "airflow") else None
    if args.mode == "airflow" and stack is None:
        print("newswire: the Airflow stack is not up (make airflow-up)", file=sys.stderr)
        return 2
    if stack is not None:
        runner = backfill.AirflowBackfillRunner(db_url, source, stack[0], stack[1])
    elif args.mode == "dags-test":
        env = child_environment(NEWS_DB_URL=db_url)

        def run_dag(dag_id: str, since: str, until: str) -> int:
            return run_dag_through_airflow(since, until, env, dag_id=dag_id)

        runner = backfill.DagsTestRunner(db_url, source.dag_id, run_dag)
    else:
        runner = backfill.InProcessRunner(db_url, source_config, source.dag_id)
    report = backfill.run_backfill(source, source_config, db_url, window, runner)
    return 0 if report.ok else 1
