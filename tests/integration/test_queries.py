"""Every worked analyst query in sql/queries/ runs and answers from loaded data."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.store import refresh_views
from newswire.config import Settings
from newswire.db import load_sql
from newswire.models import Window

QUERIES = sorted(p.stem for p in (Path(__file__).parents[2] / "sql" / "queries").glob("*.sql"))


@pytest.fixture
def loaded(db_url: str, site_settings: Settings, test_site) -> str:
    dialogue = test_site.article(995294)
    test_site.update_article(
        995294,
        paragraphs=[
            *dialogue.paragraphs,
            '"Our ties with Pyongyang are developing steadily," Russian Foreign Minister'
            " Sergey Lavrov said.",
        ],
    )
    pipeline.ingest_window(db_url, site_settings, Window.parse("2017-09-01", "2018-04-01"))
    test_site.update_article(970345, headline="Pyongyang to boost cooperation with Moscow")
    pipeline.ingest_window(db_url, site_settings, Window.parse("2017-09-01", "2018-04-01"))
    refresh_views(db_url)
    return db_url


def test_there_are_at_least_eight_worked_queries() -> None:
    assert len(QUERIES) >= 8


@pytest.mark.parametrize("name", QUERIES)
def test_query_answers(loaded: str, name: str) -> None:
    with psycopg.connect(loaded) as conn:
        cur = conn.execute(load_sql(f"queries/{name}.sql"))
        rows = cur.fetchall()
    assert rows, f"{name} returned nothing"


def test_specific_answers(loaded: str) -> None:
    with psycopg.connect(loaded) as conn:
        newest = conn.execute(load_sql("queries/latest_dprk_headlines.sql")).fetchall()
        revised = conn.execute(load_sql("queries/recent_revisions.sql")).fetchall()
        officials = conn.execute(load_sql("queries/russian_officials_on_dprk.sql")).fetchall()
    assert newest[0][1] == "Russia ready for dialogue with North Korea — Foreign Ministry"
    assert revised[0][4] == "Pyongyang to boost cooperation with Moscow" and revised[0][5]
    # Each speaker with the office the knowledge base says he held that day (2017-2018);
    # it knows Andrey Kulik and Oleg Burmistrov, but no dated office of theirs.
    assert [(row[1], row[2], row[3], row[4][:20]) for row in officials] == [
        ("Andrey Kulik", "person", None, "North Korea is Russi"),
        ("Andrey Kulik", "person", None, "Our intention to mai"),
        ("Sergey Lavrov", "person", "foreign_minister", "Our ties with Pyongy"),
        ("Oleg Burmistrov", "person", None, "[We hope that] in th"),
        ("Oleg Burmistrov", "person", None, "Russia is ready for "),
    ]
