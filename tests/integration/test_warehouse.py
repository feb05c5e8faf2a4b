"""Revisions, entity mentions, quotes, search and the analyst views after real loads."""

from __future__ import annotations

import psycopg
import pytest
from newswire import pipeline
from newswire.analysis.store import refresh_views
from newswire.config import Settings
from newswire.models import Window

from devtools.testsite.server import TassTestSite
from tests.helpers import query_all as _all
from tests.helpers import query_one as _one

DPRK_2017 = Window.parse("2017-09-01", "2018-04-01")  # 965296, 970345, 995294
AMBASSADOR = 965296


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
        "SELECT q.speaker, q.text, q.speaker_name FROM quotes q"
        " JOIN articles a ON a.id = q.article_id"
        " WHERE a.external_id = %s ORDER BY q.position",
        (AMBASSADOR,),
    )
    speakers = [s for s, _, _ in quotes]
    assert [n for _, _, n in quotes[:3]] == ["Kim Hyun Joong"] * 3
    assert speakers[:3] == ["he", "Ambassador Kim", "Ambassador Kim"]
    assert quotes[1][1].startswith("The DPRK has turned into a nuclear power")
    assert quotes[2][1].startswith("Under the wise guidance of Kim Jong-un")


def _load_one(
    db_url: str, external_id: int, headline: str, body: str, language: str, published: str
) -> str:
    """Stage one hand-made article and run the pipeline's load stage on it; its URL."""
    url = f"https://tass.example/x/{external_id}"
    with psycopg.connect(db_url) as conn:
        run_id = conn.execute(
            "INSERT INTO ingest_runs (base_url, window_start, window_end)"
            " VALUES ('manual', '2000-01-01', '2030-01-01') RETURNING id"
        ).fetchone()[0]
        conn.execute(
            "INSERT INTO staged_articles (ingest_run_id, source, external_id, url, section,"
            " headline, lead, body, language, published_at, content_hash, extraction_method,"
            " parser_version, fetched_at) VALUES (%s, 'manual', %s, %s, 'politics', %s, '',"
            " %s, %s, %s, md5(%s), 'manual', '1', now())",
            (run_id, external_id, url, headline, body, language, published, headline + body),
        )
    pipeline.load_stage(db_url, run_id)
    return url


def test_search_ranks_by_language(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    russian_url = _load_one(
        db_url,
        1,
        "Лавров провел переговоры с главой МИД КНДР",
        "МОСКВА, 1 ноября. /ТАСС/. Министры встретились в Москве.",
        "ru",
        "2024-11-01",
    )
    english = _all(db_url, "SELECT url FROM search_articles('ambassadors')")
    assert any(url.endswith(f"/{AMBASSADOR}") for (url,) in english)  # stemmed: ambassador
    russian = _all(db_url, "SELECT url FROM search_articles('переговор КНДР')")
    assert russian == [(russian_url,)]
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
    speakers = dict(_all(db_url, "SELECT speaker_key, speaker_role FROM dprk_speakers"))
    # grouped by knowledge-base entity: the DPRK ambassador is kim_hyong_jun there
    assert speakers["kim_hyong_jun"] == "DPRK ambassador in Moscow"
    assert "burmistrov" in speakers
    assert not {"he", "ambassador kim", "dprk", "kim_jong_un"} & set(speakers)


def test_search_finds_an_article_as_soon_as_its_load_commits(
    db_url: str, site_settings: Settings, test_site: TassTestSite
) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    assert _all(db_url, "SELECT url FROM search_articles('Zubrovka')") == []
    test_site.update_article(AMBASSADOR, headline="Zubrovka diplomacy: Pyongyang courts Moscow")

    pipeline.ingest_window(db_url, site_settings, DPRK_2017)

    found = _all(db_url, "SELECT url FROM search_articles('zubrovka')")
    assert len(found) == 1 and found[0][0].endswith(f"/{AMBASSADOR}")
    # Every article has exactly one document, made from its current text.
    stale = _one(
        db_url,
        "SELECT count(*) FROM articles a LEFT JOIN article_search s ON s.article_id = a.id"
        " WHERE s.content_hash IS DISTINCT FROM a.content_hash",
    )[0]
    assert stale == 0
    # The old headline's wording no longer finds the revised article.
    old_words = _all(db_url, "SELECT url FROM search_articles('\"wants to improve relations\"')")
    assert all(not url.endswith(f"/{AMBASSADOR}") for (url,) in old_words)


def test_search_ranks_the_newest_thousand_matches(db_url: str) -> None:
    """A common word: the best of the newest 1,000 matches; since/until reach older ones."""
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO articles (source, external_id, url, section, headline, lead, body,"
            " language, published_at, content_hash, extraction_method, parser_version,"
            " first_seen_at, last_fetched_at)"
            " SELECT 'manual', i, 'https://tass.example/x/' || i, 'world',"
            "  CASE i WHEN 1 THEN 'Sanctions, sanctions and sanctions' ELSE 'Talks' END,"
            "  '', 'The talks touched on sanctions.', 'en',"
            "  timestamptz '2020-01-01' + i * interval '1 hour', md5(i::text), 'manual', '1',"
            "  now(), now() FROM generate_series(1, 1100) AS i"
        )
        conn.execute(
            "INSERT INTO article_search (article_id, language, published_at, content_hash,"
            " document) SELECT id, language, published_at, content_hash,"
            " setweight(to_tsvector('english', headline), 'A')"
            " || setweight(to_tsvector('english', body), 'C') FROM articles"
        )
    newest = _all(
        db_url, "SELECT url, published_at FROM search_articles('sanctions', max_results => 5)"
    )
    assert len(newest) == 5
    assert "https://tass.example/x/1" not in {url for url, _ in newest}  # 1,099 newer matches
    assert min(p for _, p in newest).isoformat() >= "2020-01-03"
    early = _all(
        db_url,
        "SELECT url FROM search_articles('sanctions', '2020-01-01', '2020-01-05', 5)",
    )
    assert early[0] == ("https://tass.example/x/1",)  # the headline match ranks first
    assert (
        len(_all(db_url, "SELECT 1 FROM search_articles('sanctions', max_results => 2000)")) == 1100
    )


def _populated(db_url: str, view: str) -> bool:
    return _one(db_url, "SELECT ispopulated FROM pg_matviews WHERE matviewname = %s", (view,))[0]


def test_refresh_populates_a_view_that_never_was(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    with psycopg.connect(db_url) as conn:
        conn.execute("REFRESH MATERIALIZED VIEW dprk_speakers WITH NO DATA")
    assert not _populated(db_url, "dprk_speakers")

    refresh_views(db_url)  # a concurrent refresh of an unpopulated view would fail

    assert _populated(db_url, "dprk_speakers")
    speakers = {k for (k,) in _all(db_url, "SELECT speaker_key FROM dprk_speakers")}
    assert "kim_hyong_jun" in speakers


def test_analysts_read_views_while_they_are_refreshed(db_url: str, site_settings: Settings) -> None:
    pipeline.ingest_window(db_url, site_settings, DPRK_2017)
    refresh_views(db_url)
    before = _one(db_url, "SELECT count(*) FROM dprk_articles")[0]
    assert before >= 3
    with psycopg.connect(db_url) as conn:
        conn.execute("DELETE FROM articles")
    refreshing = psycopg.connect(db_url)
    try:
        # The refresh's transaction stays open: its locks are held until it commits.
        refreshing.execute("SELECT refresh_analyst_views()")
        with psycopg.connect(db_url, autocommit=True) as reader:
            reader.execute("SET lock_timeout = '2s'")
            during = [
                reader.execute(f"SELECT count(*) FROM {view}").fetchone()[0]
                for view in ("dprk_articles", "daily_coverage", "dprk_co_mentions", "dprk_speakers")
            ]
        assert during[0] == before  # the last committed contents, not blocked
        refreshing.commit()
    finally:
        refreshing.close()
    assert _one(db_url, "SELECT count(*) FROM dprk_articles")[0] == 0
