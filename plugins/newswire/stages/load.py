"""Load stage: merge the run's staged articles into `articles`, analyse and index them."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import Executor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

import psycopg

from newswire import runs
from newswire.analysis.store import AnalysisRows, TextKey, analyse_articles, index_search
from newswire.analysis.store import precompute as precompute_texts
from newswire.config import RuntimeSettings
from newswire.db import connect, load_sql, one_row
from newswire.procpool import process_pool
from newswire.stages.bulk import deferred_upkeep, stored_articles, use_bulk
from newswire.stages.counts import LoadCounts
from newswire.states import RunArticleStatus as S
from newswire.timing import stage_timer

log = logging.getLogger(__name__)
# From this many articles on, a load analyses them in one process per core: starting the
# workers (and their knowledge base and models) costs about a second, the analysis ~3 ms
# (English) to ~11 ms (Russian, unknown people) an article, so a backfill's month gains.
PARALLEL_MIN_ARTICLES = 2_000


@contextmanager
def _workers(articles: int) -> Iterator[tuple[Executor | None, int]]:
    workers = os.cpu_count() or 1
    if articles < PARALLEL_MIN_ARTICLES or workers == 1:
        yield None, 1
        return
    with process_pool(workers) as pool:
        yield pool, workers


@dataclass(frozen=True)
class Precomputed:
    """The analysis of a run's staged texts, made before the load's transaction opens."""

    by_text: dict[TextKey, AnalysisRows]
    # (source, external_id) -> the staged text analysed: the merge writes exactly that text.
    by_article: dict[tuple[str, int], TextKey]


def precompute_run(
    db_url: str, run_id: int, *, pool: Executor | None = None, workers: int = 1
) -> Precomputed:
    """Analyse the texts the merge will write before its transaction opens, so the
    transaction (and its locks) lasts as long as the writes, not the text analysis.
    Without a `pool`, a large run starts one of its own (`PARALLEL_MIN_ARTICLES`)."""
    with connect(db_url) as conn:
        rows = conn.execute(
            load_sql("pipeline/analysis_candidates.sql"), {"run_id": run_id}
        ).fetchall()
    texts: list[TextKey] = [tuple(r[2:]) for r in rows]
    by_article = {(r[0], r[1]): text for r, text in zip(rows, texts, strict=True)}
    if pool is not None:
        return Precomputed(precompute_texts(texts, pool=pool, workers=workers), by_article)
    with _workers(len(texts)) as (own_pool, own_workers):
        by_text = precompute_texts(texts, pool=own_pool, workers=own_workers)
    return Precomputed(by_text, by_article)


def _written(
    conn: psycopg.Connection, changed_ids: list[int], pre: Precomputed
) -> dict[int, AnalysisRows]:
    """The precomputed rows of the articles the merge just inserted or rewrote: their
    stored text is this run's staged text (same transaction), so it is not read back."""
    out: dict[int, AnalysisRows] = {}
    if not pre.by_article or not changed_ids:
        return out
    for article_id, source, external_id in conn.execute(
        "SELECT id, source, external_id FROM articles WHERE id = ANY(%s)", (changed_ids,)
    ):
        text = pre.by_article.get((source, external_id))
        if text is not None:
            out[article_id] = pre.by_text[text]
    return out


@stage_timer("load")
def load_stage(db_url: str, run_id: int, *, bulk: bool | None = None) -> LoadCounts:
    """Merge the run's staged articles into `articles` in one transaction.

    `bulk` None: the bulk path (`stages/bulk.py`) when the run stages at least
    `NEWSWIRE_BULK_LOAD_MIN_ARTICLES` articles and the warehouse is not many times
    larger (`bulk.use_bulk`); True / False force one path.
    """
    return write_load(db_url, run_id, precompute_run(db_url, run_id), bulk=bulk)


def write_load(
    db_url: str,
    run_id: int,
    pre: Precomputed,
    *,
    bulk: bool | None = None,
    steps: dict[str, float] | None = None,
) -> LoadCounts:
    """The load's transaction, given the precomputed analysis of the staged texts.

    Both paths write the same rows; `steps` (when given) receives the seconds of each
    step ("merge", "analysis", "search"; on the bulk path also "index_rebuild", "key_check").
    """
    steps = {} if steps is None else steps
    with connect(db_url) as conn:
        (staged,) = one_row(
            conn, "SELECT count(*) FROM staged_articles WHERE ingest_run_id = %s", (run_id,)
        )
        if bulk is None:
            min_articles = RuntimeSettings.from_env().bulk_load_min_articles
            bulk = use_bulk(staged, stored_articles(conn), min_articles)
        with deferred_upkeep(conn, steps) if bulk else nullcontext():
            inserted, updated = _merge_and_analyse(conn, run_id, pre, steps)
        conn.execute(
            "UPDATE run_articles SET status = %s WHERE ingest_run_id = %s AND status = %s",
            (S.LOADED, run_id, S.PARSED),
        )
        conn.execute("DELETE FROM staged_articles WHERE ingest_run_id = %s", (run_id,))
        unchanged = staged - inserted - updated
        runs.add_load_counts(conn, run_id, inserted, updated, unchanged)
    log.info(
        "run %d: %d inserted, %d updated, %d unchanged (%s path)",
        run_id,
        inserted,
        updated,
        unchanged,
        "bulk" if bulk else "regular",
    )
    return LoadCounts(run_id, inserted, updated, unchanged)


def _merge_and_analyse(
    conn: psycopg.Connection,
    run_id: int,
    pre: Precomputed,
    steps: dict[str, float],
) -> tuple[int, int]:
    """Merge, write mentions and quotes, write search documents: (inserted, updated)."""
    t0 = time.perf_counter()
    inserted, updated, changed_ids, _revisions = one_row(
        conn, load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
    )
    # Also articles stored before entity extraction existed (or with no mention at all):
    # re-running a window then fills in what an older warehouse lacks.
    params = {"run_id": run_id}
    never_analysed = [
        row[0] for row in conn.execute(load_sql("pipeline/never_analysed.sql"), params)
    ]
    t1 = time.perf_counter()
    # Analysed above when the stored text is the one analysed; any other (a text that
    # changed in between, an old article never analysed) is analysed here.
    article_ids = sorted({*changed_ids, *never_analysed})
    written = _written(conn, list(changed_ids), pre)
    with _workers(len(article_ids) - len(written)) as (pool, workers):
        mentions, quotes = analyse_articles(
            conn, article_ids, pool=pool, workers=workers, known=pre.by_text, known_ids=written
        )
    log.info("run %d: %d entity mentions, %d quotes recorded", run_id, mentions, quotes)
    t2 = time.perf_counter()
    # Same transaction: an article is searchable as soon as the load commits.
    documents = index_search(conn, run_id)
    log.info("run %d: %d search documents written", run_id, documents)
    t3 = time.perf_counter()
    for step, seconds in (("merge", t1 - t0), ("analysis", t2 - t1), ("search", t3 - t2)):
        steps[step] = steps.get(step, 0.0) + seconds
    return int(inserted), int(updated)
