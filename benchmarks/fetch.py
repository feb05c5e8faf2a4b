"""Fetch throughput: 5,000 article pages from the local test site, politeness off.

The site runs in a child process (its own core, its own memory) and serves prepared
page bytes, so the figures are the fetcher's. Three passes:

1. the fetcher alone (PoliteFetcher over 5,000 URLs);
2. a slow host: 1 page in 100 answers slower than the read timeout, and the rest must
   not wait for it;
3. the whole fetch stage with archive writes, in a throw-away database dropped
   afterwards: next to the one NEWS_TEST_DB_URL / NEWS_DB_URL names, else in the
   embedded Postgres.

The last line is JSON: {"pages": ..., "pages_per_s": ..., "peak_rss_mb": ...} for pass 1,
plus "stage_pages_per_s" for pass 3 (peak RSS covers the whole process, all passes).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import multiprocessing
import resource
import sys
import time
from multiprocessing.connection import Connection

from newswire.config import Settings
from newswire.fetch import PoliteFetcher
from newswire.models import FetchedPage


def _serve(conn: Connection, copies: int, faults: list[str], slow_seconds: float) -> None:
    import logging

    from devtools.testsite.server import TassTestSite

    logging.disable(logging.INFO)
    site = TassTestSite().start()
    site.faults.update(faults)
    site.slow_seconds = slow_seconds
    paths = site.serve_copies(copies)
    conn.send((site.base_url, paths))
    conn.recv()  # wait until told to stop
    site.stop()


class SiteProcess:
    """The test site in a child process; yields its base URL and the copy paths."""

    def __init__(self, copies: int, faults: list[str] = (), slow_seconds: float = 3.0) -> None:
        self.copies, self.faults, self.slow_seconds = copies, list(faults), slow_seconds

    def __enter__(self) -> tuple[str, list[str]]:
        ours, theirs = multiprocessing.Pipe()
        self._conn = ours
        self._proc = multiprocessing.Process(
            target=_serve, args=(theirs, self.copies, self.faults, self.slow_seconds)
        )
        self._proc.start()
        return ours.recv()

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._proc.join(timeout=10)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def settings_for(base_url: str, concurrency: int, **changes: object) -> Settings:
    settings = Settings.from_env(
        {
            "TASS_BASE_URL": base_url,
            "TASS_REQUEST_INTERVAL": "0",
            "TASS_CONCURRENCY": str(concurrency),
            "TASS_RETRY_BACKOFF": "0.05",
        }
    )
    return dataclasses.replace(settings, **changes)


async def fetch_all(settings: Settings, urls: list[str]) -> tuple[list[FetchedPage], list[float]]:
    """Fetch every URL; bodies are dropped as they arrive, as the fetch stage does."""
    latencies: list[float] = []
    kept: list[FetchedPage] = []
    async with PoliteFetcher(settings) as fetcher:

        async def one(url: str) -> None:
            started = time.monotonic()
            page = await fetcher.get(url)
            latencies.append(time.monotonic() - started)
            kept.append(dataclasses.replace(page, body=page.body[:0]))

        await asyncio.gather(*(one(u) for u in urls))
    return kept, latencies


def pass_fetcher(pages: int, concurrency: int) -> dict[str, float]:
    with SiteProcess(pages) as (base_url, paths):
        urls = [base_url + p for p in paths]
        settings = settings_for(base_url, concurrency)
        started = time.monotonic()
        results, _ = asyncio.run(fetch_all(settings, urls))
        elapsed = time.monotonic() - started
    ok = sum(1 for p in results if p.status == 200)
    if ok != pages:
        raise SystemExit(f"only {ok} of {pages} pages came back with 200")
    rate = pages / elapsed
    print(f"fetcher alone: {pages} pages in {elapsed:.1f} s = {rate:.0f} pages/s")
    return {"pages": pages, "pages_per_s": round(rate, 1), "peak_rss_mb": round(peak_rss_mb(), 1)}


def pass_slow_host(pages: int, concurrency: int) -> None:
    with SiteProcess(pages, faults=["slow:every=100"], slow_seconds=5.0) as (base_url, paths):
        urls = [base_url + p for p in paths]
        settings = settings_for(base_url, concurrency, read_timeout=1.0, max_attempts=1)
        started = time.monotonic()
        results, _ = asyncio.run(fetch_all(settings, urls))
        elapsed = time.monotonic() - started
    timed_out = sum(1 for p in results if p.status == 0)
    print(
        f"slow host: {pages} pages, {timed_out} held 5 s by the site and cut at the 1 s read "
        f"timeout; the pass took {elapsed:.1f} s ({pages / elapsed:.0f} pages/s). Without the "
        f"timeout those pages alone would hold the {concurrency} slots for "
        f"{timed_out * 5 / concurrency:.0f} s."
    )


def pass_fetch_stage(pages: int, concurrency: int, admin_url: str) -> float:
    import psycopg
    from newswire import pipeline
    from newswire.models import Window
    from seeding import scratch_database

    with scratch_database(admin_url) as db_url, SiteProcess(pages) as (base_url, paths):
        settings = settings_for(base_url, concurrency)
        run_id = pipeline.begin(db_url, settings, Window.parse("2026-01-01", "2026-01-02"))
        with psycopg.connect(db_url) as conn, conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO run_articles (ingest_run_id, source, external_id, url, section,"
                " found_in) VALUES (%s, 'tass.com', %s, %s, %s, 'bench')",
                [
                    (run_id, int(p.rsplit("/", 1)[1]), f"https://tass.com{p}", p.split("/")[1])
                    for p in paths
                ],
            )
        started = time.monotonic()
        counts = pipeline.fetch_stage(db_url, settings, run_id)
        elapsed = time.monotonic() - started
    print(
        f"fetch stage with archive writes: {counts.done} pages in {elapsed:.1f} s = "
        f"{counts.done / elapsed:.0f} pages/s (peak RSS so far {peak_rss_mb():.0f} MB)"
    )
    return counts.done / elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args(argv)
    result = pass_fetcher(args.pages, args.concurrency)
    pass_slow_host(min(args.pages, 1000), args.concurrency)
    from seeding import admin_url  # the warehouse side's imports, after the fetch passes

    stage_rate = pass_fetch_stage(args.pages, args.concurrency, admin_url())
    peak = peak_rss_mb()
    print(f"peak RSS of the fetching process: {peak:.0f} MB")
    print(
        json.dumps(
            {**result, "peak_rss_mb": round(peak, 1), "stage_pages_per_s": round(stage_rate, 1)}
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
