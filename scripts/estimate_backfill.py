"""How long a 2017 → today backfill takes at the default politeness, from real volumes.

Reads the public tass.com item index beside the repository (../shared/data/tass_real/
tass_com_index_*.json: 16,739 items of 2025-06 .. 2026-03, one collector's search
results) for items per day, and the article ids of known dates (TASS_SITE.md) for how
fast ids grow, then prices a backfill with the same estimator `make backfill` prints.

    .venv/bin/python scripts/estimate_backfill.py [--since 2017-01-01] [--until 2026-12-01]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections import Counter
from datetime import date
from pathlib import Path

from newswire.backfill import month_windows
from newswire.backfill_estimate import describe_time, estimate
from newswire.models import Window
from newswire.sources import SOURCES

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tass_real"
# Article ids of known dates (TASS_SITE.md): how many ids a day each site spends.
KNOWN_IDS = {
    "tass.com": ((965296, date(2017, 9, 12)), (2198933, date(2026, 10, 7))),
    "tass.ru": ((6757072, date(2019, 8, 13)), (28033731, date(2026, 8, 21))),
}


def index_volume() -> tuple[int, int, float, float, float]:
    """(items, days, mean, median, 90th percentile) of the tass.com index, per day seen."""
    items: list[dict[str, str]] = []
    for path in sorted(DATA.glob("tass_com_index_*.json")):
        items.extend(json.loads(path.read_text(encoding="utf-8")))
    per_day = Counter(item["d"] for item in items)
    counts = sorted(per_day.values())
    p90 = counts[int(0.9 * (len(counts) - 1))]
    return len(items), len(per_day), statistics.mean(counts), statistics.median(counts), p90


def ids_per_day(source: str) -> float:
    (first, on), (last, later) = KNOWN_IDS[source]
    return (last - first) / (later - on).days


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--since", default="2017-01-01")
    parser.add_argument("--until", default=date.today().replace(day=1).isoformat())
    args = parser.parse_args(argv)
    if not DATA.is_dir():
        print(f"no real data beside the repository ({DATA})", file=sys.stderr)
        return 2
    total, days, mean, median, p90 = index_volume()
    print(
        f"tass.com index: {total} items on {days} days; per day mean {mean:.0f},"
        f" median {median:.0f}, 90th percentile {p90}"
    )
    com_ids, ru_ids = ids_per_day("tass.com"), ids_per_day("tass.ru")
    print(
        f"ids spent per day: tass.com {com_ids:.0f}, tass.ru {ru_ids:.0f}"
        f" (ratio {ru_ids / com_ids:.1f}; ids also number photos, video, other items)"
    )
    windows = month_windows(Window.parse(args.since, args.until))
    days_total = sum((w.end - w.start).days for w in windows)
    scenarios = {"tass.com": (round(median), round(p90)), "tass.ru": (600, 1000)}
    for name, volumes in scenarios.items():
        source = SOURCES[name]
        settings = source.settings({})
        for per_day in volumes:
            figure = estimate(source, settings, windows, per_day)
            print(
                f"{name} {args.since} .. {args.until} ({len(windows)} months, {days_total} days)"
                f" at {per_day}/day: {figure.articles_left} articles, {figure.requests_left}"
                f" requests, {describe_time(figure.seconds_left)} at"
                f" {settings.request_interval:g} s/request"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
