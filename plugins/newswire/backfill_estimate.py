"""What the windows of a backfill still to do cost: articles, requests and time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newswire.config import Settings
from newswire.models import Window
from newswire.sources import Source, listing_window

# Requests a window costs besides its articles: robots.txt, the feed, the sitemap index
# and its ten news sitemaps.
REQUESTS_PER_WINDOW = 13


@dataclass(frozen=True)
class Estimate:
    windows_left: int
    articles_left: int
    requests_left: int
    seconds_left: float | None  # None: no interval configured, no basis for a figure


def estimate(
    source: Source, settings: Settings, windows: Sequence[Window], per_day: float
) -> Estimate:
    """What the windows still to do cost: articles (at `per_day`), requests, time."""
    articles = requests = 0
    for window in windows:
        days = (window.end - window.start).total_seconds() / 86400
        count = round(days * per_day)
        articles += count
        requests += count + REQUESTS_PER_WINDOW
        if source.listing is not None and listing_window(window, source.sitemap_horizon):
            sections = len(source.listing.sections())
            page_size = source.listing.page_size
            requests += sections + -(-count // page_size)
    interval = settings.request_interval
    return Estimate(len(windows), articles, requests, requests * interval if interval else None)


def describe_time(seconds: float | None) -> str:
    if seconds is None:
        return "? (no request interval configured)"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 3 * 86400:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} days"
