"""The compiled layout selectors pick exactly what the CSS engine (soupsieve) picks."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from newswire.parse import FALLBACK, LAYOUTS
from newswire.parse.select import compile_selector, find_tags, iter_tags
from newswire.parse.tree import html_tree

from tests.gold.gold import load_gold

SELECTORS = sorted(
    {
        s
        for layout in (*LAYOUTS, FALLBACK)
        for s in (layout.headline, layout.lead, layout.paragraphs, layout.exclude,
                  layout.unix_time, layout.printed_date, layout.tags)
        if s
    }
    | {"article p, main p", "div > p", "div p span", "[class^=news]", "p[itemprop=x]"}
)  # fmt: skip
TAGS = ["div", "p", "h1", "span", "article", "main", "aside", "figure", "dateformat", "script"]
CLASSES = [
    "news", "news-header__title", "news-header__lead", "text-block", "text-content",
    "also-read", "b-material__title b-material__preview", "b-material-incut",
    "b-material-text__l js-mediator-article", "Paragraph_paragraph__x1", "InlineRead_a",
    "NewsHeader_title__z", "Tags_tag__q", "  news\ttext-block  ", "NEWS", "x news-media",
]  # fmt: skip
ATTRS = [
    ' time="1"',
    " time",
    ' itemprop="description"',
    ' itemprop="description\n"',
    ' ITEMPROP="x"',
]


def _same_as_soupsieve(soup: BeautifulSoup) -> None:
    for selector in SELECTORS:
        compiled = compile_selector(selector)
        assert [id(t) for t in compiled.select(soup)] == [id(t) for t in soup.select(selector)]
        assert compiled.select_one(soup) is soup.select_one(selector)
    for layout in LAYOUTS:
        excluded = {id(n) for n in soup.select(layout.exclude)}
        expected = [
            n
            for n in soup.select(layout.paragraphs)
            if id(n) not in excluded and not any(id(p) in excluded for p in n.parents)
        ]
        paragraphs = compile_selector(layout.paragraphs)
        found = [t for t in iter_tags(soup, skip=compile_selector(layout.exclude))
                 if paragraphs.matches(t)]  # fmt: skip
        assert found == expected, layout.name
        skip = compile_selector(layout.exclude)
        assert find_tags(soup, paragraphs.matches, skip=skip) == expected, layout.name


@pytest.mark.parametrize("page", [p for p in load_gold() if p.expected], ids=lambda p: p.name)
def test_gold_pages_select_alike(page) -> None:
    _same_as_soupsieve(BeautifulSoup(page.html.decode("utf-8", "replace"), "lxml"))


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth < 5 and draw(st.booleans()):
            tag = draw(st.sampled_from(TAGS))
            attrs = f' class="{draw(st.sampled_from(CLASSES))}"' if draw(st.booleans()) else ""
            attrs += draw(st.sampled_from(ATTRS)) if draw(st.booleans()) else ""
            closing = "" if draw(st.integers(0, 5)) == 0 else f"</{tag}>"
            parts.append(f"<{tag}{attrs}>{draw(fragments(depth + 1))}{closing}")
        else:
            parts.append(draw(st.sampled_from(["t", " ", "MOSCOW. text"])))
    return "".join(parts)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fragments())
def test_random_trees_select_alike(fragment: str) -> None:
    _same_as_soupsieve(BeautifulSoup(f"<html><body>{fragment}</body></html>", "lxml"))
    assert str(html_tree(fragment)) == str(BeautifulSoup(fragment, "lxml"))


@pytest.mark.parametrize("selector", ["p:not(.x)", "a + b", "#id", "p::before", "a ~ b", ""])
def test_unsupported_selectors_fail_when_compiled(selector: str) -> None:
    with pytest.raises(ValueError):
        compile_selector(selector)


def test_tree_builder_recovers_after_a_failed_document() -> None:
    with pytest.raises(UnicodeEncodeError):
        html_tree("<p>\ud800</p>")
    assert str(html_tree("<p>after</p>")) == "<html><body><p>after</p></body></html>"
