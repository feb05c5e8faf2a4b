"""Discover stage: the run's articles from feeds and sitemaps into `run_articles`."""

from __future__ import annotations

import asyncio

from newswire import runs
from newswire.config import Settings
from newswire.db import connect
from newswire.discover import discover
from newswire.fetch import PoliteFetcher
from newswire.models import DiscoveryResult
from newswire.stages.counts import StageCounts


def discover_stage(db_url: str, settings: Settings, run_id: int) -> StageCounts:
    with connect(db_url) as conn:
        window = runs.run_window(conn, run_id)

    async def go() -> DiscoveryResult:
        async with PoliteFetcher(settings) as fetcher:
            return await discover(settings, window, fetcher)

    result = asyncio.run(go())
    refs = result.refs
    with connect(db_url) as conn, conn.cursor() as cur:
        # Set, not added: a retried discover task recomputes the same figure.
        cur.execute(
            "UPDATE ingest_runs SET discovery_skipped = %s WHERE id = %s",
            (result.skipped_off_host + result.skipped_robots, run_id),
        )
        cur.executemany(
            "INSERT INTO run_articles (ingest_run_id, source, external_id, url, section,"
            " feed_published_at, feed_modified_at, found_in)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT DO NOTHING",
            [
                (
                    run_id,
                    r.source,
                    r.external_id,
                    r.url,
                    r.section,
                    r.published_at,
                    r.modified_at,
                    r.found_in,
                )
                for r in refs
            ],
        )
    return StageCounts(run_id, done=len(refs))
