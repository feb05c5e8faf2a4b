#!/usr/bin/env python3
"""Derive the local TASS test site's fixtures from the shared real-text data.

The shared data (``../shared/data/tass_real/``) is not part of the clone, so this script
turns it into small committed records under ``devtools/testsite/fixtures/``.
Run it again only when the derivation rules change; its output is deterministic
(sorted by id, fixed key order, no clocks, no randomness), so a rerun gives a zero diff.

Usage: python scripts/build_testsite_fixtures.py [--shared DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "plugins"))

from newswire.parse.tass_ru_ids import TASS_RU_ID_ANCHORS  # noqa: E402

DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data" / "tass_real"
DEFAULT_OUT = REPO_ROOT / "devtools" / "testsite" / "fixtures"

MSK = timezone(timedelta(hours=3), "MSK")

FULL20_FILE = "tass_com_politics_2024-12-26_full20.json"
FULL20_DAY = date(2024, 12, 26)
DPRK_FILE = "tass_com_dprk_2017-2018_text_excerpts.json"
# Publication days of the three old DPRK pages (the page text carries day and month only).
DPRK_DAYS = {965296: date(2017, 9, 12), 970345: date(2017, 10, 12), 995294: date(2018, 3, 20)}
INDEX_FILES = ("tass_com_index_2025.json", "tass_com_index_2026.json")
RU_FILE = "tass_ru_2020-03-30_first3000.json"
RU_DAY = date(2020, 3, 30)

KOREA_RE = re.compile(r"korea|dprk|pyongyang|kim jong", re.IGNORECASE)
# Index items whose opening names, with a title, a person the knowledge base does not
# know. Every other English text names only known people (the index openings stop at 60
# characters, so their names are cut), and `newswire entities unknown` would have no one
# to list after `make demo`. 2037689: "WASHINGTON, October 30. /TASS/. Senator Jacky Rosen
# called U" (2025-10-30).
UNKNOWN_PERSON_ITEMS = (2037689,)
TASS_COM_URL_RE = re.compile(r"^https?://tass\.com/([a-z0-9\-]+)/(\d+)$")
TASS_RU_URL_RE = re.compile(r"^https?://tass\.ru/([a-z0-9\-]+)/(\d+)$")
MONTHS_EN = "January|February|March|April|May|June|July|August|September|October|November|December"
# The plain dateline: "PLACE, Month D. /TASS/. " (anything else counts as irregular).
DATELINE_EN_RE = re.compile(rf"^[A-Z][^,]*, (?:{MONTHS_EN}) \d{{1,2}}\. /TASS/\. ")
DATELINE_RU_RE = re.compile(r"^[А-ЯЁA-Z][^,\n]*, 30 марта\. /ТАСС/\. ")
# Old page furniture in the 2017-2018 page text.
OLD_FURNITURE_RE = re.compile(
    r"^(?:All news|Back to Main page|World|Russian Politics & Diplomacy"
    rf"|(?:{MONTHS_EN}) \d{{1,2}}, \d\d:\d\d UTC\+3(?: [A-Z]+)?)$"
)
OLD_TIME_RE = re.compile(rf"^(?:{MONTHS_EN}) \d{{1,2}}, (\d\d):(\d\d) UTC\+3")
RU_EDIT_NOTE_RE = re.compile(r"\((\d\d):(\d\d)\s*мск\)")
SENTENCE_END_RE = re.compile(r"[.!?][\"”»’)\]]*(?=\s|$)")
SAMPLE_SIZE = 150


def load_json(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def iso(moment: datetime) -> str:
    """ISO 8601 in Moscow time, seconds precision: the form TASS prints."""
    return moment.astimezone(MSK).isoformat(timespec="seconds")


def stable_int(*parts: object) -> int:
    """A hash that, unlike ``hash()``, is the same on every run and machine."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()
    return int(digest[:12], 16)


def time_from_id(external_id: int, lo_hour: int = 8, hi_hour: int = 22) -> time:
    """A plausible working-hours time of day for an article whose source gives none."""
    span = (hi_hour - lo_hour) * 3600
    seconds = lo_hour * 3600 + stable_int("time", external_id) % span
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def modified_after(external_id: int, published: datetime) -> datetime:
    """Most items are never edited; some get a correction minutes or hours later."""
    roll = stable_int("modified", external_id)
    if roll % 3 == 0:
        return published
    return published + timedelta(minutes=3 + roll // 3 % 240, seconds=roll // 7 % 60)


def image_for(external_id: int, published: datetime) -> str | None:
    """A site-relative photo path for about two of three articles (the test site serves it)."""
    roll = stable_int("image", external_id)
    if roll % 3 == 0:
        return None
    day = published.astimezone(MSK).strftime("%Y%m%d")
    return f"/media/photos/{day}/{roll % 9_000_000 + 1_000_000}.jpg"


def cut_to_sentence(text: str) -> str:
    """Drop an unfinished tail: keep the text up to its last complete sentence."""
    text = text.rstrip()
    ends = list(SENTENCE_END_RE.finditer(text))
    if not ends:
        return ""
    return text[: ends[-1].end()]


def cut_to_word(snippet: str) -> str:
    """The index snippets stop at a fixed length, so the last word may be cut: drop it."""
    head, _, _ = snippet.rstrip().rpartition(" ")
    return head.rstrip()


def record(
    external_id: int,
    section: str,
    headline: str,
    lead: str,
    paragraphs: list[str],
    published: datetime,
    modified: datetime | None = None,
) -> dict[str, Any]:
    if not headline.strip() or not lead.strip() or not paragraphs:
        raise ValueError(f"article {external_id}: empty headline, lead or body")
    modified = modified or modified_after(external_id, published)
    if modified < published:
        raise ValueError(f"article {external_id}: modified before published")
    return {
        "external_id": external_id,
        "section": section,
        "headline": headline,
        "lead": lead,
        "paragraphs": paragraphs,
        "published_at": iso(published),
        "modified_at": iso(modified),
        "image_url": image_for(external_id, published),
    }


def parse_tass_com_url(url: str) -> tuple[str, int]:
    match = TASS_COM_URL_RE.match(url)
    if not match:
        raise ValueError(f"not a tass.com article URL: {url}")
    return match.group(1), int(match.group(2))


def full20_records(shared: Path) -> list[dict[str, Any]]:
    """The 2024-12-26 articles with their whole text, copied verbatim."""
    out = []
    for item in load_json(shared / FULL20_FILE):
        section, external_id = parse_tass_com_url(item["link"])
        content = item["content"]
        if content[0] != item["description"]:
            raise ValueError(f"article {external_id}: content[0] is not the lead")
        # The hour is in an unrecorded zone: keep the clock reading, pin the Moscow day.
        clock = datetime.strptime(item["date"], "%Y-%m-%d %H:%M:%S").time()
        published = datetime.combine(FULL20_DAY, clock, tzinfo=MSK)
        out.append(
            record(
                external_id,
                section,
                item["title"],
                item["description"],
                list(content[1:]),
                published,
            )
        )
    return out


def dprk_old_records(shared: Path) -> list[dict[str, Any]]:
    """The three 2017-2018 pages: split headline, lead and body out of the page text."""
    out = []
    for item in load_json(shared / DPRK_FILE):
        external_id = int(item["article_id"])
        text = re.sub(r"^\s*date \d{4}-\d\d-\d\d\s*", "", item["excerpt"])
        clock: time | None = None
        head_lines: list[str] = []
        body_blocks: list[str] = []
        for block in re.split(r"\n\s*\n", text):
            block = block.strip()
            if not block:
                continue
            if body_blocks or DATELINE_EN_RE.match(block):
                body_blocks.append(re.sub(r"\s*\n\s*", " ", block))
                continue
            for line in block.splitlines():
                line = line.strip()
                stamp = OLD_TIME_RE.match(line)
                if stamp:
                    clock = time(int(stamp.group(1)), int(stamp.group(2)))
                if line.startswith("Back to Main page"):
                    line = line.removeprefix("Back to Main page").strip()
                if line and not OLD_FURNITURE_RE.match(line):
                    head_lines.append(line)
        if len(head_lines) != 2 or not body_blocks:
            raise ValueError(f"article {external_id}: cannot split page text: {head_lines}")
        headline, lead = head_lines
        # The excerpt is cut near its end: finish at the last complete sentence.
        last = cut_to_sentence(body_blocks[-1])
        body_blocks = [*body_blocks[:-1], last] if last else body_blocks[:-1]
        day = DPRK_DAYS[external_id]
        published = datetime.combine(day, clock or time_from_id(external_id), tzinfo=MSK)
        out.append(
            record(external_id, item["section_from_url"], headline, lead, body_blocks, published)
        )
    return out


def day_clock(rank: int, count: int, external_id: int) -> time:
    """Spread one day's items over 00:10-23:50 Moscow time in id order (ids grow with time)."""
    first, last = 10 * 60, 23 * 3600 + 50 * 60
    seconds = first + (last - first) * rank // max(count, 1) + external_id % 37
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60)


def index_records(shared: Path) -> tuple[list[dict[str, Any]], int]:
    """Korea-related index items, an even sample of the rest and the items naming people
    the knowledge base lacks (`UNKNOWN_PERSON_ITEMS`); returns (records, n_korea)."""
    items: list[dict[str, Any]] = []
    for name in INDEX_FILES:
        items.extend(load_json(shared / name))
    by_day: dict[str, list[int]] = defaultdict(list)
    parsed: list[tuple[str, int, dict[str, Any]]] = []
    for item in items:
        section, external_id = parse_tass_com_url(item["u"])
        by_day[item["d"]].append(external_id)
        parsed.append((section, external_id, item))
    rank = {d: {i: n for n, i in enumerate(sorted(ids))} for d, ids in by_day.items()}

    korea = [p for p in parsed if KOREA_RE.search(p[2]["t"])]
    others = [
        p for p in parsed if not KOREA_RE.search(p[2]["t"]) and DATELINE_EN_RE.match(p[2]["s"])
    ]
    chosen = korea + sample_over_days(others)
    chosen += [p for p in parsed if p[1] in UNKNOWN_PERSON_ITEMS and p not in chosen]

    out = []
    for section, external_id, item in chosen:
        snippet = cut_to_word(item["s"])
        match = DATELINE_EN_RE.match(snippet)
        lead = snippet[match.end() :] if match else snippet
        if not lead.strip():
            raise ValueError(f"article {external_id}: nothing left after the dateline")
        day = date.fromisoformat(item["d"])
        clock = day_clock(rank[item["d"]][external_id], len(by_day[item["d"]]), external_id)
        published = datetime.combine(day, clock, tzinfo=MSK)
        out.append(record(external_id, section, item["t"], lead, [snippet], published))
    return out, len(korea)


def sample_over_days(
    pool: Iterable[tuple[str, int, dict[str, Any]]],
) -> list[tuple[str, int, dict[str, Any]]]:
    """Pick SAMPLE_SIZE items at evenly spaced days, a stable pseudo-random item per visit."""
    per_day: dict[str, list[tuple[str, int, dict[str, Any]]]] = defaultdict(list)
    for entry in pool:
        per_day[entry[2]["d"]].append(entry)
    for entries in per_day.values():
        entries.sort(key=lambda e: stable_int("sample", e[1]))
    days = sorted(per_day)
    taken: dict[str, int] = defaultdict(int)
    chosen = []
    for n in range(SAMPLE_SIZE):
        day = days[n * len(days) // SAMPLE_SIZE]
        # Several visits to one day (fewer days than samples) take its next item.
        entries = per_day[day]
        if taken[day] < len(entries):
            chosen.append(entries[taken[day]])
            taken[day] += 1
    return chosen


RU_SAMPLES_FILE = "tass_ru_samples_2014-2019.json"
RU_DPRK_FILE = "tass_ru_dprk_3.json"
RU_MONTHS = (
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
# "ГОРОД, 30 марта. /ТАСС/. ", "ТАСС, 1 апреля. ", "/Корр. ТАСС Имя Фамилия/. ": any form.
RU_ANY_DATELINE_RE = re.compile(
    rf"^(?P<place>[А-ЯЁA-Z][^,\n]{{0,60}}), (?P<day>\d{{1,2}}) (?P<month>{'|'.join(RU_MONTHS)})"
    r"\.(?:\s*/[^/\n]{2,80}/\.)?\s+"
)
# tass.ru ids of known dates (the parser's table): an undated item's day is interpolated
# between its neighbours, and an item with no URL gets an id of its era.
RU_ID_ANCHORS = TASS_RU_ID_ANCHORS
TASS_RU_ANY_URL_RE = re.compile(
    r"^https?://(?:www\.)?(?:itar-)?tass\.(?:ru|com)/([a-z\-]+)/(\d{6,})"
)
# The ODS dump lost its newline escapes: "...года.n\"В городе" and "наnсайтеnгородской".
GLUED_BREAK_RE = re.compile(r"(?<=[.!?\"»)])n(?=[\"«A-ZА-ЯЁ])")
GLUED_SPACE_RE = re.compile(r"(?<=[а-яё,])n(?=[A-Za-zА-Яа-яЁё])")
# A sentence ends before a capital, not at an abbreviation such as "им. Ломоносова".
RU_SENTENCE_END_RE = re.compile(
    r"(?<!\bим)(?<!\bг)(?<!\bул)[.!?][\"”»’)\]]*(?=\s+[\"«A-ZА-ЯЁ0-9]|$)"
)
ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# Source times are Moscow wall-clock readings: UTC+4 from 2011-03 to 2014-10, else +3.
MOSCOW_ZONE = ZoneInfo("Europe/Moscow")
GLUED_TAIL_RE = re.compile(r"(?<=[A-Za-zó])n(?=[.,;:])")


def _line(date_a: date, date_b: date, id_a: int, id_b: int) -> float:
    return (id_b - id_a) / max(1, (date_b - date_a).days)


def ru_date_from_id(external_id: int) -> date:
    """The day a tass.ru id was most likely issued, by linear interpolation of the anchors."""
    pairs = list(itertools.pairwise(RU_ID_ANCHORS))
    for (id_a, day_a), (id_b, day_b) in pairs:
        if external_id <= id_b or (id_b, day_b) == RU_ID_ANCHORS[-1]:
            per_day = _line(day_a, day_b, id_a, id_b)
            return day_a + timedelta(days=round((external_id - id_a) / per_day))
    raise AssertionError("unreachable")


def ru_id_for_date(day: date) -> int:
    """An id of the right era for an item whose URL was not kept (before 2014: extrapolated)."""
    pairs = list(itertools.pairwise(RU_ID_ANCHORS))
    for (id_a, day_a), (id_b, day_b) in pairs:
        if day <= day_b or (id_b, day_b) == RU_ID_ANCHORS[-1]:
            per_day = _line(day_a, day_b, id_a, id_b)
            return max(100_000, id_a + round((day - day_a).days * per_day))
    raise AssertionError("unreachable")


def ru_paragraphs(text: str) -> list[str]:
    """Paragraphs of a Russian text: blank-line or newline separated, tail cut to a sentence."""
    text = ZERO_WIDTH_RE.sub("", text.replace("\r", ""))
    paragraphs = [
        " ".join(line.split())
        for line in text.split("\n")
        if line.strip("\xa0 ") and not line.strip().startswith("На эту тему")
    ]
    if not paragraphs:
        return []
    last = cut_to_sentence(paragraphs[-1])
    return [*paragraphs[:-1], last] if last else paragraphs[:-1]


def unglue_ods(text: str) -> str:
    """Put back the line breaks the ODS dump turned into a literal 'n'."""
    text = GLUED_BREAK_RE.sub("\n", text)
    text = GLUED_SPACE_RE.sub(" ", text)
    return GLUED_TAIL_RE.sub("", text)


def first_sentence(paragraph: str) -> str:
    body = RU_ANY_DATELINE_RE.sub("", paragraph, count=1)
    end = RU_SENTENCE_END_RE.search(body)
    return (body[: end.end()] if end else body).strip()


def ru_record(
    external_id: int,
    rubric: str,
    paragraphs: list[str],
    published: datetime,
    *,
    title: str | None = None,
    modified: datetime | None = None,
) -> dict[str, Any]:
    """A record whose lead is the first sentence after the dateline (TASS leads restate
    it) and whose headline is the real title, or that sentence when none was kept."""
    lead = first_sentence(paragraphs[0])
    headline = title or lead.rstrip(".")
    if modified is None:
        note = RU_EDIT_NOTE_RE.search(paragraphs[-1])
        if note:  # "В новость внесены изменения (14:01 мск)": the page says when
            modified = datetime.combine(
                published.date(), time(int(note.group(1)), int(note.group(2))), tzinfo=MSK
            )
            published = min(published, modified - timedelta(minutes=25))
    return record(external_id, rubric, headline, lead, paragraphs, published, modified)


def ru_records(shared: Path) -> list[dict[str, Any]]:
    """Every Russian text of the shared data as a tass.ru record.

    * the 2020 items (first 3,000 characters each): the dateline gives the day (the year
      is the collection's); an undated feature's day comes from its id;
    * the 2014–2019 samples: their own title and date;
    * the three DPRK texts: the 2019 one has its URL; the 2016 and 2012 ones were kept
      without one, so they get an id of their era (noted in the record).
    Headlines are the real titles where kept, else the first sentence; nothing is made up.
    """
    out: list[dict[str, Any]] = []
    seen: set[int] = set()
    dated: dict[date, list[tuple[int, str, list[str]]]] = defaultdict(list)
    for item in load_json(shared / RU_FILE):
        match = TASS_RU_URL_RE.match(item["url"])
        if not match or not re.fullmatch(r"\d{6,}", match.group(2)):
            continue  # e.g. /infographics/8895: not an article URL
        external_id = int(match.group(2))
        if external_id in seen:
            continue
        seen.add(external_id)
        paragraphs = ru_paragraphs(item["text_first_3000_chars"])
        if not paragraphs:
            continue
        line = RU_ANY_DATELINE_RE.match(paragraphs[0])
        collected = date.fromisoformat(item["entrydate"][:10])
        if line:
            month = RU_MONTHS.index(line.group("month")) + 1
            day = date(collected.year, month, int(line.group("day")))
        else:
            day = min(collected, ru_date_from_id(external_id))
        dated[day].append((external_id, match.group(1), paragraphs))
    for day, items in dated.items():
        items.sort()
        for rank, (external_id, rubric, paragraphs) in enumerate(items):
            clock = day_clock(rank, len(items), external_id)
            out.append(
                ru_record(external_id, rubric, paragraphs, datetime.combine(day, clock, MSK))
            )

    for item in load_json(shared / RU_SAMPLES_FILE):
        match = TASS_RU_ANY_URL_RE.match(item["url"])
        if not match or int(match.group(2)) in seen:
            continue
        external_id = int(match.group(2))
        seen.add(external_id)
        text = unglue_ods(item["text"]) if "'n'" in item.get("note", "") else item["text"]
        if item["date"] and item["date"] != "None":
            published = datetime.fromisoformat(item["date"]).replace(tzinfo=MOSCOW_ZONE)
        else:
            day = ru_date_from_id(external_id)
            published = datetime.combine(day, time_from_id(external_id), tzinfo=MSK)
        paragraphs = ru_paragraphs(text)
        out.append(
            ru_record(external_id, match.group(1), paragraphs, published, title=item["title"])
        )

    for item in load_json(shared / RU_DPRK_FILE):
        url = item.get("url") or ""
        match = TASS_RU_ANY_URL_RE.match(url)
        stamp = item["date"]
        day = date.fromisoformat(stamp[:10])
        if match:
            external_id, rubric = int(match.group(2)), match.group(1)
        else:
            external_id, rubric = ru_id_for_date(day), "mezhdunarodnaya-panorama"
        if external_id in seen:
            continue
        seen.add(external_id)
        if len(stamp) > 10:
            published = datetime.fromisoformat(stamp).replace(tzinfo=MOSCOW_ZONE)
        else:
            published = datetime.combine(day, time_from_id(external_id), tzinfo=MOSCOW_ZONE)
        title = item["title"] if item.get("title_complete") else None
        rec = ru_record(external_id, rubric, ru_paragraphs(item["text"]), published, title=title)
        if not match:
            rec["note"] = "id estimated from the date: the text was kept without its URL"
        out.append(rec)
    return out


def write(path: Path, records: list[dict[str, Any]]) -> None:
    records = sorted(records, key=lambda r: r["external_id"])
    ids = [r["external_id"] for r in records]
    if len(ids) != len(set(ids)):
        raise ValueError(f"{path.name}: duplicate external ids")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="tass_real dir")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="fixtures dir")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    if not (shared / FULL20_FILE).is_file():
        print(f"no shared TASS data in {shared} (use --shared DIR)", file=sys.stderr)
        return 2

    full20 = full20_records(shared)
    old = dprk_old_records(shared)
    index, n_korea = index_records(shared)
    english = full20 + old + index
    write(args.out / "articles_en.json", english)
    russian = ru_records(shared)
    write(args.out / "articles_ru.json", russian)

    years: dict[str, int] = defaultdict(int)
    for rec in english:
        years[rec["published_at"][:4]] += 1
    print(
        f"articles_en.json: {len(english)} records (full text {len(full20)}, "
        f"2017-2018 DPRK {len(old)}, index Korea {n_korea}, index sample "
        f"{len(index) - n_korea}); by year {dict(sorted(years.items()))}"
    )
    print(f"articles_ru.json: {len(russian)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
