"""The dateline reader over the opening of every real TASS text we hold.

tests/data/real_openings.json.gz (built by scripts/build_real_openings.py) carries all
16,890 openings: tass.com index items cut at 60 characters, full English and Russian
texts, and the collected dateline examples. The checks below do not ask the reader what
the answer is; they test what any right answer must satisfy:

* an opening that carries the agency's tag (/TASS/, /ТАСС/, /Корр. ТАСС …/) near its
  start has a dateline, and the dateline reaches past the tag;
* an opening that starts with a word in capitals and has a date soon after names a place;
* a place is printed at the very start of the opening and is followed by nothing but its
  gloss, a separator and the date (so "Thailand" for "PHUKET, Thailand", or
  "TASS Correspondent" for a credit, cannot pass);
* the story left after the dateline starts with a word, not with the rest of a tag;
* a month and a day read from the dateline are printed in it.

Openings that break a rule for a known, checked reason are listed in EXCEPTIONS.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from newswire.parse.dateline import (
    EN_MONTH_NAMES,
    RU_MONTH_NAMES,
    Dateline,
    dateline_span,
    split_dateline,
)

OPENINGS = Path(__file__).resolve().parent.parent / "data" / "real_openings.json.gz"

# (source file, id) -> why the opening legitimately breaks a rule above.
EXCEPTIONS: dict[tuple[str, str], str] = {}

_TAG = re.compile(r"/\s*(?:Корр\.?\s*)?(?:ИТАР-|БИЗНЕС-)?(?:TASS|ТАСС)|(?:TASS|ТАСС)/")
_EN = "|".join(EN_MONTH_NAMES)
_RU = "|".join(RU_MONTH_NAMES)
_DATE = re.compile(rf"\b(?:(?:{_EN})\s*\d{{1,2}}|\d{{1,2}}\s+(?:{_RU}))", re.IGNORECASE)
# A stray slash or an editor's note before the dateline: "/MOSCOW", "/update - …/ MOSCOW".
_LEAD_IN = re.compile(r"^\s*(?:/[a-z][^/\n]*/\s+|/(?=[^/\n]*,))?")
_CAPITALS_FIRST = re.compile(r"^[A-ZА-ЯЁ]{3,}\b")
_AGENCY_FIRST = re.compile(r"^(?:TASS|ТАСС|FACTBOX)\b")
# What may follow a place before the date: its gloss, then a separator.
_AFTER_PLACE = re.compile(
    rf"^\s*[,.]?\s*(?:(?:{_EN})\s*\d|\d{{1,2}}\s+(?:{_RU})|FACTBOX)", re.IGNORECASE
)
_NOT_A_PLACE = re.compile(r"TASS|ТАСС|Correspondent|Корр|\d|^(?:" + _EN + ")$", re.IGNORECASE)


@cache
def openings() -> list[tuple[str, str, str, str]]:
    with gzip.open(OPENINGS, "rt", encoding="utf-8") as raw:
        return [tuple(record) for record in json.load(raw)]


def problems(text: str, found: Dateline | None, span: int) -> list[str]:
    """Every rule the reader's answer for one opening breaks."""
    out = []
    start = _LEAD_IN.sub("", text)
    flat = " ".join(start.split())
    tag = _TAG.search(text[:100])
    if tag and (found is None or span < tag.end()):
        out.append("agency tag but no dateline covering it")
    if (
        _CAPITALS_FIRST.match(flat)
        and not _AGENCY_FIRST.match(flat)
        and _DATE.search(flat[:70])
        and (found is None or found.place is None)
    ):
        out.append("capitals and a date but no place")
    if found is not None and found.place is not None:
        if not flat.startswith(found.place):
            out.append(f"place {found.place!r} is not where the opening starts")
        elif not _AFTER_PLACE.match(flat[len(found.place) :]):
            out.append(f"place {found.place!r} is not followed by its date")
        if _NOT_A_PLACE.search(found.place):
            out.append(f"place {found.place!r} holds a tag, a credit or a date")
    rest = text[span:]
    if rest and not re.match(r"[\w\"'«“‘„(]", rest):
        out.append(f"the story would start with {rest[:10]!r}")
    if found is not None and found.month is not None:
        names = (EN_MONTH_NAMES[found.month - 1], RU_MONTH_NAMES[found.month - 1])
        if not any(name in found.text.lower() for name in names):
            out.append(f"month {found.month} is not printed in {found.text!r}")
        if found.day is not None and not re.search(rf"(?<!\d){found.day}(?!\d)", found.text):
            out.append(f"day {found.day} is not printed in {found.text!r}")
    return out


def test_the_fixture_holds_every_opening() -> None:
    by_source = Counter(source for source, _, _, _ in openings())
    # The index files hold 8,725 and 8,014 items; the others are small and whole.
    assert by_source["tass_com_index_2025.json"] == 8725
    assert by_source["tass_com_index_2026.json"] == 8014
    assert by_source["tass_com_politics_2024-12-26_full20.json"] == 20
    assert by_source["dateline_examples.json"] == 24
    assert {"en", "ru"} == {language for _, _, language, _ in openings()}


def test_every_real_opening_reads_right() -> None:
    failures = []
    broken_exceptions = []
    for source, ident, _, text in openings():
        found, span = split_dateline(text), dateline_span(text)
        assert (found is None) == (span == 0), (source, ident, text)
        found_problems = problems(text, found, span)
        if (source, ident) in EXCEPTIONS:
            if not found_problems:
                broken_exceptions.append((source, ident))
        elif found_problems:
            failures.append(f"{source} {ident} {text[:60]!r}: {'; '.join(found_problems)}")
    assert not failures, f"{len(failures)} openings read wrong:\n" + "\n".join(failures[:40])
    assert not broken_exceptions, f"exceptions that now read right: {broken_exceptions}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PHUKET, Thailand, November 26.", []),
        ("PHUKET, Thailand, November 26. /TASS/. x", []),
    ],
)
def test_the_rules_accept_right_answers(text: str, expected: list[str]) -> None:
    assert problems(text, split_dateline(text), dateline_span(text)) == expected


def test_the_rules_catch_wrong_answers() -> None:
    """Each rule fails on the mistake it is there for."""
    text = "PHUKET, Thailand, November 26. /TASS/. Russia"
    thailand = Dateline(place="Thailand", month=11, day=26, text=text[:38])
    assert any("not where the opening starts" in p for p in problems(text, thailand, 39))
    city_only = Dateline(place="PHUKET", month=11, day=26, text=text[:38])
    assert any("not followed by its date" in p for p in problems(text, city_only, 39))
    credit = "MOSCOW, December 25. /TASS Correspondent Irina Skalina/. On"
    wrong = Dateline(place="TASS Correspondent Irina Skalina", month=12, day=25, text=credit)
    assert problems(credit, wrong, 58)
    assert "agency tag but no dateline covering it" in problems(text, None, 0)
    assert "capitals and a date but no place" in problems("MOSCOW, December 20. x", None, 0)
    assert any("story would start" in p for p in problems(text, thailand, 31))
    may = Dateline(place="PHUKET, Thailand", month=5, day=26, text=text[:38])
    assert any("month 5" in p for p in problems(text, may, 39))
    day = Dateline(place="PHUKET, Thailand", month=11, day=6, text=text[:38])
    assert any("day 6" in p for p in problems(text, day, 39))
