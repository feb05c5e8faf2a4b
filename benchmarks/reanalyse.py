"""Time `newswire reanalyse` over a warehouse of synthetic articles: every article
(`--all`) beside the incremental run after a one-person knowledge base change.

    PYTHONPATH=plugins python benchmarks/reanalyse.py [--articles 100000] [--workers N]

Loads the articles the way benchmarks/warehouse.py does (COPY + the pipeline's merge,
built from the paragraphs of the committed fixture articles, one in twenty Russian) into
a database of its own, then runs the batched, resumable re-analysis over every article
(mentions, quotes and unknown people, one worker process per core by default) and times
it, view refresh included. Then it adds one person (Anna Popova, named in some of the
Russian paragraphs) to the knowledge base and times the incremental re-analysis that
follows, planning (the scan of the stored texts for the new names) included. The load is
not timed. The machine's load average is printed beside each figure, since the cores
are shared. The last line is JSON: articles, seconds, articles_per_s of the full run,
and under "incremental" the same for the run after the change plus the articles stored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid

import psycopg
from newswire.analysis.reanalyse import reanalyse
from newswire.migrate import apply_migrations
from psycopg import sql
from warehouse import LOAD_CHUNK, Corpus, admin_url, copy_and_merge, with_db

from devtools.knowledge_edit import add_person, edited_knowledge

ONE_PERSON = add_person("anna_popova", ["Anna Popova"], ["Анна Попова"], country="russia")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, help="processes (default: one per core)")
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args(argv)
    admin = admin_url()
    name = f"newswire_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_db(admin, name)
    try:
        apply_migrations(url)
        corpus = Corpus()
        loaded = 0
        while loaded < args.articles:
            n = min(args.articles - loaded, LOAD_CHUNK)
            copy_and_merge(url, corpus, 1_000_000 + loaded, n)
            loaded += n
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE articles")
        print(f"loaded {loaded:,} articles (not timed); load average {_load()}", flush=True)
        s = reanalyse(
            url,
            batch_size=args.batch_size,
            workers=args.workers,
            progress=sys.stderr,
            everything=True,
        )
        rate = s.articles / s.seconds
        workers = args.workers or os.cpu_count()
        print(
            f"reanalyse --all: {s.articles:,} articles in {s.seconds:.1f} s = {rate:,.0f}"
            f" articles/s ({s.mentions:,} mentions, {s.quotes:,} quotes, {s.batches} batches,"
            f" {workers} workers); load average {_load()}",
            flush=True,
        )
        with edited_knowledge(ONE_PERSON):
            i = reanalyse(
                url, batch_size=args.batch_size, workers=args.workers, progress=sys.stderr
            )
        print(
            f"reanalyse after adding one person: {i.articles:,} of {i.stored:,} articles in"
            f" {i.seconds:.1f} s (planning {i.plan_seconds:.1f} s) = {i.stored / i.seconds:,.0f}"
            f" stored articles/s ({s.seconds / i.seconds:.1f}x faster than --all);"
            f" load average {_load()}"
        )
        print(
            json.dumps(
                {
                    "articles": s.articles,
                    "seconds": round(s.seconds, 1),
                    "articles_per_s": round(rate),
                    "incremental": {
                        "articles": i.articles,
                        "stored": i.stored,
                        "seconds": round(i.seconds, 1),
                        "plan_seconds": round(i.plan_seconds, 1),
                        "articles_per_s": round(i.articles / i.seconds),
                    },
                }
            )
        )
        return 0
    finally:
        if not args.keep:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                    (name,),
                )
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        else:
            print(f"kept database {name}", file=sys.stderr)


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} ({os.cpu_count()} cores)"


if __name__ == "__main__":
    sys.exit(main())
