"""Polite HTTP for one host: a concurrency cap, a minimum interval between requests,
timeouts, size limits (on the wire and after decompression), same-host redirects only,
conditional GETs, retries with backoff that honour Retry-After, and a circuit breaker
that stops a run when the site keeps refusing us.

Retry timing comes from tenacity rather than a hand-rolled loop.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
)

from newswire.breaker import BREAKER_THRESHOLD, CircuitBreaker
from newswire.breaker import CircuitOpen as CircuitOpen  # re-exported: the old import path
from newswire.breaker import block_kind as block_kind  # re-exported: the old import path
from newswire.config import Settings
from newswire.models import FetchedPage

log = logging.getLogger(__name__)

RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
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
MAX_REDIRECTS = 5


class RetryableStatus(Exception):
    """A response worth asking for again (rate limit, overload, gateway trouble)."""

    def __init__(self, page: FetchedPage) -> None:
        self.page = page
        super().__init__(f"HTTP {page.status} from {page.url}")


class ResponseTooLarge(Exception):
    """The body (raw or decompressed) grew past the configured limit; reading stopped."""


class AttemptDeadline(httpx.TimeoutException):
    """One attempt took longer in total than allowed (a server dripping bytes slowly)."""


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
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
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


class BoundedDecoder:
    """Undoes gzip/deflate with a hard cap on the output, so a gzip bomb stops at the cap.

    httpx would inflate each network chunk in one call (a 64 kB chunk of a bomb can
    become tens of megabytes at once); here no call may produce more than the room left.
    """

    def __init__(self, encoding: str, limit: int, url: str) -> None:
        self.limit = limit
        self.url = url
        self.size = 0
        self.parts: list[bytes] = []
        encoding = encoding.strip().lower()
        if encoding in ("", "identity"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS)
        else:
            raise httpx.DecodingError(f"unsupported Content-Encoding {encoding!r} from {url}")

    def _keep(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise ResponseTooLarge(
                f"response from {self.url} exceeds {self.limit} bytes once decompressed"
            )
        self.parts.append(data)

    def feed(self, raw: bytes) -> None:
        if self._inflater is None:
            self._keep(raw)
            return
        pending = raw
        try:
            while pending:
                out = self._inflater.decompress(pending, self.limit - self.size + 1)
                self._keep(out)
                pending = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise httpx.DecodingError(f"bad compressed body from {self.url}: {exc}") from exc

    def finish(self) -> bytes:
        if self._inflater is not None:
            self._keep(self._inflater.flush())
        return b"".join(self.parts)


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends: the ETag / Last-Modified of the stored response."""

    etag: str | None = None
    last_modified: str | None = None

    def headers(self) -> dict[str, str]:
        sent = {}
        if self.etag:
            sent["If-None-Match"] = self.etag
        if self.last_modified:
            sent["If-Modified-Since"] = self.last_modified
        return sent


class PoliteFetcher:
    """One async client with keep-alive, shared by every request of a run to one host."""

    def __init__(
        self,
        settings: Settings,
        *,
        backoff_base: float | None = None,
        retry_after_cap: float = RETRY_AFTER_CAP_SECONDS,
        breaker_threshold: int = BREAKER_THRESHOLD,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.settings = settings
        self.gate = HostGate(settings.concurrency, settings.request_interval)
        self.backoff_base = settings.retry_backoff if backoff_base is None else backoff_base
        self.retry_after_cap = retry_after_cap
        self.breaker = breaker or CircuitBreaker(settings.host, breaker_threshold)
        self.retried = 0
        # The pause chosen before each retry, in order: what backoff and Retry-After decided.
        self.waits: list[float] = []
        # Upper bound for one attempt, redirects included: the read timeout only bounds
        # the gap between bytes, so a server dripping one byte a second needs this too.
        self.attempt_deadline = settings.connect_timeout + 2 * settings.read_timeout
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
                return min(retry_after, self.retry_after_cap)
        exponential = self.backoff_base * (2 ** (state.attempt_number - 1))
        return float(min(exponential, 60.0) + random.uniform(0, self.backoff_base))

    def _before_sleep(self, url: str, state: RetryCallState) -> None:
        self.retried += 1
        if state.next_action is not None:
            self.waits.append(state.next_action.sleep)
        exc = state.outcome.exception() if state.outcome else None
        log.warning(
            "retrying %s after attempt %d: %s %s",
            url,
            state.attempt_number,
            type(exc).__name__,
            exc,
        )

    async def get(
        self,
        url: str,
        *,
        accept: str = "text/html,application/xhtml+xml",
        validators: Validators | None = None,
    ) -> FetchedPage:
        """GET with retries; always returns a page (status 0 when no usable response came).

        Raises CircuitOpen, before sending anything, once the host's breaker is open.
        """
        return await self._request(url, accept, validators, None)

    async def post_json(
        self, url: str, payload: object, *, accept: str = "application/json"
    ) -> FetchedPage:
        """POST a JSON body (listing APIs) under the same gate, retries and breaker as GET.

        Redirects are not followed: a listing API that redirects is not answering.
        """
        return await self._request(url, accept, None, payload)

    async def _request(
        self, url: str, accept: str, validators: Validators | None, json_body: object | None
    ) -> FetchedPage:
        self.breaker.check()
        attempts = 0
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.settings.max_attempts),
            wait=self._wait,
            retry=retry_if_exception_type((RetryableStatus, httpx.TransportError)),
            before_sleep=lambda state: self._before_sleep(url, state),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    self.breaker.check()
                    attempts += 1
                    page = await self._attempt(url, accept, attempts, validators, json_body)
                    if page.status in RETRYABLE_STATUS:
                        raise RetryableStatus(page)
        except RetryableStatus as exc:
            page = exc.page
        except httpx.TimeoutException as exc:
            page = _failed_page(url, attempts, f"timeout: {type(exc).__name__} {exc}".strip())
        except (httpx.TransportError, httpx.DecodingError) as exc:
            detail = f"{type(exc).__name__}: {exc}".rstrip(": ")
            page = _failed_page(url, attempts, f"connection error: {detail}")
        except ResponseTooLarge as exc:
            page = _failed_page(url, attempts, f"too large: {exc}")
        self.breaker.record(page)
        return page

    async def _attempt(
        self,
        url: str,
        accept: str,
        attempt: int,
        validators: Validators | None,
        json_body: object | None = None,
    ) -> FetchedPage:
        try:
            async with asyncio.timeout(self.attempt_deadline):
                if json_body is not None:
                    return await self._get_once(url, url, accept, attempt, None, json_body)
                return await self._follow(url, accept, attempt, validators)
        except TimeoutError as exc:
            raise AttemptDeadline(
                f"no complete answer from {url} within {self.attempt_deadline:.1f} s"
            ) from exc

    async def _follow(
        self, url: str, accept: str, attempt: int, validators: Validators | None
    ) -> FetchedPage:
        """One attempt, following redirects only while they stay on the configured host."""
        target = url
        for _ in range(MAX_REDIRECTS + 1):
            page = await self._get_once(url, target, accept, attempt, validators)
            if page.status not in REDIRECT_STATUS:
                return page
            location = page.headers.get("location")
            if not location:
                return page
            next_url = urljoin(target, location)
            next_host = urlsplit(next_url).netloc.lower()
            if next_host != self.settings.host:
                log.warning("%s redirects to another host (%s): not followed", url, next_host)
                return _with_error(page, f"redirect to another host: {next_host}")
            target = next_url
        return _with_error(page, f"more than {MAX_REDIRECTS} redirects")

    async def _get_once(
        self,
        url: str,
        target: str,
        accept: str,
        attempt: int,
        validators: Validators | None,
        json_body: object | None = None,
    ) -> FetchedPage:
        limit = self.settings.max_response_bytes
        headers = {"Accept": accept, **(validators.headers() if validators else {})}
        method = "GET" if json_body is None else "POST"
        async with self.gate:
            self.breaker.check()  # again here: it may have opened while we queued
            fetched_at = datetime.now(UTC)
            async with self._client.stream(
                method, target, headers=headers, json=json_body
            ) as response:
                decoder = BoundedDecoder(
                    response.headers.get("content-encoding", ""), limit, target
                )
                wire = 0
                async for chunk in response.aiter_raw():
                    wire += len(chunk)
                    if wire > limit:
                        raise ResponseTooLarge(f"response from {target} exceeds {limit} bytes")
                    decoder.feed(chunk)
                body = decoder.finish()
        kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
        return FetchedPage(
            url=url,
            final_url=target,
            status=response.status_code,
            headers=kept,
            body=body,
            fetched_at=fetched_at,
            attempts=attempt,
        )


def _with_error(page: FetchedPage, error: str) -> FetchedPage:
    return FetchedPage(
        url=page.url,
        final_url=page.final_url,
        status=page.status,
        headers=page.headers,
        body=page.body,
        fetched_at=page.fetched_at,
        attempts=page.attempts,
        error=error,
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
