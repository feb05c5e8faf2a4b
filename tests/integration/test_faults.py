"""Whole runs against the test site with faults switched on: each bad article ends stored
after a retry, quarantined with its reason, skipped, or stops the run through the
circuit breaker, and `ingest_runs` says exactly that."""

from __future__ import annotations

import dataclasses
import threading
from datetime import datetime

import psycopg
import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.db import connect
from newswire.models import Window
from newswire.quarantine import entries

from devtools.testsite.faults import gzip_bomb
from devtools.testsite.server import TassTestSite
from tests.helpers import article_requests, run_outcomes

DAY = Window.parse("2024-12-26", "2024-12-27")
COUNT_COLUMNS = (
    "state, discovered, fetched, parsed, inserted, failed, retried, not_modified, skipped,"
    " quarantined"
)


def _tune_heavy_faults(site: TassTestSite) -> None:
    """Sizes above the 1 MB limit the tests set; the bomb is built before the run so that
    compressing it cannot hold up the site's answers to other requests."""
    site.oversized_bytes, site.bomb_bytes, site.slow_seconds = 2_000_000, 50_000_000, 4.0
    gzip_bomb(site.bomb_bytes)


def _day_ids(site: TassTestSite) -> list[int]:
    ids = sorted(r.external_id for r in site.articles if DAY.contains(r.published))
    assert len(ids) == 20
    return ids


def _counts(db_url: str, run_id: int) -> dict[str, object]:
    with psycopg.connect(db_url) as conn:
        row = conn.execute(
            f"SELECT {COUNT_COLUMNS} FROM ingest_runs WHERE id = %s", (run_id,)
        ).fetchone()
    return dict(zip([c.strip() for c in COUNT_COLUMNS.split(",")], row, strict=True))


def _stored(db_url: str) -> dict[int, tuple]:
    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT external_id, headline, body, content_hash, raw_response_id, last_fetched_at"
            " FROM articles"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def _quarantine(db_url: str) -> dict[int, str]:
    with connect(db_url) as conn:
        return {e.external_id: e.reason for e in entries(conn)}


def test_transient_failures_are_stored_after_a_retry(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    test_site.faults.update(
        {
            f"503_once:ids={ids[0]},{ids[1]}",
            f"429:ids={ids[2]}:retry_after=1",
            f"reset:ids={ids[3]}",
        }
    )

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    assert set(_stored(db_url)) == set(ids)
    assert _counts(db_url, summary.run_id) == {
        "state": "success", "discovered": 20, "fetched": 20, "parsed": 20, "inserted": 20,
        "failed": 0, "retried": 4, "not_modified": 0, "skipped": 0, "quarantined": 0,
    }  # fmt: skip


def test_bad_pages_are_quarantined_with_their_reason(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    faults = {
        "truncated": (ids[0], "truncated"),
        "challenge_200": (ids[1], "challenge_page"),
        "challenge_403": (ids[2], "challenge_page"),
        "oversized": (ids[3], "too_large"),
        "gzip_bomb": (ids[4], "too_large"),
        "slow": (ids[5], "timeout"),
    }
    test_site.faults.update(f"{name}:ids={ext_id}" for name, (ext_id, _) in faults.items())
    _tune_heavy_faults(test_site)
    settings = dataclasses.replace(
        site_settings, max_response_bytes=1_000_000, read_timeout=1.0, max_attempts=2
    )

    summary = pipeline.ingest_window(db_url, settings, DAY)

    assert _quarantine(db_url) == {ext_id: reason for ext_id, reason in faults.values()}
    assert set(_stored(db_url)) == set(ids[6:])
    # the challenge page answered 200 is a refusal (fetch_failed, asked again on retry),
    # not a fetched page
    assert _counts(db_url, summary.run_id) == {
        "state": "success", "discovered": 20, "fetched": 15, "parsed": 14, "inserted": 14,
        "failed": 6, "retried": 1, "not_modified": 0, "skipped": 0, "quarantined": 6,
    }  # fmt: skip
    with connect(db_url) as conn:
        linked = {e.external_id: e.raw_status for e in entries(conn)}
    assert linked[ids[0]] == 200 and linked[ids[2]] == 403  # the raw responses are kept
    assert linked[ids[3]] is None  # nothing usable arrived


def test_a_redirect_to_another_host_is_skipped(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    test_site.faults.add(f"redirect_offhost:ids={ids[7]}")

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    assert run_outcomes(db_url, summary.run_id)[ids[7]] == (
        "skipped", "redirect to another host: elsewhere.invalid",
    )  # fmt: skip
    assert ids[7] not in _stored(db_url) and _quarantine(db_url) == {}
    counts = _counts(db_url, summary.run_id)
    assert (counts["state"], counts["skipped"], counts["inserted"]) == ("success", 1, 19)


def test_robots_disallowed_articles_count_as_skipped(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    politics = [r.external_id for r in test_site.articles if DAY.contains(r.published)
                and r.section == "politics"]  # fmt: skip
    test_site.disallow = ["/politics/"]

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    counts = _counts(db_url, summary.run_id)
    assert counts["skipped"] == len(politics) > 0
    assert counts["discovered"] == 20 - len(politics)
    assert not set(politics) & set(_stored(db_url))
    assert not any(f"/{i}" in path for _, path, _ in test_site.requests for i in politics)


def test_a_bogus_fetch_never_changes_a_stored_article(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    pipeline.ingest_window(db_url, site_settings, DAY)
    before = _stored(db_url)
    test_site.faults.update(
        {f"challenge_200:ids={ids[0]}", f"truncated:ids={ids[1]}", f"oversized:ids={ids[2]}",
         f"403:ids={ids[3]}"}
    )  # fmt: skip
    test_site.oversized_bytes = 6_000_000

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    assert _stored(db_url) == before
    assert set(_quarantine(db_url)) == set(ids[:4])
    with connect(db_url) as conn:
        assert all(e.stored for e in entries(conn))
    assert _counts(db_url, summary.run_id)["quarantined"] == 4

    test_site.faults.clear()  # the site behaves again: the quarantine empties
    pipeline.ingest_window(db_url, site_settings, DAY)
    assert _quarantine(db_url) == {}
    assert _stored(db_url) == before


def test_conditional_get_keeps_the_stored_article(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    test_site.validators = True
    ids = _day_ids(test_site)
    pipeline.ingest_window(db_url, site_settings, DAY)
    before = _stored(db_url)
    test_site.update_article(ids[0], headline="A corrected headline")

    summary = pipeline.ingest_window(db_url, site_settings, DAY)

    counts = _counts(db_url, summary.run_id)
    assert (counts["not_modified"], counts["fetched"], counts["parsed"]) == (19, 1, 1)
    after = _stored(db_url)
    assert after[ids[0]][0] == "A corrected headline"
    assert {k: v for k, v in after.items() if k != ids[0]} == {
        k: v for k, v in before.items() if k != ids[0]
    }
    conditional = [h for _, p, h in test_site.requests if "If-None-Match" in h]
    assert len(conditional) == 20


def test_persistent_403_opens_the_breaker_and_keeps_what_was_fetched(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    good, blocked = ids[:6], ids[6:]
    test_site.faults.add("403:ids=" + ",".join(map(str, blocked)))
    settings = dataclasses.replace(site_settings, concurrency=1)

    with pytest.raises(pipeline.FetchBlocked) as caught:
        pipeline.ingest_window(db_url, settings, DAY)

    message = str(caught.value)
    assert "8 refusals in a row (HTTP 403 x8)" in message
    assert "6 article pages fetched before the stop" in message
    assert "6 articles were not requested" in message and "What to do" in message
    assert set(_stored(db_url)) == set(good)  # parsed and loaded despite the stop
    with psycopg.connect(db_url) as conn:
        run_id, state, stored_message = conn.execute(
            "SELECT id, state, message FROM ingest_runs ORDER BY id DESC LIMIT 1"
        ).fetchone()
    assert (state, stored_message) == ("failed", message)
    statuses = run_outcomes(db_url, run_id)
    assert sum(1 for s, _ in statuses.values() if s == "discovered") == 6

    # The operator waits, the site lets us in again: re-running the fetch task resumes.
    test_site.faults.clear()
    test_site.requests.clear()
    resumed = pipeline.fetch_stage(db_url, settings, run_id)
    pipeline.parse_stage(db_url, run_id)
    pipeline.load_stage(db_url, run_id)
    assert resumed.done == 14  # the 6 never asked for and the 8 refused
    assert sum(1 for _, path, _ in test_site.requests if path.rsplit("/", 1)[-1].isdigit()) == 14
    assert set(_stored(db_url)) == set(ids)


def test_every_fault_at_once_ends_successful(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    retried = {"503_once": ids[0], "429": ids[1], "reset": ids[2]}
    quarantined = {
        "truncated": (ids[3], "truncated"),
        "challenge_200": (ids[4], "challenge_page"),
        "challenge_403": (ids[5], "challenge_page"),
        "oversized": (ids[6], "too_large"),
        "gzip_bomb": (ids[7], "too_large"),
        "slow": (ids[8], "timeout"),
    }
    skipped = ids[9]
    test_site.faults.update(f"{name}:ids={i}" for name, i in retried.items())
    test_site.faults.update(f"{name}:ids={i}" for name, (i, _) in quarantined.items())
    test_site.faults.update(
        {f"redirect_offhost:ids={skipped}", "malformed_feed", "billion_laughs:sitemap=0",
         "offhost_link"}
    )  # fmt: skip
    _tune_heavy_faults(test_site)
    settings = dataclasses.replace(
        site_settings, max_response_bytes=1_000_000, read_timeout=1.0, max_attempts=2
    )

    summary = pipeline.ingest_window(db_url, settings, DAY)

    good = set(ids) - {i for i, _ in quarantined.values()} - {skipped}
    assert summary.state == "success"
    assert set(_stored(db_url)) == good
    assert _quarantine(db_url) == {i: reason for i, reason in quarantined.values()}
    assert run_outcomes(db_url, summary.run_id)[skipped][0] == "skipped"
    assert _counts(db_url, summary.run_id) == {
        "state": "success", "discovered": 20, "fetched": 14, "parsed": 13, "inserted": 13,
        "failed": 6, "retried": 4, "not_modified": 0, "skipped": 1, "quarantined": 6,
    }  # fmt: skip


def test_reparse_rebuilds_articles_from_the_archive_alone(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    pipeline.ingest_window(db_url, site_settings, DAY)
    before = _stored(db_url)
    with psycopg.connect(db_url) as conn:
        conn.execute("UPDATE articles SET body = 'damaged', content_hash = 'x'")
        conn.execute("DELETE FROM articles WHERE external_id = %s", (ids[0],))
    test_site.stop()  # no network from here on

    summary = pipeline.reparse(db_url)

    assert (summary.state, summary.discovered, summary.parsed) == ("success", 20, 20)
    assert (summary.inserted, summary.updated) == (1, 19)
    after = _stored(db_url)
    assert {k: v[:3] for k, v in after.items()} == {k: v[:3] for k, v in before.items()}


def test_reparse_of_a_window_touches_only_that_window(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    pipeline.ingest_window(db_url, site_settings, Window.parse("2017-01-01", "2027-01-01"))
    with psycopg.connect(db_url) as conn:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]

    summary = pipeline.reparse(db_url, DAY.start, DAY.end)

    assert total > 20
    assert (summary.discovered, summary.unchanged, summary.inserted) == (20, 20, 0)


def test_reparse_recovers_pages_a_stopped_run_never_parsed(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    run_id = pipeline.begin(db_url, site_settings, DAY)
    pipeline.discover_stage(db_url, site_settings, run_id)
    pipeline.fetch_stage(db_url, site_settings, run_id)  # then the worker died
    assert _stored(db_url) == {}

    summary = pipeline.reparse(db_url, datetime(2024, 12, 1).astimezone())

    assert summary.inserted == 20 and set(_stored(db_url)) == set(_day_ids(test_site))


def test_operator_commands_list_the_quarantine_and_reparse(
    db_url: str,
    site_settings: Settings,
    test_site: TassTestSite,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newswire.cli import main

    ids = _day_ids(test_site)
    test_site.faults.add(f"challenge_200:ids={ids[0]}")
    pipeline.ingest_window(db_url, site_settings, DAY)
    monkeypatch.setenv("NEWS_DB_URL", db_url)

    assert main(["quarantine"]) == 0
    listing = capsys.readouterr().out
    assert f"{ids[0]} | challenge_page |" in listing and "(1 quarantined)" in listing

    assert main(["reparse", "--since", "2024-12-26", "--until", "2024-12-27"]) == 0
    out = capsys.readouterr().out
    assert "discovered  20" in out and "unchanged   19" in out and "quarantined 1" in out


def test_one_block_decision_per_run_stops_the_other_batches(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    from newswire.ops.batches import fetch_batch

    ids = _day_ids(test_site)
    test_site.faults.add("403")  # the site refuses every article
    run_id = pipeline.begin(db_url, site_settings, DAY)
    pipeline.discover_stage(db_url, site_settings, run_id)
    settings = dataclasses.replace(site_settings, concurrency=1, max_attempts=1)
    first, rest = [i for i in ids if i % 3 == 1], [i for i in ids if i % 3 != 1]
    assert len(first) == 8  # exactly the breaker's threshold

    with pytest.raises(pipeline.FetchBlocked, match=r"HTTP 403 x8"):
        fetch_batch(db_url, settings, run_id, 1, 3)
    assert article_requests(test_site, first) == 8

    # The other batches' first tries ask nothing of the blocked host.
    for index in (0, 2):
        with pytest.raises(pipeline.FetchBlocked, match="an earlier fetch batch of this run"):
            fetch_batch(db_url, settings, run_id, index, 3)
    assert article_requests(test_site, rest) == 0
    with psycopg.connect(db_url) as conn:
        (reason,) = conn.execute(
            "SELECT blocked_reason FROM ingest_runs WHERE id = %s", (run_id,)
        ).fetchone()
    assert "kept refusing article requests (8 refusals in a row (HTTP 403 x8))" in reason

    # The site lets us in again: a retry of a batch probes, succeeds and lifts the block.
    test_site.faults.clear()
    retried = [i for i in ids if i % 3 == 2]
    assert fetch_batch(db_url, settings, run_id, 2, 3, first_try=False).done == len(retried)
    with psycopg.connect(db_url) as conn:
        assert conn.execute(
            "SELECT blocked_at FROM ingest_runs WHERE id = %s", (run_id,)
        ).fetchone() == (None,)


def test_a_block_found_by_one_batch_stops_a_batch_already_fetching(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    ids = _day_ids(test_site)
    refused, slow = ids[:10], ids[10:]
    test_site.faults.update({"403:ids=" + ",".join(map(str, refused)),
                             "slow:ids=" + ",".join(map(str, slow))})  # fmt: skip
    test_site.slow_seconds = 0.5  # each of these pages takes half a second, then arrives
    run_id = pipeline.begin(db_url, site_settings, DAY)
    pipeline.discover_stage(db_url, site_settings, run_id)
    settings = dataclasses.replace(site_settings, concurrency=1, max_attempts=1)
    outcome: dict[str, BaseException] = {}

    def slow_batch() -> None:
        try:
            pipeline.fetch_stage(db_url, settings, run_id, only_ids=slow)
        except BaseException as exc:  # handed to the test thread
            outcome["slow"] = exc

    worker = threading.Thread(target=slow_batch)
    worker.start()
    # The slow batch is under way once the site has seen its first request (a condition,
    # not a guess at how long starting a thread takes on a busy machine).
    assert test_site.wait_for_requests(lambda: article_requests(test_site, slow) >= 1), (
        "the slow batch never started"
    )
    with pytest.raises(pipeline.FetchBlocked, match=r"HTTP 403 x8"):
        pipeline.fetch_stage(db_url, settings, run_id, only_ids=refused)
    worker.join(timeout=30)

    assert isinstance(outcome.get("slow"), pipeline.FetchBlocked)
    assert "another fetch batch of this run found" in str(outcome["slow"])
    asked = article_requests(test_site, slow)
    assert 1 <= asked < len(slow) - 2  # stopped within a poll or two of the block
    statuses = run_outcomes(db_url, run_id)
    assert sum(1 for i in slow if statuses[i][0] == "fetched") >= asked - 1
    assert sum(1 for i in slow if statuses[i][0] == "discovered") >= len(slow) - asked


def test_a_large_run_parsed_over_worker_processes_stores_the_same(
    db_url: str,
    site_settings: Settings,
    test_site: TassTestSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from newswire.stages import parse as parse_stage

    from tests.conftest import truncate_all

    ids = _day_ids(test_site)
    test_site.faults.add(f"truncated:ids={ids[0]}")
    serial = pipeline.ingest_window(db_url, site_settings, DAY)
    stored = {k: v[:3] for k, v in _stored(db_url).items()}
    quarantined, counts = _quarantine(db_url), _counts(db_url, serial.run_id)
    truncate_all(db_url)

    pools: list[int] = []
    real_pool = parse_stage.process_pool

    def counting_pool(workers: int) -> object:
        pools.append(workers)
        return real_pool(workers)

    monkeypatch.setattr(parse_stage, "PARALLEL_MIN_PAGES", 1)
    monkeypatch.setattr(parse_stage.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(parse_stage, "process_pool", counting_pool)
    parallel = pipeline.ingest_window(db_url, site_settings, DAY)

    assert pools == [2]
    assert quarantined == {ids[0]: "truncated"}
    assert {k: v[:3] for k, v in _stored(db_url).items()} == stored
    assert set(stored) == set(ids[1:])
    assert _quarantine(db_url) == quarantined
    assert _counts(db_url, parallel.run_id) == counts
