"""Runs are per source, and so is a block: tass.ru refusing us never stops tass.com."""

from __future__ import annotations

from datetime import timedelta

import psycopg
from newswire import pipeline, runs
from newswire.models import Window
from newswire.sources import TASS_COM, TASS_RU

from devtools.testsite.server import TassTestSite

DAY = Window.parse("2024-12-26", "2024-12-27")


def test_a_block_on_one_source_leaves_the_other_fetching(
    db_url: str, test_site: TassTestSite
) -> None:
    env = {
        "TASS_BASE_URL": test_site.base_url,
        "TASS_RU_BASE_URL": test_site.base_url,
        "TASS_REQUEST_INTERVAL": "0",
    }
    com, ru = TASS_COM.settings(env), TASS_RU.settings(env)
    ru_run = pipeline.begin(db_url, ru, DAY, dag_id=TASS_RU.dag_id, dag_run_id="night")
    com_run = pipeline.begin(db_url, com, DAY, dag_id=TASS_COM.dag_id, dag_run_id="night")
    with psycopg.connect(db_url, autocommit=True) as conn:
        runs.record_block(conn, ru_run, "tass.ru kept refusing article requests")
        sources = dict(conn.execute("SELECT id, source FROM ingest_runs").fetchall())
    assert sources == {ru_run: "tass.ru", com_run: "tass.com"}

    pipeline.discover_stage(db_url, com, com_run)
    # A first-try batch honours a block recorded earlier for its run; tass.ru's is not its.
    counts = pipeline.fetch_stage(db_url, com, com_run, honour_earlier_block=True)

    assert counts.done == 20
    with psycopg.connect(db_url) as conn:
        blocked = dict(conn.execute("SELECT id, blocked_at IS NOT NULL FROM ingest_runs"))
    assert blocked == {ru_run: True, com_run: False}


def test_a_tass_ru_run_discovers_through_its_registry_entry(db_url: str) -> None:
    with TassTestSite(service="tass.ru") as site:
        ru = TASS_RU.settings({"TASS_RU_BASE_URL": site.base_url, "TASS_REQUEST_INTERVAL": "0"})
        newest = max(r.published for r in site.articles)
        window = Window(newest - timedelta(days=1), newest + timedelta(seconds=1))
        run_id = pipeline.begin(db_url, ru, window, dag_id=TASS_RU.dag_id)
        counts = pipeline.discover_stage(db_url, ru, run_id)
    assert counts.done > 0
    with psycopg.connect(db_url) as conn:
        sources = {row[0] for row in conn.execute("SELECT source FROM run_articles")}
        urls = [row[0] for row in conn.execute("SELECT url FROM run_articles")]
    assert sources == {"tass.ru"}
    assert all(url.startswith("https://tass.ru/") for url in urls)
