#!/usr/bin/env python3
"""Assemble the article-level quote gold set from the hand labels and the real texts.

The labels (``tests/data/quote_gold_labels.tsv``) were written by a person reading each
article; this script only attaches every labelled article's body, language and day from
the shared real-text files beside the clone, so the tests need nothing outside the repo.
It refuses a label whose opening words do not occur in the article, which catches typos.

Usage: PYTHONPATH=plugins python scripts/build_quote_gold.py [--shared DIR] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from newswire.parse.dateline import RU_MONTHS

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data" / "tass_real"
LABELS = REPO_ROOT / "tests" / "data" / "quote_gold_labels.tsv"
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "quote_gold_articles.json"

DPRK_DAYS = {
    "https://tass.com/world/965296": date(2017, 9, 12),
    "https://tass.com/world/970345": date(2017, 10, 12),
    "https://tass.com/politics/995294": date(2018, 3, 20),
}
RU_DAY = re.compile(r"^[^\n]{0,60}?, (\d{1,2}) (" + "|".join(RU_MONTHS) + r")\. /ТАСС/")


def _read(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


def real_articles(shared: Path) -> Iterator[tuple[str, str, str, list[str]]]:
    """(url, language, ISO day, body paragraphs) of every real text with a full body."""
    for item in _read(shared / "tass_com_dprk_2017-2018_text_excerpts.json"):
        url = item["url"].replace("http://", "https://")
        paragraphs = [p.strip() for p in item["excerpt"].split("\n\n") if p.strip()]
        start = next(i for i, p in enumerate(paragraphs) if "/TASS/" in p)
        yield url, "en", DPRK_DAYS[url].isoformat(), paragraphs[start:]
    for item in _read(shared / "tass_com_politics_2024-12-26_full20.json"):
        yield item["link"], "en", item["date"][:10], [p.strip() for p in item["content"][1:]]
    for item in _read(shared / "tass_ru_2020-03-30_first3000.json"):
        text = item["text_first_3000_chars"]
        paragraphs = [
            p.strip() for p in text.split("\n") if p.strip() and not p.startswith("На эту тему")
        ]
        day = item["entrydate"][:10]
        m = RU_DAY.match(paragraphs[0]) if paragraphs else None
        if m:
            day = date(int(day[:4]), RU_MONTHS[m.group(2)], int(m.group(1))).isoformat()
        yield item["url"], "ru", day, paragraphs
    for item in _read(shared / "tass_ru_samples_2014-2019.json"):
        if item.get("date"):
            # One sample lost its paragraph breaks to a literal "n" between sentences.
            paragraphs = [p.strip() for p in re.split(r"\n|(?<=[.!?\"»])n(?=[А-ЯЁ\"«])",
                                                       item["text"]) if p.strip()]
            yield item["url"], "ru", item["date"][:10], paragraphs
    wire = shared / "tass_wire_newsml_2019-01-21.xml"
    content = ET.parse(wire).getroot().find(".//body.content")
    if content is not None:
        paragraphs = [" ".join("".join(p.itertext()).split()) for p in content.iter("p")]
        yield wire.stem, "en", "2019-01-21", [p for p in paragraphs if p]
    for item in _read(shared / "tass_ru_dprk_3.json"):
        if item.get("url"):
            yield item["url"], "ru", str(item["date"])[:10], [
                p.strip() for p in item["text"].split("\n") if p.strip()
            ]


def read_labels(path: Path) -> tuple[dict[str, list[dict[str, str | None]]], set[str]]:
    """Labels by article, in file order ('-' stands for NULL, kind 'none' for an article
    without quotes), and the articles below the '#@ held-out' line."""
    out: dict[str, list[dict[str, str | None]]] = {}
    held_out: set[str] = set()
    in_held_out = False
    for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if line.startswith("#@ held-out"):
            in_held_out = True
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != 6:
            raise SystemExit(f"{path.name}:{n}: expected 6 tab-separated cells, got {len(cells)}")
        source, speaker, name, role, kind, start = cells
        if in_held_out:
            held_out.add(source)
        quotes = out.setdefault(source, [])
        if kind == "none":
            continue  # an article read in full that holds no attributed quotation
        if kind not in {"person", "body", "document", "unnamed"}:
            raise SystemExit(f"{path.name}:{n}: unknown kind {kind!r}")
        quotes.append(
            {
                "speaker": speaker,
                "speaker_name": None if name == "-" else name,
                "speaker_role": None if role == "-" else role,
                "kind": kind,
                "starts_with": start,
            }
        )
    return out, held_out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    labels, held_out = read_labels(LABELS)
    texts = {url: (lang, day, paras) for url, lang, day, paras in real_articles(args.shared)}
    articles = []
    for source, quotes in labels.items():
        if source not in texts:
            raise SystemExit(f"no real text for {source}")
        language, day, paragraphs = texts[source]
        body = "\n\n".join(paragraphs)
        for q in quotes:
            if str(q["starts_with"]) not in body:
                raise SystemExit(f"{source}: {q['starts_with']!r} is not in the text")
        articles.append(
            {"source": source, "language": language, "published_on": day,
             "split": "held_out" if source in held_out else "tuning", "body": body,
             "quotes": quotes}
        )
    gold = {
        "about": (
            "Real TASS articles with every attributed direct quotation, labelled by a person "
            "reading them (tests/data/quote_gold_labels.tsv): speaker as printed, the fullest "
            "name the article gives that speaker (null if never named), the role printed "
            "beside the name, the kind of speaker (person, body, document, unnamed) and the "
            "opening words. A quotation counts when a speech verb attributes it (X said "
            "\"...\", \"...\", - заявил X, по словам X, \"...\"; a continuation after an "
            "attributed one); fragments inside reported speech, scare quotes and titles do "
            "not. Articles with split 'held_out' were labelled after the quote finder was tuned "
            "on the 'tuning' ones and measure it on unseen text. Built by "
            "scripts/build_quote_gold.py."
        ),
        "articles": articles,
    }
    args.out.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", "utf-8")
    n = sum(len(a["quotes"]) for a in articles)
    print(f"{len(articles)} articles, {n} labelled quotes -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
