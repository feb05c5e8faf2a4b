"""Load a warehouse of synthetic articles by both load paths, side by side, and time every
analyst view and worked query.

    PYTHONPATH=plugins python benchmarks/warehouse.py [--articles 1000000] [--keep]
        [--paths regular,bulk]

Works in databases of its own (one per load path, created next to the one NEWS_DB_URL /
NEWS_TEST_DB_URL names, or in the embedded Postgres), dropped at the end unless --keep.
Articles come from benchmarks/seeding.py: built from the paragraphs of the committed
fixture articles, so their size, wording and entity mix are those of real TASS copy (the
corpus is more repetitive than real copy, so common words match a larger share of
articles: search is tested the hard way).

The load is the pipeline's own, in runs of up to 250,000 articles. For each run the same
rows are sent with COPY into staged_articles of each database; the text analysis of the
staged texts (mentions, quotes, unknown people: the load stage's precompute, one worker
process per core, no caching) is computed once and handed to both paths, since it is the
same pure function of the same texts; then each database runs the load stage's
transaction (`stages.load.write_load`): the merge, the analysis rows, the search
documents, with the indexes kept up row by row (regular) or dropped and rebuilt (bulk).
Building the synthetic rows in Python is not timed (a real load starts from parsed
articles); sending them with COPY is. For comparison, a 10,000-row sample is upserted row
by row first, each with its revision.

Each step's cost alone is printed in microseconds per article per core (its time times
the cores it kept busy, over the articles); the machine's limit is cores / (sum of the
costs, with the analysis's CPU time alone in place of its wall-clock time), and each
path's end-to-end rate (all steps one after another) is printed as a share of it, with
the load average, since the cores are shared. The two databases' tables are then
compared row for row.

The last line printed is JSON: articles, load_articles_per_s (COPY + merge),
search_index_articles_per_s, analysis_articles_per_s, end_to_end_articles_per_s and
limit_articles_per_s (of the path NEWSWIRE_BULK_LOAD_MIN_ARTICLES picks for runs of this
size), chosen_path, paths (each path's end-to-end, limit and step costs),
end_to_end_share_of_limit, step_us_per_article_core, tables_identical, load_average,
copy_vs_insert_ratio, slowest_query_ms, slowest_query.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from newswire.analysis.report import load_report_data, render_html
from newswire.analysis.store import analyse_texts, index_search, read_texts, refresh_views
from newswire.config import RuntimeSettings
from newswire.db import load_sql
from newswire.stages.bulk import use_bulk
from newswire.stages.load import precompute_run, write_load
from seeding import (
    LOAD_CHUNK,
    Corpus,
    admin_url,
    copy_staged,
    load_average,
    new_run,
    scratch_database,
    staged_batches,
    staged_rows,
)

INSERT_SAMPLE = 10_000
ANALYSIS_WORKERS = os.cpu_count() or 1
CPU_SAMPLE = 1_000
QUERY_LIMIT_MS = 200.0
REPEATS = 5
PATHS = ("regular", "bulk")
# Row for row, what both paths must have written alike.
COMPARED = {
    "articles": "SELECT id, source, external_id, content_hash FROM articles ORDER BY id",
    "article_revisions": "SELECT article_id, revision, content_hash FROM article_revisions"
    " ORDER BY 1, 2",
    "article_search": "SELECT article_id, content_hash, document::text FROM article_search"
    " ORDER BY 1",
    "article_mentions": "SELECT * FROM article_mentions ORDER BY article_id, entity_id",
    "quotes": "SELECT article_id, position, paragraph, speaker, speaker_name, speaker_role,"
    " speaker_entity_id, text FROM quotes ORDER BY article_id, position",
    "unresolved_mentions": "SELECT * FROM unresolved_mentions ORDER BY article_id, normalised",
}

VIEW_PROBES = {
    "view dprk_articles (newest 100)": "SELECT * FROM dprk_articles ORDER BY published_at DESC "
    "LIMIT 100",
    "view dprk_russia_articles (newest 100)": "SELECT * FROM dprk_russia_articles "
    "ORDER BY published_at DESC LIMIT 100",
    "view daily_coverage (all days)": "SELECT * FROM daily_coverage",
    "view weekly_coverage (all weeks)": "SELECT * FROM weekly_coverage",
    "view dprk_co_mentions (all)": "SELECT * FROM dprk_co_mentions",
    "view dprk_speakers (all)": "SELECT * FROM dprk_speakers",
    "view revised_articles (newest 100)": "SELECT * FROM revised_articles "
    "ORDER BY revised_at DESC LIMIT 100",
    "search_articles('Pyongyang Moscow')": "SELECT * FROM search_articles('Pyongyang Moscow')",
    "search_articles('КНДР')": "SELECT * FROM search_articles('КНДР')",
    # A word nearly every article has, as analysts will type it.
    "search_articles('Russia')": "SELECT * FROM search_articles('Russia')",
    "search_articles('Russia', one month)": "SELECT * FROM search_articles('Russia',"
    " '2020-01-01', '2020-02-01')",
    # A word of one fixture headline: a few thousand matches in a million.
    "search_articles('Burevestnik')": "SELECT * FROM search_articles('Burevestnik')",
}


def insert_row_by_row(url: str, corpus: Corpus, first_id: int, n: int) -> float:
    """The merge's work done one article at a time: upsert the article, add revision 1.

    Like for like with COPY + merge (an article and its revision each, no search
    document), in one transaction. Returns seconds.
    """
    now = datetime.now(UTC)
    rows = list(staged_rows(corpus, 0, first_id, n, now))  # not timed, as for COPY
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        for row in rows:
            # staged row: run id, the 14 article columns (source .. parser_version), fetched_at
            article, fetched = row[1:15], row[15]
            (_, _, _, _, headline, lead, dateline, _, modified, body, _, digest, _, _) = article
            cur.execute(
                "INSERT INTO articles (source, external_id, url, section, headline, lead,"
                " dateline, published_at, modified_at, body, language, content_hash,"
                " extraction_method, parser_version, first_seen_at, last_fetched_at)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (source, external_id) DO NOTHING RETURNING id",
                (*article, now, fetched),
            )
            inserted = cur.fetchone()
            if inserted is None:
                continue
            cur.execute(
                "INSERT INTO article_revisions (article_id, revision, content_hash, headline,"
                " lead, dateline, body, modified_at, seen_at)"
                " VALUES (%s, 1, %s, %s, %s, %s, %s, %s, %s)",
                (inserted[0], digest, headline, lead, dateline, body, modified, fetched),
            )
        conn.commit()
    return time.perf_counter() - t0


@dataclass
class PathFigures:
    """Seconds one load path spent, per step, over every run; and per run, the total."""

    steps: dict[str, float] = field(default_factory=dict)
    runs: list[float] = field(default_factory=list)

    def add(self, step: str, seconds: float) -> None:
        self.steps[step] = self.steps.get(step, 0.0) + seconds


def load_run(
    urls: dict[str, str],
    corpus: Corpus,
    first_id: int,
    n: int,
    pool: ProcessPoolExecutor,
    workers: int,
    figures: dict[str, PathFigures],
) -> float:
    """One run of n articles loaded into every path's database; returns the seconds of
    the shared analysis (the load stage's precompute), also added to each path."""
    with ExitStack() as stack:
        conns = {p: stack.enter_context(psycopg.connect(u)) for p, u in urls.items()}
        run_ids = {p: new_run(c) for p, c in conns.items()}
        copy_s = dict.fromkeys(urls, 0.0)
        for rows in staged_batches(corpus, first_id, n):  # built untimed
            for path, conn in conns.items():
                t0 = time.perf_counter()
                copy_staged(conn, run_ids[path], rows)
                copy_s[path] += time.perf_counter() - t0
        for conn in conns.values():
            conn.commit()
    first = next(iter(urls))
    t0 = time.perf_counter()
    pre = precompute_run(urls[first], run_ids[first], pool=pool, workers=workers)
    analysis_s = time.perf_counter() - t0
    for path, url in urls.items():
        steps: dict[str, float] = {}
        t0 = time.perf_counter()
        counts = write_load(url, run_ids[path], pre, bulk=path == "bulk", steps=steps)
        total = time.perf_counter() - t0
        if counts.inserted != n:
            raise RuntimeError(f"{path}: the load inserted {counts.inserted} of {n} articles")
        for step, seconds in steps.items():
            figures[path].add(step, seconds)
        figures[path].add("analysis_compute", analysis_s)
        figures[path].add("copy", copy_s[path])
        figures[path].add("other", total - sum(steps.values()))
        figures[path].runs.append(copy_s[path] + analysis_s + total)
    return analysis_s


def step_costs(figures: PathFigures, loaded: int, workers: int) -> dict[str, float]:
    """Each step's cost in microseconds per article per core: its time, times the cores it
    kept busy (the analysis: its worker processes; the rest: one server backend)."""
    return {
        step: seconds * (workers if step == "analysis_compute" else 1) * 1e6 / loaded
        for step, seconds in figures.steps.items()
    }


def tables_identical(urls: dict[str, str]) -> dict[str, bool]:
    """Whether every compared table holds the same rows in every path's database."""
    digests: dict[str, set[str]] = {table: set() for table in COMPARED}
    for url in urls.values():
        with psycopg.connect(url) as conn:
            for table, query in COMPARED.items():
                row = conn.execute(
                    f"SELECT md5(COALESCE(string_agg(t::text, '|'), '')) FROM ({query}) t"
                ).fetchone()
                digests[table].add(row[0] if row else "")
    return {table: len(found) == 1 for table, found in digests.items()}


def analysis_cpu_us(url: str, sample: int) -> float:
    """CPU microseconds per article of the text analysis alone, in this process, on the
    first `sample` articles: what the step costs on an idle core, whatever the neighbours
    of a shared machine do to the wall-clock figures."""
    with psycopg.connect(url) as conn:
        ids = [
            r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT %s", (sample,))
        ]
        texts = read_texts(conn, ids)
    analyse_texts(texts[:50])  # loads the knowledge base and the Russian models: not timed
    t0 = time.process_time()
    analyse_texts(texts)
    return (time.process_time() - t0) * 1e6 / max(len(texts), 1)


def time_queries(url: str) -> list[tuple[str, float]]:
    probes = dict(VIEW_PROBES)
    for path in sorted((Path(__file__).resolve().parents[1] / "sql" / "queries").glob("*.sql")):
        probes[f"query {path.stem}"] = path.read_text("utf-8")
    timings = []
    with psycopg.connect(url) as conn:
        for name, text in probes.items():
            samples = []
            for _ in range(REPEATS):
                t0 = time.perf_counter()
                conn.execute(text).fetchall()
                samples.append((time.perf_counter() - t0) * 1000)
            timings.append((name, statistics.median(samples)))
    return timings


def print_paths(
    figures: dict[str, PathFigures], loaded: int, workers: int, cpu_us: float
) -> dict[str, dict[str, object]]:
    """Each path's steps, end-to-end rate and limit, side by side; returns them for JSON."""
    cores = os.cpu_count() or 1
    costs = {p: step_costs(f, loaded, workers) for p, f in figures.items()}
    steps = list(dict.fromkeys(s for c in costs.values() for s in c))
    print("cost of each step, microseconds per article per core (wall time x cores):")
    print(f"  {'step':<17}" + "".join(f"{p:>12}" for p in figures))
    for step in steps:
        print(f"  {step:<17}" + "".join(f"{costs[p].get(step, 0.0):12,.0f}" for p in figures))
    out: dict[str, dict[str, object]] = {}
    for path, f in figures.items():
        limit_costs = {**costs[path], "analysis_compute": cpu_us}
        limit = cores * 1e6 / sum(limit_costs.values())
        rate = loaded / sum(f.runs)
        print(
            f"{path:<8} end to end: {loaded:,} articles in {sum(f.runs):7.1f} s ="
            f" {rate:7,.0f} articles/s; limit {limit:7,.0f} articles/s (analysis at its"
            f" CPU cost alone, {cpu_us:,.0f} us); {rate / limit:.0%} of it"
        )
        out[path] = {
            "end_to_end_articles_per_s": round(rate),
            "limit_articles_per_s": round(limit),
            "step_us_per_article_core": {k: round(v) for k, v in costs[path].items()},
        }
    print(f"({load_average()})", flush=True)
    return out


def revision_round(url: str, loaded: int) -> None:
    """A re-fetch round in which 1% of the articles changed: revisions to report on."""
    with psycopg.connect(url) as conn:
        changed = conn.execute(
            "SELECT external_id FROM articles ORDER BY external_id LIMIT GREATEST(1, %s / 100)",
            (loaded,),
        ).fetchall()
        run_id = new_run(conn)
        conn.execute(
            "INSERT INTO staged_articles (ingest_run_id, source, external_id, url, section,"
            " headline, lead, dateline, published_at, modified_at, body, language,"
            " content_hash, extraction_method, parser_version, fetched_at)"
            " SELECT %s, source, external_id, url, section, headline || ' (updated)', lead,"
            " dateline, published_at, published_at + interval '2 hours',"
            " body || E'\\n\\nThe article was updated.', language, content_hash || 'x',"
            " extraction_method, parser_version, now() FROM articles"
            " WHERE external_id = ANY(%s)",
            (run_id, [c[0] for c in changed]),
        )
        t0 = time.perf_counter()
        conn.execute(load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id})
        reindexed = index_search(conn, run_id)
        conn.execute("DELETE FROM staged_articles WHERE ingest_run_id = %s", (run_id,))
        revise_s = time.perf_counter() - t0
    print(
        f"revision merge + search indexing of {len(changed):,} changed articles"
        f" ({reindexed:,} documents rewritten), one transaction: {revise_s:.1f} s"
    )


def views_and_report(url: str) -> list[tuple[str, float]]:
    """Refresh the views, build the report, time every view and query (median ms)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    t0 = time.perf_counter()
    refresh_views(url)
    print(f"refresh_views: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    report = load_report_data(url)
    data_s = time.perf_counter() - t0
    page = render_html(report)
    print(
        f"coverage report: data {data_s * 1000:.0f} ms ({len(report.weeks)} weeks,"
        f" {len(report.spikes)} spikes), rendered {len(page) / 1e6:.1f} MB in"
        f" {time.perf_counter() - t0 - data_s:.1f} s\n"
    )
    timings = time_queries(url)
    width = max(len(n) for n, _ in timings)
    print(f"{'view / query':<{width}}  median ms ({REPEATS} runs)  <= {QUERY_LIMIT_MS:.0f}")
    for n, ms in timings:
        flag = "ok" if ms <= QUERY_LIMIT_MS else "SLOW"
        print(f"{n:<{width}}  {ms:10.1f}  {flag}")
    return timings


def load_all(
    urls: dict[str, str], articles: int, workers: int
) -> tuple[dict[str, PathFigures], list[tuple[int, float]]]:
    """Every run into every path's database; returns the figures and (size, analysis s)
    of each run."""
    corpus = Corpus()
    figures = {path: PathFigures() for path in urls}
    runs: list[tuple[int, float]] = []
    loaded = 0
    with ProcessPoolExecutor(workers) as pool:
        while loaded < articles:
            n = min(articles - loaded, LOAD_CHUNK)
            analysis_s = load_run(urls, corpus, 1_000_000 + loaded, n, pool, workers, figures)
            runs.append((n, analysis_s))
            loaded += n
            print(
                f"  loaded {loaded:,}: "
                + ", ".join(
                    f"{p} {loaded / sum(f.runs):,.0f} articles/s" for p, f in figures.items()
                )
                + f" end to end; analysis {loaded / sum(a for _, a in runs):,.0f} articles/s;"
                f" {load_average()}",
                flush=True,
            )
    return figures, runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--paths", default=",".join(PATHS), help="regular, bulk or both")
    parser.add_argument(
        "--analysis-workers",
        type=int,
        default=ANALYSIS_WORKERS,
        help="processes sharing the text analysis (default: one per core)",
    )
    args = parser.parse_args(argv)
    paths = [p for p in args.paths.split(",") if p]
    if not paths or set(paths) - set(PATHS):
        parser.error(f"--paths takes {', '.join(PATHS)}")
    admin = admin_url()
    with ExitStack() as stack:
        urls = {p: stack.enter_context(scratch_database(admin, args.keep)) for p in paths}
        return _measure(urls, args.articles, args.analysis_workers)


def _measure(urls: dict[str, str], articles: int, workers: int) -> int:
    first = next(iter(urls.values()))
    sample = min(INSERT_SAMPLE, articles)
    insert_s = insert_row_by_row(first, Corpus(), 10_000_000, sample)
    with psycopg.connect(first, autocommit=True) as conn:
        conn.execute("TRUNCATE articles RESTART IDENTITY CASCADE")
    insert_rate = sample / insert_s
    print(
        f"row-by-row INSERT (article + revision): {sample:,} articles in {insert_s:.1f} s"
        f" = {insert_rate:,.0f} articles/s",
        flush=True,
    )
    figures, runs = load_all(urls, articles, workers)
    # The analysis alone, on one core in this process: its cost on an idle machine.
    cpu_us = analysis_cpu_us(first, min(articles, CPU_SAMPLE))
    per_path = print_paths(figures, articles, workers, cpu_us)
    same = tables_identical(urls) if len(urls) > 1 else {}
    if same:
        print(
            "tables identical across paths: "
            + ", ".join(f"{t} {'yes' if s else 'NO'}" for t, s in same.items())
        )
    min_articles = RuntimeSettings.from_env().bulk_load_min_articles
    auto, stored = [], 0
    for n, _ in runs:  # as the load stage chooses each run's path
        auto.append("bulk" if use_bulk(n, stored, min_articles) else "regular")
        stored += n
    # The figures quoted as end to end: the path that took most of the articles.
    by_path = {p: sum(n for (n, _), a in zip(runs, auto, strict=True) if a == p) for p in PATHS}
    chosen_path = max(by_path, key=lambda p: by_path[p])
    chosen_path = chosen_path if chosen_path in urls else next(iter(urls))
    print(
        f"NEWSWIRE_BULK_LOAD_MIN_ARTICLES={min_articles:,}: the load stage would take "
        + ", ".join(f"{p} for the run of {n:,}" for (n, _), p in zip(runs, auto, strict=True))
    )
    reg = figures[chosen_path].steps
    analysis_s = sum(a for _, a in runs)
    revision_round(first, articles)
    timings = views_and_report(first)
    slowest = max(timings, key=lambda t: t[1])
    load_rate = articles / (reg["copy"] + reg["merge"])
    print(
        json.dumps(
            {
                "articles": articles,
                "load_articles_per_s": round(load_rate),
                "search_index_articles_per_s": round(articles / reg["search"]),
                "analysis_articles_per_s": round(articles / analysis_s),
                "end_to_end_articles_per_s": per_path[chosen_path]["end_to_end_articles_per_s"],
                "limit_articles_per_s": per_path[chosen_path]["limit_articles_per_s"],
                "end_to_end_share_of_limit": round(
                    float(per_path[chosen_path]["end_to_end_articles_per_s"])  # type: ignore[arg-type]
                    / float(per_path[chosen_path]["limit_articles_per_s"]),  # type: ignore[arg-type]
                    2,
                ),
                "chosen_path": chosen_path,
                "bulk_load_min_articles": min_articles,
                "paths": per_path,
                "step_us_per_article_core": per_path[chosen_path]["step_us_per_article_core"],
                "analysis_cpu_us_per_article": round(cpu_us),
                "tables_identical": all(same.values()) if same else None,
                "load_average": load_average(),
                "copy_vs_insert_ratio": round(load_rate / insert_rate, 1),
                "slowest_query_ms": round(slowest[1], 1),
                "slowest_query": slowest[0],
            }
        )
    )
    ok = all(same.values()) and slowest[1] <= QUERY_LIMIT_MS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
