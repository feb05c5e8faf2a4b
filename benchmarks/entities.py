"""Precision and recall of the entity matcher on labelled real TASS text, and its cost.

    PYTHONPATH=plugins python benchmarks/entities.py [--gold tests/data/entity_gold.json]

Prints one row per labelled entity and one for people as a whole (every person the texts
name by a name that identifies them, see the gold file's `about`), then the misses and
false hits, the cost of analysing an article in each language (the test site's articles,
derived from real TASS texts: matching, and unknown-person discovery, which runs natasha
on Russian text), and as its last line a JSON object. Exits non-zero when a target is
missed: DPRK and Russia P >= 0.98 and R >= 0.98; people P >= 0.95 and R >= 0.90.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from newswire.analysis.entities import article_mentions, find_entities, unknown_persons
from newswire.analysis.knowledge import load_knowledge

TARGETS = {
    "dprk": (0.98, 0.98),
    "russia": (0.98, 0.98),
    "persons": (0.95, 0.90),
}
ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GOLD = ROOT / "tests" / "data" / "entity_gold.json"
FIXTURES = ROOT / "devtools" / "testsite" / "fixtures"


def score(items: list[dict]) -> tuple[dict[str, Counter[str]], list[tuple[str, str, str]]]:
    """Per labelled entity and for people as a whole: tp, fp, fn; and the errors."""
    kinds = {e.key: e.kind for e in load_knowledge().entities}
    labelled = sorted({k for item in items for k in item["expected"]})
    tally: dict[str, Counter[str]] = {k: Counter() for k in [*labelled, "persons"]}
    errors = []
    for item in items:
        found = find_entities(item["text"], item["language"])
        expected = set(item["expected"])
        for key in labelled:
            if key in expected and key in found:
                tally[key]["tp"] += 1
            elif key in found:
                tally[key]["fp"] += 1
                errors.append((key, "false hit", item["text"]))
            elif key in expected:
                tally[key]["fn"] += 1
                errors.append((key, "missed", item["text"]))
        people, wanted = {k for k in found if kinds[k] == "person"}, set(item["persons"])
        tally["persons"]["tp"] += len(people & wanted)
        for key in sorted(people - wanted):
            tally["persons"]["fp"] += 1
            errors.append((f"person {key}", "false hit", item["text"]))
        for key in sorted(wanted - people):
            tally["persons"]["fn"] += 1
            errors.append((f"person {key}", "missed", item["text"]))
    return tally, errors


def heldout_people(items: list[dict]) -> dict[str, float | int | None]:
    """People on the held-out texts: known ones matched, unknown ones discovered."""
    kinds = {e.key: e.kind for e in load_knowledge().entities}
    held = [item for item in items if item.get("split") == "heldout"]
    tp = fp = fn = outside = discovered = 0
    for item in held:
        found = {k for k in find_entities(item["text"], item["language"]) if kinds[k] == "person"}
        wanted = set(item["persons"])
        tp, fp, fn = tp + len(found & wanted), fp + len(found - wanted), fn + len(wanted - found)
        names = [p.normalised.lower() for p in unknown_persons([item["text"]], item["language"])]
        for person in item.get("persons_outside_kb", []):
            outside += 1
            surname = person.split()[-1].lower()[:5]
            discovered += any(surname in name for name in names)
    return {
        "texts": len(held),
        "precision": ratio(tp, tp + fp),
        "recall": ratio(tp, tp + fn),
        "support": tp + fn,
        "outside": outside,
        "outside_discovered": discovered,
    }


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def cost(language: str, rounds: int = 5) -> dict[str, float]:
    """Median microseconds per article of matching and of unknown-person discovery."""
    name = "articles_en.json" if language == "en" else "articles_ru.json"
    articles = json.loads((FIXTURES / name).read_text("utf-8"))
    # Whole articles only: most English fixtures are a headline and an opening.
    articles = [a for a in articles if len(" ".join(a["paragraphs"])) > 1000]
    match, unknown = [], []
    article_mentions("warm", "up", "the matcher", language)
    unknown_persons(["Разогрев модели Иван Петров."], "ru")
    for _ in range(rounds):
        started = time.perf_counter()
        for a in articles:
            article_mentions(a["headline"], a["lead"], "\n\n".join(a["paragraphs"]), language)
        match.append((time.perf_counter() - started) / len(articles) * 1e6)
        started = time.perf_counter()
        for a in articles:
            unknown_persons([a["headline"], a["lead"], *a["paragraphs"]], language)
        unknown.append((time.perf_counter() - started) / len(articles) * 1e6)
    chars = statistics.median(len(" ".join(a["paragraphs"])) for a in articles)
    return {
        "articles": len(articles),
        "median_chars": chars,
        "match_us": round(statistics.median(match), 1),
        "unknown_people_us": round(statistics.median(unknown), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    items = json.loads(args.gold.read_text("utf-8"))["items"]
    tally, errors = score(items)
    languages = Counter(item["language"] for item in items)
    print(f"{len(items)} labelled texts ({dict(languages)})\n")
    print(f"{'entity':<18}{'support':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    result: dict[str, dict[str, float | int | None]] = {}
    for key, c in tally.items():
        support = c["tp"] + c["fn"]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], support)
        print(
            f"{key:<18}{support:>8}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}"
            f"{'-' if p is None else f'{p:.3f}':>11}{'-' if r is None else f'{r:.3f}':>8}"
        )
        result[key] = {"precision": p, "recall": r, "support": support}
    gaps = [n for item in items for n in item.get("persons_not_matched_by_rule", [])]
    print(f"\npeople a reader sees but the rules leave out ({len(gaps)}): {'; '.join(gaps)}")
    heldout = heldout_people(items)
    print(
        f"held-out texts ({heldout['texts']}, labelled after the base was grown): known people"
        f" P {heldout['precision']} / R {heldout['recall']} ({heldout['support']});"
        f" people the base lacks {heldout['outside']}, of them found as unknown people"
        f" {heldout['outside_discovered']}"
    )
    if errors:
        print("\nerrors:")
        for key, kind, text in errors:
            print(f"  {key:<24}{kind:<10} {text[:100]}")
    costs = {language: cost(language) for language in ("en", "ru")}
    print("\ncost per article (median of 5 rounds):")
    for language, c in costs.items():
        print(
            f"  {language}: {c['articles']} articles of ~{c['median_chars']:.0f} characters:"
            f" matching {c['match_us']:.0f} µs, unknown-person discovery"
            f" {c['unknown_people_us']:.0f} µs"
        )
    gated = {k: result.get(k, {}) for k in TARGETS}
    ok = all(
        (gated[k].get("precision") or 0) >= p and (gated[k].get("recall") or 0) >= r
        for k, (p, r) in TARGETS.items()
    )
    print(
        json.dumps(
            {
                "texts": len(items),
                **gated,
                "heldout_persons": heldout,
                "cost_us": costs,
                "meets_targets": ok,
            }
        )
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
