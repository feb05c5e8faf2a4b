"""The commands an operator uses around runs: the database, re-extraction, re-analysis
and the local test site."""

from __future__ import annotations

import argparse
import sys

from newswire import pipeline
from newswire.cli.common import settings, testsite_module
from newswire.db import resolve_db_url, stop_embedded, url_without_password
from newswire.migrate import apply_migrations


def cmd_db(args: argparse.Namespace) -> int:
    config = settings()
    if args.action == "url":
        print(url_without_password(resolve_db_url(config)))
    elif args.action == "stop":
        print("stopped" if stop_embedded(config) else "the embedded Postgres is not running")
    return 0


def cmd_testsite(args: argparse.Namespace) -> int:
    faults = [arg for spec in args.fault for arg in ("--fault", spec)]
    tass_ru = ["--service", args.service, "--robots", args.robots, "--ru-markup", args.ru_markup]
    serve = testsite_module("__main__").main
    return int(serve(["--port", str(args.port), "--host", args.host, *faults, *tass_ru]))


def cmd_reparse(args: argparse.Namespace) -> int:
    """Re-extract archived pages with the current parser; no network access."""
    from newswire.models import parse_instant

    db_url = resolve_db_url(settings())
    apply_migrations(db_url)
    since = parse_instant(args.since, "since") if args.since else None
    until = parse_instant(args.until, "until") if args.until else None
    summary = pipeline.reparse(db_url, since, until, dag_id="cli-reparse")
    print(summary)
    return 0 if summary.state == "success" else 1


def cmd_reanalyse(args: argparse.Namespace) -> int:
    """Recompute mentions and quotes after the knowledge base changed: of the articles the
    change may affect, or of every article with `--all`."""
    from newswire.analysis.reanalyse import reanalyse

    db_url = resolve_db_url(settings())
    apply_migrations(db_url)
    s = reanalyse(  # batched and resumable; refreshes the views too
        db_url,
        batch_size=args.batch_size,
        workers=args.workers,
        restart=args.restart,
        discover=not args.no_discover,
        progress=sys.stderr,
        everything=args.everything,
    )
    print(
        f"reanalysed {s.articles} articles in {s.seconds:.1f} s (job of {s.total} of"
        f" {s.stored} stored): {s.mentions} entity mentions, {s.quotes} quotes; views refreshed"
    )
    return 0
