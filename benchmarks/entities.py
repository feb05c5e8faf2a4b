"""Precision and recall of the entity matcher on the labelled real TASS sample.

    PYTHONPATH=plugins python benchmarks/entities.py [--gold tests/data/entity_gold.json]

Prints one row per entity, then the misses and false hits for the DPRK and Russia, and
as its last line a JSON object with the DPRK and Russia figures. Exits non-zero when
either falls below the targets (P >= 0.97, R >= 0.95).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from newswire.analysis.entities import find_entities, load_dictionary

TARGET_PRECISION = 0.97
TARGET_RECALL = 0.95
GATED = ("dprk", "russia")
DEFAULT_GOLD = Path(__file__).resolve().parents[1] / "tests" / "data" / "entity_gold.json"


def score(items: list[dict]) -> tuple[dict[str, Counter], list[tuple[str, str, str]]]:
    """Per entity: true positives, false positives, false negatives; and the errors."""
    tally: dict[str, Counter] = {e.key: Counter() for e in load_dictionary()[0]}
    errors = []
    for item in items:
        expected = set(item["expected"])
        found = find_entities(item["text"], item["language"])
        for key in tally:
            if key in expected and key in found:
                tally[key]["tp"] += 1
            elif key in found:
                tally[key]["fp"] += 1
                errors.append((key, "false hit", item["text"]))
            elif key in expected:
                tally[key]["fn"] += 1
                errors.append((key, "missed", item["text"]))
    return tally, errors


def ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    args = parser.parse_args(argv)
    items = json.loads(args.gold.read_text("utf-8"))["items"]
    tally, errors = score(items)
    print(f"{len(items)} labelled texts\n")
    print(f"{'entity':<18}{'support':>8}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    result = {}
    for key, c in tally.items():
        support = c["tp"] + c["fn"]
        p, r = ratio(c["tp"], c["tp"] + c["fp"]), ratio(c["tp"], support)
        if not support and not c["fp"]:
            continue
        print(
            f"{key:<18}{support:>8}{c['tp']:>5}{c['fp']:>5}{c['fn']:>5}"
            f"{'-' if p is None else f'{p:.3f}':>11}{'-' if r is None else f'{r:.3f}':>8}"
        )
        result[key] = {"precision": p, "recall": r, "support": support}
    shown = [e for e in errors if e[0] in GATED] + [e for e in errors if e[0] not in GATED]
    if shown:
        print("\nerrors:")
        for key, kind, text in shown:
            print(f"  {key:<14}{kind:<10} {text[:110]}")
    gated = {k: result.get(k, {}) for k in GATED}
    ok = all(
        (g.get("precision") or 0) >= TARGET_PRECISION and (g.get("recall") or 0) >= TARGET_RECALL
        for g in gated.values()
    )
    print(json.dumps({"texts": len(items), **gated, "meets_targets": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
