"""Whatever arrives, parse_article returns a ParsedArticle or raises ExtractionError."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newswire.models import ArticleRef, ExtractionError, ParsedArticle
from newswire.parse import parse_article

REF = ArticleRef("tass.com", 1894093, "https://tass.com/politics/1894093", "politics")
TAGS = ["html", "head", "body", "div", "p", "h1", "span", "script", "article", "main", "meta"]
CLASSES = [
    "news", "news-header__title", "news-header__lead", "text-block", "text-content",
    "b-material__title", "b-material__date", "b-material-text js-mediator-article",
    "Paragraph_paragraph__x1", "NewsHeader_header__y", "NewsHeader_title__z", "also-read",
]  # fmt: skip
TEXTS = st.sampled_from(
    [
        "MOSCOW, September 12. /TASS/. ",
        "МОСКВА, 30 марта. /ТАСС/. ",
        "October 12, 20:40 UTC+3",
        '{"@type":"NewsArticle","datePublished":"2024-12-26T21:00:00+03:00"}',
        '"datePublished":"2099-99-99"',
        "&nbsp;",
        "</html>",
        "<",
        "Please enable JavaScript",
        "404",
    ]
) | st.text(max_size=40)


@st.composite
def html_fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 4 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attrs = ""
            if draw(st.booleans()):
                attrs = f' class="{draw(st.sampled_from(CLASSES))}"'
            if tag == "script" and draw(st.booleans()):
                attrs = ' type="application/ld+json"'
            if tag == "meta":
                name = draw(st.sampled_from(["publish_date", "og:title", "og:image"]))
                attrs = f' name="{name}" property="{name}" content="{draw(TEXTS)}"'
            inner = draw(html_fragments(depth + 1))
            closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"
            parts.append(f"<{tag}{attrs}>{inner}{closing}")
        else:
            parts.append(draw(TEXTS))
    return "".join(parts)


def _outcome(body: bytes) -> None:
    try:
        result = parse_article(body, REF)
    except ExtractionError as exc:
        # the catch-all in parse_article is a safety net, not the way bad input is refused
        assert not exc.detail.startswith("parser error"), exc.detail
        return
    assert isinstance(result, ParsedArticle)
    assert result.headline and result.body and result.published_at.tzinfo is not None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_fragments())
def test_random_html_gives_an_article_or_an_extraction_error(fragment: str) -> None:
    _outcome(f"<!DOCTYPE html><html><body>{fragment}</body></html>".encode())
    _outcome(fragment.encode("utf-8", "surrogatepass"))


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=4096))
def test_random_bytes_give_an_article_or_an_extraction_error(body: bytes) -> None:
    _outcome(body)
    _outcome(b"<html><body>" + body + b"</body></html>")
