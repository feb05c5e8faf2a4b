"""The one place that picks a parser for a page.

Every outcome is either a ParsedArticle or an ExtractionError with a reason code; no
other exception escapes, whatever bytes arrive.
"""

from __future__ import annotations

import logging

from bs4 import BeautifulSoup

from newswire.models import ArticleRef, ExtractionError, ExtractionReason, ParsedArticle
from newswire.parse import tass_com
from newswire.parse.common import (
    looks_like_challenge,
    looks_like_not_found,
    read_page_meta,
    reject_junk,
)
from newswire.parse.layout import Layout, extract

log = logging.getLogger(__name__)

LAYOUTS: tuple[Layout, ...] = (tass_com.LAYOUT,)


def pick_layout(soup: BeautifulSoup) -> Layout | None:
    for layout in LAYOUTS:
        if soup.select_one(layout.detect) is not None:
            return layout
    return None


def parse_article(html: bytes, ref: ArticleRef) -> ParsedArticle:
    """Extract the article in `html`, or raise ExtractionError saying why not."""
    try:
        return _parse(html, ref)
    except ExtractionError:
        raise
    except Exception as exc:  # a parser bug must not look like a network or DB failure
        log.exception("parser crashed on %s", ref.url)
        raise ExtractionError(ExtractionReason.UNKNOWN_LAYOUT, f"parser error: {exc!r}") from exc


def _parse(html: bytes, ref: ArticleRef) -> ParsedArticle:
    text = reject_junk(html)
    soup = BeautifulSoup(text, "lxml")
    if looks_like_challenge(text, soup):
        raise ExtractionError(ExtractionReason.CHALLENGE, "anti-bot challenge page")
    if "</html>" not in text[-4096:].lower():
        raise ExtractionError(ExtractionReason.TRUNCATED, "the page ends before </html>")
    layout = pick_layout(soup)
    if layout is None:
        if looks_like_not_found(soup):
            raise ExtractionError(ExtractionReason.NOT_FOUND_PAGE, "a 'not found' page")
        raise ExtractionError(ExtractionReason.UNKNOWN_LAYOUT, "no known layout matched")
    return extract(layout, soup, read_page_meta(soup), ref)
