"""Batched, resumable, parallel re-analysis stores exactly what the one-pass analysis did."""

from __future__ import annotations

import io
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis import reanalyse as ra
from newswire.analysis.store import AnalysisRows, analyse_articles, read_texts
from newswire.config import Settings
from newswire.models import Window

DAY = Window.parse("2024-12-26", "2024-12-27")


def _stored(db_url: str) -> tuple[list[Any], ...]:
    with psycopg.connect(db_url) as conn:
        return tuple(
            conn.execute(q).fetchall()
            for q in (
                "SELECT article_id, entity_id, mention_count, in_headline, in_lead"
                " FROM article_mentions ORDER BY 1, 2",
                "SELECT article_id, position, paragraph, speaker, speaker_name, speaker_role,"
                " speaker_entity_id, text FROM quotes ORDER BY 1, 2",
                "SELECT article_id, normalised, language, surface, mention_count"
                " FROM unresolved_mentions ORDER BY 1, 2, 3",
            )
        )


def _spoil(db_url: str) -> None:
    """What an older knowledge base might have left: missing and wrong rows."""
    with psycopg.connect(db_url) as conn:
        conn.execute("DELETE FROM quotes")
        conn.execute("DELETE FROM article_mentions WHERE article_id % 2 = 0")
        conn.execute("UPDATE article_mentions SET mention_count = mention_count + 5")


@pytest.fixture
def loaded(db_url: str, site_settings: Settings) -> tuple[list[Any], ...]:
    with psycopg.connect(db_url) as conn:
        conn.execute("DELETE FROM reanalyse_jobs")
    pipeline.ingest_window(db_url, site_settings, DAY)
    stored = _stored(db_url)
    assert stored[0] and stored[1]
    return stored


def test_parallel_batches_store_the_same_rows(db_url: str, loaded: tuple[list[Any], ...]) -> None:
    _spoil(db_url)
    assert _stored(db_url) != loaded
    out = io.StringIO()

    summary = ra.reanalyse(
        db_url, batch_size=3, workers=2, progress=out, refresh=False, everything=True
    )

    assert _stored(db_url) == loaded
    with psycopg.connect(db_url) as conn:
        (articles,) = conn.execute("SELECT count(*) FROM articles").fetchone()
    assert summary.articles == articles > 3
    assert (summary.mentions, summary.quotes) == (len(loaded[0]), len(loaded[1]))
    assert summary.batches == -(-summary.articles // 3)
    assert f"{summary.articles:,}/{summary.articles:,} articles" in out.getvalue()
    with psycopg.connect(db_url) as conn:
        (open_jobs,) = conn.execute(
            "SELECT count(*) FROM reanalyse_jobs WHERE finished_at IS NULL"
        ).fetchone()
    assert open_jobs == 0


def test_a_stopped_job_resumes_where_it_stopped(db_url: str, loaded: tuple[list[Any], ...]) -> None:
    _spoil(db_url)
    job = ra.plan_job(db_url, batch_size=2, discover=True, everything=True)
    first, first_n = ra.pending_batches(db_url, job)[0]
    done = ra.run_batch(db_url, job, first)  # the job "stops" after one batch
    assert done.articles == first_n and not done.skipped
    assert ra.run_batch(db_url, job, first).skipped  # a retried batch does nothing
    total, already = ra.job_totals(db_url, job)
    assert already == first_n

    summary = ra.reanalyse(db_url, batch_size=2, workers=1, refresh=False, everything=True)

    assert summary.job_id == job
    assert summary.resumed_from == first_n
    assert summary.articles == total - first_n
    assert _stored(db_url) == loaded
    assert ra.plan_job(db_url, batch_size=2, discover=True, everything=True) != job  # finished


def test_restart_drops_the_unfinished_job(db_url: str, loaded: tuple[list[Any], ...]) -> None:
    job = ra.plan_job(db_url, batch_size=2, discover=True)
    assert ra.plan_job(db_url, batch_size=2, discover=True) == job
    assert ra.plan_job(db_url, batch_size=2, discover=True, restart=True) != job


def test_load_analysis_in_worker_processes_matches(
    db_url: str, loaded: tuple[list[Any], ...]
) -> None:
    _spoil(db_url)
    with psycopg.connect(db_url) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
        with ProcessPoolExecutor(2) as pool:
            counts = analyse_articles(conn, ids, pool=pool, workers=2)
    assert counts == (len(loaded[0]), len(loaded[1]))
    assert _stored(db_url) == loaded


def test_progress_line_shows_rate_and_time_left() -> None:
    out = io.StringIO()
    bar = ra.Progress(total=10, done=0, stream=out)
    bar.advance(5, final=True)
    line = out.getvalue()
    assert "5/10 articles" in line and "/s" in line and "left" in line
    assert "#" * 15 in line


def test_a_large_load_analyses_in_worker_processes_before_its_transaction(
    db_url: str,
    site_settings: Settings,
    loaded: tuple[list[Any], ...],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The load stage's parallel path (taken for large runs) analyses the staged texts
    before the merge's transaction and stores the same rows."""
    from newswire.stages import load

    with psycopg.connect(db_url) as conn:
        conn.execute("TRUNCATE articles CASCADE")
    seen: dict[str, Any] = {}
    real_pre, real_analyse = load.precompute_texts, load.analyse_articles

    def pre(texts: Any, **kwargs: Any) -> Any:
        seen["texts"], seen["workers"] = len(texts), kwargs["workers"]
        return real_pre(texts, **kwargs)

    def analyse(conn: Any, ids: Any, **kwargs: Any) -> tuple[int, int]:
        seen["known"], seen["ids"] = len(kwargs["known"]), len(ids)
        return real_analyse(conn, ids, **kwargs)

    monkeypatch.setattr(load, "PARALLEL_MIN_ARTICLES", 1)
    monkeypatch.setattr(load, "precompute_texts", pre)
    monkeypatch.setattr(load, "analyse_articles", analyse)
    monkeypatch.setattr(load.os, "cpu_count", lambda: 2)
    pipeline.ingest_window(db_url, site_settings, DAY)

    assert seen["workers"] == 2 and seen["texts"] == seen["ids"] == seen["known"] > 1

    # The reload renumbers the articles: compare every row without its article id.
    def unkeyed(tables: tuple[list[Any], ...]) -> list[list[Any]]:
        return [sorted(row[1:] for row in rows) for rows in tables]

    assert unkeyed(_stored(db_url)) == unkeyed(loaded)


def test_precomputed_rows_serve_only_the_exact_stored_text(
    db_url: str, loaded: tuple[list[Any], ...]
) -> None:
    with psycopg.connect(db_url) as conn:
        first, second = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2")]
        (text_1,), (text_2,) = (
            [t[1:] for t in read_texts(conn, [first])],
            [t[1:] for t in read_texts(conn, [second])],
        )
        marker = AnalysisRows(quotes=[(0, 1, 0, "x", None, None, None, "planted quote")])
        stale = (text_2[0], text_2[1], text_2[2] + " (edited)", text_2[3], text_2[4])
        known = {text_1: marker, stale: marker}
        analyse_articles(conn, [first, second], known=known)
        quotes = conn.execute(
            "SELECT article_id, text FROM quotes WHERE article_id = ANY(%s) ORDER BY 1, 2",
            ([first, second],),
        ).fetchall()
    assert (first, "planted quote") in quotes
    assert [q for q in quotes if q[0] == first] == [(first, "planted quote")]
    assert (second, "planted quote") not in quotes
    assert sorted(q[1] for q in quotes if q[0] == second) == sorted(
        row[7] for row in loaded[1] if row[0] == second
    )
