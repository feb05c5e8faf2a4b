#!/usr/bin/env python3
"""Derive the test site's extra history articles (tass.com before the sitemaps).

The main builder (`build_testsite_fixtures.py`) makes the site's articles, the three
2017-2018 DPRK pages among them. This one adds what the history tests need beyond those,
from the real data beside the repository, into `fixtures/history_en.json`, which the
test site loads next to `articles_en.json`:

* the one English TASS wire item of 2019 (NewsML, 2019-01-21) as a 2019 tass.com page, so
  the site serves 2017-2019 articles in b-material markup. The wire item carries no
  tass.com URL, so its id is placed on the line through two known (id, date) pairs of
  tass.com (TASS_SITE.md: 995294 = 2018-03-20, 1115101 = 2020-01-31), and its section is
  `politics` (a Kremlin statement). Its typography lost the apostrophes to `?`; they are
  put back.

Deterministic: a rerun gives a zero diff.

Usage: python scripts/build_history_fixtures.py [--shared DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as safe_xml

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data" / "tass_real"
DEFAULT_OUT = REPO_ROOT / "devtools" / "testsite" / "fixtures"
NEWSML_FILE = "tass_wire_newsml_2019-01-21.xml"
MSK = timezone(timedelta(hours=3))
KNOWN = ((995294, date(2018, 3, 20)), (1115101, date(2020, 1, 31)))
LOST_APOSTROPHE = re.compile(r"(?<=\w)\?(?=s\b)")
DATELINE = re.compile(r"^[A-Z][^,]*, [A-Z][a-z]+ \d{1,2}\. /TASS/\. ")
SENTENCE_END = re.compile(r"(?<=[.!?])\s")


def id_on(day: date) -> int:
    """tass.com's article id on `day`, on the line through the two known pairs."""
    (first, on), (last, later) = KNOWN
    per_day = (last - first) / (later - on).days
    return round(first + per_day * (day - on).days)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def newsml_article(path: Path) -> dict[str, Any]:
    root = safe_xml.parse(path).getroot()
    created = next(e.text for e in root.iter() if _local(e.tag) == "FirstCreated")
    headline = next(e.text for e in root.iter() if _local(e.tag) == "HeadLine")
    body = next(e for e in root.iter() if _local(e.tag) == "body.content")
    paragraphs = [
        LOST_APOSTROPHE.sub("’", " ".join("".join(p.itertext()).split()))
        for p in body
        if _local(p.tag) == "p"
    ]
    if not (created and headline and paragraphs and DATELINE.match(paragraphs[0])):
        raise ValueError(f"{path.name}: not the wire item this builder expects")
    published = datetime.strptime(created.strip(), "%Y%m%dT%H%M%S").replace(tzinfo=MSK)
    first_sentence = SENTENCE_END.split(DATELINE.sub("", paragraphs[0]), maxsplit=1)[0]
    return {
        "external_id": id_on(published.date()),
        "section": "politics",
        "headline": " ".join(headline.split()),
        "lead": first_sentence.rstrip("."),
        "paragraphs": paragraphs,
        "published_at": published.isoformat(),
        "modified_at": published.isoformat(),
        "image_url": None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    source = args.shared / NEWSML_FILE
    if not source.is_file():
        print(f"missing {source}", file=sys.stderr)
        return 2
    records = sorted([newsml_article(source)], key=lambda r: r["external_id"])
    out = args.out / "history_en.json"
    out.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(records)} history articles to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
