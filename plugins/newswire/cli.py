"""`newswire` command line: the same stages as the DAG, plus the demo and operator helpers.

Run `newswire --help` (or `python -m newswire.cli --help`).
"""

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from newswire import pipeline, runs
from newswire.config import (
    INGEST_DAG_ID,
    ConfigError,
    RuntimeSettings,
    Settings,
    child_environment,
    env_str,
    environment,
    project_root,
)
from newswire.db import (
    DatabaseUnavailable,
    connect,
    one_row,
    resolve_db_url,
    stop_embedded,
    url_without_password,
)
from newswire.migrate import apply_migrations
from newswire.models import Window, WindowError
from newswire.sources import TASS_COM, Source, get_source

log = logging.getLogger("newswire")

DEMO_WINDOW = ("2017-09-01", "2026-04-01")
DAG_ID = INGEST_DAG_ID


def _settings() -> Settings:
    return Settings.from_env()


def _source_settings(name: str | None) -> tuple[Source, Settings]:
    """The source (default: TASS_SOURCE, else tass.com) and its settings."""
    source = get_source(name or env_str(environment(), "TASS_SOURCE") or TASS_COM.name)
    return source, source.settings()


def cmd_migrate(args: argparse.Namespace) -> int:
    report = apply_migrations(resolve_db_url(_settings()))
    print(f"applied {len(report.applied)} migrations, {report.already_applied} already in place")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    _, settings = _source_settings(args.source)
    db_url = resolve_db_url(settings)
    apply_migrations(db_url)
    summary = pipeline.ingest_window(db_url, settings, Window.parse(args.since, args.until))
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

    With `log_path`, Airflow's own (long) output goes to that file instead of the terminal.
    """
    window = Window.parse(since, until)
    conf = json.dumps({"since": window.start.isoformat(), "until": window.end.isoformat()})
    airflow = Path(sys.executable).with_name("airflow")
    command = [str(airflow), "dags", "test", dag_id, "--conf", conf]
    log.info("running %s", " ".join(command))
    if log_path is None:
        return subprocess.run(command, env=env, check=False).returncode
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as out:
        code = subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    print(f"Airflow's log of the run: {log_path}")
    if code != 0:
        print("".join(log_path.read_text(errors="replace").splitlines(True)[-40:]))
    return code


def _latest_run(db_url: str, since: datetime, dag_id: str = DAG_ID) -> runs.RunSummary | None:
    with connect(db_url) as conn:
        row = conn.execute(
            "SELECT id FROM ingest_runs WHERE dag_id = %s AND started_at >= %s"
            " ORDER BY id DESC LIMIT 1",
            (dag_id, since),
        ).fetchone()
        return runs.get_summary(conn, row[0]) if row else None


def cmd_airflow_ingest(args: argparse.Namespace) -> int:
    source, settings = _source_settings(args.source)
    db_url = resolve_db_url(settings)
    env = child_environment(NEWS_DB_URL=db_url)
    started = datetime.now(UTC)
    code = run_dag_through_airflow(args.since, args.until, env, dag_id=source.dag_id)
    summary = _latest_run(db_url, started, source.dag_id)
    if summary is None:
        print("the DAG run recorded no ingest run (see the Airflow log above)", file=sys.stderr)
        return code or 1
    print(summary)
    if summary.state != "success":
        return code or 1
    return code


def cmd_backfill(args: argparse.Namespace) -> int:
    """Month windows of one source, resumable, through Airflow's backfill when it is up."""
    from newswire import backfill

    source, settings = _source_settings(args.source)
    if not args.verbose:  # one progress line per window; the runs' own logs say the same
        for chatty in ("newswire.pipeline", "newswire.discover", "newswire.history"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
    db_url = resolve_db_url(settings)
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
        runner = backfill.InProcessRunner(db_url, settings, source.dag_id)
    report = backfill.run_backfill(source, settings, db_url, window, runner)
    return 0 if report.ok else 1


def print_query(db_url: str, name: str) -> None:
    from newswire.queries import run_query

    result = run_query(db_url, name)
    columns, rows = result.columns, result.rows
    print(" | ".join(columns))
    for row in rows:
        print(" | ".join(_cell(v) for v in row))
    if not rows:
        print("(no rows)")


def _cell(value: object) -> str:
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML coverage report (every write path has refreshed the views)."""
    from newswire.analysis.report import parse_day, write_report

    settings = _settings()
    db_url = resolve_db_url(settings)
    apply_migrations(db_url)
    path = Path(args.output) if args.output else settings.data_dir / "report" / "coverage.html"
    since, until = parse_day(args.since, "since"), parse_day(args.until, "until")
    print(f"coverage report: {write_report(db_url, path, since=since, until=until)}")
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from newswire import queries

    if args.list or not args.name:
        for info in queries.list_queries():
            print(f"{info.name}  {info.summary}")
        return 0 if args.list else 2
    try:
        if not (args.csv or args.parquet):
            queries.query_sql(args.name)  # an unknown name fails before connecting
            print_query(resolve_db_url(_settings()), args.name)
            return 0
        result = queries.run_query(resolve_db_url(_settings()), args.name)
    except queries.UnknownQuery as exc:
        print(f"newswire: {exc}; the queries are:", *exc.known, sep="\n  ", file=sys.stderr)
        return 2
    if args.csv:
        print(f"{len(result.rows)} rows: {queries.write_csv(result, Path(args.csv), bom=args.bom)}")
    if args.parquet:
        print(f"{len(result.rows)} rows: {queries.write_parquet(result, Path(args.parquet))}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    db_url = resolve_db_url(_settings())
    with connect(db_url) as conn:
        run_id = args.run or one_row(conn, "SELECT max(id) FROM ingest_runs")[0]
        if run_id is None:
            print("no ingest run yet")
            return 1
        print(runs.get_summary(conn, run_id))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """Embedded Postgres + local TASS test site + the DAG through Airflow, then a query."""
    from devtools.airflow_demo import airflow_environment, ensure_metadata_db
    from devtools.testsite.server import TassTestSite

    settings = _settings()
    t0 = time.monotonic()
    db_url = resolve_db_url(settings)
    print(f"warehouse: {'NEWS_DB_URL' if settings.db_url else 'embedded Postgres'}")
    since, until = args.since or DEMO_WINDOW[0], args.until or DEMO_WINDOW[1]
    with TassTestSite() as site:
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
        print(f"running the tass_ingest DAG through Airflow for [{since}, {until}) ...")
        log_path = Path(env["AIRFLOW_HOME"]) / "demo-run.log"
        code = run_dag_through_airflow(since, until, env, log_path)
    summary = _latest_run(db_url, started)
    print()
    if summary is None:
        print("the DAG run recorded no ingest run (see the Airflow log above)")
        return code or 1
    print(summary)
    print()
    print("Newest five DPRK-related headlines (sql/queries/latest_dprk_headlines.sql):")
    print_query(db_url, "latest_dprk_headlines")
    print()
    print("Who is quoted in DPRK articles, by person (sql/queries/top_dprk_speakers.sql):")
    print_query(db_url, "top_dprk_speakers")
    from newswire.analysis.report import write_report

    report = write_report(db_url, settings.data_dir / "report" / "coverage.html")
    print(f"\ncoverage report: {report}")
    print(f"\ndemo finished in {time.monotonic() - t0:.0f} s")
    return 0 if code == 0 and summary.state == "success" else 1


def cmd_db(args: argparse.Namespace) -> int:
    settings = _settings()
    if args.action == "url":
        print(url_without_password(resolve_db_url(settings)))
    elif args.action == "stop":
        print("stopped" if stop_embedded(settings) else "the embedded Postgres is not running")
    return 0


def cmd_testsite(args: argparse.Namespace) -> int:
    from devtools.testsite.__main__ import main as serve

    faults = [arg for spec in args.fault for arg in ("--fault", spec)]
    tass_ru = ["--service", args.service, "--robots", args.robots, "--ru-markup", args.ru_markup]
    return int(serve(["--port", str(args.port), "--host", args.host, *faults, *tass_ru]))


def cmd_reparse(args: argparse.Namespace) -> int:
    """Re-extract archived pages with the current parser; no network access."""
    from newswire.models import parse_instant

    db_url = resolve_db_url(_settings())
    apply_migrations(db_url)
    since = parse_instant(args.since, "since") if args.since else None
    until = parse_instant(args.until, "until") if args.until else None
    summary = pipeline.reparse(db_url, since, until, dag_id="cli-reparse")
    print(summary)
    return 0 if summary.state == "success" else 1


def cmd_reanalyse(args: argparse.Namespace) -> int:
    """Recompute every article's mentions and quotes, e.g. after the alias dictionary changed."""
    from newswire.analysis.reanalyse import reanalyse

    db_url = resolve_db_url(_settings())
    apply_migrations(db_url)
    s = reanalyse(  # batched and resumable; refreshes the views too
        db_url,
        batch_size=args.batch_size,
        workers=args.workers,
        restart=args.restart,
        discover=not args.no_discover,
        progress=sys.stderr,
    )
    print(
        f"reanalysed {s.articles} articles in {s.seconds:.1f} s: {s.mentions} entity mentions,"
        f" {s.quotes} quotes; views refreshed"
    )
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    """List quarantined articles: why, since when, and whether an older version is stored."""
    from newswire.quarantine import entries

    with connect(resolve_db_url(_settings())) as conn:
        rows = entries(conn, args.reason)
    print("external_id | reason | last_seen | times | stored | raw_response | url | detail")
    for e in rows:
        raw = f"{e.raw_response_id} (HTTP {e.raw_status})" if e.raw_response_id else "-"
        print(
            f"{e.external_id} | {e.reason} | {_cell(e.last_seen_at)} | {e.times_seen} | "
            f"{'yes' if e.stored else 'no'} | {raw} | {e.url} | {e.detail or ''}"
        )
    print(f"({len(rows)} quarantined)")
    return 0


def cmd_entities_unknown(args: argparse.Namespace) -> int:
    """List the people articles name whom the knowledge base does not know, by frequency."""
    from newswire.analysis.store import unknown_people

    with connect(resolve_db_url(_settings())) as conn:
        rows = unknown_people(conn, args.limit)
    print("name | language | articles | mentions")
    for name, language, articles, mentions in rows:
        print(f"{name} | {language} | {articles} | {mentions}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswire", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply sql/migrations to the warehouse").set_defaults(
        func=cmd_migrate
    )
    for name, func, text in (
        ("ingest", cmd_ingest, "ingest a window in this process (no Airflow)"),
        ("airflow-ingest", cmd_airflow_ingest, "ingest a window through `airflow dags test`"),
        ("backfill", cmd_backfill, "ingest a long range as month windows, resumably"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--since", required=True, help="ISO date or datetime, UTC, inclusive")
        p.add_argument(
            "--until",
            help="ISO date or datetime, UTC, exclusive (default: +1 day; backfill: today)",
        )
        p.add_argument("--source", help="tass.com (default) or tass.ru")
        if name == "backfill":
            p.add_argument(
                "--mode",
                choices=["auto", "airflow", "dags-test", "local"],
                default="auto",
                help="auto: Airflow's backfill when the stack is up, else in this process",
            )
        p.set_defaults(func=func)

    p = sub.add_parser("demo", help="run the DAG against the local test site, print results")
    p.add_argument("--since")
    p.add_argument("--until")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("report", help="write the HTML coverage report (DPRK and Russia)")
    p.add_argument("--output", help="HTML file to write (default: DATA_DIR/report/coverage.html)")
    p.add_argument("--since", help="ISO date, Moscow day, inclusive (default: the first article)")
    p.add_argument("--until", help="ISO date, exclusive (default: the day after the last article)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("query", help="run a worked query from sql/queries/, or export it")
    p.add_argument("name", nargs="?", help="file name without .sql, e.g. latest_dprk_headlines")
    p.add_argument("--list", action="store_true", help="list the queries and what they answer")
    p.add_argument("--csv", metavar="FILE", help="write the rows as UTF-8 CSV")
    p.add_argument("--bom", action="store_true", help="start the CSV with a BOM (spreadsheets)")
    p.add_argument("--parquet", metavar="FILE", help="write the rows as Parquet")
    p.set_defaults(func=cmd_query)
    _add_operator_commands(sub)
    return parser


def _add_operator_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The commands an operator uses around runs: summaries, the database, re-extraction,
    the quarantine and the local test site."""
    p = sub.add_parser("summary", help="print an ingest run's summary (default: the latest)")
    p.add_argument("--run", type=int)
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("db", help="the embedded Postgres: print its URL or stop it")
    p.add_argument("action", choices=["url", "stop"])
    p.set_defaults(func=cmd_db)

    p = sub.add_parser("reparse", help="re-extract archived pages (no network), then merge")
    p.add_argument("--since", help="ISO date or datetime, UTC: articles published from then")
    p.add_argument("--until", help="ISO date or datetime, UTC, exclusive")
    p.set_defaults(func=cmd_reparse)

    p = sub.add_parser("reanalyse", help="recompute entity mentions and quotes of every article")
    p.add_argument("--batch-size", type=int, default=1000, help="articles per transaction")
    p.add_argument("--workers", type=int, help="processes (default: one per core)")
    p.add_argument("--restart", action="store_true", help="drop an unfinished job, start anew")
    p.add_argument(
        "--no-discover", action="store_true", help="keep stored unknown people (much faster)"
    )
    p.set_defaults(func=cmd_reanalyse)

    p = sub.add_parser("quarantine", help="list the quarantined articles and why")
    p.add_argument("--reason", help="only this reason code, e.g. challenge_page")
    p.set_defaults(func=cmd_quarantine)

    p = sub.add_parser("entities", help="the knowledge base: `entities unknown` lists people")
    p.add_argument("action", choices=["unknown"], help="unknown: people not in the base")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=cmd_entities_unknown)

    p = sub.add_parser("testsite", help="serve the local TASS test site")
    p.add_argument("--fault", action="append", default=[], help="fault spec (repeatable)")
    p.add_argument("--port", type=int, default=8089)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--service", choices=("tass.com", "tass.ru", "both"), default="tass.com")
    p.add_argument("--robots", choices=("2026", "old"), default="2026", help="tass.ru rules")
    p.add_argument("--ru-markup", choices=("era", "current"), default="era")
    p.set_defaults(func=cmd_testsite)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("httpx", "pgserver", "yoyo", "devtools.testsite"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        return int(args.func(args))
    except (ConfigError, WindowError, DatabaseUnavailable) as exc:
        print(f"newswire: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["main", "project_root"]
