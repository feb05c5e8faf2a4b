"""A page layout described as data, and the one routine that extracts any layout.

Each layout module only declares markers and selectors; the shared rules (field
precedence, time zones, datelines, the year of a printed date, rejection of incomplete
pages) live here once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from bs4 import BeautifulSoup, Tag

from newswire.models import (
    SOURCE_TASS_COM,
    SOURCE_TASS_RU,
    ArticleRef,
    ExtractionError,
    ExtractionReason,
    ParsedArticle,
)
from newswire.parse.common import (
    PageMeta,
    clean,
    guess_language,
    paragraphs_text,
    strip_site_suffix,
)
from newswire.parse.dateline import (
    MONTH_WORDS,
    PRINTED_DATE,
    date_from_id,
    from_unix,
    month_number,
    moscow_to_utc,
    parse_iso,
    split_dateline,
    year_near,
)
from newswire.parse.markers import ClassMarker, TagMarker, class_prefix, has_class
from newswire.parse.select import Selector, compile_selector, find_tags
from newswire.parse.tass_ru_ids import TASS_RU_ID_ANCHORS

BODY_BY_SELECTORS = "selectors"
BODY_BY_LARGEST_BLOCK = "largest_block"


@dataclass(frozen=True)
class Layout:
    """Markers and CSS selectors of one page layout.

    `marker` is a class found only in this layout's markup, checked before any
    parsing; `region_start` (a marker) and `region_end` (plain substrings) bound the
    part of the page that holds the article, so only that
    part is parsed.
    """

    name: str
    version: str
    marker: ClassMarker | None
    headline: str
    lead: str
    paragraphs: str
    language: str | None = None  # only pages declaring this language
    region_start: ClassMarker | TagMarker | None = None
    region_end: tuple[str, ...] = ()
    exclude: str = ""
    unix_time: str = ""
    printed_date: str = ""
    tags: str = ""
    embedded_dates: bool = False
    body: str = BODY_BY_SELECTORS

    def __post_init__(self) -> None:
        """Compile every selector now, so an unsupported one fails at import, not on a page."""
        for selector in (
            self.headline,
            self.lead,
            self.paragraphs,
            self.exclude,
            self.unix_time,
            self.printed_date,
            self.tags,
        ):
            _compiled(selector)


def _compiled(selector: str) -> Selector | None:
    """The compiled form of a layout selector (cached); None for an empty one."""
    return compile_selector(selector) if selector else None


def cut_region(text: str, layout: Layout) -> str | None:
    """The article's part of the page, from the tag holding `region_start` to the first
    end marker after it; None when the start marker is missing (parse the whole page)."""
    if not layout.region_start:
        return None
    at = layout.region_start.find(text)
    if at < 0:
        return None
    start = text.rfind("<", 0, at + 1)
    if start < 0:
        return None
    first_end = len(text)  # the earliest end marker; later ones need not be searched for
    for marker in layout.region_end:
        found = text.find(marker, at, first_end + len(marker) - 1)
        if found >= 0:
            first_end = found
    end = max(text.rfind("<", at, first_end), at) if first_end < len(text) else len(text)
    return text[start:end]


def _first_text(soup: BeautifulSoup, selector: str) -> str:
    compiled = _compiled(selector)
    node = compiled.select_one(soup) if compiled else None
    return clean(node.get_text()) if node else ""


_OFFSET = re.compile(r"UTC\s*([+\-−])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


_PRINTED_DAY_FIRST = re.compile(
    rf"(?P<day>\d{{1,2}})\s+(?P<month>{MONTH_WORDS}),?\s+"
    r"(?:\d{4},?\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})",
    re.IGNORECASE,
)


def _printed_moment(text: str, around: date | None) -> datetime | None:
    """`October 12, 20:40 UTC+3` or `30 марта, 10:15`: the year is the one nearest `around`."""
    match = PRINTED_DATE.search(text) or _PRINTED_DAY_FIRST.search(text)
    if not match or around is None:
        return None
    month = month_number(match.group("month"))
    day, hour, minute = (
        int(match.group("day")),
        int(match.group("hour")),
        int(match.group("minute")),
    )
    year = year_near(month or 0, day, around) if month else None
    if year is None:
        return None
    try:
        local = datetime(year, month or 0, day, hour, minute)
    except ValueError:
        return None
    offset = _OFFSET.search(text, match.end())
    if offset:
        sign = -1 if offset.group(1) in "-−" else 1
        delta = timedelta(hours=int(offset.group(2)), minutes=int(offset.group(3) or 0))
        if delta < timedelta(hours=15):
            return local.replace(tzinfo=timezone(sign * delta)).astimezone(UTC)
    return moscow_to_utc(local)


def _year_anchor(meta: PageMeta, ref: ArticleRef) -> date | None:
    """Where a printed day/month most likely falls: the page's other dates, else the id."""
    for value in (meta.date_modified, meta.embedded_modified, meta.article_modified_meta):
        found = parse_iso(value)
        if found:
            return found.date()
    if ref.source == SOURCE_TASS_COM and ref.external_id > 0:
        return date_from_id(ref.external_id)
    if ref.source == SOURCE_TASS_RU and ref.external_id > 0:  # tass.ru's own id series
        return date_from_id(ref.external_id, TASS_RU_ID_ANCHORS)
    return None


def _published_at(
    layout: Layout, soup: BeautifulSoup, meta: PageMeta, ref: ArticleRef
) -> datetime | None:
    """JSON-LD, the app's embedded JSON, <dateformat>, meta publish_date, then printed."""
    candidates = [meta.date_published]
    if layout.embedded_dates:
        candidates.append(meta.embedded_published)
    for value in candidates:
        found = parse_iso(value)
        if found:
            return found
    unix_time = _compiled(layout.unix_time)
    if unix_time:
        node = unix_time.select_one(soup)
        if node is not None:
            found = from_unix(str(node.get("time", "")))
            if found:
                return found
    for value in (meta.publish_date_meta, meta.article_published_meta):
        found = parse_iso(value)
        if found:
            return found
    if layout.printed_date:
        return _printed_moment(_first_text(soup, layout.printed_date), _year_anchor(meta, ref))
    return None


def _modified_at(layout: Layout, meta: PageMeta) -> datetime | None:
    values = [meta.date_modified]
    if layout.embedded_dates:
        values.append(meta.embedded_modified)
    values.append(meta.article_modified_meta)
    for value in values:
        found = parse_iso(value)
        if found:
            return found
    return None


_ANY_HEADLINE = "article h1, main h1, h1"
_NOT_TEXT = frozenset({"aside", "nav", "footer", "header", "figure", "figcaption", "form"})
_MAIN_TEXT = frozenset({"article", "main"})


def _largest_block(soup: BeautifulSoup) -> list[str]:
    """Generic main text: the direct <p> children of the element that holds the most text.

    The <p> inside <article> or <main> count when there are any, else all <p>; a <p>
    inside page furniture (_NOT_TEXT) never counts. One walk over the tree decides both.
    """
    scoped: list[Tag] = []
    unscoped: list[Tag] = []
    any_scoped = False
    stack: list[tuple[Tag, bool, bool]] = [
        (child, False, False) for child in reversed(soup.contents) if isinstance(child, Tag)
    ]
    while stack:
        node, in_main, in_furniture = stack.pop()
        if node.name == "p":
            any_scoped = any_scoped or in_main
            if not in_furniture:
                (scoped if in_main else unscoped).append(node)
        in_main = in_main or node.name in _MAIN_TEXT
        in_furniture = in_furniture or node.name in _NOT_TEXT
        stack.extend(
            (child, in_main, in_furniture)
            for child in reversed(node.contents)
            if isinstance(child, Tag)
        )
    scope = scoped if any_scoped else unscoped  # without a <p> in <article>/<main>, all
    groups: dict[int, list[str]] = {}
    sizes: dict[int, int] = {}
    for node in scope:
        text = clean(node.get_text())
        if not text:
            continue
        key = id(node.parent)
        groups.setdefault(key, []).append(text)
        sizes[key] = sizes.get(key, 0) + len(text)
    if not groups:
        return []
    return groups[max(sizes, key=lambda k: sizes[k])]


def _body_paragraphs(layout: Layout, soup: BeautifulSoup, meta: PageMeta) -> list[str]:
    if layout.body == BODY_BY_LARGEST_BLOCK:
        if meta.article_body and meta.article_body.strip():
            return [p for p in (clean(line) for line in meta.article_body.splitlines()) if p]
        return _largest_block(soup)
    paragraphs = _compiled(layout.paragraphs)
    if paragraphs is None:
        return []
    return paragraphs_text(find_tags(soup, paragraphs.matches, skip=_compiled(layout.exclude)))


def extract(layout: Layout, soup: BeautifulSoup, meta: PageMeta, ref: ArticleRef) -> ParsedArticle:
    """Read every field of `layout` from `soup`, or raise ExtractionError naming the gap."""
    headline = _first_text(soup, layout.headline) or strip_site_suffix(
        meta.headline or meta.og_title or ""
    )
    if not headline and layout.body == BODY_BY_LARGEST_BLOCK:
        headline = _first_text(soup, _ANY_HEADLINE)
    if not headline:
        raise ExtractionError(ExtractionReason.NO_HEADLINE, f"{layout.name}: no headline")

    paragraphs = _body_paragraphs(layout, soup, meta)
    if not paragraphs:
        raise ExtractionError(ExtractionReason.NO_BODY, f"{layout.name}: no body paragraphs")

    lead = _first_text(soup, layout.lead) or meta.description or clean(meta.og_description)
    dateline = split_dateline(paragraphs[0])
    published_at = _published_at(layout, soup, meta, ref)
    if published_at is None:
        raise ExtractionError(
            ExtractionReason.NO_PUBLISHED_AT, f"{layout.name}: no publication time"
        )
    modified_at = _modified_at(layout, meta)
    body = "\n\n".join(paragraphs)
    tags_selector = _compiled(layout.tags)
    tags = (
        tuple(t for t in (clean(n.get_text()) for n in tags_selector.select(soup)) if t)
        if tags_selector
        else ()
    ) or meta.keywords
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
        language=guess_language(meta.language, f"{headline} {body}"),
        extraction_method=layout.name,
        parser_version=layout.version,
        image_url=meta.image,
        tags=tags,
    )


__all__ = [
    "ClassMarker",
    "Layout",
    "TagMarker",
    "class_prefix",
    "cut_region",
    "extract",
    "has_class",
    "moscow_to_utc",
]
