"""A page layout described as data, and the one routine that extracts any layout.

Each layout module only declares selectors; the shared rules (field precedence, time
zones, datelines, rejection of incomplete pages) live here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bs4 import BeautifulSoup

from newswire.models import ArticleRef, ExtractionError, ExtractionReason, ParsedArticle
from newswire.parse.common import (
    PageMeta,
    clean,
    guess_language,
    paragraphs_text,
    strip_site_suffix,
)
from newswire.parse.dateline import (
    from_unix,
    moscow_to_utc,
    parse_iso,
    printed_date,
    split_dateline,
)


@dataclass(frozen=True)
class Layout:
    """CSS selectors for one page layout; `detect` must match only that layout."""

    name: str
    version: str
    detect: str
    headline: str
    lead: str
    paragraphs: str
    exclude: str = ""
    unix_time: str = ""
    printed_date: str = ""
    tags: str = ""


def _first_text(soup: BeautifulSoup, selector: str) -> str:
    if not selector:
        return ""
    node = soup.select_one(selector)
    return clean(node.get_text()) if node else ""


def _published_at(
    layout: Layout, soup: BeautifulSoup, meta: PageMeta, year: int | None
) -> datetime | None:
    """JSON-LD, then the page's unix time, then meta publish_date, then the printed date."""
    found = parse_iso(meta.date_published)
    if found:
        return found
    if layout.unix_time:
        node = soup.select_one(layout.unix_time)
        if node is not None:
            found = from_unix(str(node.get("time", "")))
            if found:
                return found
    found = parse_iso(meta.publish_date_meta)
    if found:
        return found
    if layout.printed_date and year:
        return printed_date(_first_text(soup, layout.printed_date), year)
    return None


def extract(
    layout: Layout,
    soup: BeautifulSoup,
    meta: PageMeta,
    ref: ArticleRef,
    *,
    year_hint: int | None = None,
) -> ParsedArticle:
    headline = _first_text(soup, layout.headline) or strip_site_suffix(
        meta.headline or meta.og_title or ""
    )
    if not headline:
        raise ExtractionError(ExtractionReason.NO_HEADLINE, f"{layout.name}: no headline")

    excluded = {id(node) for node in soup.select(layout.exclude)} if layout.exclude else set()
    nodes = [
        node
        for node in soup.select(layout.paragraphs)
        if not any(id(parent) in excluded for parent in node.parents) and id(node) not in excluded
    ]
    paragraphs = paragraphs_text(nodes)
    if not paragraphs:
        raise ExtractionError(ExtractionReason.NO_BODY, f"{layout.name}: no body paragraphs")

    lead = _first_text(soup, layout.lead) or meta.description or clean(meta.og_description)
    dateline = split_dateline(paragraphs[0])
    published_at = _published_at(layout, soup, meta, year_hint)
    if published_at is None:
        raise ExtractionError(
            ExtractionReason.NO_PUBLISHED_AT, f"{layout.name}: no publication time"
        )
    modified_at = parse_iso(meta.date_modified)
    html_tag = soup.find("html")
    declared = html_tag.get("lang") if html_tag is not None else None
    body = "\n\n".join(paragraphs)
    tags = (
        tuple(t for t in (clean(n.get_text()) for n in soup.select(layout.tags)) if t)
        if layout.tags
        else meta.keywords
    )
    return ParsedArticle(
        source=ref.source,
        external_id=ref.external_id,
        url=ref.url,
        section=ref.section,
        headline=headline,
        lead=lead,
        dateline=dateline.place if dateline else None,
        published_at=published_at,
        modified_at=modified_at if modified_at and modified_at >= published_at else None,
        body=body,
        language=guess_language(
            declared if isinstance(declared, str) else None, f"{headline} {body}"
        ),
        extraction_method=layout.name,
        parser_version=layout.version,
        image_url=meta.image,
        tags=tags,
    )


__all__ = ["Layout", "extract", "moscow_to_utc"]
