"""The entity matcher: aliases, false friends, datelines, Russian inflection, gold set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from newswire.analysis.entities import (
    article_mentions,
    expand_alias,
    find_entities,
    load_dictionary,
)

GOLD = Path(__file__).parents[1] / "data" / "entity_gold.json"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("South Korea says Seoul will not build nuclear arms", {"south_korea"}),
        ("The Democratic People's Republic of Korea rejects the claim", {"dprk"}),
        ("The Republic of Korea and Japan held talks", {"south_korea", "japan"}),
        ("Missiles fell into the Sea of Japan", {"sea_of_japan"}),
        ("Russian-North Korean relations are developing", {"russia", "dprk"}),
        ("Tensions on the Korean Peninsula rise", {"korean_peninsula"}),
        ("Kim Jong Un met Putin in Pyongyang", {"kim_jong_un", "putin", "dprk"}),
        ("Let us talk about it", set()),
        ("US and U.S. forces", {"united_states"}),
        (
            "Russia's Security Council Secretary Shoigu",
            {"russia", "russian_security_council", "shoigu"},
        ),
        ("The UN Security Council adopted a resolution", {"unsc"}),
    ],
)
def test_english_aliases_and_false_friends(text: str, expected: set[str]) -> None:
    assert find_entities(text, "en") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Делегация прибыла в Пхеньян", {"dprk"}),
        ("Переговоры прошли в Пхеньяне", {"dprk"}),
        ("Посол Пхеньяна в Москве", {"dprk", "russia"}),
        ("Отношения России и КНДР", {"russia", "dprk"}),
        ("Сотрудничество с Россией и Северной Кореей", {"russia", "dprk"}),
        ("Южная Корея и Япония", {"south_korea", "japan"}),
        ("Путину доложили о встрече", {"putin"}),
        ("Бюро исполкома РФС приняло решение", set()),
    ],
)
def test_russian_inflections(text: str, expected: set[str]) -> None:
    assert find_entities(text, "ru") == expected


def test_dateline_place_is_not_a_mention() -> None:
    assert find_entities("MOSCOW, December 26. /TASS/. The talks went well.", "en") == set()
    assert find_entities("МОСКВА, 30 марта. /ТАСС/. Заседание прошло.", "ru") == set()
    assert find_entities("MOSCOW, December 26. /TASS/. Moscow is ready.", "en") == {"russia"}


def test_article_mentions_count_and_positions() -> None:
    mentions = article_mentions(
        "Putin meets Kim Jong Un",
        "Moscow and Pyongyang sign a treaty",
        "MOSCOW, June 19. /TASS/. Russia and the DPRK signed it.\n\nRussia welcomed it.",
        "en",
    )
    assert mentions["russia"].count == 3 and mentions["russia"].in_lead
    assert not mentions["russia"].in_headline
    assert mentions["putin"].in_headline and mentions["dprk"].count == 2


def test_alias_expansion() -> None:
    assert expand_alias("Пхеньян{|а|е}") == ["Пхеньян", "Пхеньяна", "Пхеньяне"]


def test_dictionary_covers_the_required_entities() -> None:
    keys = {e.key for e in load_dictionary()[0]}
    assert {
        "dprk",
        "russia",
        "kim_jong_un",
        "choe_son_hui",
        "putin",
        "lavrov",
        "shoigu",
        "united_states",
        "china",
        "south_korea",
        "japan",
        "ukraine",
        "unsc",
        "korean_peninsula",
    } <= keys


def test_gold_set_dprk_and_russia_meet_targets() -> None:
    items = json.loads(GOLD.read_text("utf-8"))["items"]
    assert len(items) >= 200 and sum(i["language"] == "ru" for i in items) >= 30
    for key in ("dprk", "russia"):
        tp = fp = fn = 0
        for item in items:
            found = key in find_entities(item["text"], item["language"])
            wanted = key in item["expected"]
            tp += found and wanted
            fp += found and not wanted
            fn += wanted and not found
        assert tp / (tp + fp) >= 0.98, key
        assert tp / (tp + fn) >= 0.98, key


def test_gold_set_people_meet_targets() -> None:
    kinds = {e.key: e.kind for e in load_dictionary()[0]}
    items = json.loads(GOLD.read_text("utf-8"))["items"]
    tp = fp = fn = 0
    for item in items:
        found = {k for k in find_entities(item["text"], item["language"]) if kinds[k] == "person"}
        wanted = set(item["persons"])
        tp, fp, fn = tp + len(found & wanted), fp + len(found - wanted), fn + len(wanted - found)
    assert tp >= 90  # people named in both languages, labelled by reading
    assert tp / (tp + fp) >= 0.95 and tp / (tp + fn) >= 0.90
