"""The knowledge base in the warehouse: names, dated roles, unknown people and the CLI."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.knowledge import load_knowledge
from newswire.analysis.store import analyse_articles, sync_entities
from newswire.config import Settings
from newswire.models import Window

DAY = Window.parse("2024-12-26", "2024-12-27")


def test_sync_writes_names_and_dated_roles_once(db_url: str) -> None:
    kb = load_knowledge()
    with psycopg.connect(db_url) as conn:
        ids = sync_entities(conn)
        assert len(ids) == len(kb.entities) >= 400
        roles = conn.execute(
            "SELECT e.key, r.valid_from, r.valid_to FROM entity_roles r"
            " JOIN entities e ON e.id = r.entity_id"
            " WHERE r.role = 'defence_minister' AND r.of_country = 'russia' ORDER BY 2"
        ).fetchall()
        assert roles == [
            ("shoigu", date(2012, 11, 6), date(2024, 5, 12)),
            ("belousov", date(2024, 5, 14), None),
        ]
        # A month-precise end covers the whole month.
        assert conn.execute(
            "SELECT valid_to, to_precision FROM entity_roles r JOIN entities e"
            " ON e.id = r.entity_id WHERE e.key = 'ri_son_gwon'"
        ).fetchone() == (date(2022, 6, 30), "month")
        names = conn.execute(
            "SELECT n.language, n.name FROM entity_names n JOIN entities e ON e.id = n.entity_id"
            " WHERE e.key = 'choe_son_hui' ORDER BY 1, 2"
        ).fetchall()
        assert ("ru", "Чхве Сон Хи") in names and ("en", "Choe Son-hui") in names
        assert conn.execute(
            "SELECT name_ru, iso_code FROM entities WHERE key = 'dprk'"
        ).fetchone() == ("КНДР", "KP")
        first = conn.execute("SELECT digest, synced_at FROM knowledge_sync").fetchone()
        assert first[0] == kb.digest
        conn.commit()
        sync_entities(conn)  # same digest: nothing is rewritten
        assert conn.execute("SELECT digest, synced_at FROM knowledge_sync").fetchone() == first


def test_unknown_people_are_kept_and_listed(
    db_url: str,
    site_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from newswire.cli import main

    pipeline.ingest_window(db_url, site_settings, DAY)
    with psycopg.connect(db_url) as conn:
        first, second = (
            r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id LIMIT 2").fetchall()
        )
        conn.execute(
            "UPDATE articles SET language = 'en', body = %s WHERE id = %s",
            (
                "MOSCOW, December 26. /TASS/. Ambassador Lee Do Hoon met Russian Deputy"
                " Foreign Minister Andrei Rudenko.\n\nLater Ambassador Lee Do-hoon spoke"
                " to Deputy Prime Minister Marat Khusnullin.",
                first,
            ),
        )
        conn.execute(
            "UPDATE articles SET language = 'ru', body = %s WHERE id = %s",
            (
                "МОСКВА, 26 декабря. /ТАСС/. Вице-премьер Марат Хуснуллин встретился с"
                " Сергеем Лавровым и Ким Чен Ыном.",
                second,
            ),
        )
        analyse_articles(conn, [first, second])
        rows = conn.execute(
            "SELECT article_id, normalised, language, mention_count FROM unresolved_mentions"
            " WHERE article_id = ANY(%s) ORDER BY 1, 2",
            ([first, second],),
        ).fetchall()
    assert rows == [
        (first, "Lee Do Hoon", "en", 2),
        (first, "Marat Khusnullin", "en", 1),
        (second, "Марат Хуснуллин", "ru", 1),
    ]
    monkeypatch.setenv("NEWS_DB_URL", db_url)
    assert main(["entities", "unknown", "--limit", "500"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "name | language | articles | mentions"
    assert "Lee Do Hoon | en | 1 | 2" in out and "Марат Хуснуллин | ru | 1 | 1" in out
    assert main(["entities", "unknown", "--limit", "1"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
