"""The knowledge base: its data is valid, Russian case forms match, titles resolve to the
holder on the day, and people the base does not know are found."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from newswire.analysis import knowledge
from newswire.analysis.entities import (
    find_entities,
    holder_of,
    matcher,
    resolve_person,
    russian_forms,
    unknown_persons,
)
from newswire.analysis.knowledge import KnowledgeError, load_knowledge


def test_the_committed_data_is_valid_and_large_enough() -> None:
    kb = load_knowledge()
    kinds = Counter(e.kind for e in kb.entities)
    assert len(kb.entities) >= 400
    assert kinds["person"] >= 150 and kinds["organisation"] >= 80 and kinds["region"] >= 80
    for e in kb.entities:
        assert e.aliases["en"] and e.aliases["ru"], e.key
    # No name leads to two entities (the matcher would have to guess).
    for language in ("en", "ru"):
        assert matcher(language).conflicts == []


def test_every_role_bound_is_a_real_date_and_ordered() -> None:
    for e in load_knowledge().entities:
        for r in e.roles:
            if r.start and r.end:
                assert r.start.first <= r.end.last, e.key


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"key": "Bad Key", "en": ["x"], "ru": ["х"]}, "lower_snake_case"),
        ({"key": "x", "en": ["x"]}, "English and Russian"),
        (
            {"key": "x", "en": ["x"], "ru": ["х"], "roles": [{"role": "leader", "from": "2024"}]},
            "YYYY-MM-DD",
        ),
        (
            {
                "key": "x",
                "en": ["x"],
                "ru": ["х"],
                "roles": [{"role": "leader", "from": "2024-05-02", "until": "2024-05-01"}],
            },
            "starts after it ends",
        ),
    ],
)
def test_malformed_entries_are_refused(item: dict, message: str) -> None:
    with pytest.raises(KnowledgeError, match=message):
        knowledge._entity(item, "person")


def test_validation_refuses_unknown_countries_and_roles() -> None:
    kb = load_knowledge()
    bad = knowledge._entity(
        {"key": "ghost", "en": ["Ghost"], "ru": ["Призрак"], "country": "atlantis"}, "person"
    )
    with pytest.raises(KnowledgeError, match="unknown country"):
        knowledge.validate(
            knowledge.KnowledgeBase(
                kb.version, kb.digest, (*kb.entities, bad), kb.blockers, kb.role_titles, kb.former
            )
        )
    bad = knowledge._entity(
        {"key": "ghost", "en": ["Ghost"], "ru": ["Призрак"], "roles": [{"role": "pharaoh"}]},
        "person",
    )
    with pytest.raises(KnowledgeError, match="no titles"):
        knowledge.validate(
            knowledge.KnowledgeBase(
                kb.version, kb.digest, (*kb.entities, bad), kb.blockers, kb.role_titles, kb.former
            )
        )


def test_countries_come_from_iso_tables_in_both_languages() -> None:
    kb = load_knowledge()
    countries = {e.iso_code: e for e in kb.entities if e.kind == "country"}
    assert len(countries) >= 240
    assert countries["KP"].key == "dprk" and countries["RU"].key == "russia"
    # An uncurated country still has its Russian name from the translated tables.
    assert "Боливия" in countries["BO"].aliases["ru"]
    assert find_entities("Делегация Боливии прибыла", "ru") == {"bolivia"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Путин провел переговоры с Ким Чен Ыном", {"putin", "kim_jong_un"}),
        ("Послание Ким Чен Ына было передано", {"kim_jong_un"}),
        ("Ким Чен Ыну вручили письмо", {"kim_jong_un"}),
        ("встреча с Лавровым", {"lavrov"}),
        ("Сергея Лаврова встретили", {"lavrov"}),
        ("переговоры в Пхеньяне", {"dprk"}),
        ("с Чхве Сон Хи", {"choe_son_hui"}),
        ("министром обороны КНДР Но Гван Чхолем", {"dprk", "no_kwang_chol"}),
        ("в Курской области", {"kursk_region"}),
        ("в Приморском крае и во Владивостоке", {"primorye", "vladivostok"}),
        ("сотрудничество с Соединенными Штатами", {"united_states"}),
        ("в Расоне", {"rason"}),
        # "Сон" the name word is not "сон" (sleep), and case forms of common words do not
        # make a name on their own.
        ("Ему приснился сон о Корее", set()),
        # A country name from the ISO tables that is a common word is left out.
        ("Того же мнения придерживается эксперт", set()),
    ],
)
def test_russian_case_forms_match_by_morphology(text: str, expected: set[str]) -> None:
    assert find_entities(text, "ru") == expected


def test_russian_forms_come_from_the_paradigm() -> None:
    assert {"лавровым", "лаврова", "лаврову"} <= russian_forms("Лавров")
    assert {"пхеньяне", "пхеньяна"} <= russian_forms("Пхеньян")
    # A Korean name the dictionary does not know declines like a Russian masculine noun.
    assert {"ына", "ыну", "ыном"} <= russian_forms("Ын")
    assert russian_forms("Хи") == {"хи"}  # ends in a vowel: does not decline


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Jong-un, Kim Jong Un and Kim Jong Un's sister", {"kim_jong_un"}),
        ("Choe Son Hui and Choe Son-hui", {"choe_son_hui"}),
        ("Kim said", set()),  # "Kim" alone is nobody in particular
        ("The Russian Foreign Ministry said", {"russian_mfa", "russia"}),
        ("North Korean troops in the Kursk Region", {"kpa", "dprk", "kursk_region"}),
        ("South Korea and the Korean Peninsula", {"south_korea", "korean_peninsula"}),
        ("No comment from us", set()),
    ],
)
def test_english_spelling_variants_and_possessives(text: str, expected: set[str]) -> None:
    assert find_entities(text, "en") == expected


@pytest.mark.parametrize(
    ("title", "language", "on", "holder"),
    [
        ("Russian Defense Minister", "en", date(2024, 5, 1), "shoigu"),
        ("Russian Defense Minister", "en", date(2024, 6, 1), "belousov"),
        ("министр обороны России", "ru", date(2020, 1, 1), "shoigu"),
        ("главы Минобороны РФ", "ru", date(2025, 1, 1), "belousov"),
        ("Russian Foreign Minister", "en", date(2024, 6, 1), "lavrov"),
        ("глава МИД России", "ru", date(2024, 6, 1), "lavrov"),
        ("DPRK Foreign Minister", "en", date(2021, 3, 1), "ri_son_gwon"),
        ("North Korean Foreign Minister", "en", date(2023, 3, 1), "choe_son_hui"),
        ("the DPRK leader", "en", date(2024, 6, 19), "kim_jong_un"),
        ("the Russian leader", "en", date(2024, 6, 19), "putin"),
        ("Russian Prime Minister", "en", date(2010, 1, 1), "putin"),
        ("Russian Prime Minister", "en", date(2021, 1, 1), "mishustin"),
        ("Russian Ambassador to the DPRK", "en", date(2023, 3, 1), "matsegora"),
        ("посол России в КНДР", "ru", date(2020, 1, 1), "matsegora"),
        ("Kremlin spokesman", "en", date(2025, 1, 1), "peskov"),
        ("Secretary of the Russian Security Council", "en", date(2025, 1, 1), "shoigu"),
        ("US President", "en", date(2024, 1, 1), "joe_biden"),
        ("US President", "en", date(2025, 3, 1), "donald_trump"),
        ("UN Secretary-General", "en", date(2024, 1, 1), "guterres"),
        ("State Duma Speaker", "en", date(2024, 1, 1), "volodin"),
        ("председателя Совета Федерации", "ru", date(2024, 1, 1), "matviyenko"),
        ("глава МЧС России", "ru", date(2010, 1, 1), "shoigu"),
        ("министр по развитию Дальнего Востока России", "ru", date(2019, 1, 1), "alexander_kozlov"),
        ("министра по развитию Дальнего Востока России", "ru", date(2024, 1, 1), "chekunkov"),
        # Nobody: the office was vacant, the title is historic, several hold it at once,
        # or the text names no country.
        ("South Korean President", "en", date(2025, 5, 1), None),
        ("former Russian defense minister", "en", date(2025, 1, 1), None),
        ("Russian Deputy Foreign Minister", "en", date(2023, 3, 1), None),
        ("the Foreign Minister", "en", date(2023, 3, 1), None),
        ("the weather", "en", date(2023, 3, 1), None),
    ],
)
def test_titles_resolve_to_the_holder_on_the_day(
    title: str, language: str, on: date, holder: str | None
) -> None:
    assert holder_of(title, language, on) == holder


def test_resolve_person() -> None:
    assert resolve_person("Sergei Lavrov", "en") == "lavrov"
    assert resolve_person("Сергею Лаврову", "ru") == "lavrov"
    assert resolve_person("Kim Jong-un", "en") == "kim_jong_un"
    assert resolve_person("Kim", "en") is None
    assert resolve_person("Lavrov and Shoigu", "en") is None
    assert resolve_person("North Korea", "en") is None


def test_unknown_english_people_follow_a_title() -> None:
    found = unknown_persons(
        [
            "MOSCOW, May 5. /TASS/. Ambassador Lee Do Hoon met Russian Deputy Foreign"
            " Minister Andrei Rudenko and Deputy Prime Minister Marat Khusnullin on Monday.",
            "President Vladimir Putin thanked Governor Oleg Kozhemyako.",
        ],
        "en",
    )
    assert [(p.surface, p.normalised) for p in found] == [
        ("Lee Do Hoon", "Lee Do Hoon"),
        ("Marat Khusnullin", "Marat Khusnullin"),
    ]


def test_unknown_russian_people_are_normalised_to_the_nominative() -> None:
    found = unknown_persons(
        [
            "Вице-премьер Марат Хуснуллин встретился с Сергеем Лавровым и Ким Чен Ыном."
            " Позже Марата Хуснуллина принял губернатор."
        ],
        "ru",
    )
    assert {p.normalised for p in found} == {"Марат Хуснуллин"}
    assert [p.surface for p in found] == ["Марат Хуснуллин", "Марата Хуснуллина"]


@pytest.mark.parametrize(
    "dateline",
    [
        "MOSCOW, December 25. /TASS Correspondent Irina Skalina/.",
        "MOSCOW, December 20.",
        "МОСКВА, 1 октября. /Корр. ТАСС Сергей Изотов/.",
        "СТРАСБУРГ, 18 апреля. /Корр. ИТАР-ТАСС Илья Баранов/.",
        "ТАСС, 10 августа.",
        "GYEONGJU /Republic of Korea/, October 31. /TASS/.",
    ],
)
def test_datelines_and_credits_are_not_mentions(dateline: str) -> None:
    language = "ru" if any("а" <= c <= "я" for c in dateline.lower()) else "en"
    assert find_entities(f"{dateline} Погода.", language) == set()
    assert unknown_persons([f"{dateline} Text."], language) == []
