"""Helpers every layout parser shares: decoding, text clean-up, page metadata, junk pages."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bs4 import BeautifulSoup, Tag

from newswire.models import ExtractionError, ExtractionReason

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u200b\ufeff]+")
_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_LATIN = re.compile(r"[A-Za-z]")
_TITLE_SUFFIX = re.compile(r"\s+-\s+[^-]{1,80}\s+-\s+(?:TASS|ТАСС)\s*$")
_SHORT_SUFFIX = re.compile(r"\s+-\s+(?:TASS|ТАСС)\s*$")


def clean(text: str | None) -> str:
    """Collapse every kind of whitespace (including &nbsp;) to single spaces."""
    return _SPACES.sub(" ", text or "").strip()


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
    if not html or not html.strip():
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


def looks_like_challenge(text: str, soup: BeautifulSoup) -> bool:
    """Anti-bot interstitials: small, ask for JavaScript or cookies, carry no article."""
    if len(text) > 20_000 or soup.find("h1") is not None:
        return False
    lowered = text.lower()
    signals = (
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
    return any(s in lowered for s in signals)


def looks_like_not_found(soup: BeautifulSoup) -> bool:
    title = clean(soup.title.get_text()) if soup.title else ""
    h1 = soup.find("h1")
    heading = clean(h1.get_text()) if h1 else ""
    probe = f"{title} {heading}".lower()
    return any(s in probe for s in ("404", "page not found", "not found", "страница не найдена"))


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
    keywords: tuple[str, ...] = ()


def _news_article(data: object) -> dict | None:
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


def _meta(soup: BeautifulSoup, **attrs: str) -> str | None:
    tag = soup.find("meta", attrs=attrs)
    if isinstance(tag, Tag):
        content = tag.get("content")
        if isinstance(content, str) and content.strip():
            return content.strip()
    return None


def read_page_meta(soup: BeautifulSoup) -> PageMeta:
    article: dict = {}
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            found = _news_article(json.loads(script.string or script.get_text() or ""))
        except (json.JSONDecodeError, TypeError):
            continue
        if found:
            article = found
            break

    def text(key: str) -> str | None:
        value = article.get(key)
        return clean(value) if isinstance(value, str) and value.strip() else None

    keywords = article.get("keywords")
    if isinstance(keywords, str):
        keywords = [k for k in (clean(x) for x in keywords.split(",")) if k]
    return PageMeta(
        headline=text("headline"),
        description=text("description"),
        date_published=text("datePublished"),
        date_modified=text("dateModified"),
        section=text("articleSection"),
        article_body=article.get("articleBody")
        if isinstance(article.get("articleBody"), str)
        else None,
        image=_image_url(article.get("image")) or _meta(soup, property="og:image"),
        og_title=_meta(soup, property="og:title"),
        og_description=_meta(soup, property="og:description"),
        publish_date_meta=_meta(soup, name="publish_date"),
        keywords=tuple(k for k in keywords or () if isinstance(k, str)),
    )


def paragraphs_text(nodes: Iterable[Tag]) -> list[str]:
    return [t for t in (clean(n.get_text()) for n in nodes) if t]
