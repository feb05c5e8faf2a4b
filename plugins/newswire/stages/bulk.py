"""The bulk path of a large load (a backfill): checks and index upkeep deferred.

A large load writes a dozen mentions, a few quotes and a search document per article.
Row by row, each of those rows fires its foreign-key checks (a lookup of the article and
the entity) and updates the secondary indexes. The bulk path drops the foreign keys and
secondary indexes of the tables the load fills, loads, then rebuilds the indexes and adds
the keys back (one set-based check over each table), all in the load's transaction:
PostgreSQL's DDL is transactional, so a failure anywhere rolls the drops back with the
rows (keys and indexes are there again, nothing is half-loaded), and readers see the
whole load or none of it. The price: from the drop to the commit, readers of those
tables (and of `articles` and `entities`, whose keys' triggers go too) wait, and the
rebuild and the checks cover the whole tables, not just the run: for backfills, chosen by the
run's size (`NEWSWIRE_BULK_LOAD_MIN_ARTICLES`) and the warehouse's (`use_bulk`).
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


# The rebuild and the key checks cover whole tables: measured, they cost ~390 us per
# article of the table when the run is the table, against ~2,800 us per article of the
# run saved, so the path pays while the warehouse holds at most ~7 times the run's
# articles. This keeps a margin.
MAX_STORED_PER_STAGED = 4


def use_bulk(articles: int, stored: int, min_articles: int) -> bool:
    """Whether a load of `articles` staged articles into a warehouse of `stored` ones takes
    the bulk path: from `min_articles` on (0: never), while the warehouse is at most
    `MAX_STORED_PER_STAGED` times the run (a backfill into a young warehouse)."""
    return 0 < min_articles <= articles and stored <= MAX_STORED_PER_STAGED * articles


def stored_articles(conn: psycopg.Connection) -> int:
    """The planner's estimate of the stored articles: free, and close enough to choose."""
    row = conn.execute("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass").fetchone()
    return max(0, int(row[0])) if row else 0


@contextmanager
def deferred_upkeep(
    conn: psycopg.Connection, steps: dict[str, float] | None = None
) -> Iterator[list[str]]:
    """Drop the foreign keys and secondary indexes of `DEFERRED_TABLES` for the body;
    rebuild the indexes and add the keys back after it. Yields what was dropped.

    Must run inside the caller's transaction (not autocommit): if the body raises, nothing
    is rebuilt here, the caller's rollback restores it all. Records the seconds of the
    rebuild under "index_rebuild" and of the checks under "key_check" in `steps`.
    """
    if conn.autocommit:
        raise ValueError("deferred_upkeep needs a transaction: the drops must roll back")
    tables = {"tables": list(DEFERRED_TABLES)}
    indexes = conn.execute(load_sql("pipeline/deferrable_indexes.sql"), tables).fetchall()
    keys = conn.execute(load_sql("pipeline/deferrable_foreign_keys.sql"), tables).fetchall()
    conn.execute(sql.SQL("SET LOCAL maintenance_work_mem = {}").format(sql.Literal(BUILD_MEMORY)))
    for table, name, _definition in keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                sql.Identifier(table), sql.Identifier(name)
            )
        )
    for name, _definition in indexes:
        conn.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    yield [name for _, name, _ in keys] + [name for name, _ in indexes]
    t0 = time.perf_counter()
    for _name, definition in indexes:
        conn.execute(definition)
    t1 = time.perf_counter()
    for table, name, definition in keys:
        conn.execute(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
            )
        )
    if steps is not None:
        steps["index_rebuild"] = steps.get("index_rebuild", 0.0) + t1 - t0
        steps["key_check"] = steps.get("key_check", 0.0) + time.perf_counter() - t1
    log.info("bulk load: %d indexes rebuilt, %d foreign keys checked", len(indexes), len(keys))
