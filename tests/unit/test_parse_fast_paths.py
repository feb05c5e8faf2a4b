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
from newswire.parse.common import clean
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
