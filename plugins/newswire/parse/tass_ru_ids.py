"""tass.ru article ids of known dates: ids grow with time, so an id dates its article.

Used where a page prints a day and month without the year (`30 марта, 10:15`) and
carries no other date. The ids are tass.ru's own series (not tass.com's): those stated
with a day are exact; the others ("about December 2016") are put mid-month.
"""

from __future__ import annotations

from datetime import date

TASS_RU_ID_ANCHORS: tuple[tuple[int, date], ...] = (
    (1477863, date(2014, 10, 1)),
    (3838714, date(2016, 12, 15)),
    (5330387, date(2018, 6, 15)),
    (6757072, date(2019, 8, 13)),
    (8110843, date(2020, 3, 30)),
    (9388223, date(2020, 9, 15)),
    (13705273, date(2022, 2, 15)),
    (21600739, date(2024, 8, 14)),
    (28033731, date(2026, 8, 21)),
)

__all__ = ["TASS_RU_ID_ANCHORS"]
