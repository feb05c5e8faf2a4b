"""The seed DPRK article goes through the whole pipeline and its quotes are stored with
the person behind each one (name, role, knowledge-base entity), and dprk_speakers
groups them by that person."""

from __future__ import annotations

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.store import refresh_views
from newswire.config import Settings
from newswire.models import Window

pytestmark = pytest.mark.db

SEED_WINDOW = Window.parse("2017-09-12", "2017-09-13")  # 965296 only
DAY_2024 = Window.parse("2024-12-26", "2024-12-27")
KIM = ("Kim Hyun Joong", "DPRK ambassador in Moscow")
BURMISTROV = ("Oleg Burmistrov", "Russian Ambassador at Large")
SEED_ROWS = [
    (1, 1, "he", *KIM, "Our party (the Korean Workers' Party TASS)"),
    (2, 2, "Ambassador Kim", *KIM, "The DPRK has turned into a nuclear power"),
    (3, 2, "Ambassador Kim", *KIM, "Under the wise guidance of Kim Jong-un"),
    (4, 3, "he", *KIM, "The situation on the Korean Peninsula"),
    (5, 3, "he", *KIM, "The testing of a thermonuclear bomb"),
    (6, 5, "he", *BURMISTROV, "[We hope that] in the current difficult situation"),
    (7, 6, "he", *BURMISTROV, "Russia is ready for the most close dialogue"),
]


def _all(db_url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query, params).fetchall()


def test_seed_article_quotes_are_stored_with_their_speakers(
    db_url: str, site_settings: Settings
) -> None:
    summary = pipeline.ingest_window(db_url, site_settings, SEED_WINDOW)
    assert summary.state == "success"
    rows = _all(
        db_url,
        "SELECT q.position, q.paragraph, q.speaker, q.speaker_name, q.speaker_role,"
        " q.speaker_entity_id, q.text FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE a.external_id = 965296 ORDER BY q.position",
    )
    assert len(rows) == len(SEED_ROWS)
    keys = dict(_all(db_url, "SELECT id, key FROM entities"))
    for row, want in zip(rows, SEED_ROWS, strict=True):
        position, paragraph, speaker, name, role, entity_id, text = row
        assert (position, paragraph, speaker, name, role) == want[:5]
        # the knowledge base spells the DPRK ambassador Kim Hyong Jun
        assert keys[entity_id] == {KIM[0]: "kim_hyong_jun", BURMISTROV[0]: "burmistrov"}[name]
        assert text.startswith(want[5])

    refresh_views(db_url)
    speakers = {
        key: (name, role, quotes, articles)
        for key, name, role, quotes, articles in _all(
            db_url,
            "SELECT speaker_key, speaker_name, speaker_role, quotes, articles FROM dprk_speakers",
        )
    }
    assert speakers == {
        # grouped by entity, so the view shows the knowledge base's spelling
        "kim_hyong_jun": ("Kim Hyong-jun", KIM[1], 5, 1),
        "burmistrov": (*BURMISTROV, 2, 1),
    }


def test_tracked_speakers_get_their_entity(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DAY_2024)
    rows = _all(
        db_url,
        "SELECT q.speaker, q.speaker_name, q.speaker_role, e.key FROM quotes q"
        " JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN entities e ON e.id = q.speaker_entity_id"
        " WHERE a.external_id = 1893783 ORDER BY q.position",
    )
    assert [r[0] for r in rows] == [
        "the Russian top diplomat", "Lavrov", "the Russian foreign minister", "he", "Lavrov"
    ]
    assert {(r[1], r[2], r[3]) for r in rows} == {
        ("Sergey Lavrov", "Russian Foreign Minister", "lavrov")
    }
    # a minister is linked to himself, never to his country
    kurenkov = _all(
        db_url,
        "SELECT q.speaker_name, e.key FROM quotes q"
        " JOIN articles a ON a.id = q.article_id"
        " LEFT JOIN entities e ON e.id = q.speaker_entity_id WHERE a.external_id = 1893901"
        " AND q.speaker_name = 'Alexander Kurenkov'",
    )
    assert kurenkov and all(key == "kurenkov" for _, key in kurenkov)
