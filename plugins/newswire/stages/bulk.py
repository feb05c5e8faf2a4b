"""The bulk path of a large load (a backfill): index upkeep deferred to one rebuild.

Writing a search document into the GIN index, or a mention into its secondary btree, one
row at a time costs more than building the index once over the whole table when a load
adds many rows. The bulk path drops the secondary indexes of the tables the load fills,
loads, and recreates them, all in the load's transaction: PostgreSQL's DDL is
transactional, so a failure anywhere rolls the drop back with the rows (the indexes are
there again and nothing is half-loaded), and readers see the whole load or none of it.
The price: from the drop to the commit, readers of those tables wait (the drop locks
them), so it is for backfills, chosen by the run's size (`NEWSWIRE_BULK_LOAD_MIN_ARTICLES`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

from newswire.db import load_sql

log = logging.getLogger(__name__)
# The tables a load fills whose indexes serve readers, not the load itself. `articles`
# keeps its indexes: rebuilding them means reading every stored article, which a run
# that adds a quarter of a million to a large archive does not repay.
DEFERRED_TABLES = ("article_search", "article_mentions", "quotes", "unresolved_mentions")
# Memory for each index rebuild (GIN builds in memory, then merges): local to the load's
# transaction.
BUILD_MEMORY = "256MB"


def use_bulk(articles: int, min_articles: int) -> bool:
    """Whether a load of `articles` staged articles takes the bulk path (0: never)."""
    return min_articles > 0 and articles >= min_articles


@contextmanager
def deferred_indexes(
    conn: psycopg.Connection, steps: dict[str, float] | None = None
) -> Iterator[list[str]]:
    """Drop the secondary indexes of `DEFERRED_TABLES` for the body, rebuild them after.

    Must run inside the caller's transaction (not autocommit): if the body raises, the
    indexes are not rebuilt here, the caller's rollback restores them. Records the
    rebuild's seconds under "index_rebuild" in `steps`.
    """
    if conn.autocommit:
        raise ValueError("deferred_indexes needs a transaction: the drop must roll back")
    indexes = conn.execute(
        load_sql("pipeline/deferrable_indexes.sql"), {"tables": list(DEFERRED_TABLES)}
    ).fetchall()
    conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(BUILD_MEMORY)))
    for name, _definition in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield [name for name, _ in indexes]
    t0 = time.perf_counter()
    for _name, definition in indexes:
        conn.execute(definition)
    if steps is not None:
        steps["index_rebuild"] = steps.get("index_rebuild", 0.0) + time.perf_counter() - t0
    log.info("bulk load: %d indexes rebuilt", len(indexes))
