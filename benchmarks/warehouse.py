"""Load a warehouse of synthetic articles and time every analyst view and worked query.

    PYTHONPATH=plugins python benchmarks/warehouse.py [--articles 1000000] [--keep]

Works in a database of its own (created next to the one NEWS_DB_URL / NEWS_TEST_DB_URL
names, or in the embedded Postgres) and drops it at the end unless --keep. Articles are
built from the paragraphs of the committed fixture articles, so their size, wording and
entity mix are those of real TASS copy (the corpus is more repetitive than real copy,
so common words match a larger share of articles: search is tested the hard way).

The load is the pipeline's own path, in chunks of 250,000 articles: COPY into
staged_articles, then the one set-based merge (sql/pipeline/merge_staged_articles.sql,
articles plus a revision each), committed; then the analysis step (entity mentions,
quotes and unknown people of every article, with the library's own functions, no
caching, spread over one worker process per core and written in one transaction, as the
load stage does for a large run); then the search indexing step
(sql/pipeline/index_article_search.sql), split across connections by article id.
Building the synthetic rows in Python is not timed (a real load starts from parsed
articles); sending them with COPY is. For comparison, a 10,000-row sample is upserted
row by row first, each with its revision.

Each step's cost alone is printed in microseconds per article per core (its time times
the cores it kept busy, over the articles); the machine's limit is cores / (sum of the
costs), and the end-to-end rate (all steps one after another) is printed as a share of
it, with the load average, since the cores are shared.

The last line printed is JSON: articles, load_articles_per_s (the merge rate),
search_index_articles_per_s, analysis_articles_per_s, end_to_end_articles_per_s,
limit_articles_per_s, end_to_end_share_of_limit, step_us_per_article_core, load_average,
copy_vs_insert_ratio, slowest_query_ms, slowest_query.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
from newswire.analysis.report import load_report_data, render_html
from newswire.analysis.store import (
    analyse_articles,
    analyse_texts,
    index_search,
    read_texts,
    refresh_views,
)
from newswire.config import Settings
from newswire.db import load_sql, start_embedded
from newswire.migrate import apply_migrations
from psycopg import sql

from devtools.testsite import load_fixture_articles

LOAD_CHUNK = 250_000
ROW_BATCH = 25_000  # synthetic rows built (untimed) per COPY
INSERT_SAMPLE = 10_000
INDEX_CONNECTIONS = 2  # one per core: parsing text for search is CPU-bound
ANALYSIS_WORKERS = os.cpu_count() or 1
CPU_SAMPLE = 1_000
START = datetime(2017, 9, 1, tzinfo=UTC)
SPAN_DAYS = 3100
QUERY_LIMIT_MS = 200.0
REPEATS = 5

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


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}"


def admin_url() -> str:
    return (
        os.environ.get("NEWS_TEST_DB_URL")
        or os.environ.get("NEWS_DB_URL")
        or start_embedded(Settings.from_env({}))
    )


def with_db(url: str, name: str) -> str:
    info = psycopg.conninfo.conninfo_to_dict(url)
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


class Corpus:
    """Paragraph pools from the fixtures, each paragraph's mentions and quotes found once."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        records = load_fixture_articles("en")
        self.heads = [(r.headline, r.lead) for r in records]
        self.firsts = [r.paragraphs[0] for r in records if r.paragraphs]
        self.rest = [p for r in records for p in r.paragraphs[1:]]
        self.ru = (
            [(r.headline, r.lead, list(r.paragraphs)) for r in load_fixture_articles("ru")]
            if _has_ru()
            else []
        )

    def article(self, i: int) -> tuple[str, str, str, str]:
        """(language, headline, lead, body) of synthetic article i: about 2.5 kB of text."""
        rng = self.rng
        if self.ru and i % 20 == 0:
            headline, lead, paragraphs = rng.choice(self.ru)
            return "ru", headline, lead, "\n\n".join(paragraphs)
        headline, lead = rng.choice(self.heads)
        paragraphs = [rng.choice(self.firsts), *rng.sample(self.rest, rng.randint(4, 9))]
        return "en", headline, lead, "\n\n".join(paragraphs)


def _has_ru() -> bool:
    try:
        return bool(load_fixture_articles("ru"))
    except (FileNotFoundError, ValueError):
        return False


def staged_rows(corpus: Corpus, run_id: int, first_id: int, n: int, now: datetime):
    for k in range(n):
        ext = first_id + k
        language, headline, lead, body = corpus.article(ext)
        published = START + timedelta(seconds=int(SPAN_DAYS * 86400 * k / max(n, 1)))
        digest = hashlib.sha256(f"{headline}\x1f{lead}\x1f{body}".encode()).hexdigest()
        yield (
            run_id,
            "bench",
            ext,
            f"https://tass.com/world/{ext}",
            "world",
            headline,
            lead,
            "MOSCOW",
            published,
            None,
            body,
            language,
            digest,
            "synthetic",
            "1",
            now,
        )


STAGED_COLUMNS = (
    "ingest_run_id, source, external_id, url, section, headline, lead, dateline, published_at,"
    " modified_at, body, language, content_hash, extraction_method, parser_version, fetched_at"
)


def new_run(conn: psycopg.Connection) -> int:
    return conn.execute(
        "INSERT INTO ingest_runs (base_url, window_start, window_end) VALUES"
        " ('synthetic', '2017-01-01', '2027-01-01') RETURNING id"
    ).fetchone()[0]


def copy_and_merge(url: str, corpus: Corpus, first_id: int, n: int) -> tuple[float, int]:
    """COPY n staged articles and merge them with the pipeline's statement, committed.

    Returns (seconds, run id); the staged rows stay for the search indexing step.
    """
    now = datetime.now(UTC)
    seconds = 0.0
    with psycopg.connect(url) as conn:
        run_id = new_run(conn)
        with conn.cursor() as cur:
            for start in range(0, n, ROW_BATCH):
                # Making up the synthetic text is not part of a load: not timed.
                rows = list(
                    staged_rows(corpus, run_id, first_id + start, min(ROW_BATCH, n - start), now)
                )
                t0 = time.perf_counter()
                with cur.copy(f"COPY staged_articles ({STAGED_COLUMNS}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                seconds += time.perf_counter() - t0
        t0 = time.perf_counter()
        inserted, _updated, _ids, _ = conn.execute(
            load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
        ).fetchone()
        conn.commit()
        seconds += time.perf_counter() - t0
    if inserted != n:
        raise RuntimeError(f"merge inserted {inserted} of {n} articles")
    return seconds, run_id


def index_run(url: str, run_id: int, n: int, connections: int) -> float:
    """The search indexing step of a merged run, split by article id across connections.

    Each connection commits its share; the run's staged rows are deleted afterwards, as
    the pipeline's load does. Returns seconds.
    """

    def one_part(part: int) -> int:
        with psycopg.connect(url) as conn:
            return index_search(conn, run_id, parts=connections, part=part)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        written = sum(pool.map(one_part, range(connections)))
    seconds = time.perf_counter() - t0
    if written != n:
        raise RuntimeError(f"search indexing wrote {written} of {n} documents")
    with psycopg.connect(url) as conn:
        conn.execute("DELETE FROM staged_articles WHERE ingest_run_id = %s", (run_id,))
    return seconds


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


def analyse_run(
    url: str, run_id: int, pool: ProcessPoolExecutor, workers: int
) -> tuple[float, int, int]:
    """The load's analysis step for a merged run: mentions, quotes and unknown people of
    each of its articles, computed by `workers` processes and written in one transaction,
    as the load stage does for a large run. Returns (seconds, mentions, quotes)."""
    t0 = time.perf_counter()
    with psycopg.connect(url) as conn:
        ids = [
            r[0]
            for r in conn.execute(
                "SELECT a.id FROM staged_articles s JOIN articles a USING (source, external_id)"
                " WHERE s.ingest_run_id = %s ORDER BY a.id",
                (run_id,),
            )
        ]
        mentions, quotes = analyse_articles(conn, ids, pool=pool, workers=workers)
        conn.commit()
    return time.perf_counter() - t0, mentions, quotes


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


def step_costs(
    loaded: int,
    merge_s: float,
    index_s: float,
    index_cores: int,
    analysis_s: float,
    analysis_cores: int,
) -> dict[str, float]:
    """Each step's cost in microseconds per article per core: its time, times the cores it
    kept busy, over the articles. Their sum bounds what the machine can do end to end."""
    return {
        "merge": merge_s * 1e6 / loaded,  # one server backend (COPY and the merge)
        "search_index": index_s * index_cores * 1e6 / loaded,
        "analysis": analysis_s * analysis_cores * 1e6 / loaded,
    }


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--index-connections",
        type=int,
        default=INDEX_CONNECTIONS,
        help="connections sharing the search indexing step",
    )
    parser.add_argument(
        "--analysis-workers",
        type=int,
        default=ANALYSIS_WORKERS,
        help="processes sharing the text analysis (default: one per core)",
    )
    args = parser.parse_args(argv)
    admin = admin_url()
    name = f"newswire_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    url = with_db(admin, name)
    try:
        apply_migrations(url)
        corpus = Corpus()
        sample = min(INSERT_SAMPLE, args.articles)
        insert_s = insert_row_by_row(url, corpus, 10_000_000, sample)
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("TRUNCATE articles CASCADE")
        insert_rate = sample / insert_s
        print(
            f"row-by-row INSERT (article + revision): {sample:,} articles in {insert_s:.1f} s"
            f" = {insert_rate:,.0f} articles/s",
            flush=True,
        )

        load_s = index_s = analysis_s = 0.0
        loaded = n_m = n_q = 0
        workers = args.analysis_workers
        with ProcessPoolExecutor(workers) as pool:
            while loaded < args.articles:
                n = min(args.articles - loaded, LOAD_CHUNK)
                seconds, run_id = copy_and_merge(url, corpus, 1_000_000 + loaded, n)
                load_s += seconds
                seconds, mentions, quotes = analyse_run(url, run_id, pool, workers)
                analysis_s, n_m, n_q = analysis_s + seconds, n_m + mentions, n_q + quotes
                index_s += index_run(url, run_id, n, args.index_connections)
                loaded += n
                print(
                    f"  loaded {loaded:,}: merge {loaded / load_s:,.0f} articles/s,"
                    f" analysis {loaded / analysis_s:,.0f} articles/s,"
                    f" search indexing {loaded / index_s:,.0f} articles/s; {_load()}",
                    flush=True,
                )
        load_rate = loaded / load_s
        index_rate = loaded / index_s
        analysis_rate = loaded / analysis_s
        end_to_end_rate = loaded / (load_s + analysis_s + index_s)
        costs = step_costs(loaded, load_s, index_s, args.index_connections, analysis_s, workers)
        cores = os.cpu_count() or 1
        # The analysis alone, on one core in this process: its cost on an idle machine.
        # The limit takes it in place of the analysis's wall-clock cost, which a shared
        # machine's neighbours inflate; merge and search run in the server, timed as is.
        cpu_us = analysis_cpu_us(url, min(loaded, CPU_SAMPLE))
        limit_costs = {**costs, "analysis": cpu_us}
        limit_rate = cores * 1e6 / sum(limit_costs.values())
        with psycopg.connect(url) as conn:
            size, searchable = conn.execute(
                "SELECT avg(length(headline) + length(lead) + length(body))::int,"
                " count(*) FILTER (WHERE EXISTS (SELECT 1 FROM article_search s"
                " WHERE s.article_id = a.id)) FROM articles a"
            ).fetchone()
        print(f"average article text: {size:,} characters; searchable: {searchable:,}")
        print(
            f"merge (COPY + merge):  {loaded:,} articles in {load_s:6.1f} s"
            f" = {load_rate:6,.0f} articles/s ({load_rate / insert_rate:.1f}x row-by-row)"
            f"  <- JSON load_articles_per_s\n"
            f"analysis ({workers} processes): {loaded:,} articles in {analysis_s:6.1f} s"
            f" = {analysis_rate:6,.0f} articles/s ({n_m:,} mentions, {n_q:,} quotes)\n"
            f"search indexing ({args.index_connections} conn): {loaded:,} articles in"
            f" {index_s:6.1f} s = {index_rate:6,.0f} articles/s\n"
            f"end to end:            {loaded:,} articles in"
            f" {load_s + analysis_s + index_s:6.1f} s = {end_to_end_rate:6,.0f} articles/s",
            flush=True,
        )
        print("cost of each step, microseconds per article per core (wall time x cores):")
        for step, us in costs.items():
            print(f"  {step:<14} {us:10,.0f}")
        print(
            f"  analysis alone, CPU time in one process ({min(loaded, CPU_SAMPLE):,} articles):"
            f" {cpu_us:,.0f}\n"
            f"  limit on {cores} cores (merge + search + analysis CPU ="
            f" {sum(limit_costs.values()):,.0f} us): {limit_rate:,.0f} articles/s;"
            f" end to end reaches {end_to_end_rate / limit_rate:.0%} of it ({_load()})",
            flush=True,
        )

        # A re-fetch round in which 1% of the articles changed: revisions to report on.
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

        # For a bulk backfill's planning, not part of any rate: building the GIN index
        # from scratch, against maintaining it document by document as the load does.
        with psycopg.connect(url, autocommit=True) as conn:
            t0 = time.perf_counter()
            conn.execute("REINDEX INDEX article_search_document_idx")
            print(
                f"(for reference) building the search GIN index over {loaded:,} documents"
                f" from scratch: {time.perf_counter() - t0:.1f} s",
                flush=True,
            )

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
        slowest = max(timings, key=lambda t: t[1])
        print(
            json.dumps(
                {
                    "articles": loaded,
                    "load_articles_per_s": round(load_rate),
                    "search_index_articles_per_s": round(index_rate),
                    "analysis_articles_per_s": round(analysis_rate),
                    "end_to_end_articles_per_s": round(end_to_end_rate),
                    "limit_articles_per_s": round(limit_rate),
                    "end_to_end_share_of_limit": round(end_to_end_rate / limit_rate, 2),
                    "step_us_per_article_core": {k: round(v) for k, v in costs.items()},
                    "analysis_cpu_us_per_article": round(cpu_us),
                    "load_average": _load(),
                    "copy_vs_insert_ratio": round(load_rate / insert_rate, 1),
                    "slowest_query_ms": round(slowest[1], 1),
                    "slowest_query": slowest[0],
                }
            )
        )
        ok = load_rate >= 5000 and slowest[1] <= QUERY_LIMIT_MS
        return 0 if ok else 1
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


if __name__ == "__main__":
    sys.exit(main())
