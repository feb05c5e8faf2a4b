"""The local TASS test site serves what the pipeline expects of tass.com."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import httpx
import pytest
from bs4 import BeautifulSoup

from devtools.testsite import TassTestSite, TassTestSites, expected_article, load_fixture_articles
from devtools.testsite.pages import ArticleRecord, render_article_page, section_name
from devtools.testsite.server import B_MATERIAL_BEFORE, SITEMAP_HORIZON

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def articles() -> list[ArticleRecord]:
    return load_fixture_articles("en")


@pytest.fixture(scope="module")
def site(articles: list[ArticleRecord]) -> Iterator[TassTestSite]:
    with TassTestSite(articles) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10) as http:
        yield http


def test_fixtures_are_complete_and_consistent(articles: list[ArticleRecord]) -> None:
    ids = [a.external_id for a in articles]
    assert len(ids) == len(set(ids)) >= 250
    korea = re.compile(r"korea|dprk|pyongyang|kim jong", re.IGNORECASE)
    assert sum(1 for a in articles if korea.search(a.headline)) >= 110
    for article in articles:
        assert article.headline and article.lead and article.paragraphs
        assert article.published_at.endswith("+03:00")
        assert article.modified >= article.published
    by_id = {a.external_id: a for a in articles}
    assert by_id[965296].published_at.startswith("2017-09-12")
    assert by_id[970345].published_at == "2017-10-12T20:40:00+03:00"
    assert by_id[995294].published_at == "2018-03-20T19:24:00+03:00"
    assert all(not p.startswith(("All news", "Back to")) for p in by_id[970345].paragraphs)


def test_russian_fixtures_load() -> None:
    russian = load_fixture_articles("ru")
    assert len(russian) >= 100
    assert all(a.headline and a.lead and a.paragraphs for a in russian)
    assert all(a.modified >= a.published for a in russian)
    march_30 = [a for a in russian if "30 марта. /ТАСС/." in a.paragraphs[0]]
    assert len(march_30) >= 15
    assert all(a.published_at.startswith("2020-03-30") for a in march_30)


def test_robots(site: TassTestSite, client: httpx.Client) -> None:
    response = client.get(f"{site.base_url}/robots.txt")
    assert response.status_code == 200
    assert "User-agent: *" in response.text
    assert "Disallow: /search" in response.text
    assert f"Sitemap: {site.base_url}/sitemap.xml" in response.text


def test_rss_lists_the_100_newest(
    site: TassTestSite, client: httpx.Client, articles: list[ArticleRecord]
) -> None:
    response = client.get(f"{site.base_url}/rss/v2.xml")
    assert response.status_code == 200
    items = ElementTree.fromstring(response.content).findall("./channel/item")
    assert len(items) == 100
    dates = []
    for item in items:
        raw = item.findtext("pubDate") or ""
        assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0300", raw), raw
        dates.append(parsedate_to_datetime(raw))
        assert (item.findtext("link") or "").startswith(site.base_url + "/")
        assert item.findtext("title") and item.findtext("description")
        assert item.findtext("category")
    assert dates == sorted(dates, reverse=True)
    newest = sorted(articles, key=lambda a: (a.published, a.external_id), reverse=True)[:100]
    assert set(dates) == {a.published for a in newest}


def _sitemap_locs(site: TassTestSite, client: httpx.Client) -> tuple[list[str], list[str]]:
    index = client.get(f"{site.base_url}/sitemap.xml")
    assert index.status_code == 200
    maps = [
        loc.text or ""
        for loc in ElementTree.fromstring(index.content).findall("sm:sitemap/sm:loc", SITEMAP_NS)
    ]
    locs: list[str] = []
    lastmods: list[str] = []
    for url in maps:
        assert re.fullmatch(re.escape(site.base_url) + r"/sitemap/sitemap_news\d+\.xml", url)
        page = client.get(url)
        assert page.status_code == 200
        for node in ElementTree.fromstring(page.content).findall("sm:url", SITEMAP_NS):
            locs.append(node.findtext("sm:loc", namespaces=SITEMAP_NS) or "")
            lastmods.append(node.findtext("sm:lastmod", namespaces=SITEMAP_NS) or "")
    return locs, lastmods


def test_sitemaps_list_every_article_since_the_horizon_once(
    site: TassTestSite, client: httpx.Client, articles: list[ArticleRecord]
) -> None:
    locs, lastmods = _sitemap_locs(site, client)
    counts = Counter(locs)
    assert all(n == 1 for n in counts.values())
    recent = {site.base_url + a.path for a in articles if a.modified >= SITEMAP_HORIZON}
    assert set(counts) == recent
    # Like tass.com's, the sitemaps begin in 2020-10: the 2017-2018 articles are not in them.
    assert {965296, 970345, 995294}.isdisjoint(int(loc.rsplit("/", 1)[1]) for loc in locs)
    for stamp in lastmods:
        assert stamp.endswith("+03:00")
        datetime.fromisoformat(stamp)


def test_article_page(site: TassTestSite, client: httpx.Client) -> None:
    record = site.article(1894093)
    response = client.get(site.url_for(record))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 50_000 <= len(response.content) <= 150_000
    soup = BeautifulSoup(response.content, "lxml")
    assert soup.select_one("h1.news-header__title").get_text() == record.headline
    assert soup.select_one(".news .news-header__lead").get_text() == record.lead
    assert soup.select_one(".news dateformat")["time"] == str(int(record.published.timestamp()))
    title = soup.find("meta", property="og:title")["content"]
    assert title == f"{record.headline} - {section_name(record.section)} - TASS"
    ld = [
        json.loads(s.string)
        for s in soup.find_all("script", type="application/ld+json")
        if '"NewsArticle"' in (s.string or "")
    ]
    assert ld[0]["datePublished"] == record.published_at
    assert len(soup.select(".text-content > .text-block")) >= 2
    assert soup.select_one(".text-content > .also-read a[href]") is not None


def test_every_page_yields_the_expected_text(site: TassTestSite) -> None:
    """A minimal selector-based read of each page matches expected_article()."""
    for record in site.articles:
        page = site.respond(record.path)
        assert page.status == 200
        assert 50_000 <= len(page.body) <= 150_000, record.external_id
        soup = BeautifulSoup(page.body, "lxml")
        # Articles of 2017-2019 are served in their era's b-material markup.
        old = record.published < B_MATERIAL_BEFORE
        body = ".js-mediator-article > p" if old else ".text-content > .text-block > p"
        title = "h1.b-material__title" if old else "h1.news-header__title"
        paragraphs = [" ".join(p.get_text().split()) for p in soup.select(body)]
        expected = expected_article(record)
        assert "\n\n".join(paragraphs) == expected["body"]
        assert soup.select_one(title).get_text().strip() == expected["headline"]


def test_some_pages_carry_no_break_spaces(site: TassTestSite) -> None:
    glued = [
        r for r in site.articles if b"&nbsp;" in site.respond(r.path).body.split(b"<footer")[0]
    ]
    assert len(glued) > 20


def test_expected_article_fields(articles: list[ArticleRecord]) -> None:
    by_id = {a.external_id: a for a in articles}
    first = expected_article(by_id[1894093])
    assert first["dateline"] == "IGORA /Leningrad Region/"
    assert first["published_at"] == "2024-12-26T18:09:18+00:00"
    assert first["body"].startswith("IGORA /Leningrad Region/, December 26. /TASS/. Russia")
    assert first["section"] == "politics"
    assert expected_article(by_id[965296])["dateline"] == "MOSCOW"


def test_wrong_section_serves_the_article(site: TassTestSite, client: httpx.Client) -> None:
    right = client.get(f"{site.base_url}/politics/1894093")
    wrong = client.get(f"{site.base_url}/sports/1894093")
    assert wrong.status_code == 200
    assert wrong.content == right.content


def test_unknown_id_is_404(site: TassTestSite, client: httpx.Client) -> None:
    response = client.get(f"{site.base_url}/world/1")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert len(response.content) < 2_000
    assert client.get(f"{site.base_url}/no/such/page").status_code == 404


def test_update_article_changes_next_response(articles: list[ArticleRecord]) -> None:
    with TassTestSite(articles) as own, httpx.Client(timeout=10) as http:
        record = own.article(1893923)
        before = http.get(own.url_for(record)).text
        own.update_article(
            record.external_id,
            headline="Revised headline",
            paragraphs=[*record.paragraphs, "An added paragraph."],
            modified_at="2024-12-27T10:00:00+03:00",
        )
        after = http.get(own.url_for(record))
        assert after.text != before
        soup = BeautifulSoup(after.content, "lxml")
        assert soup.select_one("h1.news-header__title").get_text() == "Revised headline"
        last = soup.select(".text-block p")[-1].get_text()
        assert " ".join(last.split()) == "An added paragraph."
        index = ElementTree.fromstring(http.get(f"{own.base_url}/sitemap.xml").content)
        maps = [loc.text or "" for loc in index.findall("sm:sitemap/sm:loc", SITEMAP_NS)]
        sitemap_text = "".join(http.get(url).text for url in maps)
        assert (
            f"<loc>{own.url_for(record)}</loc><lastmod>2024-12-27T10:00:00+03:00</lastmod>"
            in sitemap_text
        )


def test_keep_alive_reuses_the_connection(site: TassTestSite) -> None:
    seen: list[object] = []
    with httpx.Client(timeout=10) as http:
        for _ in range(3):
            response = http.get(f"{site.base_url}/robots.txt")
            stream = response.extensions.get("network_stream")
            seen.append(stream.get_extra_info("client_addr") if stream else None)
    assert response.http_version == "HTTP/1.1"
    assert len(set(seen)) == 1


def test_render_is_deterministic(articles: list[ArticleRecord]) -> None:
    record = articles[0]
    one = render_article_page(record, "http://127.0.0.1:1", year=2026)
    two = render_article_page(record, "http://127.0.0.1:1", year=2026)
    assert one == two


def test_one_class_serves_either_service_side_by_side(client: httpx.Client) -> None:
    with (
        TassTestSite(service="tass.ru") as ru,
        TassTestSite(service="tass.ru", robots="old", ru_markup="current") as ru_today,
        TassTestSite(service="tass.com") as en,
    ):
        assert len({ru.port, ru_today.port, en.port}) == 3
        assert "Disallow: */api/*" in client.get(f"{ru.base_url}/robots.txt").text
        old_rules = client.get(f"{ru_today.base_url}/robots.txt").text
        assert "Disallow: /api\n" in old_rules and "*/api/*" not in old_rules
        rss = ElementTree.fromstring(client.get(f"{ru.base_url}/rss/v2.xml").content)
        assert rss.findtext("./channel/language") == "ru"
        item = rss.find("./channel/item")
        assert item is not None and item.findtext("guid") == item.findtext("link")
        assert re.search(r"[А-Яа-я]", item.findtext("category") or "")

        by_era = Counter(ru.markup_for(r) for r in ru.articles)
        assert by_era["b_material"] >= 4 and by_era["tass_ru_2019"] >= 90
        oldest = min(ru.articles, key=lambda r: r.published)
        assert b"b-material__title" in client.get(ru.url_for(oldest)).content
        today = client.get(ru_today.url_for(oldest)).content
        assert b"__NEXT_DATA__" in today and b'"published_dt"' in today
        # The listing API is a tass.ru thing: tass.com answers 404.
        api = "/tbp/api/v1/content?limit=5&sort=-es_updated_dt"
        listing = client.get(ru.base_url + api).json()["result"]
        assert [i["id"] for i in listing] == [
            r.external_id
            for r in sorted(ru.articles, key=lambda r: (r.modified, r.external_id), reverse=True)
        ][:5]
        assert client.get(en.base_url + api).status_code == 404


def test_both_services_start_and_stop_together(client: httpx.Client) -> None:
    with TassTestSites() as both:
        assert both.com.port != both.ru.port
        com_rss = client.get(f"{both.com.base_url}/rss/v2.xml").text
        ru_rss = client.get(f"{both.ru.base_url}/rss/v2.xml").text
        assert "<language>en</language>" in com_rss and "<language>ru</language>" in ru_rss
        ru_base = both.ru.base_url
    with pytest.raises(httpx.TransportError):
        client.get(f"{ru_base}/robots.txt")


def test_listed_copies_appear_in_the_sitemaps_over_their_span(
    articles: list[ArticleRecord], client: httpx.Client
) -> None:
    start = datetime.fromisoformat("2025-03-01T00:00:00+00:00")
    end = datetime.fromisoformat("2025-05-01T00:00:00+00:00")
    with TassTestSite(articles) as copied:
        unlisted = copied.serve_copies(5, first_id=7_000_000)
        paths = copied.serve_copies(300, first_id=8_000_000, listed_between=(start, end))
        locs, lastmods = _sitemap_locs(copied, client)
        by_path = dict(
            zip((loc.removeprefix(copied.base_url) for loc in locs), lastmods, strict=True)
        )
        assert set(paths) <= set(by_path)
        assert set(unlisted).isdisjoint(by_path)
        stamps = sorted(datetime.fromisoformat(by_path[p]) for p in paths)
        assert start <= stamps[0] < stamps[-1] < end
        # evenly spread: the first and last month each hold about half
        assert sum(s.month == 3 for s in stamps) in range(140, 161)
        page = client.get(copied.base_url + paths[-1])
        assert page.status_code == 200
        assert (
            page.content == client.get(copied.url_for(copied.articles[299 % len(articles)])).content
        )
