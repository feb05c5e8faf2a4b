#!/usr/bin/env python3
"""Record what the text analysis finds in every real text, and compare two records.

A speed change to the analysis must not change a single result. This script runs the
three steps the load runs on every article (entity mentions, quotes with every speaker
field, unknown persons) over all the real TASS text beside the clone (the English index
openings with their headlines, the full English and Russian texts) and the test site's
fixtures, and writes every result to a gzipped JSON file kept outside the repository.
`compare` prints each difference between two such files and exits 1 when there is one.

    PYTHONPATH=plugins python scripts/analysis_snapshot.py take /tmp/before.json.gz
    PYTHONPATH=plugins python scripts/analysis_snapshot.py compare /tmp/before.json.gz \
        /tmp/after.json.gz
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_quote_gold import DEFAULT_SHARED, real_articles
from newswire.analysis.entities import article_mentions, unknown_persons
from newswire.analysis.quotes import article_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "devtools" / "testsite" / "fixtures"
INDEX_FILES = ("tass_com_index_2025.json", "tass_com_index_2026.json")
FIXTURE_FILES = (("articles_en.json", "en"), ("articles_ru.json", "ru"), ("history_en.json", "en"))

# (source id, language, ISO day or "", headline, lead, body paragraphs)
Text = tuple[str, str, str, str, str, list[str]]


def texts(shared: Path) -> Iterator[Text]:
    """Every real text and fixture, in a fixed order."""
    for name in INDEX_FILES:
        for n, item in enumerate(json.loads((shared / name).read_text("utf-8"))):
            body = [item["s"]] if item.get("s") else []
            yield f"{name}#{n}", "en", item.get("d", "")[:10], item.get("t", ""), "", body
    for url, language, day, paragraphs in real_articles(shared):
        yield url, language, day, "", "", paragraphs
    for name, language in FIXTURE_FILES:
        for item in json.loads((FIXTURES / name).read_text("utf-8")):
            day = str(item.get("published_at") or "")[:10]
            yield (f"{name}#{item['external_id']}", language, day, item.get("headline") or "",
                   item.get("lead") or "", list(item["paragraphs"]))


def analyse(text: Text) -> dict[str, Any]:
    """Every result of the three steps for one text, as plain JSON values."""
    source, language, day, headline, lead, paragraphs = text
    body = "\n\n".join(paragraphs)
    published = date.fromisoformat(day) if len(day) == 10 else None
    mentions = article_mentions(headline, lead, body, language)
    return {
        "source": source,
        "language": language,
        "mentions": {k: dataclasses.asdict(m) for k, m in sorted(mentions.items())},
        "quotes": [dataclasses.asdict(q) for q in article_quotes(body, language, published)],
        "unknowns": [
            dataclasses.asdict(u) for u in unknown_persons([headline, lead, *paragraphs],
                                                           language)
        ],
    }


def take(path: Path, shared: Path) -> int:
    started = time.process_time()
    records, seen = [], set()
    for text in texts(shared):
        record = analyse(text)
        while record["source"] in seen:  # a text listed twice keeps both records
            record["source"] += "+"
        seen.add(record["source"])
        records.append(record)
    spent = time.process_time() - started
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(records, f, ensure_ascii=False)
    by_language: dict[str, int] = {}
    for r in records:
        by_language[r["language"]] = by_language.get(r["language"], 0) + 1
    print(f"{len(records)} texts {by_language}, {spent:.1f} s CPU -> {path}")
    return 0


def _load(path: Path) -> dict[str, dict[str, Any]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return {r["source"]: r for r in json.load(f)}


def compare(before_path: Path, after_path: Path) -> int:
    """Print every text whose results differ, field by field; 1 if any does."""
    before, after = _load(before_path), _load(after_path)
    differences = 0
    for source in sorted(before.keys() | after.keys()):
        a, b = before.get(source), after.get(source)
        if a is None or b is None:
            differences += 1
            print(f"{source}: only in {'after' if a is None else 'before'}")
            continue
        for step in ("mentions", "quotes", "unknowns"):
            if a[step] != b[step]:
                differences += 1
                print(f"{source} {step}:\n  before {json.dumps(a[step], ensure_ascii=False)}"
                      f"\n  after  {json.dumps(b[step], ensure_ascii=False)}")
    compared = len(before.keys() & after.keys())
    print(f"{compared} texts compared, {differences} differences")
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    take_cmd = sub.add_parser("take", help="analyse every text and write the results")
    take_cmd.add_argument("output", type=Path)
    take_cmd.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    cmp_cmd = sub.add_parser("compare", help="print each difference between two snapshots")
    cmp_cmd.add_argument("before", type=Path)
    cmp_cmd.add_argument("after", type=Path)
    args = parser.parse_args(argv)
    if args.command == "take":
        return take(args.output, args.shared)
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
