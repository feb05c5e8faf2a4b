"""`newswire reanalyse`: rebuilds every article's mentions and quotes from its stored text."""

from __future__ import annotations

import psycopg
import pytest
from newswire import pipeline
from newswire.config import Settings
from newswire.models import Window

DAY = Window.parse("2024-12-26", "2024-12-27")


def _analysis(db_url: str) -> tuple[list[tuple], list[tuple]]:
    with psycopg.connect(db_url) as conn:
        mentions = conn.execute(
            "SELECT article_id, entity_id, mention_count, in_headline, in_lead"
            " FROM article_mentions ORDER BY 1, 2"
        ).fetchall()
        quotes = conn.execute(
            "SELECT article_id, position, speaker, speaker_name, speaker_role,"
            " speaker_entity_id, text FROM quotes ORDER BY 1, 2"
        ).fetchall()
    return mentions, quotes


def test_reanalyse_replaces_stale_mentions_and_quotes(
    db_url: str,
    site_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newswire.cli import main

    pipeline.ingest_window(db_url, site_settings, DAY)
    mentions, quotes = _analysis(db_url)
    assert mentions and quotes
    with psycopg.connect(db_url) as conn:
        # What an older alias dictionary might have left behind: a mention that is no
        # longer found, and mentions and quotes that are missing.
        conn.execute("DELETE FROM article_mentions WHERE article_id = %s", (mentions[0][0],))
        conn.execute("DELETE FROM quotes WHERE article_id = %s", (quotes[0][0],))
        conn.execute(
            "UPDATE article_mentions SET mention_count = mention_count + 7, in_headline = true"
            " WHERE article_id = %s",
            (mentions[-1][0],),
        )
    assert _analysis(db_url) != (mentions, quotes)
    monkeypatch.setenv("NEWS_DB_URL", db_url)

    assert main(["reanalyse", "--all"]) == 0

    assert _analysis(db_url) == (mentions, quotes)
    out = capsys.readouterr().out
    assert f"{len(mentions)} entity mentions, {len(quotes)} quotes" in out
