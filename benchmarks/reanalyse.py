"""Re-analysis throughput over a large synthetic warehouse, full and incremental.

    PYTHONPATH=plugins python benchmarks/reanalyse.py [--articles 100000] [--workers N]

Loads the articles with benchmarks/seeding.py, as benchmarks/warehouse.py does (COPY +
the pipeline's merge, built from the paragraphs of the committed fixture articles, one in
twenty Russian) into a database of its own, then runs the batched, resumable re-analysis
over every article (mentions, quotes and unknown people, one worker process per core by
default) and times it, view refresh included. Then it adds one person (Anna Popova, named
in some of the Russian paragraphs) to the knowledge base and times the incremental
re-analysis that follows, planning (the scan of the stored texts for the new names)
included. The load is not timed. The machine's load average is printed beside each
figure, since the cores are shared. The last line is JSON: articles, seconds,
articles_per_s of the full run, and under "incremental" the same for the run after the
change plus the articles stored.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

import psycopg
from newswire.analysis.reanalyse import reanalyse
from seeding import LOAD_CHUNK, Corpus, admin_url, copy_and_merge, load_average, scratch_database

from devtools.knowledge_edit import add_person, edited_knowledge

ONE_PERSON = add_person("anna_popova", ["Anna Popova"], ["Анна Попова"], country="russia")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, help="processes (default: one per core)")
    parser.add_argument("--batch-size", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args(argv)
    with scratch_database(admin_url(), args.keep) as url:
        corpus = Corpus()
        loaded = 0
        while loaded < args.articles:
            n = min(args.articles - loaded, LOAD_CHUNK)
            copy_and_merge(url, corpus, 1_000_000 + loaded, n)
            loaded += n
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE articles")
        print(f"loaded {loaded:,} articles (not timed); {load_average()}", flush=True)
        s = reanalyse(
            url,
            batch_size=args.batch_size,
            workers=args.workers,
            progress=sys.stderr,
            everything=True,
        )
        rate = s.articles / s.seconds
        print(
            f"reanalyse --all: {s.articles:,} articles in {s.seconds:.1f} s = {rate:,.0f}"
            f" articles/s ({s.mentions:,} mentions, {s.quotes:,} quotes, {s.batches} batches,"
            f" {args.workers or os.cpu_count()} workers); {load_average()}",
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
            f" {load_average()}"
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


if __name__ == "__main__":
    sys.exit(main())
