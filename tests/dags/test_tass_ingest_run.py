"""tass_ingest run by Airflow itself (`airflow dags test`) against the local test site."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from newswire.models import Window

from devtools.testsite import load_fixture_articles
from devtools.testsite.server import TassTestSite
from tests.helpers import article_requests, run_statuses, stored_ids

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW = Path(sys.executable).with_name("airflow")

pytestmark = pytest.mark.airflow



def _dags_test(env: dict[str, str], since: str, until: str) -> subprocess.CompletedProcess:
    conf = json.dumps({"since": since, "until": until})
    return subprocess.run(
        [str(AIRFLOW), "dags", "test", "tass_ingest", "--conf", conf],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _runs(db_url: str) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(
            "SELECT dag_id, state, discovered, inserted, updated, unchanged, failed, message"
            " FROM ingest_runs ORDER BY id"
        ).fetchall()


def test_dag_ingests_a_window_and_a_rerun_changes_nothing(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    env = {**airflow_env, "NEWS_DB_URL": db_url, "TASS_BASE_URL": test_site.base_url}

    first = _dags_test(env, "2024-12-26", "2024-12-27")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    with psycopg.connect(db_url) as conn:
        stored = conn.execute("SELECT * FROM articles ORDER BY external_id").fetchall()
        ids = {row[0] for row in conn.execute("SELECT external_id FROM articles")}
    window = Window.parse("2024-12-26", "2024-12-27")
    assert ids == {r.external_id for r in load_fixture_articles() if window.contains(r.published)}
    assert len(stored) == 20

    second = _dags_test(env, "2024-12-26", "2024-12-27")
    assert second.returncode == 0, second.stdout[-3000:]
    with psycopg.connect(db_url) as conn:
        assert conn.execute("SELECT * FROM articles ORDER BY external_id").fetchall() == stored

    assert _runs(db_url) == [
        ("tass_ingest", "success", 20, 20, 0, 0, 0, None),
        ("tass_ingest", "success", 20, 0, 0, 20, 0, None),
    ]


def test_a_failing_run_fails_the_command_and_says_why(
    airflow_env: dict[str, str], db_url: str
) -> None:
    env = {
        **airflow_env,
        "NEWS_DB_URL": db_url,
        "TASS_BASE_URL": "http://127.0.0.1:9",
        "TASS_MAX_ATTEMPTS": "1",
        "TASS_CONNECT_TIMEOUT": "1",
    }
    result = _dags_test(env, "2024-12-26", "2024-12-27")

    assert result.returncode != 0
    (run,) = _runs(db_url)
    assert run[1] == "failed"
    assert "task discover failed" in run[7]
    assert "robots.txt" in run[7]


COUNTS = (
    "state, discovered, fetched, parsed, inserted, updated, unchanged, failed, retried,"
    " not_modified, skipped, quarantined"
)


def _last_run(db_url: str) -> dict[str, object]:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            f"SELECT id, message, {COUNTS} FROM ingest_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    names = ["id", "message", *(c.strip() for c in COUNTS.split(","))]
    return dict(zip(names, row, strict=True))


def test_every_fault_but_the_block_as_a_dag_run_ends_successful(
    airflow_env: dict[str, str], db_url: str
) -> None:
    """Issue #4's done-when, run by Airflow: all fault switches on except persistent 403.

    The faults hit one article each out of the site's 299, as they would in real life a
    small share of a night's pages; the quality gate's thresholds (2 % missing, 5 %
    extraction failures) hold for that mix. Sitemap 0 is poisoned, so its 30 newest
    articles are never discovered: discovery survives the bomb and goes on.
    """
    from newswire import pipeline
    from newswire.config import Settings
    from newswire.quarantine import entries

    from devtools.testsite.faults import ARTICLE_FAULTS, FEED_FAULTS, gzip_bomb

    with TassTestSite(sitemap_size=30) as site:
        site.validators = True
        window = Window.parse("2017-01-01", "2027-01-01")
        newest_first = [r.external_id for r in site.articles]
        poisoned, reachable = set(newest_first[:30]), newest_first[30:]
        day = Window.parse("2024-12-26", "2024-12-27")
        stored_before = {r.external_id for r in site.articles if day.contains(r.published)}
        settings = Settings.from_env({"TASS_BASE_URL": site.base_url, "TASS_REQUEST_INTERVAL": "0"})
        pipeline.ingest_window(db_url, settings, day)  # these come back 304 below
        assert stored_ids(db_url) == stored_before

        spare = iter(i for i in reachable if i not in stored_before)
        retried = {name: next(spare) for name in ("503_once", "429", "reset")}
        quarantined = {
            "truncated": (next(spare), "truncated"),
            "challenge_200": (next(spare), "challenge_page"),
            "challenge_403": (next(spare), "challenge_page"),
            "oversized": (next(spare), "too_large"),
            "gzip_bomb": (next(spare), "too_large"),
            "slow": (next(spare), "timeout"),
        }
        skipped = next(spare)
        site.faults.update(f"{name}:ids={i}" for name, i in retried.items())
        site.faults.update(f"{name}:ids={i}" for name, (i, _) in quarantined.items())
        site.faults.add(f"redirect_offhost:ids={skipped}")
        site.faults.update({"malformed_feed", "billion_laughs:sitemap=0", "offhost_link"})
        switched_on = {spec.split(":")[0] for spec in site.faults}
        assert switched_on == set(ARTICLE_FAULTS) - {"403"} | set(FEED_FAULTS)
        site.bomb_bytes, site.slow_seconds = 50_000_000, 4.0  # both above the limits below
        gzip_bomb(site.bomb_bytes)  # built before the run, not while it waits
        env = {
            **airflow_env,
            "NEWS_DB_URL": db_url,
            "TASS_BASE_URL": site.base_url,
            "TASS_READ_TIMEOUT": "1",
            "TASS_MAX_ATTEMPTS": "2",
            "TASS_RETRY_BACKOFF": "0.01",
        }

        result = _dags_test(env, "2017-01-01", "2027-01-01")

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    run = _last_run(db_url)
    statuses = run_statuses(db_url, int(run["id"]))
    assert set(statuses) == set(reachable) and not poisoned & set(statuses)
    assert all(window.contains(site.article(i).published) for i in reachable)
    bad = {i for i, _ in quarantined.values()} | {skipped}
    good = set(reachable) - bad
    assert stored_ids(db_url) == good  # every good article, retried ones included
    with psycopg.connect(db_url) as conn:
        assert {e.external_id: e.reason for e in entries(conn)} == dict(quarantined.values())
    assert statuses[skipped] == "skipped"
    assert {statuses[i] for i in stored_before} == {"not_modified"}
    # fetched: less the 20 not modified, the skipped one, and 5 refused or failed (the
    # challenge page answered 200 is a refusal, asked again on a retry, not a fetch)
    n = len(reachable)  # every article the window holds but the 30 poisoned ones
    assert {k: v for k, v in run.items() if k not in ("id", "message")} == {
        "state": "success", "discovered": n, "fetched": n - 20 - 5 - 1,
        "parsed": n - 20 - 6 - 1, "inserted": n - 20 - 6 - 1, "updated": 0,
        "unchanged": 0, "failed": 6, "retried": 4, "not_modified": 20, "skipped": 1,
        "quarantined": 6,
    }  # fmt: skip
    assert run["message"] is None
    assert "fetch_complete: every discovered article was requested" in result.stdout + result.stderr


def test_a_blocked_dag_run_fails_naming_the_block_and_keeps_what_it_fetched(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    window = Window.parse("2024-12-26", "2024-12-27")
    ids = sorted(r.external_id for r in test_site.articles if window.contains(r.published))
    good, refused = ids[:6], ids[6:]
    test_site.faults.add("403:ids=" + ",".join(map(str, refused)))
    env = {
        **airflow_env,
        "NEWS_DB_URL": db_url,
        "TASS_BASE_URL": test_site.base_url,
        "TASS_CONCURRENCY": "1",  # in id order: the good six first, then the refusals
        "TASS_MAX_ATTEMPTS": "1",
    }

    result = _dags_test(env, "2024-12-26", "2024-12-27")

    assert result.returncode != 0
    assert stored_ids(db_url) == set(good)  # parsed and loaded in the same, failed run
    run = _last_run(db_url)
    assert (run["state"], run["discovered"], run["inserted"]) == ("failed", 20, 6)
    message = str(run["message"])
    # The first error (the fetch task's block) first, then the failed checks.
    first, _, then = message.partition(" | then ")
    assert first.startswith("task fetch") and "What to do" in first
    assert "kept refusing article requests (8 refusals in a row (HTTP 403 x8))" in first
    assert then.startswith("task check_quality failed") and "fetch_complete: blocked (" in then
    statuses = run_statuses(db_url, int(run["id"]))
    assert (
        sorted(statuses[i] for i in ids)
        == ["discovered"] * 6 + ["fetch_failed"] * 8 + ["loaded"] * 6
    )


def test_a_blocked_batch_stops_the_other_batches_of_the_dag_run(
    airflow_env: dict[str, str], db_url: str, test_site: TassTestSite
) -> None:
    from newswire.ops.batches import batch_members

    test_site.faults.add("403")  # every article refused
    env = {
        **airflow_env,
        "NEWS_DB_URL": db_url,
        "TASS_BASE_URL": test_site.base_url,
        "TASS_MAX_ATTEMPTS": "1",
        "TASS_CONCURRENCY": "1",
        "NEWSWIRE_FETCH_BATCH_SIZE": "7",  # 20 articles: 3 mapped fetch tasks
    }

    result = _dags_test(env, "2024-12-26", "2024-12-27")

    assert result.returncode != 0
    window = Window.parse("2024-12-26", "2024-12-27")
    ids = sorted(r.external_id for r in test_site.articles if window.contains(r.published))
    sizes = sorted(len(batch_members(ids, index, 3)) for index in range(3))
    assert sizes == [4, 8, 8]
    # Whichever batch ran first was refused throughout (4 of 4: every fetch failed; or 8
    # in a row: the breaker opened) and recorded the block; the others never asked.
    asked = article_requests(test_site, set(ids))
    assert asked in (4, 8)
    run = _last_run(db_url)
    assert run["state"] == "failed" and "HTTP 403" in str(run["message"])
    assert "fetch_complete:" in str(run["message"])
    assert sorted(run_statuses(db_url, int(run["id"])).values()) == (
        ["discovered"] * (20 - asked) + ["fetch_failed"] * asked
    )
