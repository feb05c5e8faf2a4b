"""Datelines (`MOSCOW, September 12. /TASS/.`, `МОСКВА, 30 марта. /ТАСС/.`) and the
dates TASS prints, in English and Russian.

TASS writes Moscow time; Moscow has kept UTC+3 all year since 2014.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

MOSCOW = ZoneInfo("Europe/Moscow")

EN_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
RU_MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
        start=1,
    )
}

_MONTH_WORDS = "|".join([*EN_MONTHS, *RU_MONTHS])
DATELINE = re.compile(
    rf"^\s*(?P<place>[^,\n]{{1,80}}?),\s+"
    rf"(?:(?P<month_en>{'|'.join(EN_MONTHS)})\s+(?P<day_en>\d{{1,2}})"
    rf"|(?P<day_ru>\d{{1,2}})\s+(?P<month_ru>{'|'.join(RU_MONTHS)}))"
    r"\.?\s*/\s*(?P<agency>TASS|ТАСС)\s*/\.?\s*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    place: str
    month: int
    day: int
    text: str  # the whole dateline as printed, e.g. "MOSCOW, September 12. /TASS/."


def split_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of a first paragraph, or None when it has none."""
    match = DATELINE.match(paragraph)
    if not match:
        return None
    if match.group("month_en"):
        month = EN_MONTHS[match.group("month_en").lower()]
        day = int(match.group("day_en"))
    else:
        month = RU_MONTHS[match.group("month_ru").lower()]
        day = int(match.group("day_ru"))
    if not 1 <= day <= 31:
        return None
    return Dateline(
        place=" ".join(match.group("place").split()),
        month=month,
        day=day,
        text=match.group(0).strip(),
    )


def moscow_to_utc(moment: datetime) -> datetime:
    """Naive times printed by TASS are Moscow time; aware ones are converted as given."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=MOSCOW)
    return moment.astimezone(UTC)


def parse_iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return moscow_to_utc(datetime.fromisoformat(value.strip().replace("Z", "+00:00")))
    except ValueError:
        return None


def from_unix(value: str | None) -> datetime | None:
    if not value or not value.strip().isdigit():
        return None
    return datetime.fromtimestamp(int(value.strip()), tz=UTC)


PRINTED_DATE = re.compile(
    rf"(?P<month>{_MONTH_WORDS})\s+(?P<day>\d{{1,2}}),?\s+(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})",
    re.IGNORECASE,
)


def printed_date(text: str, year: int) -> datetime | None:
    """`October 12, 20:40` (Moscow time) in a given year, as UTC."""
    match = PRINTED_DATE.search(text)
    if not match:
        return None
    month = EN_MONTHS.get(match.group("month").lower()) or RU_MONTHS.get(
        match.group("month").lower()
    )
    try:
        local = datetime(
            year,
            month or 0,
            int(match.group("day")),
            int(match.group("hour")),
            int(match.group("minute")),
        )
    except ValueError:
        return None
    return moscow_to_utc(local)


# tass.com article ids grow with time; these pairs were seen on real pages.
TASS_COM_ID_ANCHORS: tuple[tuple[int, date], ...] = (
    (965296, date(2017, 9, 12)),
    (970345, date(2017, 10, 12)),
    (995294, date(2018, 3, 20)),
    (1115101, date(2020, 1, 31)),
    (1671325, date(2023, 9, 7)),
    (1892567, date(2024, 12, 24)),
    (2096687, date(2026, 3, 5)),
    (2198933, date(2026, 10, 7)),
)


def date_from_id(
    external_id: int, anchors: tuple[tuple[int, date], ...] = TASS_COM_ID_ANCHORS
) -> date:
    """Roughly when an article was published, by linear interpolation between known ids.

    Outside the anchors the nearest segment's rate is extended. Good to a few weeks,
    which is all a year guess for a printed "October 12" needs.
    """
    points = sorted(anchors)
    if len(points) < 2:
        raise ValueError("at least two anchors are needed")
    segment = 0
    while segment < len(points) - 2 and external_id > points[segment + 1][0]:
        segment += 1
    (lo_id, lo_day), (hi_id, hi_day) = points[segment], points[segment + 1]
    offset = round((external_id - lo_id) * (hi_day - lo_day).days / (hi_id - lo_id))
    try:
        return lo_day + timedelta(days=offset)
    except OverflowError:
        return date.max if offset > 0 else date.min


def year_near(month: int, day: int, around: date) -> int | None:
    """The year that puts day/month closest to `around` (handles New Year's Eve)."""
    best: tuple[int, int] | None = None
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            distance = abs((date(year, month, day) - around).days)
        except ValueError:
            continue
        if best is None or distance < best[0]:
            best = (distance, year)
    return best[1] if best else None
