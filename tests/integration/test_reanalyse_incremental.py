"""Re-analysis without `--all` re-analyses only the articles a knowledge base change may
affect, and stores exactly what re-analysing every article stores."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis import reanalyse as ra
from newswire.analysis.incremental import diff, pattern, snapshot
from newswire.analysis.knowledge import load_knowledge
from newswire.config import Settings
from newswire.models import Window
from psycopg import sql

from devtools.knowledge_edit import add_person, edited_knowledge
from devtools.testsite.server import TassTestSite
from tests.helpers import ru_site_settings
from tests.integration.test_reanalyse_batches import _stored

DAY = Window.parse("2024-12-26", "2024-12-27")
RU_YEARS = Window.parse("2010-01-01", "2021-01-01")
POPOVA = add_person("anna_popova", ["Anna Popova"], ["Анна Попова"], country="russia")


def _change(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """A person added, two bare surnames removed, a dated role moved."""
    data = POPOVA(name, data)
    if name != "people":
        return data
    for person in data["people"]:
        if person["key"] == "lavrov":
            person["en"] = [a for a in person["en"] if a != "Lavrov"]
            person["ru"] = [a for a in person["ru"] if a != "Лавров"]
        if person["key"] == "sobyanin":
            person["ru"] = [a for a in person["ru"] if a != "Собянин"]
        if person["key"] == "boris_johnson":
            # in office from September 2019: the quote of 2019-08-09 loses its speaker
            person["roles"][0]["from"] = date(2019, 9, 1)
    return data


@pytest.fixture
def corpus(db_url: str, site_settings: Settings, tmp_path: Path) -> str:
    """English articles of one day and the Russian ones of the test site's whole span."""
    pipeline.ingest_window(db_url, site_settings, DAY)
    with TassTestSite(service="tass.ru") as site:
        pipeline.ingest_window(db_url, ru_site_settings(site, tmp_path), RU_YEARS)
    with psycopg.connect(db_url) as conn:
        languages = dict(conn.execute("SELECT language, count(*) FROM articles GROUP BY 1"))
    assert languages.get("en", 0) > 10 and languages.get("ru", 0) > 50
    return db_url


@pytest.fixture
def clone(corpus: str, admin_url: str) -> Iterator[str]:
    """A second database holding what the first holds now (named by `copy_of`)."""
    name = f"{psycopg.conninfo.conninfo_to_dict(corpus)['dbname']}_copy_{uuid.uuid4().hex[:6]}"
    source = psycopg.conninfo.conninfo_to_dict(corpus)["dbname"]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (source,),
        )
        conn.execute(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(name), sql.Identifier(str(source))
            )
        )
    try:
        yield psycopg.conninfo.make_conninfo(corpus, dbname=name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _targets(db_url: str, job_id: int) -> set[int]:
    with psycopg.connect(db_url) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT article_id FROM reanalyse_targets WHERE job_id = %s", (job_id,)
            )
        }


def _article_with(db_url: str, text: str) -> set[int]:
    with psycopg.connect(db_url) as conn:
        return {
            r[0]
            for r in conn.execute(
                "SELECT id FROM articles WHERE concat_ws(' ', headline, lead, body) LIKE %s",
                (f"%{text}%",),
            )
        }


def test_an_unchanged_knowledge_base_reanalyses_nothing(corpus: str) -> None:
    before = _stored(corpus)

    same = ra.reanalyse(corpus, workers=1, refresh=False)
    with edited_knowledge(lambda _name, data: data):  # rewritten, same content: new digest
        rewritten = ra.reanalyse(corpus, workers=1, refresh=False)

    assert same.stored > 60
    assert (same.total, same.articles, same.batches) == (0, 0, 0)
    assert (rewritten.total, rewritten.articles) == (0, 0)
    assert rewritten.job_id != same.job_id  # a new knowledge base, planned anew
    assert _stored(corpus) == before


def test_incremental_reanalysis_stores_what_a_full_one_does(corpus: str, clone: str) -> None:
    before = _stored(corpus)
    with edited_knowledge(_change):
        incremental = ra.reanalyse(corpus, batch_size=4, workers=2, refresh=False)
        full = ra.reanalyse(clone, batch_size=4, workers=2, refresh=False, everything=True)
        after = _stored(corpus)
        assert after == _stored(clone)
        assert after != before  # the change reached stored rows
        again = ra.reanalyse(corpus, workers=1, refresh=False)
        assert (again.total, again.articles) == (0, 0)

    assert full.articles == full.stored == incremental.stored
    assert 0 < incremental.articles < full.articles  # some articles were skipped
    targets = _targets(corpus, incremental.job_id)
    assert _article_with(corpus, "Анна Попова") <= targets
    assert _article_with(corpus, "Lavrov") <= targets
    with psycopg.connect(corpus) as conn:
        (popova,) = conn.execute(
            "SELECT count(*) FROM article_mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE e.key = 'anna_popova'"
        ).fetchone()
    assert popova > 0

    # And back to the committed knowledge base: the reverse change, also incremental.
    back = ra.reanalyse(corpus, batch_size=4, workers=1, refresh=False)
    ra.reanalyse(clone, batch_size=4, workers=1, refresh=False, everything=True)
    assert 0 < back.articles < back.stored
    assert _stored(corpus) == _stored(clone) == before


def test_analyser_change_means_every_article(corpus: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from newswire.analysis import incremental

    monkeypatch.setattr(incremental, "ANALYSER_VERSION", incremental.ANALYSER_VERSION + 1)
    incremental.analyser_fingerprint.cache_clear()
    try:
        summary = ra.reanalyse(corpus, workers=1, refresh=False)
    finally:
        monkeypatch.undo()
        incremental.analyser_fingerprint.cache_clear()
    assert summary.articles == summary.stored > 60


def test_diff_names_what_changed_and_only_that() -> None:
    old = snapshot(load_knowledge())
    assert not diff(old, old).names and not diff(old, old).entities
    with edited_knowledge(_change):
        new = snapshot(load_knowledge())
    change = diff(old, new)
    assert not change.everything
    assert ("anna", "popova") in change.names["en"]
    assert ("анн", "попов") in change.names["ru"]  # Анна Попова, Анной Поповой, ...
    assert ("lavrov",) in change.names["en"] and ("sobyanin",) not in change.names["en"]
    assert ("prime", "minister") in change.names["en"]  # the moved role's titles
    assert change.entities == {"boris_johnson", "anna_popova"}
    assert ("putin",) not in change.names["en"]
    assert (pattern("собянин", "ru"),) in change.names["ru"]
    assert pattern("собянин", "ru") == "собянин"
