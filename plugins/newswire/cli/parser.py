"""The argument parser: every command, its options and the function that runs it."""

from __future__ import annotations

import argparse
from typing import TypeAlias

from newswire.cli import analyst, demo, ingest, operator

DESCRIPTION = "newswire: the same stages as the DAG, plus the demo and operator helpers."
Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswire", description=DESCRIPTION)
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_ingest_commands(sub)
    _add_analyst_commands(sub)
    _add_operator_commands(sub)
    return parser


def _add_ingest_commands(sub: Sub) -> None:
    sub.add_parser("migrate", help="apply sql/migrations to the warehouse").set_defaults(
        func=ingest.cmd_migrate
    )
    for name, func, text in (
        ("ingest", ingest.cmd_ingest, "ingest a window in this process (no Airflow)"),
        ("airflow-ingest", ingest.cmd_airflow_ingest, "ingest a window through Airflow"),
        ("backfill", ingest.cmd_backfill, "ingest a long range as month windows, resumably"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--since", required=True, help="ISO date or datetime, UTC, inclusive")
        p.add_argument(
            "--until",
            help="ISO date or datetime, UTC, exclusive (default: +1 day; backfill: today)",
        )
        p.add_argument("--source", help="tass.com (default) or tass.ru")
        if name == "airflow-ingest":
            p.add_argument(
                "--via",
                choices=["auto", "stack", "dags-test"],
                default="auto",
                help="auto: the native stack's REST API when it is up, else airflow dags test",
            )
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
    p.add_argument(
        "--via",
        choices=["auto", "stack", "dags-test"],
        default="auto",
        help="auto: the native stack when it is up and asks the local test site, else"
        " airflow dags test with a test site of its own",
    )
    p.set_defaults(func=demo.cmd_demo)


def _add_analyst_commands(sub: Sub) -> None:
    p = sub.add_parser("report", help="write the HTML coverage report (DPRK and Russia)")
    p.add_argument("--output", help="HTML file to write (default: DATA_DIR/report/coverage.html)")
    p.add_argument("--since", help="ISO date, Moscow day, inclusive (default: the first article)")
    p.add_argument("--until", help="ISO date, exclusive (default: the day after the last article)")
    p.set_defaults(func=analyst.cmd_report)

    p = sub.add_parser("query", help="run a worked query from sql/queries/, or export it")
    p.add_argument("name", nargs="?", help="file name without .sql, e.g. latest_dprk_headlines")
    p.add_argument("--list", action="store_true", help="list the queries and what they answer")
    p.add_argument("--csv", metavar="FILE", help="write the rows as UTF-8 CSV")
    p.add_argument("--bom", action="store_true", help="start the CSV with a BOM (spreadsheets)")
    p.add_argument("--parquet", metavar="FILE", help="write the rows as Parquet")
    p.set_defaults(func=analyst.cmd_query)

    p = sub.add_parser("summary", help="print an ingest run's summary (default: the latest)")
    p.add_argument("--run", type=int)
    p.set_defaults(func=analyst.cmd_summary)

    p = sub.add_parser("quarantine", help="list the quarantined articles and why")
    p.add_argument("--reason", help="only this reason code, e.g. challenge_page")
    p.set_defaults(func=analyst.cmd_quarantine)

    p = sub.add_parser("entities", help="the knowledge base: `entities unknown` lists people")
    p.add_argument("action", choices=["unknown"], help="unknown: people not in the base")
    p.add_argument("--limit", type=int, default=50)
    p.set_defaults(func=analyst.cmd_entities_unknown)


def _add_operator_commands(sub: Sub) -> None:
    p = sub.add_parser("db", help="the embedded Postgres: print its URL or stop it")
    p.add_argument("action", choices=["url", "stop"])
    p.set_defaults(func=operator.cmd_db)

    p = sub.add_parser("reparse", help="re-extract archived pages (no network), then merge")
    p.add_argument("--since", help="ISO date or datetime, UTC: articles published from then")
    p.add_argument("--until", help="ISO date or datetime, UTC, exclusive")
    p.set_defaults(func=operator.cmd_reparse)

    p = sub.add_parser(
        "reanalyse", help="recompute entity mentions and quotes the knowledge base changes reach"
    )
    p.add_argument(
        "--all", action="store_true", dest="everything", help="every article, changed or not"
    )
    p.add_argument("--batch-size", type=int, default=1000, help="articles per transaction")
    p.add_argument("--workers", type=int, help="processes (default: one per core)")
    p.add_argument("--restart", action="store_true", help="drop an unfinished job, start anew")
    p.add_argument(
        "--no-discover", action="store_true", help="keep stored unknown people (much faster)"
    )
    p.set_defaults(func=operator.cmd_reanalyse)

    p = sub.add_parser("testsite", help="serve the local TASS test site")
    p.add_argument("--fault", action="append", default=[], help="fault spec (repeatable)")
    p.add_argument("--port", type=int, default=8089)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--service", choices=("tass.com", "tass.ru", "both"), default="tass.com")
    p.add_argument("--robots", choices=("2026", "old"), default="2026", help="tass.ru rules")
    p.add_argument("--ru-markup", choices=("era", "current"), default="era")
    p.set_defaults(func=operator.cmd_testsite)
