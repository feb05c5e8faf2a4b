"""`newswire demo` (`make demo`): the tass_ingest DAG through Airflow against the local
test site, then the worked queries and the coverage report.

Like `make ingest`, the run goes to the native stack when `make airflow-up` runs, so it
shows in the stack's UI; otherwise through `airflow dags test` (its own SQLite metadata,
in no UI). A demo must never fetch from TASS, so a stack that asks any other site than
the local test site is not used: the demo says so and runs through `airflow dags test`
against a test site of its own, which is what someone typing `make demo` came for
(`--via stack` refuses instead).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from newswire import runs
from newswire.cli.common import print_query, settings, testsite_module
from newswire.cli.ingest import latest_run, run_dag_through_airflow, run_on_stack, running_stack
from newswire.cli.stack_run import StackClient, is_test_site, stack_sites
from newswire.config import INGEST_DAG_ID, RuntimeSettings, child_environment, environment
from newswire.db import resolve_db_url
from newswire.models import Window
from newswire.sources import TASS_COM

DEMO_WINDOW = ("2017-09-01", "2026-04-01")
TO_THE_UI = "`make airflow-down && make airflow-demo` starts a stack on the test site"


class DemoRefused(RuntimeError):
    """The demo cannot run the way it was asked to; the message says why and what to do."""


def cmd_demo(args: argparse.Namespace) -> int:
    """Embedded Postgres + local TASS test site + the DAG through Airflow, then queries."""
    config = settings()
    t0 = time.monotonic()
    db_url = resolve_db_url(config)
    print(f"warehouse: {'NEWS_DB_URL' if config.db_url else 'embedded Postgres'}")
    since, until = args.since or DEMO_WINDOW[0], args.until or DEMO_WINDOW[1]
    try:
        stack = demo_stack(getattr(args, "via", "auto"))
    except DemoRefused as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2
    summary: runs.RunSummary | None
    if stack is not None:
        print(f"running the {INGEST_DAG_ID} DAG on the stack for [{since}, {until}) ...")
        code, summary = run_on_stack(stack, db_url, INGEST_DAG_ID, Window.parse(since, until))
    else:
        code, summary = _through_dags_test(db_url, since, until)
    print()
    if summary is None:
        print("the DAG run recorded no ingest run (see the Airflow log above)")
        return code or 1
    print(summary)
    _demo_results(db_url, config.data_dir)
    print(f"\ndemo finished in {time.monotonic() - t0:.0f} s")
    return 0 if code == 0 and summary.state == "success" else 1


def demo_stack(via: str) -> StackClient | None:
    """The native stack to run the demo on, or None for `airflow dags test`.

    Used only when it asks the local test site for tass.com; otherwise the demo says why
    and falls back (`via="stack"`: raises `DemoRefused` instead).
    """
    if via == "dags-test":
        return None
    stack = running_stack()
    if stack is None:
        if via == "stack":
            raise DemoRefused("the Airflow stack is not up (make airflow-demo)")
        return None
    site = stack_sites().get(TASS_COM.name)
    if site and is_test_site(site, stack.client):
        print(f"the Airflow stack at {stack.api_url} asks the local test site {site}:")
        print("  the demo runs there and shows in its UI")
        return stack
    why = (
        f"the Airflow stack at {stack.api_url} asks {site} for {TASS_COM.name}, not the"
        " local test site"
        if site
        else f"the Airflow stack at {stack.api_url} does not say which site it asks"
        " (it was started by an older version: restart it)"
    )
    if via == "stack":
        raise DemoRefused(f"{why}; a demo never fetches from a real site. {TO_THE_UI}")
    print(f"{why}, so the demo does not use it (a demo never fetches from a real site).")
    print("  Running through `airflow dags test` against a test site of its own instead;")
    print(f"  this run will not show in the stack's UI. {TO_THE_UI}.")
    return None


def _through_dags_test(db_url: str, since: str, until: str) -> tuple[int, runs.RunSummary | None]:
    """The demo's own test site and `airflow dags test` (SQLite metadata, no UI)."""
    from devtools.airflow_demo import airflow_environment, ensure_metadata_db

    with testsite_module("server").TassTestSite() as site:
        print(f"local TASS test site: {site.base_url}")
        current = environment()
        env = child_environment(
            NEWS_DB_URL=db_url,
            TASS_BASE_URL=site.base_url,
            TASS_REQUEST_INTERVAL=current.get("TASS_REQUEST_INTERVAL", "0"),
            TASS_CONCURRENCY=current.get("TASS_CONCURRENCY", "4"),
        )
        env = airflow_environment(env, RuntimeSettings.from_env().airflow_dir())
        ensure_metadata_db(env, Path(sys.executable).with_name("airflow"))
        started = datetime.now(UTC)
        print(f"running the {INGEST_DAG_ID} DAG through Airflow for [{since}, {until}) ...")
        log_path = Path(env["AIRFLOW_HOME"]) / "demo-run.log"
        code = run_dag_through_airflow(since, until, env, log_path)
    return code, latest_run(db_url, started)


def _demo_results(db_url: str, data_dir: Path) -> None:
    from newswire.analysis.report import write_report

    print()
    print("Newest five DPRK-related headlines (sql/queries/latest_dprk_headlines.sql):")
    print_query(db_url, "latest_dprk_headlines")
    print()
    print("Who is quoted in DPRK articles, by person (sql/queries/top_dprk_speakers.sql):")
    print_query(db_url, "top_dprk_speakers")
    report = write_report(db_url, data_dir / "report" / "coverage.html")
    print(f"\ncoverage report: {report}")
