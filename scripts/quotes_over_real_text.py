#!/usr/bin/env python3
"""Run the quote finder over every real TASS text beside the clone and show what it finds.

For reading the output, not for scoring it (benchmarks/quotes.py scores the labelled
subset): prints per source file the texts, quotations, quotations with a named speaker
and the speakers it could not name, then every quotation as
``source | speaker | speaker_name | speaker_role | opening words`` with --list.

Usage: PYTHONPATH=plugins python scripts/quotes_over_real_text.py [--shared DIR] [--list]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build_quote_gold import DEFAULT_SHARED, real_articles
from newswire.analysis.quotes import article_quotes

INDEX_FILES = ("tass_com_index_2025.json", "tass_com_index_2026.json")


def index_openings(shared: Path) -> Iterator[tuple[str, str, str, list[str]]]:
    """The 60-character body openings of the English index files, as one-line texts."""
    for name in INDEX_FILES:
        for item in json.loads((shared / name).read_text("utf-8")):
            if item.get("s"):
                yield item["u"], "en", item["d"][:10], [item["s"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--list", action="store_true", help="print every quotation found")
    args = parser.parse_args(argv)
    totals: dict[str, Counter[str]] = {}
    unnamed: Counter[str] = Counter()
    rows = []
    sources = [("full texts", real_articles(args.shared)), ("index openings",
                                                             index_openings(args.shared))]
    for label, texts in sources:
        tally = totals.setdefault(label, Counter())
        for source, language, day, paragraphs in texts:
            tally["texts"] += 1
            published = date.fromisoformat(day) if len(day) == 10 else None
            for q in article_quotes("\n\n".join(paragraphs), language, published):
                tally[f"quotes_{language}"] += 1
                tally["named"] += q.speaker_name is not None
                tally["linked"] += q.entity_key is not None
                if q.speaker_name is None:
                    unnamed[q.speaker] += 1
                rows.append((source, q.speaker, q.speaker_name, q.speaker_role, q.text[:60]))
    for label, tally in totals.items():
        print(f"{label}: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.items())))
    print("speakers left without a name: " + ", ".join(f"{s!r} x{n}" for s, n in
                                                     unnamed.most_common(15)))
    if args.list:
        for row in rows:
            print(" | ".join("-" if cell is None else str(cell) for cell in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
