"""The circuit breaker: stop asking a host that keeps refusing us.

Kept apart from the fetcher so the decision (what counts as a refusal, when to stop)
reads in one screen; the fetch stage shares an open breaker with the run's other batches.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime

from newswire.challenge import looks_like_challenge
from newswire.models import FetchedPage

log = logging.getLogger(__name__)

BLOCKING_STATUS = frozenset({401, 403})
BREAKER_THRESHOLD = 8


class CircuitOpen(RuntimeError):
    """The host keeps refusing us; fetching stopped for the rest of the run."""


def block_kind(page: FetchedPage) -> str | None:
    """'HTTP 401/403' or 'challenge page' when the answer is an anti-bot refusal, else None.

    A cheap byte-level test: challenge interstitials are small and ask for JavaScript or
    a captcha, while real article pages are tens of kilobytes.
    """
    if page.status in BLOCKING_STATUS:
        return f"HTTP {page.status}"
    if page.status == 200 and looks_like_challenge(page.body):
        return "challenge page"
    return None


class CircuitBreaker:
    """Opens after `threshold` refusals in a row from the host; any usable answer resets it.

    Counting consecutive refusals (not a share of all answers) lets a few challenge pages
    among good ones through to quarantine, while a site that refuses everything stops
    the run after a handful of requests instead of hammering it for hours.
    """

    def __init__(
        self,
        host: str,
        threshold: int = BREAKER_THRESHOLD,
        on_open: Callable[[CircuitBreaker], None] | None = None,
    ) -> None:
        self.host = host
        self.threshold = max(1, threshold)
        self.consecutive = 0
        self.refusals: Counter[str] = Counter()
        self.opened_at: datetime | None = None
        # Set when someone else (another batch of the run) found the host refusing us.
        self.tripped_by: str | None = None
        # Called once when the breaker opens on its own count, so the decision can be
        # shared at once with the other fetchers of the run.
        self.on_open = on_open

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None

    def record(self, page: FetchedPage) -> None:
        kind = block_kind(page)
        if kind is None:
            if page.status:
                self.consecutive = 0
            return
        self.refusals[kind] += 1
        self.consecutive += 1
        if self.consecutive >= self.threshold and self.opened_at is None:
            self.opened_at = datetime.now(UTC)
            log.error("circuit breaker opened for %s: %s", self.host, self.describe())
            if self.on_open is not None:
                self.on_open(self)

    def trip(self, reason: str) -> None:
        """Open from outside: another fetcher of the same run found the host blocking us."""
        if self.opened_at is None:
            self.opened_at = datetime.now(UTC)
            self.tripped_by = reason
            log.error("circuit breaker opened for %s by a shared decision: %s", self.host, reason)

    def describe(self) -> str:
        kinds = ", ".join(f"{kind} x{n}" for kind, n in sorted(self.refusals.items()))
        own = f"{self.consecutive} refusals in a row ({kinds})"
        if self.tripped_by is not None:
            here = f"; here {own}" if self.refusals else ""
            return f"stopped by another fetch batch of this run{here}"
        return own

    def check(self) -> None:
        if self.is_open:
            raise CircuitOpen(f"circuit breaker open for {self.host}: {self.describe()}")
