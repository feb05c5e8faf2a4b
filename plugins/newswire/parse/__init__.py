"""The one place that picks a parser for a page.

Every outcome is either a ParsedArticle or an ExtractionError with a reason code; no
other exception escapes, whatever bytes arrive.

Speed comes from parsing little: the layout is picked by a marker in the raw text, and
the head's metadata is read with plain string search, and the HTML tree is built
from the article's region only. When
that region lacks a headline or body, the whole page is parsed as a fallback. The
layouts' CSS selectors are compiled once into plain matchers (select.py, which says why
not soupsieve) rather than run through a general CSS engine on every page.
"""

from __future__ import annotations

import logging

from newswire.challenge import looks_like_challenge
from newswire.models import ArticleRef, ExtractionError, ExtractionReason, ParsedArticle
from newswire.parse import b_material, generic, tass_com, tass_ru_2019, tass_ru_next
from newswire.parse.common import (
    declared_language,
    looks_like_not_found,
    read_page_meta,
    reject_junk,
)
from newswire.parse.layout import ClassMarker, Layout, cut_region, extract
from newswire.parse.tree import html_tree

log = logging.getLogger(__name__)

# Order matters: a layout that refines another (same marker, one language) comes first.
LAYOUTS: tuple[Layout, ...] = (
    tass_ru_2019.LAYOUT,
    tass_com.LAYOUT,
    b_material.LAYOUT,
    tass_ru_next.LAYOUT,
)
FALLBACK: Layout = generic.LAYOUT


def pick_layout(text: str, language: str | None) -> Layout | None:
    """The first TASS layout whose marker is in the page (and whose language it declares)."""
    searched: dict[ClassMarker, bool] = {}  # layouts refining another share its marker
    for layout in LAYOUTS:
        if layout.marker is None or layout.language not in (None, language):
            continue
        if layout.marker not in searched:
            searched[layout.marker] = layout.marker.find(text) >= 0
        if searched[layout.marker]:
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
    if looks_like_challenge(text):
        raise ExtractionError(ExtractionReason.CHALLENGE, "anti-bot challenge page")
    if "</html>" not in text[-4096:].lower():
        raise ExtractionError(ExtractionReason.TRUNCATED, "the page ends before </html>")
    declared = language = declared_language(text)
    if language is None:
        language = ref.language or ("ru" if ref.source.endswith(".ru") else None)
    layout = pick_layout(text, language)
    if layout is None:
        if looks_like_not_found(text):
            raise ExtractionError(ExtractionReason.NOT_FOUND_PAGE, "a 'not found' page")
        layout = FALLBACK
    meta = read_page_meta(text, declared)
    region = cut_region(text, layout)
    if region is not None:
        try:
            return extract(layout, html_tree(region), meta, ref)
        except ExtractionError as exc:
            if exc.reason not in (ExtractionReason.NO_HEADLINE, ExtractionReason.NO_BODY):
                raise
            log.info("%s: region cut lost a field (%s); parsing the whole page", ref.url, exc)
    return extract(layout, html_tree(text), meta, ref)


__all__ = ["FALLBACK", "LAYOUTS", "parse_article", "pick_layout"]
