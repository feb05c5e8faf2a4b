"""Datelines (`MOSCOW, September 12. /TASS/.`, `МОСКВА, 30 марта. /ТАСС/.`) and the
dates TASS prints, in English and Russian.

TASS writes Moscow time; Moscow has kept UTC+3 all year since 2014.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
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
