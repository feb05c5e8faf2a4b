"""Every tass.ru layout parser over pages rendered from every Russian fixture text.

The expected fields come from the fixture record (the real text), never from a parser,
so a layout that loses a paragraph, a dateline or an hour of time zone fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from newswire.models import ArticleRef
from newswire.parse import parse_article
from newswire.parse.tass_ru_ids import TASS_RU_ID_ANCHORS

from devtools.testsite import expected_article, load_fixture_articles
from devtools.testsite.layouts import (
    render_b_material_page,
    render_tass_ru_2019_page,
    render_tass_ru_next_page,
)
from devtools.testsite.pages import ArticleRecord

BASE = "https://tass.ru"
RECORDS = load_fixture_articles("ru")

Render = Callable[[ArticleRecord], bytes]
RENDERS: dict[str, tuple[str, Render]] = {
    "b_material": ("b_material_2016", lambda r: render_b_material_page(r, BASE, language="ru")),
    # Only the printed "30 марта, 10:15": the year comes from tass.ru's id series.
    "b_material_printed_date_only": (
        "b_material_2016",
        lambda r: render_b_material_page(r, BASE, language="ru", publish_date_meta=False),
    ),
    "news_header": ("tass_ru_2019", lambda r: render_tass_ru_2019_page(r, BASE)),
    "news_header_no_ld": (
        "tass_ru_2019",
        lambda r: render_tass_ru_2019_page(r, BASE, json_ld=False),
    ),
    "next": (
        "tass_ru_next_2025",
        lambda r: render_tass_ru_next_page(r, BASE, state_shape="data", tags=("КНДР",)),
    ),
    # Dates only in __NEXT_DATA__, written without a zone in Moscow wall time.
    "next_no_ld": (
        "tass_ru_next_2025",
        lambda r: render_tass_ru_next_page(r, BASE, state_shape="data", json_ld=False),
    ),
}


def test_the_fixture_set_spans_every_russian_source() -> None:
    years = {r.published.year for r in RECORDS}
    assert len(RECORDS) >= 100
    assert {2012, 2014, 2016, 2018, 2019, 2020} <= years
    assert len({r.external_id for r in RECORDS}) == len(RECORDS)


@pytest.mark.parametrize("variant", sorted(RENDERS))
def test_every_field_of_every_russian_text(variant: str) -> None:
    method, render = RENDERS[variant]
    wrong: list[str] = []
    printed_only = variant == "b_material_printed_date_only"
    for record in RECORDS:
        if printed_only and record.external_id < TASS_RU_ID_ANCHORS[0][0]:
            continue  # an id older than every known one (estimated for a 2012 text)
        ref = ArticleRef("tass.ru", record.external_id, BASE + record.path, record.section)
        article = parse_article(render(record), ref)
        want = expected_article(record)
        if printed_only:  # the printed time has minutes only
            want["published_at"] = record.published.replace(second=0).astimezone(UTC).isoformat()
        got = {
            "headline": article.headline,
            "lead": article.lead,
            "dateline": article.dateline,
            "body": article.body,
            "published_at": article.published_at.isoformat(),
        }
        want_fields = {k: want[k] for k in got}
        want_fields["published_at"] = datetime.fromisoformat(want["published_at"]).isoformat()
        for field, value in got.items():
            if value != want_fields[field]:
                wrong.append(
                    f"{record.external_id} {field}: {value!r:.80} != {want_fields[field]!r:.80}"
                )
        if (article.language, article.extraction_method) != ("ru", method):
            wrong.append(f"{record.external_id}: {article.language} {article.extraction_method}")
    assert not wrong, "\n".join(wrong[:10])


def test_russian_datelines_are_read() -> None:
    """Every Russian form: the plain tag, a correspondent credit, no place, none at all."""
    render = RENDERS["next"][1]
    places = {}
    for record in RECORDS:
        ref = ArticleRef("tass.ru", record.external_id, BASE + record.path, record.section)
        places[record.external_id] = parse_article(render(record), ref).dateline
    assert places[6757072] == "СЕУЛ"  # "СЕУЛ, 13 августа. /ТАСС/."
    assert places[1477863] == "МОСКВА"  # "/Корр. ТАСС Сергей Изотов/."
    assert places[3009780] == "СЕУЛ"  # "/Корр. ТАСС Станислав Варивода/."
    assert places[6751577] is None  # "ТАСС, 10 августа." names no place
    assert places[5330387] is None  # the collector stripped it
    assert sum(1 for place in places.values() if place) >= 60
