"""Write what the analysis finds (entity mentions, quotes) and the search documents for
freshly loaded articles, and refresh the materialised analyst views.

Runs inside the load transaction, so an article's mentions and quotes always describe
its current text: when the text changes they are replaced, when it does not they stay.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import psycopg

from newswire.analysis.entities import article_mentions, load_dictionary
from newswire.analysis.quotes import article_quotes
from newswire.db import connect, load_sql

log = logging.getLogger(__name__)
BATCH = 500


def sync_entities(conn: psycopg.Connection) -> dict[str, int]:
    """Upsert the alias dictionary's entities; returns key -> entities.id."""
    entities, _ = load_dictionary()
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO entities (key, name, kind, country) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind,"
            " country = EXCLUDED.country",
            [(e.key, e.name, e.kind, e.country) for e in entities],
        )
    return dict(conn.execute("SELECT key, id FROM entities").fetchall())


def analyse_articles(conn: psycopg.Connection, article_ids: Sequence[int]) -> tuple[int, int]:
    """Recompute mentions and quotes of the given articles; returns (mentions, quotes)."""
    if not article_ids:
        return 0, 0
    ids = sync_entities(conn)
    n_mentions = n_quotes = 0
    for start in range(0, len(article_ids), BATCH):
        batch = list(article_ids[start : start + BATCH])
        rows = conn.execute(
            "SELECT id, headline, lead, body, language FROM articles WHERE id = ANY(%s)",
            (batch,),
        ).fetchall()
        conn.execute("DELETE FROM article_mentions WHERE article_id = ANY(%s)", (batch,))
        conn.execute("DELETE FROM quotes WHERE article_id = ANY(%s)", (batch,))
        mention_rows, quote_rows = [], []
        for article_id, headline, lead, body, language in rows:
            for m in article_mentions(headline, lead, body, language).values():
                mention_rows.append((article_id, ids[m.key], m.count, m.in_headline, m.in_lead))
            for position, q in enumerate(article_quotes(body, language), start=1):
                entity_id = ids.get(q.entity_key) if q.entity_key else None
                quote_rows.append((article_id, position, q.paragraph, q.speaker, entity_id, q.text))
        with conn.cursor() as cur:
            with cur.copy(
                "COPY article_mentions (article_id, entity_id, mention_count, in_headline,"
                " in_lead) FROM STDIN"
            ) as copy:
                for row in mention_rows:
                    copy.write_row(row)
            with cur.copy(
                "COPY quotes (article_id, position, paragraph, speaker, entity_id, text) FROM STDIN"
            ) as copy:
                for row in quote_rows:
                    copy.write_row(row)
        n_mentions += len(mention_rows)
        n_quotes += len(quote_rows)
    return n_mentions, n_quotes


def index_search(conn: psycopg.Connection, run_id: int, *, parts: int = 1, part: int = 0) -> int:
    """Write the search documents of a run's merged articles that lack a current one.

    Call after the merge, before the run's staged rows are deleted. A large run can be
    shared by `parts` connections, each taking the articles with id mod parts = part.
    Returns the number of documents written.
    """
    if not 0 <= part < parts:
        raise ValueError(f"part {part} is not one of {parts} parts")
    return conn.execute(
        load_sql("pipeline/index_article_search.sql"),
        {"run_id": run_id, "parts": parts, "part": part},
    ).fetchone()[0]


def reanalyse_all(db_url: str) -> tuple[int, int]:
    """Recompute mentions and quotes of every article (after the dictionary changed),
    then refresh the views that are built from them."""
    with connect(db_url) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        counts = analyse_articles(conn, ids)
    refresh_views(db_url)
    return counts


def refresh_views(db_url: str) -> None:
    """Recompute the materialised analyst views: the one refresh path of every write.

    Called after each load (the DAG's refresh task, `ingest_window`, `reparse`) and by
    `reanalyse_all`. The database function refreshes every materialised view in
    dependency order; populated ones CONCURRENTLY, so analysts reading them are not blocked.
    """
    with connect(db_url) as conn:
        conn.execute("SELECT refresh_analyst_views()")
    log.info("analyst views refreshed")
