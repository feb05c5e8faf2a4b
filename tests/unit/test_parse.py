"""The layout picker and the shared extraction rules, on small hand-made pages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from newswire.models import ArticleRef, ExtractionError, ExtractionReason
from newswire.parse import parse_article

from devtools.testsite.layouts import render_b_material_page, render_tass_ru_next_page
from devtools.testsite.pages import ArticleRecord, expected_article, render_article_page
from devtools.testsite.server import load_fixture_articles

REF = ArticleRef("tass.com", 1894093, "https://tass.com/politics/1894093", "politics")
BODY = "<p>MOSCOW, December 26. /TASS/. Lavrov spoke on Thursday.</p><p>Second one.</p>"


def page(head: str = "", article: str = "", lang: str = "en") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
        f'<div class="news"><h1 class="news-header__title">Lavrov on Syria</h1>'
        f'<div class="news-header__lead">The lead</div>{article}'
        f'<div class="text-content"><div class="text-block">{BODY}</div></div></div>'
        "<footer>f</footer></body></html>"
    ).encode()


LD = (
    '<script type="application/ld+json">{"@type":"NewsArticle","headline":"H",'
    '"datePublished":"2024-12-26T21:00:00+03:00","dateModified":"2024-12-26T22:00:00+03:00"}'
    "</script>"
)
DATEFORMAT = '<dateformat time="1735236000">December 26, 2024</dateformat>'  # 18:00 UTC
PUBLISH_META = '<meta name="publish_date" content="2024-12-26T23:00:00+03:00">'


def test_published_at_precedence() -> None:
    both = parse_article(page(LD + PUBLISH_META, DATEFORMAT), REF)
    assert both.published_at == datetime(2024, 12, 26, 18, 0, tzinfo=UTC)
    assert both.modified_at == datetime(2024, 12, 26, 19, 0, tzinfo=UTC)
    no_ld = parse_article(page(PUBLISH_META, DATEFORMAT.replace("1735236000", "1735239600")), REF)
    assert no_ld.published_at == datetime(2024, 12, 26, 19, 0, tzinfo=UTC)
    meta_only = parse_article(page(PUBLISH_META), REF)
    assert meta_only.published_at == datetime(2024, 12, 26, 20, 0, tzinfo=UTC)
    with pytest.raises(ExtractionError) as caught:
        parse_article(page(), REF)
    assert caught.value.reason is ExtractionReason.NO_PUBLISHED_AT


def test_fields_of_the_current_layout() -> None:
    article = parse_article(page(LD), REF)
    assert article.headline == "Lavrov on Syria"  # the page's h1 wins over JSON-LD
    assert article.lead == "The lead"
    assert article.dateline == "MOSCOW"
    assert article.body == "MOSCOW, December 26. /TASS/. Lavrov spoke on Thursday.\n\nSecond one."
    assert article.word_count == 10
    assert (article.extraction_method, article.language) == ("tass_com_2022", "en")


def test_russian_page_of_the_same_classes_is_tass_ru_2019() -> None:
    ref = ArticleRef("tass.ru", 8110843, "https://tass.ru/politika/8110843", "politika")
    article = parse_article(page(LD, lang="ru"), ref)
    assert article.extraction_method == "tass_ru_2019"


def test_a_stylesheet_naming_a_class_does_not_pick_its_layout() -> None:
    decoy = "<style>.news-header__title{color:red}.b-material__title{x:y}</style>"
    html = page(decoy + LD).replace(b"news-header__title", b"headline")
    html = html.replace(b"headline{color", b"news-header__title{color")
    article = parse_article(html, REF)
    assert article.extraction_method == "generic"


def test_og_title_fallback_drops_the_site_suffix() -> None:
    title = "Lavrov on Syria - Russian Politics &amp; Diplomacy - TASS"
    head = f'<meta property="og:title" content="{title}">'
    html = page(head + PUBLISH_META).replace(b"Lavrov on Syria</h1>", b"</h1>")
    assert parse_article(html, REF).headline == "Lavrov on Syria"


def test_missing_region_end_falls_back_to_the_whole_page() -> None:
    html = page(LD).replace(b'<div class="news">', b'<div class="news-wrap">')
    article = parse_article(html, REF)
    assert article.headline == "Lavrov on Syria"


def test_test_site_pages_read_back_exactly() -> None:
    """The local test site serves the current layout; every fixture page reads back."""
    records = load_fixture_articles("en")
    for record in records:
        html = render_article_page(record, "http://127.0.0.1:1", also_read=records[0])
        ref = ArticleRef("tass.com", record.external_id, "http://x" + record.path, record.section)
        article = parse_article(html, ref)
        expected = expected_article(record)
        assert article.headline == expected["headline"]
        assert article.lead == expected["lead"]
        assert article.body == expected["body"]
        assert article.dateline == expected["dateline"]
        assert article.published_at.isoformat() == expected["published_at"]


def _dprk() -> ArticleRecord:
    return next(r for r in load_fixture_articles("en") if r.external_id == 970345)


def test_b_material_year_comes_from_the_id_when_the_page_has_no_other_date() -> None:
    record = _dprk()
    html = render_b_material_page(record, "https://tass.com", publish_date_meta=False)
    ref = ArticleRef("tass.com", 970345, "http://tass.com/world/970345", "world")
    article = parse_article(html, ref)
    assert article.published_at == datetime(2017, 10, 12, 17, 40, tzinfo=UTC)  # 20:40 UTC+3
    assert article.extraction_method == "b_material_2016"
    # on a source without id anchors: no year, so no date rather than a guess
    other_ref = ArticleRef("tass.example", 970345, "https://tass.example/world/970345", "world")
    with pytest.raises(ExtractionError) as caught:
        parse_article(html, other_ref)
    assert caught.value.reason is ExtractionReason.NO_PUBLISHED_AT


def test_tass_ru_b_material_year_comes_from_tass_ru_ids() -> None:
    """`9 августа, 05:56` with no other date: tass.ru's own ids say 2019, not tass.com's."""
    record = next(r for r in load_fixture_articles("ru") if r.external_id == 6747431)
    html = render_b_material_page(record, "https://tass.ru", language="ru", publish_date_meta=False)
    ref = ArticleRef("tass.ru", record.external_id, "https://tass.ru" + record.path, record.section)
    article = parse_article(html, ref)
    assert article.published_at == record.published.replace(second=0).astimezone(UTC)
    assert article.language == "ru"


def test_next_layout_survives_a_new_build_hash() -> None:
    record = load_fixture_articles("ru")[0]
    ref = ArticleRef("tass.ru", record.external_id, "https://tass.ru" + record.path, record.section)
    results = [
        parse_article(
            render_tass_ru_next_page(record, "https://tass.ru", build=b, tags=("A",)), ref
        )
        for b in ("aaaa", "Q7zz")
    ]
    assert results[0] == results[1]
    assert results[0].tags == ("A",)
    assert results[0].published_at == record.published.astimezone(UTC)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", ExtractionReason.EMPTY),
        (b"\x89PNG\r\n\x1a\n", ExtractionReason.NOT_HTML),
        (b"just words, no markup", ExtractionReason.NOT_HTML),
        (b'<?xml version="1.0"?><rss><channel></channel></rss>', ExtractionReason.NOT_HTML),
        (
            b"<html><head><title>Just a moment</title></head><body>Please enable JavaScript"
            b"<script>setTimeout(function(){location.reload()},3000)</script></body></html>",
            ExtractionReason.CHALLENGE,
        ),
        (
            b"<html><body><h1>404</h1><p>Not found</p></body></html>",
            ExtractionReason.NOT_FOUND_PAGE,
        ),
        (page(LD)[:-400], ExtractionReason.TRUNCATED),
        (b"<html><body><div>nothing here</div></body></html>", ExtractionReason.NO_HEADLINE),
    ],
)
def test_bad_pages_raise_their_reason(body: bytes, reason: ExtractionReason) -> None:
    with pytest.raises(ExtractionError) as caught:
        parse_article(body, REF)
    assert caught.value.reason is reason
