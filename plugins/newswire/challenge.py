"""The one test for an anti-bot challenge page, shared by the fetcher and the parser.

The fetcher counts such pages as refusals (the circuit breaker), the parser quarantines
them; both must agree on what one is. Interstitials are small, ask for JavaScript, a
captcha or patience, and carry no headline; real article pages are tens of kilobytes.
"""

from __future__ import annotations

# Bytes for a raw body, characters for decoded text: either way an article is larger.
CHALLENGE_MAX_SIZE = 20_000
CHALLENGE_SIGNALS = (
    "enable javascript",
    "javascript is required",
    "checking your browser",
    "captcha",
    "location.reload",
    "challenge",
    "ddos",
    "are you a robot",
    "please wait",
)


def looks_like_challenge(page: str | bytes) -> bool:
    """True for a small page without a headline that asks the reader to prove itself."""
    if not 0 < len(page) <= CHALLENGE_MAX_SIZE:
        return False
    raw = page.lower()
    lowered = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return "<h1" not in lowered and any(signal in lowered for signal in CHALLENGE_SIGNALS)
