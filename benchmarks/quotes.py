"""Quote finding and speaker resolution against the hand-labelled real TASS articles.

    PYTHONPATH=plugins python benchmarks/quotes.py [--gold tests/data/quote_gold_articles.json] [-v]

A found quotation matches a labelled one of the same article when its text starts with
the labelled opening words. Prints per language and for the held-out articles: quote
recall and precision, exact accuracy of the printed speaker, of speaker_name (the person
or body behind it) and of speaker_role over the matched quotations; then the errors
(-v: all of them) and, as its last line, one JSON object. Exits non-zero below the
targets (speaker_name >= 0.97, recall >= 0.95, precision >= 0.97, all articles).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from newswire.analysis.quotes import Quote, article_quotes

TARGETS = {"speaker_name": 0.97, "recall": 0.95, "precision": 0.97}
DEFAULT_GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "quote_gold_articles.json"


@dataclass
class Tally:
    """Counts for one language (or all)."""

    counts: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def ratio(self, hit: str, total: str) -> float | None:
        return round(self.counts[hit] / self.counts[total], 4) if self.counts[total] else None

    def figures(self) -> dict[str, Any]:
        return {
            "gold": self.counts["gold"],
            "found": self.counts["found"],
            "recall": self.ratio("matched", "gold"),
            "precision": self.ratio("matched_found", "found"),
            "speaker": self.ratio("speaker_ok", "matched"),
            "speaker_name": self.ratio("name_ok", "matched"),
            "speaker_name_persons": self.ratio("person_name_ok", "matched_persons"),
            "speaker_role": self.ratio("role_ok", "matched_persons"),
        }


def score_article(article: dict[str, Any], found: list[Quote], tally: Tally) -> None:
    """Match one article's found quotations to its labels and count what agrees."""
    used: set[int] = set()
    src = article["source"]
    tally.counts["gold"] += len(article["quotes"])
    tally.counts["found"] += len(found)
    for want in article["quotes"]:
        start = want["starts_with"]
        hit = next(
            (i for i, q in enumerate(found) if i not in used and q.text.startswith(start)), None
        )
        if hit is None:
            tally.errors.append(f"missed   {src}: {want['speaker']!r} {want['starts_with']!r}")
            continue
        used.add(hit)
        got = found[hit]
        person = want["kind"] == "person"
        tally.counts["matched"] += 1
        tally.counts["matched_persons"] += person
        tally.counts["speaker_ok"] += got.speaker == want["speaker"]
        name_ok = got.speaker_name == want["speaker_name"]
        tally.counts["name_ok"] += name_ok
        tally.counts["person_name_ok"] += name_ok and person
        role_ok = got.speaker_role == want["speaker_role"]
        tally.counts["role_ok"] += role_ok and person
        if got.speaker != want["speaker"]:
            tally.errors.append(f"speaker  {src}: {got.speaker!r} != {want['speaker']!r}")
        if not name_ok:
            tally.errors.append(f"name     {src}: {got.speaker_name!r} != {want['speaker_name']!r}")
        if person and not role_ok:
            tally.errors.append(f"role     {src}: {got.speaker_role!r} != {want['speaker_role']!r}")
    tally.counts["matched_found"] += len(used)
    for i, q in enumerate(found):
        if i not in used:
            tally.errors.append(f"extra    {src}: {q.speaker!r} {q.text[:50]!r}")


def evaluate(articles: list[dict[str, Any]]) -> dict[str, Tally]:
    """Tallies per language, for the held-out articles and for everything ('all')."""
    tallies: dict[str, Tally] = {"all": Tally()}
    for article in articles:
        lang = article["language"]
        found = article_quotes(article["body"], lang, date.fromisoformat(article["published_on"]))
        keys = [lang, "all"]
        if article.get("split") == "held_out":
            keys.append("held_out")
        for key in keys:
            score_article(article, found, tallies.setdefault(key, Tally()))
    return tallies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every error")
    args = parser.parse_args(argv)
    articles = json.loads(args.gold.read_text("utf-8"))["articles"]
    tallies = evaluate(articles)
    columns = (
        "gold",
        "found",
        "recall",
        "precision",
        "speaker",
        "speaker_name",
        "speaker_name_persons",
        "speaker_role",
    )
    print(f"{len(articles)} labelled articles\n")
    print(f"{'subset':<9}" + "".join(f"{c:>21}" for c in columns))
    result: dict[str, Any] = {}
    order = {"en": 0, "ru": 1, "held_out": 2, "all": 3}
    for lang, tally in sorted(tallies.items(), key=lambda kv: order.get(kv[0], 9)):
        figures = tally.figures()
        result[lang] = figures
        print(
            f"{lang:<9}"
            + "".join(f"{'-' if figures[c] is None else figures[c]!s:>21}" for c in columns)
        )
    errors = tallies["all"].errors
    if "held_out" in tallies:
        print("\n(held_out: articles labelled after the finder was tuned, English and Russian)")
    print(f"\n{len(errors)} errors")
    for line in errors if args.verbose else errors[:25]:
        print("  " + line)
    overall = result["all"]
    failed = [k for k, target in TARGETS.items() if (overall[k] or 0.0) < target]
    result["targets"] = TARGETS
    result["passed"] = not failed
    print(json.dumps(result, ensure_ascii=False, sort_keys=True))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
