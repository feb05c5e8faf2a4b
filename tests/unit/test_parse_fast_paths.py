"""The parser's fast paths give exactly what the plain ways they replace give.

Each shortcut taken for speed (issue #14) is compared here with the slow, obvious form
it stands in for, on the gold pages, on every real TASS opening we hold and on generated
input, so a shortcut can never change an article.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from newswire.parse import FALLBACK, LAYOUTS
from newswire.parse.common import clean, find_tag
from newswire.parse.markers import ClassMarker, class_prefix, has_class
from newswire.parse.tree import html_tree

from tests.gold.gold import load_gold

OPENINGS = Path(__file__).resolve().parent.parent / "data" / "real_openings.json.gz"
# What `clean` did before it used str.split(): the definition it must keep.
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200b\ufeff]+")
_AWKWARD = ["a", "б", " ", "\t", "\n", "\r", "\u00a0", "\u2009", "\u202f", "\u200b", "\ufeff",
            "\x1c", "\x85", "\u2028", "\u3000", "\u180e", "&nbsp;"]  # fmt: skip


def _clean_by_regex(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def test_clean_treats_every_character_as_the_regex_does() -> None:
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        for text in (char, f"a{char}b", f" {char}{char} "):
            assert clean(text) == _clean_by_regex(text), hex(code)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_AWKWARD) | st.text(max_size=3)).map("".join))
def test_clean_of_mixed_spaces_matches_the_regex(text: str) -> None:
    assert clean(text) == _clean_by_regex(text)


def test_clean_of_every_real_opening_and_gold_page_matches_the_regex() -> None:
    with gzip.open(OPENINGS, "rt", encoding="utf-8") as raw:
        texts = [record[3] for record in json.load(raw)]
    texts += [page.html.decode("utf-8", "replace") for page in load_gold()]
    assert len(texts) > 16_000
    for text in texts:
        assert clean(text) == _clean_by_regex(text)
    assert clean(None) == clean("") == ""


def _shape(node: Tag) -> list[tuple[object, ...]]:
    """Every node in document order with its type, name, attributes and text."""
    return [
        (type(n).__name__, str(n))
        if isinstance(n, NavigableString)
        else (type(n).__name__, n.name, n.prefix, n.namespace, sorted(n.attrs.items()))
        for n in node.descendants
    ]


def _same_tree(markup: str) -> None:
    fast, plain = html_tree(markup), BeautifulSoup(markup, "lxml")
    assert _shape(fast) == _shape(plain)
    assert str(fast) == str(plain)


@pytest.mark.parametrize("page", load_gold(), ids=lambda p: p.name)
def test_tree_of_a_whole_gold_page_is_the_plain_beautifulsoup_tree(page) -> None:
    _same_tree(page.html.decode("utf-8", "replace"))


@pytest.mark.parametrize(
    "markup",
    [
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:og="http://ogp.me/ns#"><p>x</p>',
        '<svg xmlns:xlink="http://www.w3.org/1999/xlink"><use xlink:href="#a"/></svg><p>y</p>',
        '<div {x}y="1" class=" a  b\tc ">z</div><p class="">w</p>',
        "<p>a<!-- note --><br>b</p><pre>\n  kept  </pre><script>if (a < b) {}</script>",
        '<meta charset="utf-8"><p rel="a b" headers="c d">\n \n</p>',
    ],
)
def test_tree_with_namespaces_and_odd_attributes_is_the_plain_tree(markup: str) -> None:
    _same_tree(markup)


def _marker_find_step_by_step(marker: ClassMarker, text: str, start: int = 0) -> int:
    """ClassMarker.find as first written: every occurrence of the name tested in Python."""
    at = text.find(marker.name, start)
    while at >= 0:
        end = at + len(marker.name)
        before = text[at - 1] if at else ""
        bounded = (before in ('"', "'") or before.isspace()) and (
            marker.prefix or text[end : end + 1] in (" ", '"', "'", "\t", "\n")
        )
        if bounded and _class_value_by_regex(text, at):
            return at
        at = text.find(marker.name, end)
    return -1


def _class_value_by_regex(text: str, at: int) -> bool:
    window = max(0, at - 4096)
    tag_open = text.rfind("<", window, at)
    return (
        tag_open >= 0
        and tag_open > text.rfind(">", window, at)
        and re.compile(r"""\bclass\s*=\s*["'](?:[^"'>]*\s)?$""").search(text, tag_open, at)
        is not None
    )


MARKERS = sorted(
    {m for layout in (*LAYOUTS, FALLBACK) for m in (layout.marker, layout.region_start)
     if isinstance(m, ClassMarker)} | {has_class("news"), class_prefix("news")},
    key=repr,
)  # fmt: skip


@pytest.mark.parametrize("page", load_gold(), ids=lambda p: p.name)
def test_class_markers_are_found_where_the_step_by_step_search_finds_them(page) -> None:
    text = page.html.decode("utf-8", "replace")
    for marker in MARKERS:
        for start in (0, 1, len(text) // 2):
            assert marker.find(text, start) == _marker_find_step_by_step(marker, text, start)


_MARKUP_BITS = ["news", "news-x", "<div ", "<p", ">", "class", "CLASS", "=", " = ", '"', "'",
                " ", "\t", "\n", "\u00a0", "\u3000", "x", "/", ":", "{", "data-class="]  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_MARKUP_BITS), max_size=30).map("".join), st.integers(0, 40))
def test_class_markers_in_generated_markup_match_the_step_by_step_search(
    text: str, start: int
) -> None:
    for marker in (has_class("news"), class_prefix("news")):
        assert marker.find(text, start) == _marker_find_step_by_step(marker, text, start)


@pytest.mark.parametrize(
    "text",
    [
        '<div class="news">',
        "<div class" + " " * 300 + '= "news">',
        '<div class="' + " " * 300 + ' news">',
        "<div class =" + "\n" * 300 + "'news'>",
        '<script>{"type":"news"}</script><div class="a news">',
        '<div data-class="news"><p class="b" title="news">',
    ],
)
def test_class_markers_behind_long_runs_of_spaces(text: str) -> None:
    marker = has_class("news")
    assert marker.find(text) == _marker_find_step_by_step(marker, text)


_TAG_BITS = ["<", "<meta", "</head>", "</head", "<me", "x", ">", "é", "<<"]


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(st.sampled_from(_TAG_BITS), max_size=200).map("".join),
    st.sampled_from(["<meta", "</head>", "<", "<<m"]),
    st.integers(0, 400),
    st.none() | st.integers(0, 400),
)
def test_find_tag_finds_what_str_find_finds(text: str, needle: str, start: int, end) -> None:
    assert find_tag(text, needle, start, end) == text.find(needle, start, end)


def test_find_tag_past_many_tags_and_in_gold_pages() -> None:
    many = "<p>" * 500 + "<meta x>"
    assert find_tag(many, "<meta") == many.find("<meta")
    for page in load_gold():
        text = page.html.decode("utf-8", "replace")
        for needle in ("</head>", "<meta", "<body", "</html>"):
            assert find_tag(text, needle) == text.find(needle)
