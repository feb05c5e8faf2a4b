"""Datelines, printed dates and the year guessed from an article id."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from newswire.models import ArticleRef
from newswire.parse import parse_article
from newswire.parse.dateline import (
    EN_MONTH_NAMES,
    EN_MONTHS,
    RU_MONTH_NAMES,
    RU_MONTHS,
    TASS_COM_ID_ANCHORS,
    date_from_id,
    dateline_span,
    month_number,
    parse_iso,
    split_dateline,
    year_near,
)


@pytest.mark.parametrize(
    ("paragraph", "place", "month", "day"),
    [
        ("MOSCOW, September 12. /TASS/. Pyongyang treats", "MOSCOW", 9, 12),
        (
            "IGORA /Leningrad Region/, December 26. /TASS/. Russia",
            "IGORA /Leningrad Region/",
            12,
            26,
        ),
        ("UNITED NATIONS, March 1. /TASS/. The", "UNITED NATIONS", 3, 1),
        ("МОСКВА, 30 марта. /ТАСС/. Полицейские", "МОСКВА", 3, 30),
    ],
)
def test_split_dateline(paragraph: str, place: str, month: int, day: int) -> None:
    found = split_dateline(paragraph)
    assert found is not None
    assert (found.place, found.month, found.day) == (place, month, day)


def test_no_dateline() -> None:
    assert split_dateline("Russia and North Korea signed a treaty.") is None
    assert split_dateline("MOSCOW, September 42. /TASS/. x") is None


# Real openings of every form (tass.com index 2025-2026, tass.ru texts, collected
# examples), what the dateline says, and the first words of the story after it.
# (opening, place, month, day, credit, agency, label, story)
REAL_FORMS = [
    # correspondent credits
    ("MOSCOW, December 25. /TASS Correspondent Irina Skalina/. On ",
     "MOSCOW", 12, 25, "Irina Skalina", "TASS", None, "On "),
    ("СЕУЛ, 7 марта. /Корр. ТАСС Станислав Варивода/. Республика Корея",
     "СЕУЛ", 3, 7, "Станислав Варивода", "ТАСС", None, "Республика"),
    ("СТРАСБУРГ, 18 апреля. /Корр. ИТАР-ТАСС Илья Баранов/.",
     "СТРАСБУРГ", 4, 18, "Илья Баранов", "ИТАР-ТАСС", None, ""),
    ("ШАНХАЙ, 13 июня. /Корр. ТАСС Иван Каргапольцев/",
     "ШАНХАЙ", 6, 13, "Иван Каргапольцев", "ТАСС", None, ""),
    ("/ Корр.ТАСС Михаил Тимофеев /.", None, None, None, "Михаил Тимофеев", "ТАСС", None, ""),
    ("(By ITAR-TASS correspondent Mikhail Shevtsov)",
     None, None, None, "Mikhail Shevtsov", "ITAR-TASS", None, ""),
    # cut at 60 characters inside the credit: the place stands, the name is not guessed
    ("MOSCOW, January 23. /TASS Correspondent Natalia Kazakovtseva",
     "MOSCOW", 1, 23, None, "TASS", None, ""),
    # no agency tag
    ("MOSCOW, December 20. The explosion that killed a teenager an",
     "MOSCOW", 12, 20, None, None, None, "The explosion"),
    ("Beijing, January 17. Against the backdrop of statements by U",
     "Beijing", 1, 17, None, None, None, "Against"),
    ("МОСКВА, 31 марта. Минобрнауки РФ в связи с пандемией",
     "МОСКВА", 3, 31, None, None, None, "Минобрнауки"),
    ("PHUKET, Thailand, November 26. Russia is taking note of the ",
     "PHUKET, Thailand", 11, 26, None, None, None, "Russia"),
    # no comma, or a full stop, before the month
    ("DALIAN /China/ November 21. /TASS/. The Russian training sai",
     "DALIAN /China/", 11, 21, None, "TASS", None, "The Russian"),
    ("NEW YORK. February 28. /TASS/. Iran has been in close contac",
     "NEW YORK", 2, 28, None, "TASS", None, "Iran"),
    ("TESERO /Italy/. February 13. /TASS/. Russia’s Savely Koroste",
     "TESERO /Italy/", 2, 13, None, "TASS", None, "Russia’s"),
    ("MINSK, November1. /TASS/. Belarus has restricted the movemen",
     "MINSK", 11, 1, None, "TASS", None, "Belarus"),
    ("MOSCOW, December 17th. /TASS/. The United States' idea of ne",
     "MOSCOW", 12, 17, None, "TASS", None, "The United"),
    ("SYDNEY, December 14, /TASS/. The passerby who stopped a terr",
     "SYDNEY", 12, 14, None, "TASS", None, "The passerby"),
    # a country, a state or a region after the city
    ("PHUKET, Thailand, November 26. /TASS/. The project of introd",
     "PHUKET, Thailand", 11, 26, None, "TASS", None, "The project"),
    ("MIAMI, FLORIDA, December 21. /TASS/. Kirill Dmitriev, a repr",
     "MIAMI, FLORIDA", 12, 21, None, "TASS", None, "Kirill"),
    ("IGORA /Leningrad Region/, December 26. /TASS/. Russia could",
     "IGORA /Leningrad Region/", 12, 26, None, "TASS", None, "Russia"),
    ("PATRIOT PARK, /Moscow Region/, October 31. /TASS/. Kalashnik",
     "PATRIOT PARK, /Moscow Region/", 10, 31, None, "TASS", None, "Kalashnik"),
    ("NOVAVYA GOUTA (Belarus), December 16. /TASS/. The Russian an",
     "NOVAVYA GOUTA (Belarus)", 12, 16, None, "TASS", None, "The Russian"),
    ("BANJA LUKA /Bosnia and Herzegovina/, December 8. /TASS/. Onl",
     "BANJA LUKA /Bosnia and Herzegovina/", 12, 8, None, "TASS", None, "Onl"),
    ("MOSCOW/NEW DELHI, December 2. /TASS/. The eastern sea corrid",
     "MOSCOW/NEW DELHI", 12, 2, None, "TASS", None, "The eastern"),
    ("St. PETERSBURG, October 30. /TASS/. The Russian business wil",
     "St. PETERSBURG", 10, 30, None, "TASS", None, "The Russian"),
    # labels
    ("TASS FACTBOX. On February 5, 2026, Rosatom CEO Alexey Likhac",
     None, None, None, None, "TASS", "FACTBOX", "On February"),
    ("TASS-FACTBOX.On the night of December 24-25, Catholics and P",
     None, None, None, None, "TASS", "FACTBOX", "On the night"),
    ("FACTBOX. On October 31, 2025, in response to the 19th packag",
     None, None, None, None, None, "FACTBOX", "On October"),
    ("MOSCOW, FACTBOX. /TASS/. On January 12, 2026, the Russian De",
     "MOSCOW", None, None, None, "TASS", "FACTBOX", "On January"),
    # the old and the business wire's tags
    ("/ИТАР-ТАСС/.", None, None, None, None, "ИТАР-ТАСС", None, ""),
    ("МОСКВА, 21 июня. /БИЗНЕС-ТАСС/.", "МОСКВА", 6, 21, None, "БИЗНЕС-ТАСС", None, ""),
    # no city
    ("ТАСС, 10 августа. Военнослужащие группировки Минобороны",
     None, 8, 10, None, "ТАСС", None, "Военнослужащие"),
    ("TASS. January 18. Russian presidential press secretary Dmitr",
     None, 1, 18, None, "TASS", None, "Russian"),
    ("TASS. Twenty-seven countries across the globe elected their ",
     None, None, None, None, "TASS", None, "Twenty-seven"),
    # the tag misprinted, doubled or followed by a dash
    ("MOSCOW, December 11. /TASS./ Working with Asia-Pacific natio",
     "MOSCOW", 12, 11, None, "TASS", None, "Working"),
    ("HAVANA, January 30. /TASS. Cuba has declared \"an internation",
     "HAVANA", 1, 30, None, "TASS", None, "Cuba"),
    ("ABU DHABI, January 24. TASS/. Members of the Russian delegat",
     "ABU DHABI", 1, 24, None, "TASS", None, "Members"),
    ("MOSCOW, November 11. /TAS/. Kiev has done nothing in the fie",
     "MOSCOW", 11, 11, None, "TASS", None, "Kiev"),
    ("WASHINGTON, November 3. /TA/uPFSS/. US President Donald Trum",
     "WASHINGTON", 11, 3, None, "TASS", None, "US President"),
    ("MOSCOW, December 24. /TASS/. /TASS/. Latvian Foreign Ministe",
     "MOSCOW", 12, 24, None, "TASS", None, "Latvian"),
    ("PETROPAVLOVSK-KAMCHATSKY, December 31. /TASS/ - Russian Pres",
     "PETROPAVLOVSK-KAMCHATSKY", 12, 31, None, "TASS", None, "Russian"),
    # something in front of the dateline
    ("/MOSCOW, December 13. /TASS/. One person was killed and infr",
     "MOSCOW", 12, 13, None, "TASS", None, "One person"),
    ("/update - adds background/ MOSCOW, February 12. /TASS/. Russ",
     "MOSCOW", 2, 12, None, "TASS", None, "Russ"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("opening", "place", "month", "day", "credit", "agency", "label", "story"), REAL_FORMS
)
def test_real_forms(
    opening: str,
    place: str | None,
    month: int | None,
    day: int | None,
    credit: str | None,
    agency: str | None,
    label: str | None,
    story: str,
) -> None:
    found = split_dateline(opening)
    assert found is not None
    assert (found.place, found.month, found.day) == (place, month, day)
    assert (found.credit, found.agency, found.label) == (credit, agency, label)
    assert opening[dateline_span(opening) :].startswith(story)
    assert found.text == opening[: dateline_span(opening)].strip()


@pytest.mark.parametrize(
    ("place", "city", "region"),
    [
        ("PHUKET, Thailand", "PHUKET", "Thailand"),
        ("IGORA /Leningrad Region/", "IGORA", "Leningrad Region"),
        ("PATRIOT PARK, /Moscow Region/", "PATRIOT PARK", "Moscow Region"),
        ("NOVAVYA GOUTA (Belarus)", "NOVAVYA GOUTA", "Belarus"),
        ("MIAMI, FLORIDA", "MIAMI", "FLORIDA"),
        ("MOSCOW/NEW DELHI", "MOSCOW/NEW DELHI", None),
        ("САНКТ-ПЕТЕРБУРГ", "САНКТ-ПЕТЕРБУРГ", None),
    ],
)
def test_city_and_region(place: str, city: str, region: str | None) -> None:
    found = split_dateline(f"{place}, December 2. /TASS/. Text")
    assert found is not None and found.place == place
    assert (found.city, found.region) == (city, region)


@pytest.mark.parametrize(
    "opening",
    [
        # in-text glosses in slashes after the first sentence are not datelines
        "Лидер КНДР Ким Чен Ын получил звание маршала /원수/ северокорейской армии. "
        "Об этом сообщило сегодня Центральное телеграфное агентство Кореи /ЦТАК/.",
        "Ранее сегодня ЦТАК сообщил, что в 12:00 по местному времени /07:00 мск/ будет заявление.",
        "Республика Корея, одной из первых в мире принявшая на себя удар нового коронавируса",
        "On Thursday, people in Guinea-Bissau were anticipating the o",
        "That same month, its units were sent to Washington, DC. Trum",
        "The price of gold futures with settlement in February 2026 h",
        "Yesterday, March 5, the ministry said it would respond.",
        "Сезон-2019/2020 в фигурном катании должен был венчать чемпионат мира",
        "",
    ],
)
def test_openings_without_a_dateline(opening: str) -> None:
    assert split_dateline(opening) is None
    assert dateline_span(opening) == 0


# Datelines of real openings, each with the place it names.
CUT_DATELINES = [
    ("ZVEZDNY GORODOK /Moscow Region/, November 6. /TASS/. ", "ZVEZDNY GORODOK /Moscow Region/"),
    ("PHUKET, Thailand, November 26. /TASS/. ", "PHUKET, Thailand"),
    ("MIAMI, FLORIDA, December 21. /TASS/. ", "MIAMI, FLORIDA"),
    ("DALIAN /China/ November 21. /TASS/. ", "DALIAN /China/"),
    ("NEW YORK. February 28. /TASS/. ", "NEW YORK"),
    ("MOSCOW, December 25. /TASS Correspondent Irina Skalina/. ", "MOSCOW"),
    ("СЕУЛ, 7 марта. /Корр. ТАСС Станислав Варивода/. ", "СЕУЛ"),
    ("САНКТ-ПЕТЕРБУРГ, 30 марта. /ТАСС/. ", "САНКТ-ПЕТЕРБУРГ"),
    ("ТАСС, 10 августа. ", None),
]


@pytest.mark.parametrize(("dateline", "place"), CUT_DATELINES)
def test_a_dateline_cut_anywhere_never_names_a_wrong_place(
    dateline: str, place: str | None
) -> None:
    """Openings are stored cut at a fixed length: a cut may fall inside the dateline."""
    whole = split_dateline(dateline + "Story")
    assert whole is not None and whole.place == place
    for end in range(len(dateline) + 1):
        found = split_dateline(dateline[:end])
        assert found is None or found.place in (None, place), dateline[:end]
        if found is not None and found.day is not None:
            assert found.day == whole.day, dateline[:end]


@given(
    place=st.sampled_from(["MOSCOW", "IGORA /Leningrad Region/", "PHUKET, Thailand", "NEW YORK"]),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    tag=st.sampled_from(["/TASS/.", "/TASS Correspondent Irina Skalina/.", "/TASS./", ""]),
    story=st.sampled_from(["Russia and the DPRK signed it.", "On Monday, talks began.", ""]),
)
def test_english_datelines_round_trip(
    place: str, month: int, day: int, tag: str, story: str
) -> None:
    opening = " ".join(
        p for p in (f"{place}, {EN_MONTH_NAMES[month - 1].title()} {day}.", tag, story) if p
    )
    found = split_dateline(opening)
    assert found is not None
    assert (found.place, found.month, found.day) == (place, month, day)
    assert opening[dateline_span(opening) :] == story


@given(
    place=st.sampled_from(["МОСКВА", "СЕУЛ", "НЬЮ-ЙОРК", "ТАСС"]),
    month=st.integers(1, 12),
    day=st.integers(1, 31),
    tag=st.sampled_from(["/ТАСС/.", "/Корр. ТАСС Станислав Варивода/.", "/ИТАР-ТАСС/.", ""]),
    story=st.sampled_from(["Председатель Госсовета КНДР присвоил звания.", ""]),
)
def test_russian_datelines_round_trip(
    place: str, month: int, day: int, tag: str, story: str
) -> None:
    opening = " ".join(p for p in (f"{place}, {day} {RU_MONTH_NAMES[month - 1]}.", tag, story) if p)
    found = split_dateline(opening)
    assert found is not None
    expected_place = None if place == "ТАСС" else place
    assert (found.place, found.month, found.day) == (expected_place, month, day)
    assert opening[dateline_span(opening) :] == story


@given(st.text(max_size=120))
def test_any_text_reads_without_failing(text: str) -> None:
    found, span = split_dateline(text), dateline_span(text)
    assert 0 <= span <= len(text)
    assert (found is None) == (span == 0)


def test_one_month_table() -> None:
    assert len(EN_MONTHS) == len(RU_MONTHS) == 12
    assert [month_number(m) for m in EN_MONTH_NAMES] == list(range(1, 13))
    assert [month_number(m.upper()) for m in RU_MONTH_NAMES] == list(range(1, 13))
    assert month_number("Smarch") is None


@pytest.mark.parametrize(("external_id", "day"), TASS_COM_ID_ANCHORS)
def test_anchors_map_to_their_days(external_id: int, day: date) -> None:
    assert date_from_id(external_id) == day


def test_ids_between_anchors_interpolate_and_grow() -> None:
    assert date(2017, 10, 12) < date_from_id(980_000) < date(2018, 3, 20)
    # 2024-12-26 articles of the real data set: ids 1893769..1894093
    assert abs((date_from_id(1_893_769) - date(2024, 12, 26)).days) <= 3
    days = [date_from_id(i) for i in range(900_000, 2_400_000, 50_000)]
    assert days == sorted(days)


def test_ids_outside_the_anchors_extrapolate_without_failing() -> None:
    assert date_from_id(900_000) < date(2017, 9, 12)
    assert date_from_id(2_300_000) > date(2026, 10, 7)
    assert date_from_id(10**15) == date.max
    assert date_from_id(-(10**15)) == date.min


def test_year_near_crosses_new_year() -> None:
    assert year_near(12, 31, date(2025, 1, 2)) == 2024
    assert year_near(1, 2, date(2024, 12, 30)) == 2025
    assert year_near(10, 12, date(2017, 10, 1)) == 2017
    assert year_near(2, 29, date(2021, 1, 1)) == 2020  # the nearest leap year


def test_parse_iso_reads_zones_and_treats_naive_as_moscow() -> None:
    assert parse_iso("2024-12-26T21:09:18+03:00") == datetime(2024, 12, 26, 18, 9, 18, tzinfo=UTC)
    assert parse_iso("2024-12-26T21:09:18") == datetime(2024, 12, 26, 18, 9, 18, tzinfo=UTC)
    assert parse_iso("yesterday") is None


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("PHUKET, Thailand, November 26. /TASS/. Russia and Thailand a", "PHUKET, Thailand"),
        ("MOSCOW, December 25. /TASS Correspondent Irina Skalina/. On Monday", "MOSCOW"),
        ("TASS FACTBOX. On February 5, 2026, the Treaty expired.", None),
    ],
)
def test_parsed_articles_carry_the_place(paragraph: str, place: str | None) -> None:
    """The page parser stores what the dateline reader finds in the first paragraph."""
    html = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="publish_date" content="2025-11-26T12:00:00+03:00"></head><body>'
        '<div class="news"><h1 class="news-header__title">Headline</h1>'
        '<div class="news-header__lead">The lead</div><div class="text-content">'
        f'<div class="text-block"><p>{paragraph}</p><p>Second one.</p></div></div></div>'
        "</body></html>"
    )
    ref = ArticleRef("tass.com", 2045000, "https://tass.com/world/2045000", "world")
    assert parse_article(html.encode(), ref).dateline == place
