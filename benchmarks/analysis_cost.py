"""CPU cost of each step of the text analysis per article, English and Russian.

    PYTHONPATH=plugins python benchmarks/analysis_cost.py [--rounds 5]

Runs the three steps the load and `reanalyse` run on every article (entity mentions,
quote attribution, unknown-person discovery) over the test site's full articles (derived
from real TASS text) and prints the median CPU microseconds per article of each step and
of all three, then the machine's load average (the figures are process CPU time, but a
busy machine still slows caches and memory), and as its last line a JSON object.
Measured after one warm-up pass: a long-running worker has its models loaded and its
per-word caches filled. Since the analysis keeps answers per word, per name and per short
phrase, repeated passes over the same articles would flatter it; so before those rounds
the benchmark also times articles it has not seen: it warms up on every other article
and times the rest once ("unseen"), as a worker meets new articles naming people and
places its caches already know.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newswire.analysis.entities import article_mentions, unknown_persons
from newswire.analysis.quotes import article_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "devtools" / "testsite" / "fixtures"
STEPS = ("mentions", "quotes", "unknown_people")


def _articles(language: str) -> list[dict[str, Any]]:
    """Whole articles only: most English fixtures are a headline and an opening."""
    items = json.loads((FIXTURES / f"articles_{language}.json").read_text("utf-8"))
    return [a for a in items if len(" ".join(a["paragraphs"])) > 1000]


def _step(name: str, language: str) -> Callable[[dict[str, Any]], object]:
    """The call the load makes for one article in step `name`."""
    if name == "mentions":
        return lambda a: article_mentions(
            a["headline"], a["lead"], "\n\n".join(a["paragraphs"]), language
        )
    if name == "quotes":
        return lambda a: article_quotes("\n\n".join(a["paragraphs"]), language)
    return lambda a: unknown_persons([a["headline"], a["lead"], *a["paragraphs"]], language)


def unseen(language: str) -> dict[str, float]:
    """CPU µs per article of each step on articles not analysed before in this process:
    warm up on the even-numbered articles, time the odd-numbered ones once."""
    articles = _articles(language)
    warm, timed = articles[0::2], articles[1::2]
    out: dict[str, float] = {"articles": len(timed)}
    for name in STEPS:
        run = _step(name, language)
        for a in warm:
            run(a)
        started = time.process_time()
        for a in timed:
            run(a)
        out[f"{name}_us"] = round((time.process_time() - started) / len(timed) * 1e6, 1)
    out["total_us"] = round(sum(out[f"{name}_us"] for name in STEPS), 1)
    return out


def cost(language: str, rounds: int) -> dict[str, float]:
    """Median CPU µs per article of each step over `rounds` passes, after a warm-up."""
    articles = _articles(language)
    out: dict[str, float] = {"articles": len(articles)}
    for name in STEPS:
        run = _step(name, language)
        for a in articles:
            run(a)
        samples = []
        for _ in range(rounds):
            started = time.process_time()
            for a in articles:
                run(a)
            samples.append((time.process_time() - started) / len(articles) * 1e6)
        out[f"{name}_us"] = round(statistics.median(samples), 1)
    out["total_us"] = round(sum(out[f"{name}_us"] for name in STEPS), 1)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    fresh: dict[str, dict[str, float]] = {}
    costs: dict[str, dict[str, float]] = {}
    for language in ("en", "ru"):
        fresh[language] = unseen(language)  # first: before any round has seen them
        costs[language] = cost(language, args.rounds)
    load = [round(x, 2) for x in os.getloadavg()]
    print(f"CPU µs per article, repeated articles (median of {args.rounds} rounds) | unseen:")
    for language, c in costs.items():
        u = fresh[language]
        steps = ", ".join(f"{n} {c[f'{n}_us']:.0f} | {u[f'{n}_us']:.0f}" for n in STEPS)
        print(f"  {language}: {c['articles']:.0f} | {u['articles']:.0f} articles: {steps}; "
              f"total {c['total_us']:.0f} | {u['total_us']:.0f}")
    print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} cores")
    print(json.dumps({"cost_us": costs, "unseen_us": fresh, "loadavg": load,
                      "cores": os.cpu_count()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
