"""Every field of every gold page, exactly; and every bad page refused for its reason."""

from __future__ import annotations

from collections import Counter

import pytest
from newswire.models import ExtractionError
from newswire.parse import parse_article

from tests.gold.gold import GoldPage, actual_fields, load_gold

GOLD = load_gold()


def test_gold_set_covers_every_layout() -> None:
    layouts = Counter(page.layout for page in GOLD if page.expected is not None)
    assert len([p for p in GOLD if p.expected is not None]) >= 60
    for name in (
        "tass_com_2022",
        "b_material_2016",
        "tass_ru_2019",
        "tass_ru_next_2025",
        "generic",
    ):
        assert layouts[name] >= 5, (name, layouts)
    refused = {page.error for page in GOLD if page.error}
    assert refused >= {
        "empty", "not_html", "challenge_page", "not_found_page", "truncated", "no_headline",
        "no_body",
    }  # fmt: skip


@pytest.mark.parametrize("page", [p for p in GOLD if p.expected], ids=lambda p: p.name)
def test_every_field_is_exact(page: GoldPage) -> None:
    article = parse_article(page.html, page.ref)
    assert actual_fields(article) == page.expected


@pytest.mark.parametrize("page", [p for p in GOLD if p.error], ids=lambda p: p.name)
def test_bad_page_is_refused_with_its_reason(page: GoldPage) -> None:
    with pytest.raises(ExtractionError) as caught:
        parse_article(page.html, page.ref)
    assert caught.value.reason.value == page.error
