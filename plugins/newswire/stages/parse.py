"""Parse stage: archived pages of the run into staged articles; failures quarantined."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import psycopg

from newswire import quarantine
from newswire.archive import read_body
from newswire.db import connect, load_sql
from newswire.models import ArticleRef, ExtractionError, ParsedArticle
from newswire.parse import parse_article
from newswire.stages.counts import StageCounts
from newswire.states import RunArticleStatus as S

log = logging.getLogger(__name__)

PARSE_BATCH = 50
# The ParsedArticle fields a staged_articles row takes over as they are.
STAGED_FIELDS = (
    "source",
    "external_id",
    "url",
    "section",
    "headline",
    "lead",
    "dateline",
    "published_at",
    "modified_at",
    "body",
    "language",
    "content_hash",
    "extraction_method",
    "parser_version",
)


def _stage_article(
    conn: psycopg.Connection, run_id: int, article: ParsedArticle, raw_id: int, fetched_at: datetime
) -> None:
    row = {name: getattr(article, name) for name in STAGED_FIELDS}
    row.update(run_id=run_id, raw_response_id=raw_id, fetched_at=fetched_at)
    conn.execute(load_sql("pipeline/stage_article.sql"), row)
    quarantine.clear(conn, article.source, article.external_id)


def _parse_one(conn: psycopg.Connection, run_id: int, row: tuple[Any, ...]) -> bool:
    """Stage one archived page as an article, or quarantine it; True when it parsed."""
    source, ext_id, url, section, pub, mod, found_in, raw_id, body, fetched_at = row
    ref = ArticleRef(source, ext_id, url, section, pub, mod, found_in)
    status: S
    error: str | None
    try:
        article = parse_article(read_body(body), ref)
    except ExtractionError as exc:
        log.warning("article %s not extracted: %s", url, exc)
        quarantine.put(
            conn,
            source=source,
            external_id=ext_id,
            url=url,
            reason=exc.reason.value,
            detail=exc.detail,
            raw_response_id=raw_id,
            seen_at=fetched_at,
        )
        status, error = S.PARSE_FAILED, str(exc)
    else:
        _stage_article(conn, run_id, article, raw_id, fetched_at)
        status, error = S.PARSED, None
    conn.execute(
        "UPDATE run_articles SET status = %s, error = %s WHERE ingest_run_id = %s"
        " AND source = %s AND external_id = %s",
        (status, error, run_id, source, ext_id),
    )
    return status is S.PARSED


def parse_stage(db_url: str, run_id: int) -> StageCounts:
    """Parse the archived responses of the run into staged articles; failures quarantined.

    Commits every PARSE_BATCH articles, so a retried task redoes little.
    """
    parsed = failed = 0
    with connect(db_url) as conn:
        pending = [
            row[0]
            for row in conn.execute(
                "SELECT external_id FROM run_articles WHERE ingest_run_id = %s"
                " AND status = %s ORDER BY external_id",
                (run_id, S.FETCHED),
            )
        ]
        for start in range(0, len(pending), PARSE_BATCH):
            params = {
                "run_id": run_id,
                "external_ids": pending[start : start + PARSE_BATCH],
                "fetched": S.FETCHED,
            }
            for row in conn.execute(load_sql("pipeline/parse_batch.sql"), params).fetchall():
                if _parse_one(conn, run_id, row):
                    parsed += 1
                else:
                    failed += 1
            conn.commit()
    log.info("run %d: %d parsed, %d quarantined", run_id, parsed, failed)
    return StageCounts(run_id, done=parsed, failed=failed)
