"""Polite HTTP for one host: a concurrency cap, a minimum interval between requests,
timeouts, a response size limit and retries with backoff that honour Retry-After.

Retry timing comes from tenacity rather than a hand-rolled loop.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from newswire.config import Settings
from newswire.models import FetchedPage

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "etag",
    "last-modified",
    "date",
    "retry-after",
    "location",
    "cache-control",
)
RETRY_AFTER_CAP_SECONDS = 120.0


class RetryableStatus(Exception):
    """A response worth asking for again (rate limit, overload, gateway trouble)."""

    def __init__(self, page: FetchedPage) -> None:
        self.page = page
        super().__init__(f"HTTP {page.status} from {page.url}")


class ResponseTooLarge(Exception):
    """The body grew past the configured limit; reading stopped there."""


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class HostGate:
    """Caps simultaneous requests and spaces their starts at least `interval` apart."""

    def __init__(self, concurrency: int, interval: float) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._interval = interval
        self._next_start = 0.0
        self._lock = asyncio.Lock()

    async def __aenter__(self) -> HostGate:
        await self._slots.acquire()
        if self._interval > 0:
            async with self._lock:
                now = time.monotonic()
                wait = self._next_start - now
                self._next_start = max(now, self._next_start) + self._interval
            if wait > 0:
                await asyncio.sleep(wait)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._slots.release()


class PoliteFetcher:
    """One async client with keep-alive, shared by every request of a run to one host."""

    def __init__(self, settings: Settings, *, backoff_base: float | None = None) -> None:
        self.settings = settings
        self.gate = HostGate(settings.concurrency, settings.request_interval)
        self.backoff_base = settings.retry_backoff if backoff_base is None else backoff_base
        self.retried = 0
        self._client = httpx.AsyncClient(
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                settings.read_timeout, connect=settings.connect_timeout, pool=None
            ),
            limits=httpx.Limits(
                max_connections=settings.concurrency,
                max_keepalive_connections=settings.concurrency,
            ),
            follow_redirects=False,
        )

    async def __aenter__(self) -> PoliteFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._client.aclose()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, RetryableStatus):
            retry_after = _retry_after_seconds(exc.page.headers.get("retry-after"))
            if retry_after is not None:
                return min(retry_after, RETRY_AFTER_CAP_SECONDS)
        exponential = self.backoff_base * (2 ** (state.attempt_number - 1))
        return min(exponential, 60.0) + random.uniform(0, self.backoff_base)

    def _before_sleep(self, state: RetryCallState) -> None:
        self.retried += 1
        exc = state.outcome.exception() if state.outcome else None
        log.warning(
            "retrying %s after attempt %d: %s",
            state.args[0] if state.args else "?",
            state.attempt_number,
            exc,
        )

    async def get(
        self, url: str, *, accept: str = "text/html,application/xhtml+xml"
    ) -> FetchedPage:
        """GET with retries; always returns a page (status 0 when no response came)."""
        attempts = 0
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type((RetryableStatus, httpx.TransportError)),
            before_sleep=self._before_sleep,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    attempts += 1
                    page = await self._get_once(url, accept, attempts)
                    if page.status in RETRYABLE_STATUS:
                        raise RetryableStatus(page)
                    return page
        except RetryableStatus as exc:
            return exc.page
        except httpx.TransportError as exc:
            return _failed_page(url, attempts, f"{type(exc).__name__}: {exc}".rstrip(": "))
        except ResponseTooLarge as exc:
            return _failed_page(url, attempts, str(exc))
        raise AssertionError("unreachable")  # pragma: no cover

    async def _get_once(self, url: str, accept: str, attempt: int) -> FetchedPage:
        limit = self.settings.max_response_bytes
        async with self.gate:
            fetched_at = datetime.now(UTC)
            async with self._client.stream("GET", url, headers={"Accept": accept}) as response:
                chunks: list[bytes] = []
                size = 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise ResponseTooLarge(f"response from {url} exceeds {limit} bytes")
                    chunks.append(chunk)
        headers = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        return FetchedPage(
            url=url,
            final_url=str(response.url),
            status=response.status_code,
            headers=headers,
            body=b"".join(chunks),
            fetched_at=fetched_at,
            attempts=attempt,
        )


def _failed_page(url: str, attempts: int, error: str) -> FetchedPage:
    return FetchedPage(
        url=url,
        final_url=url,
        status=0,
        headers={},
        body=b"",
        fetched_at=datetime.now(UTC),
        attempts=attempts,
        error=error,
    )
