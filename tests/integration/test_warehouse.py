"""Revisions, entity mentions, quotes, search and the analyst views after real loads."""

from __future__ import annotations

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.store import refresh_views
from newswire.config import Settings
from newswire.models import Window
from newswire.testsite.server import TassTestSite

DPRK_2017 = Window.parse("2017-09-01", "2018-04-01")  # 965296, 970345, 995294
AMBASSADOR = 965296


def _one(db_url: str, query: str, params: tuple = ()) -> tuple:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query, params).fetchone()


def _all(db_url: str, query: str, params: tuple = ()) -> list[tuple]:
    with psycopg.connect(db_url) as conn:
        return conn.execute(query, params).fetchall()


def test_refetch_with_same_text_adds_no_revision(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    first = _all(db_url, "SELECT article_id, revision, content_hash FROM article_revisions")
    articles = _one(db_url, "SELECT count(*) FROM articles")[0]
    assert articles >= 3 and len(first) == articles
    assert {r[1] for r in first} == {1}

    summary = pipeline.ingest_window(db_url, site_settings, DPRK_2017)

    assert summary.updated == 0
    assert _all(db_url, "SELECT article_id, revision, content_hash FROM article_revisions") == first


def test_changed_headline_adds_a_revision_and_updates_the_row(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    old_headline, old_modified = _one(
        db_url, "SELECT headline, modified_at FROM articles WHERE external_id = %s", (AMBASSADOR,)
    )
    test_site.update_article(AMBASSADOR, headline="Pyongyang and Moscow to deepen ties — envoy")

    summary = pipeline.ingest_window(db_url, site_settings, DPRK_2017)

    assert summary.updated == 1
    headline, modified = _one(
        db_url, "SELECT headline, modified_at FROM articles WHERE external_id = %s", (AMBASSADOR,)
    )
    assert headline == "Pyongyang and Moscow to deepen ties — envoy"
    assert modified is not None and (old_modified is None or modified > old_modified)
    revisions = _all(
        db_url,
        "SELECT r.revision, r.headline FROM article_revisions r JOIN articles a"
        " ON a.id = r.article_id WHERE a.external_id = %s ORDER BY r.revision",
        (AMBASSADOR,),
    )
    assert revisions == [(1, old_headline), (2, headline)]
    changed = _all(
        db_url,
        "SELECT first_headline, headline, headline_changed, body_changed FROM revised_articles",
    )
    assert changed == [(old_headline, headline, True, False)]


def test_mentions_skip_the_dateline_and_track_headline_and_lead(
    db_url: str, site_settings: Settings
) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    rows = dict(
        (key, (count, in_headline, in_lead))
        for key, count, in_headline, in_lead in _all(
            db_url,
            "SELECT e.key, m.mention_count, m.in_headline, m.in_lead FROM article_mentions m"
            " JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id"
            " WHERE a.external_id = %s",
            (AMBASSADOR,),
        )
    )
    # Headline: "Pyongyang wants to improve relations with Moscow — ambassador".
    assert rows["dprk"][1] is True and rows["russia"][1] is True
    assert rows["unsc"][2] is True  # the lead names the UN Security Council
    assert "south_korea" not in rows
    assert rows["kim_jong_un"][0] >= 1
    # "MOSCOW, September 12. /TASS/." opens the body but is not counted.
    body = _one(db_url, "SELECT body FROM articles WHERE external_id = %s", (AMBASSADOR,))[0]
    assert body.startswith("MOSCOW, September 12. /TASS/.")


def test_quotes_are_stored_with_their_speakers(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    quotes = _all(
        db_url,
        "SELECT q.speaker, q.text FROM quotes q JOIN articles a ON a.id = q.article_id"
        " WHERE a.external_id = %s ORDER BY q.position",
        (AMBASSADOR,),
    )
    speakers = [s for s, _ in quotes]
    assert speakers[:3] == ["he", "Ambassador Kim", "Ambassador Kim"]
    assert quotes[1][1].startswith("The DPRK has turned into a nuclear power")
    assert quotes[2][1].startswith("Under the wise guidance of Kim Jong-un")


def test_search_ranks_by_language(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO articles (source, external_id, url, section, headline, lead, body,"
            " language, published_at, content_hash, extraction_method, parser_version,"
            " first_seen_at, last_fetched_at) VALUES ('tass.ru', 1, 'https://tass.ru/x/1',"
            " 'politika', 'Лавров провел переговоры с главой МИД КНДР',"
            " 'Стороны обсудили отношения', 'МОСКВА, 1 ноября. /ТАСС/. Министры встретились"
            " в Москве.', 'ru', '2024-11-01', 'h', 'manual', '1', now(), now())"
        )
    english = _all(db_url, "SELECT url FROM search_articles('ambassadors')")
    assert any(url.endswith(f"/{AMBASSADOR}") for (url,) in english)  # stemmed: ambassador
    russian = _all(db_url, "SELECT url FROM search_articles('переговор КНДР')")
    assert russian == [("https://tass.ru/x/1",)]
    windowed = _all(
        db_url, "SELECT url FROM search_articles('ambassador', '2018-01-01', '2019-01-01')"
    )
    assert all(not url.endswith(f"/{AMBASSADOR}") for (url,) in windowed)


def test_views_after_refresh(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    refresh_views(db_url)
    dprk = _all(db_url, "SELECT url, russia_mentioned FROM dprk_articles ORDER BY url")
    assert len(dprk) >= 3 and all(russia for _, russia in dprk)
    day = _one(
        db_url,
        "SELECT articles, dprk_articles, dprk_russia_articles, dprk_share FROM daily_coverage"
        " WHERE day = '2017-09-12'",
    )
    assert day[1] >= 1 and day[2] == day[1] and float(day[3]) == pytest.approx(day[1] / day[0])
    week = _one(db_url, "SELECT dprk_articles FROM weekly_coverage WHERE week_start = '2017-09-11'")
    assert week[0] >= day[1]
    co = dict(_all(db_url, "SELECT entity_key, sum(articles) FROM dprk_co_mentions GROUP BY 1"))
    assert co["russia"] >= 3 and "dprk" not in co and "kim_jong_un" not in co
    speakers = {k for (k,) in _all(db_url, "SELECT speaker_key FROM dprk_speakers")}
    assert "ambassador kim" in speakers and "he" not in speakers
