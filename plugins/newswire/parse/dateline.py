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

# The one definition of the month names the parsers read (the local test site keeps its
# own on purpose, to stay independent of the code it tests).
EN_MONTH_NAMES: tuple[str, ...] = (
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
)
# Russian datelines and dates print the month in the genitive ("30 марта").
RU_MONTH_NAMES: tuple[str, ...] = (
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
)
EN_MONTHS: dict[str, int] = {name: n for n, name in enumerate(EN_MONTH_NAMES, start=1)}
RU_MONTHS: dict[str, int] = {name: n for n, name in enumerate(RU_MONTH_NAMES, start=1)}
# Alternation of every month name, for regular expressions (use with re.IGNORECASE).
MONTH_WORDS = "|".join([*EN_MONTH_NAMES, *RU_MONTH_NAMES])


def month_number(word: str) -> int | None:
    """1..12 for an English or Russian (genitive) month name in any case, else None."""
    key = word.lower()
    return EN_MONTHS.get(key) or RU_MONTHS.get(key)


# --- datelines -------------------------------------------------------------------------
#
# A dateline is everything before the first sentence that says where and when a story was
# filed and who filed it. The forms seen on real TASS pages (English and Russian):
#   MOSCOW, September 12. /TASS/.              МОСКВА, 30 марта. /ТАСС/.
#   MOSCOW, December 25. /TASS Correspondent Irina Skalina/.
#   СЕУЛ, 7 марта. /Корр. ТАСС Станислав Варивода/.      (also /Корр. ИТАР-ТАСС …/)
#   IGORA /Leningrad Region/, December 26.     PHUKET, Thailand, November 26.
#   DALIAN /China/ November 21.                NEW YORK. February 28.   MINSK, November1.
#   MOSCOW, December 20. (no agency)           ТАСС, 10 августа. (no place)
#   TASS FACTBOX.   MOSCOW, FACTBOX. /TASS/.   /ИТАР-ТАСС/, /БИЗНЕС-ТАСС/, and typos of
#   the tag (/TAS/, /TSS/, /TASS./, TASS/.).
# Slashes later in a paragraph (/ЦТАК/, /07:00 мск/) are glosses, never datelines: the
# reader only looks at the very start of the text.

_H = r"[^\S\n]"  # horizontal white space, the no-break space included
_AGENCY_WORD = r"(?:ИТАР-|БИЗНЕС-)?(?:TASS|ТАСС)"
_LABEL_WORD = r"(?:FACTBOX|ДОСЬЕ)"
# "/update - adds background/ " that editors sometimes leave in front of a dateline.
_EDITOR_NOTE = rf"(?:/[a-z][^/\n]{{0,60}}/{_H}+)?"
_DATE = (
    rf"(?:(?P<month_en>{'|'.join(EN_MONTH_NAMES)}){_H}*(?P<day_en>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"|(?P<day_ru>\d{{1,2}}){_H}+(?P<month_ru>{'|'.join(RU_MONTH_NAMES)}))(?!\w)"
)
_MARKER = (
    r"(?P<marker>"
    # /TASS/, /ТАСС/, /TASS./, /Корр. ТАСС Name/, /TASS Correspondent Name/, /ТАСС-ДОСЬЕ/
    rf"/{_H}*(?:Корр\.{_H}*)?(?P<tag>{_AGENCY_WORD})(?:-(?P<tag_label>{_LABEL_WORD}))?"
    rf"(?:{_H}+Correspondent)?(?P<credit>[^/\n]{{0,60}}?){_H}*\.?{_H}*/"
    # the opening slash forgotten: "TASS/."
    rf"|(?P<bare>{_AGENCY_WORD})/"
    # the closing slash forgotten: "/TASS. Cuba has declared"
    rf"|/(?P<open>{_AGENCY_WORD})(?=\.)"
    # a mistyped tag: /TAS/, /TSS/, /TA/uPFSS/
    r"|/(?P<typo>[TТ][A-Za-zА-Яа-я]{1,3}(?:/[A-Za-z]{1,6})?)/"
    # the text was cut inside the tag (openings cut at a fixed length)
    r"|(?P<cut>/[^/\n]{0,50}\Z)"
    r")"
)
_DATELINE = re.compile(
    rf"^\s*{_EDITOR_NOTE}(?P<head>[^\n]{{1,80}}?)"
    rf"(?:{_H}*,{_H}*|\.{_H}+|(?<=[/)]){_H}+){_DATE}"
    rf"(?P<after>{_H}*[.,]?{_H}*)"
    # the tag, sometimes printed twice ("/TASS/. /TASS/.") or followed by a dash
    rf"(?:{_MARKER}(?:{_H}*\.)?(?:{_H}*/{_AGENCY_WORD}/\.?)*(?:{_H}*[-–—](?={_H}))?)?{_H}*",
    re.IGNORECASE,
)
# "TASS FACTBOX.", "TASS-FACTBOX.", "FACTBOX.", "MOSCOW, FACTBOX. /TASS/."
_LABELLED = re.compile(
    rf"^\s*(?:(?P<head>[^\W\d_][^\n,./]{{0,40}}),{_H}*)?"
    rf"(?:(?P<agency>TASS|ТАСС)(?:-|{_H})?)?(?P<label>{_LABEL_WORD})\b{_H}*\.?"
    rf"(?:{_H}*/{_H}*(?P<tag>{_AGENCY_WORD}){_H}*/\.?)?{_H}*"
)
# The tag alone, its place dropped: "/ИТАР-ТАСС/.", "/ Корр.ТАСС Михаил Тимофеев /."
_TAG_ONLY = re.compile(
    rf"^\s*/{_H}*(?:Корр\.{_H}*)?(?P<tag>{_AGENCY_WORD})(?:{_H}+Correspondent)?"
    rf"(?P<credit>[^/\n]{{0,60}}?){_H}*/\.?{_H}*",
    re.IGNORECASE,
)
# The old English credit line: "(By ITAR-TASS correspondent Mikhail Shevtsov)"
_BY_LINE = re.compile(
    rf"^\s*\({_H}*By{_H}+(?P<tag>(?:ITAR-)?TASS){_H}+correspondent{_H}+(?P<credit>[^()\n]{{1,60}}?)"
    rf"{_H}*\)\.?{_H}*",
    re.IGNORECASE,
)
# Only the agency: "TASS. Twenty-seven countries ..."
_AGENCY_ONLY = re.compile(rf"^\s*(?P<agency>{_AGENCY_WORD})\.{_H}*(?=[^\W\d_\s]|[\"«“])")
_GLOSS = re.compile(r"/[^/]*/|\([^)]*\)")
_PLACE_WORD = re.compile(r"[^\s,/]+")
# Lower-case words that may sit inside a place name ("BOSNIA and HERZEGOVINA").
_CONNECTORS = frozenset({"and", "of", "de", "del", "la", "le", "on", "upon", "am", "и", "на"})
_AGENCY_NAMES = frozenset({"TASS", "ITAR-TASS", "ТАСС", "ИТАР-ТАСС", "БИЗНЕС-ТАСС"})
_PLACE_PARTS = re.compile(
    r"^(?P<city>[^,/()]+?)\s*(?:,\s*)?"
    r"(?:/\s*(?P<slash>[^/]+?)\s*/|\(\s*(?P<paren>[^)]+?)\s*\)|(?<=,\s)(?P<comma>[^/()]+))?$"
)


@dataclass(frozen=True)
class Dateline:
    """What a dateline says; fields the dateline does not print are None."""

    place: str | None  # as printed, spaces normalised: "IGORA /Leningrad Region/"
    month: int | None
    day: int | None
    text: str  # the whole dateline as printed, e.g. "MOSCOW, September 12. /TASS/."
    credit: str | None = None  # the correspondent: "Irina Skalina", "Станислав Варивода"
    agency: str | None = None  # "TASS", "ТАСС", "ИТАР-ТАСС", "БИЗНЕС-ТАСС", "ITAR-TASS"
    label: str | None = None  # "FACTBOX", "ДОСЬЕ"

    @property
    def city(self) -> str | None:
        """The place without its gloss: "PHUKET" for "PHUKET, Thailand"."""
        return _place_parts(self.place)[0]

    @property
    def region(self) -> str | None:
        """The gloss after the city: "Thailand", "Leningrad Region", "FLORIDA"."""
        return _place_parts(self.place)[1]


def _place_parts(place: str | None) -> tuple[str | None, str | None]:
    if place is None:
        return None, None
    match = _PLACE_PARTS.match(place)
    if not match:  # "MOSCOW/NEW DELHI": two cities, no gloss
        return place, None
    gloss = match.group("slash") or match.group("paren") or match.group("comma")
    return match.group("city").strip(), gloss.strip() if gloss else None


def _agency_name(word: str) -> str:
    """A tag as printed ("Tass", "TAS", "ТСС") under its proper name."""
    upper = word.upper()
    if upper in _AGENCY_NAMES:
        return upper
    return "ТАСС" if re.search("[А-Я]", upper) else "TASS"


def _place(head: str) -> tuple[bool, str | None]:
    """(is this a dateline head, the place it names). An agency alone names no place."""
    place = " ".join(head.split()).rstrip(" ,")
    if place.startswith("/") and place.count("/") % 2 == 1:  # a stray "/MOSCOW"
        place = place[1:].lstrip()
    if place.upper() in _AGENCY_NAMES:
        return True, None
    if not place or len(place) > 60 or any(ch.isdigit() for ch in place):
        return False, None
    words = _PLACE_WORD.findall(_GLOSS.sub(" ", place))
    if not 1 <= len(words) <= 6 or not words[0][0].isupper():
        return False, None
    if any(not w[0].isupper() and w.lower() not in _CONNECTORS for w in words):
        return False, None  # a sentence, not a place
    return True, place


def _read(text: str) -> tuple[Dateline, int] | None:
    """The dateline at the start of `text` and the offset where the story itself begins."""
    labelled = _LABELLED.match(text)
    if labelled:
        ok, place = _place(labelled.group("head") or "TASS")
        if ok:
            end = labelled.end()
            agency = labelled.group("agency") or labelled.group("tag")
            return Dateline(
                place=place,
                month=None,
                day=None,
                text=text[:end].strip(),
                agency=_agency_name(agency) if agency else None,
                label=labelled.group("label").upper(),
            ), end
    match = _DATELINE.match(text)
    if match:
        found = _from_match(text, match)
        if found is not None:
            return found, match.end()
        return None
    tagged = _TAG_ONLY.match(text) or _BY_LINE.match(text)
    if tagged:
        end = tagged.end()
        credit = " ".join(tagged.group("credit").split())
        return Dateline(
            place=None,
            month=None,
            day=None,
            text=text[:end].strip(),
            credit=credit or None,
            agency=_agency_name(tagged.group("tag")),
        ), end
    agency_only = _AGENCY_ONLY.match(text)
    if agency_only:
        end = agency_only.end()
        return Dateline(
            place=None,
            month=None,
            day=None,
            text=text[:end].strip(),
            agency=_agency_name(agency_only.group("agency")),
        ), end
    return None


def _from_match(text: str, match: re.Match[str]) -> Dateline | None:
    ok, place = _place(match.group("head"))
    if not ok:
        return None
    marker = match.group("marker")
    if marker is None and "." not in match.group("after") and match.end() < len(text):
        # "Yesterday, March 5, the ministry said": a date inside a sentence
        return None
    if match.group("month_en"):
        month: int | None = EN_MONTHS[match.group("month_en").lower()]
        day: int | None = int(match.group("day_en"))
        day_end = match.end("day_en")
    else:
        month = RU_MONTHS[match.group("month_ru").lower()]
        day = int(match.group("day_ru"))
        day_end = match.end("day_ru")
    if day is not None and not 1 <= day <= 31:
        return None
    if day_end == len(text):  # the text was cut right after the digits: "December 1|2"
        day = None
    credit = match.group("credit")
    tag = match.group("tag") or match.group("bare") or match.group("open") or match.group("typo")
    if tag is None and place is None:  # "ТАСС, 10 августа."
        tag = match.group("head")
    cut = match.group("cut")
    if tag is None and cut:  # "/TASS Correspondent Natalia Kaz" (cut off)
        cut_tag = re.search(_AGENCY_WORD, cut, re.IGNORECASE)
        tag = cut_tag.group(0) if cut_tag else None
    label = match.group("tag_label")
    return Dateline(
        place=place,
        month=month,
        day=day,
        text=text[: match.end()].strip(),
        credit=" ".join(credit.split()) or None if credit else None,
        agency=_agency_name(tag.strip()) if tag else None,
        label=label.upper() if label else None,
    )


def split_dateline(paragraph: str) -> Dateline | None:
    """The dateline at the start of a first paragraph, or None when it has none."""
    found = _read(paragraph)
    return found[0] if found else None


def dateline_span(text: str) -> int:
    """Where the story starts after the opening dateline (0 without one).

    `text[dateline_span(text):]` is the paragraph with its dateline and the space after it
    cut off: what an entity matcher should read, since the filing place is not a mention.
    """
    found = _read(text)
    return found[1] if found else 0


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
    rf"(?P<month>{MONTH_WORDS})\s+(?P<day>\d{{1,2}}),?\s+(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})",
    re.IGNORECASE,
)


def printed_date(text: str, year: int) -> datetime | None:
    """`October 12, 20:40` (Moscow time) in a given year, as UTC."""
    match = PRINTED_DATE.search(text)
    if not match:
        return None
    month = month_number(match.group("month"))
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
