"""Datelines, printed dates and the year guessed from an article id."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from newswire.parse.dateline import (
    TASS_COM_ID_ANCHORS,
    date_from_id,
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
