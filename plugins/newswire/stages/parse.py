"""Parse stage: archived pages of the run into staged articles; failures quarantined."""

from __future__ import annotations

import logging
from datetime import datetime

import psycopg

from newswire import quarantine
from newswire.archive import read_body
from newswire.db import connect
from newswire.models import ArticleRef, ExtractionError, ParsedArticle
from newswire.parse import parse_article
from newswire.stages.counts import StageCounts

log = logging.getLogger(__name__)

PARSE_BATCH = 50


def _stage_article(
    conn: psycopg.Connection, run_id: int, article: ParsedArticle, raw_id: int, fetched_at: datetime
) -> None:
    conn.execute(
        "INSERT INTO staged_articles (ingest_run_id, source, external_id, url, section, headline,"
        " lead, dateline, published_at, modified_at, body, language, content_hash,"
        " extraction_method, parser_version, raw_response_id, fetched_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (ingest_run_id, source, external_id) DO NOTHING",
        (
            run_id,
            article.source,
            article.external_id,
            article.url,
            article.section,
            article.headline,
            article.lead,
            article.dateline,
            article.published_at,
            article.modified_at,
            article.body,
            article.language,
            article.content_hash,
            article.extraction_method,
            article.parser_version,
            raw_id,
            fetched_at,
        ),
    )
    quarantine.clear(conn, article.source, article.external_id)


def parse_stage(db_url: str, run_id: int) -> StageCounts:
    """Parse the archived responses of the run into staged articles; failures quarantined."""
    parsed = failed = 0
    with connect(db_url) as conn:
        pending = [
            row[0]
            for row in conn.execute(
                "SELECT external_id FROM run_articles WHERE ingest_run_id = %s"
                " AND status = 'fetched' ORDER BY external_id",
                (run_id,),
            )
        ]
        for start in range(0, len(pending), PARSE_BATCH):
            batch = pending[start : start + PARSE_BATCH]
            rows = conn.execute(
                "SELECT ra.source, ra.external_id, ra.url, ra.section, ra.feed_published_at,"
                " ra.feed_modified_at, ra.found_in, r.id, r.body_gzip, r.fetched_at"
                " FROM run_articles ra JOIN raw_responses r ON r.id = ra.raw_response_id"
                " WHERE ra.ingest_run_id = %s AND ra.external_id = ANY(%s)"
                " AND ra.status = 'fetched'",
                (run_id, batch),
            ).fetchall()
            for source, ext_id, url, section, pub, mod, found_in, raw_id, body, fetched_at in rows:
                ref = ArticleRef(source, ext_id, url, section, pub, mod, found_in)
                try:
                    article = parse_article(read_body(body), ref)
                except ExtractionError as exc:
                    failed += 1
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
                    status, error = "parse_failed", str(exc)
                else:
                    parsed += 1
                    _stage_article(conn, run_id, article, raw_id, fetched_at)
                    status, error = "parsed", None
                conn.execute(
                    "UPDATE run_articles SET status = %s, error = %s WHERE ingest_run_id = %s"
                    " AND source = %s AND external_id = %s",
                    (status, error, run_id, source, ext_id),
                )
            conn.commit()
    log.info("run %d: %d parsed, %d quarantined", run_id, parsed, failed)
    return StageCounts(run_id, done=parsed, failed=failed)
