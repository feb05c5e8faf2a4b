"""Load stage: merge the run's staged articles into `articles`, analyse and index them."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import psycopg

from newswire import runs
from newswire.analysis.store import analyse_articles, index_search
from newswire.db import connect, load_sql, one_row
from newswire.stages.counts import LoadCounts
from newswire.states import RunArticleStatus as S

log = logging.getLogger(__name__)
# Below this many articles a load analyses them in its own process: starting worker
# processes (and their knowledge base) costs about a second, the analysis ~1-3 ms an
# article, so only a backfill-sized run gains from the other cores.
PARALLEL_MIN_ARTICLES = 2_000


def _analyse(conn: psycopg.Connection, article_ids: Sequence[int]) -> tuple[int, int]:
    """Mentions and quotes of the loaded articles, written in the load's transaction; the
    text analysis of a large run is spread over the machine's cores (same rows)."""
    workers = os.cpu_count() or 1
    if len(article_ids) < PARALLEL_MIN_ARTICLES or workers == 1:
        return analyse_articles(conn, article_ids)
    with ProcessPoolExecutor(workers) as pool:
        return analyse_articles(conn, article_ids, pool=pool, workers=workers)


def load_stage(db_url: str, run_id: int) -> LoadCounts:
    """Merge the run's staged articles into `articles` in one transaction."""
    with connect(db_url) as conn:
        (staged,) = one_row(
            conn, "SELECT count(*) FROM staged_articles WHERE ingest_run_id = %s", (run_id,)
        )
        inserted, updated, changed_ids, _revisions = one_row(
            conn, load_sql("pipeline/merge_staged_articles.sql"), {"run_id": run_id}
        )
        # Also articles stored before entity extraction existed (or with no mention at all):
        # re-running a window then fills in what an older warehouse lacks.
        params = {"run_id": run_id}
        never_analysed = [
            row[0] for row in conn.execute(load_sql("pipeline/never_analysed.sql"), params)
        ]
        mentions, quotes = _analyse(conn, sorted({*changed_ids, *never_analysed}))
        log.info("run %d: %d entity mentions, %d quotes recorded", run_id, mentions, quotes)
        # Same transaction: an article is searchable as soon as the load commits.
        documents = index_search(conn, run_id)
        log.info("run %d: %d search documents written", run_id, documents)
        conn.execute(
            "UPDATE run_articles SET status = %s WHERE ingest_run_id = %s AND status = %s",
            (S.LOADED, run_id, S.PARSED),
        )
        conn.execute("DELETE FROM staged_articles WHERE ingest_run_id = %s", (run_id,))
        unchanged = staged - inserted - updated
        runs.add_load_counts(conn, run_id, inserted, updated, unchanged)
    log.info("run %d: %d inserted, %d updated, %d unchanged", run_id, inserted, updated, unchanged)
    return LoadCounts(run_id, inserted, updated, unchanged)
