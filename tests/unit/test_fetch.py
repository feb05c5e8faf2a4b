"""PoliteFetcher against the local test site with its fault switches: what comes back,
how many attempts it took, how long it waited and what it refused to do."""

from __future__ import annotations

import asyncio
import dataclasses
import gzip
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import pytest
from newswire.config import Settings
from newswire.fetch import (
    BoundedDecoder,
    CircuitBreaker,
    CircuitOpen,
    PoliteFetcher,
    ResponseTooLarge,
    Validators,
    _retry_after_seconds,
    block_kind,
)
from newswire.models import FetchedPage

from devtools.testsite.faults import CHALLENGE_PAGE
from devtools.testsite.server import TassTestSite
from tests.helpers import article_requests


def _ids(site: TassTestSite, n: int) -> list[int]:
    return [r.external_id for r in site.articles[:n]]


def _fetch(settings: Settings, urls: list[str], **kwargs) -> list[FetchedPage]:
    async def go() -> list[FetchedPage]:
        async with PoliteFetcher(settings, **kwargs) as fetcher:
            return list(await asyncio.gather(*(fetcher.get(u) for u in urls)))

    return asyncio.run(go())


def test_a_503_is_retried_and_the_page_arrives(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    bad, good = _ids(test_site, 2)
    test_site.faults.add(f"503_once:ids={bad}")

    pages = _fetch(site_settings, [test_site.url_for(bad), test_site.url_for(good)])

    assert [p.status for p in pages] == [200, 200]
    assert [p.attempts for p in pages] == [2, 1]
    assert article_requests(test_site, bad) == 2
    assert b"news-header__title" in pages[0].body


def _fetch_recording_waits(
    settings: Settings, url: str, **kwargs: Any
) -> tuple[FetchedPage, list[float]]:
    async def go() -> tuple[FetchedPage, list[float]]:
        async with PoliteFetcher(settings, **kwargs) as fetcher:
            return await fetcher.get(url), fetcher.waits

    return asyncio.run(go())


def test_429_waits_for_retry_after(test_site: TassTestSite, site_settings: Settings) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"429:ids={target}:retry_after=1")

    page, waits = _fetch_recording_waits(site_settings, test_site.url_for(target))

    assert (page.status, page.attempts) == (200, 2)
    assert waits == [1.0]  # the backoff base is 0.01 s: only Retry-After explains this


def test_retry_after_is_capped(test_site: TassTestSite, site_settings: Settings) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"429:ids={target}:retry_after=3600")

    page, waits = _fetch_recording_waits(
        site_settings, test_site.url_for(target), retry_after_cap=0.2
    )

    assert (page.status, page.attempts) == (200, 2)
    assert waits == [0.2]


def test_retry_after_accepts_an_http_date() -> None:
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (_retry_after_seconds(later) or 0) <= 31
    assert _retry_after_seconds("7") == 7.0
    assert _retry_after_seconds("soon") is None


def test_a_slow_page_times_out_without_stalling_the_others(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    ids = _ids(test_site, 9)
    slow = ids[0]
    test_site.faults.add(f"slow:ids={slow}")
    test_site.slow_seconds = 3.0
    settings = dataclasses.replace(site_settings, read_timeout=1.0, max_attempts=2)
    finished: list[int] = []  # the order the fetches came back in

    async def go() -> dict[int, FetchedPage]:
        async with PoliteFetcher(settings) as fetcher:

            async def one(external_id: int) -> tuple[int, FetchedPage]:
                page = await fetcher.get(test_site.url_for(external_id))
                finished.append(external_id)
                return external_id, page

            return dict(await asyncio.gather(*(one(i) for i in ids)))

    pages = asyncio.run(go())

    # Two read timeouts, not two 3 s waits: a page served after 3 s would have arrived.
    assert pages[slow].status == 0
    assert pages[slow].error and pages[slow].error.startswith("timeout")
    assert pages[slow].attempts == 2
    assert all(pages[i].status == 200 for i in ids[1:])
    # The eight good pages share three slots while the slow one holds the fourth.
    assert finished[-1] == slow and sorted(finished[:-1]) == sorted(ids[1:])


def test_a_connection_reset_mid_body_is_retried(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"reset:ids={target}")

    (page,) = _fetch(site_settings, [test_site.url_for(target)])

    assert (page.status, page.attempts) == (200, 2)
    assert page.body.rstrip().endswith(b"</html>")


def test_an_oversized_body_is_refused(test_site: TassTestSite, site_settings: Settings) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"oversized:ids={target}")
    test_site.oversized_bytes = 2_000_000
    settings = dataclasses.replace(site_settings, max_response_bytes=1_000_000)

    (page,) = _fetch(settings, [test_site.url_for(target)])

    assert page.status == 0
    assert page.error and page.error.startswith("too large")
    assert page.attempts == 1  # not worth asking again


def test_a_gzip_bomb_stops_at_the_decoded_limit(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"gzip_bomb:ids={target}")
    test_site.bomb_bytes = 50_000_000
    settings = dataclasses.replace(site_settings, max_response_bytes=1_000_000)

    (page,) = _fetch(settings, [test_site.url_for(target)])

    assert page.status == 0
    assert page.error and "once decompressed" in page.error


def test_the_bounded_decoder_never_inflates_past_its_limit() -> None:
    small = gzip.compress(b"<html>" + b"x" * 5000 + b"</html>")
    decoder = BoundedDecoder("gzip", 10_000, "u")
    decoder.feed(small)
    assert decoder.finish() == b"<html>" + b"x" * 5000 + b"</html>"

    bomb = gzip.compress(b"\0" * 20_000_000)  # about 20 kB on the wire
    decoder = BoundedDecoder("gzip", 100_000, "u")
    with pytest.raises(ResponseTooLarge):
        decoder.feed(bomb)
    assert decoder.size <= 100_001


def test_a_redirect_to_another_host_is_not_followed(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    target = _ids(test_site, 1)[0]
    test_site.faults.add(f"redirect_offhost:ids={target}")

    (page,) = _fetch(site_settings, [test_site.url_for(target)])

    assert page.status == 302
    assert page.error == "redirect to another host: elsewhere.invalid"
    assert page.final_url == test_site.url_for(target)


def test_conditional_get_gets_a_304(test_site: TassTestSite, site_settings: Settings) -> None:
    test_site.validators = True
    target = _ids(test_site, 1)[0]
    url = test_site.url_for(target)

    async def go() -> tuple[FetchedPage, FetchedPage, FetchedPage]:
        async with PoliteFetcher(site_settings) as fetcher:
            first = await fetcher.get(url)
            known = Validators(first.headers.get("etag"), first.headers.get("last-modified"))
            second = await fetcher.get(url, validators=known)
            test_site.update_article(target, headline="Changed")
            third = await fetcher.get(url, validators=known)
            return first, second, third

    first, second, third = asyncio.run(go())

    assert first.status == 200 and first.headers["etag"]
    assert (second.status, second.body) == (304, b"")
    assert third.status == 200 and b"Changed" in third.body
    sent = [h for _, path, h in test_site.requests if path.endswith(f"/{target}")]
    assert "If-None-Match" not in sent[0] and sent[1]["If-None-Match"] == first.headers["etag"]


def test_user_agent_identifies_the_project(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    _fetch(site_settings, [test_site.url_for(_ids(test_site, 1)[0])])
    user_agent = test_site.requests[-1][2]["User-Agent"]
    assert user_agent == site_settings.user_agent and "+http" in user_agent


def test_persistent_403_opens_the_breaker_and_stops_requests(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    test_site.faults.add("403")
    ids = _ids(test_site, 10)
    settings = dataclasses.replace(site_settings, concurrency=1)

    async def go() -> tuple[list[int], PoliteFetcher]:
        statuses = []
        async with PoliteFetcher(settings, breaker_threshold=3) as fetcher:
            for external_id in ids:
                try:
                    statuses.append((await fetcher.get(test_site.url_for(external_id))).status)
                except CircuitOpen:
                    break
        return statuses, fetcher

    statuses, fetcher = asyncio.run(go())

    assert statuses == [403, 403, 403]
    assert sum(article_requests(test_site, i) for i in ids) == 3
    assert fetcher.breaker.is_open and "HTTP 403 x3" in fetcher.breaker.describe()


def test_scattered_challenges_do_not_open_the_breaker() -> None:
    def page(status: int, body: bytes) -> FetchedPage:
        return FetchedPage("u", "u", status, {}, body, datetime.now(UTC))

    good = page(200, b"<html><h1>News</h1>" + b"x" * 30_000 + b"</html>")
    challenge = page(200, CHALLENGE_PAGE)
    assert block_kind(challenge) == "challenge page"
    assert block_kind(page(403, b"")) == "HTTP 403"
    assert block_kind(good) is None and block_kind(page(404, b"not found")) is None

    breaker = CircuitBreaker("h", threshold=3)
    for _ in range(10):
        breaker.record(challenge)
        breaker.record(challenge)
        breaker.record(good)
    assert not breaker.is_open
    breaker.record(challenge)
    breaker.record(page(403, b""))
    breaker.record(page(0, b""))  # no answer says nothing about blocking
    breaker.record(page(401, b""))
    assert breaker.is_open
    with pytest.raises(CircuitOpen, match="circuit breaker open for h"):
        breaker.check()


def test_the_breaker_reports_its_opening_once_and_can_be_opened_from_outside() -> None:
    refused = FetchedPage("u", "u", 403, {}, b"", datetime.now(UTC))
    opened: list[str] = []
    breaker = CircuitBreaker("h", threshold=2, on_open=lambda b: opened.append(b.describe()))
    for _ in range(5):
        breaker.record(refused)
    assert opened == ["2 refusals in a row (HTTP 403 x2)"]  # told once, at the opening
    assert breaker.tripped_by is None

    shared = CircuitBreaker("h", on_open=lambda b: opened.append("again"))
    shared.trip("another batch saw HTTP 403 x8")
    assert shared.is_open and opened == ["2 refusals in a row (HTTP 403 x2)"]
    with pytest.raises(CircuitOpen, match="stopped by another fetch batch of this run"):
        shared.check()
    shared.trip("a later reason")  # the first decision stands
    assert shared.tripped_by == "another batch saw HTTP 403 x8"


def test_a_shared_block_stops_a_fetcher_before_its_next_request(
    test_site: TassTestSite, site_settings: Settings
) -> None:
    ids = _ids(test_site, 6)
    breaker = CircuitBreaker(site_settings.host)

    async def go() -> list[int]:
        statuses = []
        async with PoliteFetcher(dataclasses.replace(site_settings, concurrency=1),
                                 breaker=breaker) as fetcher:  # fmt: skip
            for n, ext_id in enumerate(ids):
                if n == 2:
                    breaker.trip("another batch was refused")
                try:
                    statuses.append((await fetcher.get(test_site.url_for(ext_id))).status)
                except CircuitOpen:
                    break
        return statuses

    assert asyncio.run(go()) == [200, 200]
    assert sum(article_requests(test_site, i) for i in ids) == 2
