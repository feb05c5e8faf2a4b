"""The commands analysts use on stored articles: report, worked queries, run summaries,
the quarantine and the people the knowledge base does not know."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from newswire import runs
from newswire.cli.common import cell, print_query, settings
from newswire.db import connect, one_row, resolve_db_url
from newswire.migrate import apply_migrations


def cmd_report(args: argparse.Namespace) -> int:
    """Write the HTML coverage report (every write path has refreshed the views)."""
    from newswire.analysis.report import parse_day, write_report

    config = settings()
    db_url = resolve_db_url(config)
    apply_migrations(db_url)
    path = Path(args.output) if args.output else config.data_dir / "report" / "coverage.html"
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
            print_query(resolve_db_url(settings()), args.name)
            return 0
        result = queries.run_query(resolve_db_url(settings()), args.name)
    except queries.UnknownQuery as exc:
        print(f"newswire: {exc}; the queries are:", *exc.known, sep="\n  ", file=sys.stderr)
        return 2
    if args.csv:
        print(f"{len(result.rows)} rows: {queries.write_csv(result, Path(args.csv), bom=args.bom)}")
    if args.parquet:
        print(f"{len(result.rows)} rows: {queries.write_parquet(result, Path(args.parquet))}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    db_url = resolve_db_url(settings())
    with connect(db_url) as conn:
        run_id = args.run or one_row(conn, "SELECT max(id) FROM ingest_runs")[0]
        if run_id is None:
            print("no ingest run yet")
            return 1
        print(runs.get_summary(conn, run_id))
    return 0


def cmd_quarantine(args: argparse.Namespace) -> int:
    """List quarantined articles: why, since when, and whether an older version is stored."""
    from newswire.quarantine import entries

    with connect(resolve_db_url(settings())) as conn:
        rows = entries(conn, args.reason)
    print("external_id | reason | last_seen | times | stored | raw_response | url | detail")
    for e in rows:
        raw = f"{e.raw_response_id} (HTTP {e.raw_status})" if e.raw_response_id else "-"
        print(
            f"{e.external_id} | {e.reason} | {cell(e.last_seen_at)} | {e.times_seen} | "
            f"{'yes' if e.stored else 'no'} | {raw} | {e.url} | {e.detail or ''}"
        )
    print(f"({len(rows)} quarantined)")
    return 0


def cmd_entities_unknown(args: argparse.Namespace) -> int:
    """List the people articles name whom the knowledge base does not know, by frequency."""
    from newswire.analysis.store import unknown_people

    with connect(resolve_db_url(settings())) as conn:
        rows = unknown_people(conn, args.limit)
    print("name | language | articles | mentions")
    for name, language, articles, mentions in rows:
        print(f"{name} | {language} | {articles} | {mentions}")
    return 0
