"""Helpers every layout parser shares: decoding, text clean-up, page metadata, junk pages."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from bs4 import Tag

from newswire.models import ExtractionError, ExtractionReason

# Characters that `str.split()` does not treat as spaces but the text must (zero width).
_ZERO_WIDTH = ("\u200b", "\ufeff")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
_TITLE_SUFFIX = re.compile(r"\s+-\s+[^-]{1,80}\s+-\s+(?:TASS|ТАСС)\s*$")
_SHORT_SUFFIX = re.compile(r"\s+-\s+(?:TASS|ТАСС)\s*$")


def clean(text: str | None) -> str:
    """Collapse every kind of whitespace (including &nbsp;) to single spaces.

    `str.split()` knows the Unicode spaces (&nbsp; and the thin ones included) and runs
    in C, about four times faster than a regular expression over Cyrillic text."""
    if not text:
        return ""
    for char in _ZERO_WIDTH:
        if char in text:
            text = text.replace(char, " ")
    return " ".join(text.split())


def strip_site_suffix(title: str) -> str:
    """`Headline - Russian Politics & Diplomacy - TASS` → `Headline`."""
    title = clean(title)
    stripped = _TITLE_SUFFIX.sub("", title)
    return _SHORT_SUFFIX.sub("", stripped)


def decode(html: bytes) -> str:
    """Bytes to text by the page's declared charset, UTF-8 by default; never raises."""
    match = _CHARSET.search(html[:2048])
    encoding = match.group(1).decode("ascii", "replace") if match else "utf-8"
    try:
        return html.decode(encoding, errors="replace")
    except LookupError:
        return html.decode("utf-8", errors="replace")


def guess_language(declared: str | None, text: str) -> str:
    if declared:
        code = declared.strip().lower()[:2]
        if code in ("en", "ru"):
            return code
    return "ru" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "en"


def reject_junk(html: bytes) -> str:
    """Turn bytes into page text, or raise for what can never be an article page."""
    if not html or html.isspace():  # isspace: no copy of the page, unlike strip()
        raise ExtractionError(ExtractionReason.EMPTY, "the response body is empty")
    head = html[:1024].lstrip().lower()
    if head.startswith((b"%pdf", b"\x89png", b"\xff\xd8", b"gif8", b"\x1f\x8b", b"pk\x03\x04")):
        raise ExtractionError(ExtractionReason.NOT_HTML, "binary content")
    text = decode(html)
    lowered = text[:4096].lower()
    if "<" not in lowered or not any(
        t in lowered for t in ("<html", "<body", "<div", "<head", "<!doctype")
    ):
        raise ExtractionError(ExtractionReason.NOT_HTML, "no HTML markup in the body")
    if "<rss" in lowered or "<urlset" in lowered or "<sitemapindex" in lowered:
        raise ExtractionError(ExtractionReason.NOT_HTML, "an XML feed, not an article page")
    return text


_HTML_TAG = re.compile(r"<html\b[^>]*>", re.IGNORECASE)
_LANG_ATTR = re.compile(r"""\blang\s*=\s*["']?([A-Za-z\-]+)""", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1>", re.IGNORECASE | re.DOTALL)
_TAGS = re.compile(r"<[^>]*>")
_META = re.compile(r"<meta\b[^>]*>")
_HEAD_END = re.compile(r"</head\s*>|<body\b", re.IGNORECASE)


def looks_like_not_found(text: str) -> bool:
    """A 'page not found' page, judged by its title and first heading only."""
    parts = [m.group(1) for m in (_TITLE.search(text[:65_536]), _H1.search(text)) if m]
    probe = clean(_TAGS.sub(" ", " ".join(parts))).lower()
    return any(s in probe for s in ("404", "page not found", "not found", "страница не найдена"))


def declared_language(text: str) -> str | None:
    """The `lang` attribute of the page's <html> tag, if it has one."""
    tag = _HTML_TAG.search(text[:8192])
    found = _LANG_ATTR.search(tag.group(0)) if tag else None
    return found.group(1).lower() if found else None


@dataclass(frozen=True)
class PageMeta:
    """What the head of a page says about the article, from JSON-LD and OpenGraph."""

    headline: str | None = None
    description: str | None = None
    date_published: str | None = None
    date_modified: str | None = None
    section: str | None = None
    article_body: str | None = None
    image: str | None = None
    og_title: str | None = None
    og_description: str | None = None
    publish_date_meta: str | None = None
    article_published_meta: str | None = None
    article_modified_meta: str | None = None
    embedded_published: str | None = None
    embedded_modified: str | None = None
    language: str | None = None
    keywords: tuple[str, ...] = ()


def _news_article(data: object) -> dict[str, Any] | None:
    candidates: Iterable[object]
    if isinstance(data, list):
        candidates = data
    elif isinstance(data, dict) and "@graph" in data:
        candidates = data["@graph"] if isinstance(data["@graph"], list) else [data["@graph"]]
    else:
        candidates = [data]
    for item in candidates:
        if not isinstance(item, dict):
            continue
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(k in ("NewsArticle", "Article", "ReportageNewsArticle") for k in kinds):
            return item
    return None


def _image_url(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _image_url(value.get("url"))
    if isinstance(value, list) and value:
        return _image_url(value[0])
    return None


_ATTR = re.compile(r"""([\w:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_SCRIPT_BODY = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_EMBEDDED_DATE = re.compile(
    r'"(datePublished|dateModified|published_dt|updated_dt)"\s*:\s*"([^"]{10,40})"'
)
# tass.ru's Next.js state (2022 on) names the dates `published_dt`/`updated_dt`.
_EMBEDDED_KEYS = {"published_dt": "datePublished", "updated_dt": "dateModified"}


def _attributes(tag: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTR.finditer(tag)
    }


_HOPS = 64  # tags hopped over before find_tag hands the rest to str.find


def find_tag(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """`text.find(needle, start, end)` for a needle that starts with `<`.

    A page's head is often one long inline script with a handful of tags around it;
    str.find walks such text several times slower than it finds the single character
    `<`, so this hops from `<` to `<`. After _HOPS of them it leaves the rest to
    str.find, so text dense with tags costs about what str.find costs."""
    stop = len(text) if end is None else end
    for _ in range(_HOPS):
        at = text.find("<", start, stop)
        if at < 0 or text.startswith(needle, at, stop):
            return at
        start = at + 1
    return text.find(needle, start, stop)


def _head_metas(text: str, head_end: int) -> dict[str, str]:
    """`name`/`property` → content of every <meta> before `head_end` (the first one wins).

    Searched in place with find_tag: the head of a page with inline scripts is most of
    its text."""
    found: dict[str, str] = {}
    at = find_tag(text, "<meta", 0, head_end)
    while at >= 0:
        match = _META.match(text, at, head_end)
        if match is None:
            at = find_tag(text, "<meta", at + 1, head_end)
            continue
        attrs = _attributes(match.group(0)[5:])
        key = attrs.get("property") or attrs.get("name")
        content = attrs.get("content", "").strip()
        if key and content:
            found.setdefault(key.lower(), content)
        at = find_tag(text, "<meta", match.end(), head_end)
    return found


def _json_scripts(text: str) -> tuple[list[str], str]:
    """The JSON-LD blocks of the page and the Next.js state (`__NEXT_DATA__`), as text.

    Found by substring search first: a regex over a 100 kB page of scripts is slow."""
    ld_blocks: list[str] = []
    next_data = ""
    for needle in ("application/ld+json", "__NEXT_DATA__"):
        at = text.find(needle)
        while at >= 0:
            open_at = text.rfind("<script", 0, at)
            match = _SCRIPT_BODY.match(text, open_at) if open_at >= 0 else None
            if match and needle in match.group(1):
                if needle == "__NEXT_DATA__":
                    next_data = next_data or match.group(2)
                else:
                    ld_blocks.append(match.group(2))
                at = text.find(needle, match.end())
            else:
                at = text.find(needle, at + len(needle))
    return ld_blocks, next_data


def read_page_meta(text: str, language: str | None = None) -> PageMeta:
    """What the page's head and JSON blocks say, read without building an HTML tree.

    `language` is the page's declared language when the caller has read it already."""
    end = find_tag(text, "</head>")
    if end < 0:
        found = _HEAD_END.search(text)
        end = found.start() if found else min(len(text), 65_536)
    metas = _head_metas(text, end)
    ld_blocks, next_data = _json_scripts(text)
    article: dict[str, Any] = {}
    for block in ld_blocks:
        try:
            candidate = _news_article(json.loads(block))
        except (json.JSONDecodeError, TypeError, ValueError):
            continue
        if candidate:
            article = candidate
            break
    embedded: dict[str, str] = {}
    for key, value in _EMBEDDED_DATE.findall(next_data):
        embedded.setdefault(_EMBEDDED_KEYS.get(key, key), value)

    def text_of(key: str) -> str | None:
        value = article.get(key)
        return clean(value) if isinstance(value, str) and value.strip() else None

    keywords = article.get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    elif not isinstance(keywords, list):
        keywords = []
    body = article.get("articleBody")
    return PageMeta(
        headline=text_of("headline"),
        description=text_of("description"),
        date_published=text_of("datePublished"),
        date_modified=text_of("dateModified"),
        section=text_of("articleSection"),
        article_body=body if isinstance(body, str) else None,
        image=_image_url(article.get("image")) or metas.get("og:image"),
        og_title=metas.get("og:title"),
        og_description=metas.get("og:description"),
        publish_date_meta=metas.get("publish_date"),
        article_published_meta=metas.get("article:published_time"),
        article_modified_meta=metas.get("article:modified_time"),
        embedded_published=embedded.get("datePublished"),
        embedded_modified=embedded.get("dateModified"),
        language=language or declared_language(text),
        keywords=tuple(k for k in (clean(x) for x in keywords if isinstance(x, str)) if k),
    )


def paragraphs_text(nodes: Iterable[Tag]) -> list[str]:
    return [t for t in (clean(n.get_text()) for n in nodes) if t]
