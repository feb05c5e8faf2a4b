"""Discover stage: the run's articles from feeds and sitemaps into `run_articles`."""

from __future__ import annotations

import asyncio

from newswire import runs
from newswire.config import Settings
from newswire.db import connect, load_sql
from newswire.fetch import PoliteFetcher
from newswire.models import ArticleRef, DiscoveryResult
from newswire.sources import DiscoveryContext, source_for
from newswire.stages.counts import StageCounts
from newswire.states import RunArticleStatus
from newswire.timing import stage_timer


@stage_timer("discover")
def discover_stage(db_url: str, settings: Settings, run_id: int) -> StageCounts:
    with connect(db_url) as conn:
        window = runs.run_window(conn, run_id)

    async def go() -> DiscoveryResult:
        async with PoliteFetcher(settings) as fetcher:
            # The source's own way of finding articles (feeds, sitemaps, listing APIs).
            context = DiscoveryContext(settings, window, fetcher, db_url, run_id)
            return await source_for(settings).discover(context)

    result = asyncio.run(go())
    refs = result.refs
    with connect(db_url) as conn, conn.cursor() as cur:
        # Set, not added: a retried discover task recomputes the same figure.
        cur.execute(
            "UPDATE ingest_runs SET discovery_skipped = %s WHERE id = %s",
            (result.skipped_off_host + result.skipped_robots, run_id),
        )
        cur.executemany(load_sql("pipeline/add_run_article.sql"), [_row(run_id, r) for r in refs])
    return StageCounts(run_id, done=len(refs))


def _row(run_id: int, ref: ArticleRef) -> dict[str, object]:
    """A discovered article as a new run_articles row."""
    return {
        "run_id": run_id,
        "source": ref.source,
        "external_id": ref.external_id,
        "url": ref.url,
        "section": ref.section,
        "published_at": ref.published_at,
        "modified_at": ref.modified_at,
        "found_in": ref.found_in,
        "status": RunArticleStatus.DISCOVERED,
        "raw_response_id": None,
    }
