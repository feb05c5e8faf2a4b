"""The knowledge base in the warehouse: names, dated roles, unknown people and the CLI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.knowledge import load_knowledge
from newswire.analysis.store import analyse_articles, sync_entities
from newswire.config import Settings
from newswire.models import Window

from devtools.testsite.server import TassTestSite

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


def test_the_test_sites_name_people_the_base_lacks_and_the_cli_lists_them(
    db_url: str,
    site_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """After `make demo` (the tass.com site) `entities unknown` is not empty: a real
    opening names "Senator Jacky Rosen"; tass.ru's real texts name others (a chief rabbi)."""
    from newswire.cli import main

    english = pipeline.ingest_window(
        db_url, site_settings, Window.parse("2025-10-30", "2025-10-31")
    )
    with TassTestSite(service="tass.ru") as ru_site:
        ru_settings = Settings.from_env(
            {
                "TASS_RU_BASE_URL": ru_site.base_url,
                "TASS_REQUEST_INTERVAL": "0",
                "NEWSWIRE_DATA_DIR": str(tmp_path),
            }
        ).for_source("tass.ru")
        russian = pipeline.ingest_window(
            db_url, ru_settings, Window.parse("2020-03-28", "2020-03-29")
        )
    assert english.state == russian.state == "success"

    monkeypatch.setenv("NEWS_DB_URL", db_url)
    assert main(["entities", "unknown", "--limit", "500"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "Jacky Rosen | en | 1 | 2" in out  # in the lead and in the body
    assert any(line.startswith("Берл Лазар | ru | 1 |") for line in out), out
