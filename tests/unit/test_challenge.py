"""One challenge-page test for the fetcher (raw bytes) and the parser (decoded text)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from newswire.breaker import block_kind
from newswire.challenge import looks_like_challenge
from newswire.models import FetchedPage

from devtools.testsite.faults import CHALLENGE_PAGE

ARTICLE = "<html><body><h1>Kim meets Putin</h1><p>Please wait for details.</p></body></html>"


@pytest.mark.parametrize("convert", [str, str.encode])
def test_bytes_and_text_agree(convert: Callable[[str], str | bytes]) -> None:
    page = CHALLENGE_PAGE.decode()
    assert looks_like_challenge(convert(page))
    assert not looks_like_challenge(convert(ARTICLE))  # a headline: a real page
    assert not looks_like_challenge(convert(page + " " * 20_000))  # too large to be one


def test_the_breaker_counts_what_the_parser_quarantines() -> None:
    page = FetchedPage(
        url="http://x/y/1",
        final_url="http://x/y/1",
        status=200,
        headers={},
        body=CHALLENGE_PAGE,
        fetched_at=datetime.now(UTC),
    )
    assert block_kind(page) == "challenge page"
