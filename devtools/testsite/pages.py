"""tass.com pages rendered from fixture records, and what a parser must read back from them.

The markup follows what public scrapers document for tass.com today (2022–2026): the
article sits in ``div.news`` with ``news-header__*`` fields and ``text-block`` paragraphs,
surrounded by the weight a real page carries (inline styles and scripts, menus, side
feeds, related news), so parsers and fetchers meet realistic sizes and distractions.
Every page is a pure function of its inputs, so test expectations stay stable.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

MSK = timezone(timedelta(hours=3), "MSK")

SECTION_NAMES: Mapping[str, str] = {
    "politics": "Russian Politics & Diplomacy",
    "world": "World",
    "economy": "Business & Economy",
    "defense": "Military & Defense",
    "science": "Science & Space",
    "emergencies": "Emergencies",
    "society": "Society & Culture",
    "sports": "Sports",
    "sport": "Sports",
    "pressreview": "Press Review",
}
# Menu order as on the site; `sport` is an old alias and not listed.
MENU_SECTIONS = (
    "politics",
    "world",
    "economy",
    "defense",
    "science",
    "emergencies",
    "society",
    "sports",
    "pressreview",
)
LOGO_PATH = "/img/tass-logo-share-en.jpg"

_EN_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_DATELINE_RE = re.compile(
    rf"^(?P<place>[^,\n]+?), (?:(?:{_EN_MONTHS}) \d{{1,2}}\. /TASS/\."
    rf"|\d{{1,2}} (?:{_RU_MONTHS})\. /ТАСС/\.)(?:\s|$)"
)
# Any Russian opening: the plain tag, a correspondent credit or the old agency name in
# the slashes, or no tag at all; "ТАСС, 10 августа." names no place.
_RU_OPENING_RE = re.compile(
    rf"^(?P<place>[А-ЯЁ][^,\n]{{0,60}}?), \d{{1,2}} (?:{_RU_MONTHS})\.(?:\s|$)"
)
_NO_PLACE = "ТАСС"
# Short words TASS typesetting glues to the next word with a no-break space.
_GLUE_RE = re.compile(r"\b(a|an|of|in|on|to|at|by|the|\d+%?) (?=\w)", re.IGNORECASE)


def section_name(slug: str) -> str:
    """The display name TASS prints for a section slug (title-cased slug when unknown)."""
    return SECTION_NAMES.get(slug) or slug.replace("-", " ").title()


@dataclass(frozen=True)
class ArticleRecord:
    """One fixture article, as stored in ``fixtures/articles_<lang>.json``."""

    external_id: int
    section: str
    headline: str
    lead: str
    paragraphs: tuple[str, ...]
    published_at: str
    modified_at: str
    image_url: str | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> ArticleRecord:
        record = cls(
            external_id=int(raw["external_id"]),
            section=str(raw["section"]),
            headline=str(raw["headline"]),
            lead=str(raw["lead"]),
            paragraphs=tuple(str(p) for p in raw["paragraphs"]),
            published_at=str(raw["published_at"]),
            modified_at=str(raw.get("modified_at") or raw["published_at"]),
            image_url=raw.get("image_url") or None,
        )
        _aware(record.published_at)  # fail at load time, not mid-request
        _aware(record.modified_at)
        return record

    def to_dict(self) -> dict[str, Any]:
        return {
            "external_id": self.external_id,
            "section": self.section,
            "headline": self.headline,
            "lead": self.lead,
            "paragraphs": list(self.paragraphs),
            "published_at": self.published_at,
            "modified_at": self.modified_at,
            "image_url": self.image_url,
        }

    @property
    def published(self) -> datetime:
        return _aware(self.published_at)

    @property
    def modified(self) -> datetime:
        return _aware(self.modified_at)

    @property
    def path(self) -> str:
        """The article's path on the site, ``/<section>/<id>``."""
        return f"/{self.section}/{self.external_id}"


def _aware(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=MSK)


def msk_iso(moment: datetime) -> str:
    """ISO 8601 with the ``+03:00`` offset TASS uses everywhere."""
    return moment.astimezone(MSK).isoformat(timespec="seconds")


def normalise_space(text: str) -> str:
    """Collapse every run of Unicode whitespace (no-break spaces too) to one plain space."""
    return " ".join(text.split())


def expected_article(record: ArticleRecord) -> dict[str, Any]:
    """What a correct parser extracts from this record's page (the test oracle).

    ``published_at``/``modified_at`` are UTC ISO strings; ``dateline`` is the place as
    printed before the comma and date, or None when the first paragraph has no dateline.
    """
    paragraphs = [p for p in (normalise_space(p) for p in record.paragraphs) if p]
    first = paragraphs[0] if paragraphs else ""
    match = _DATELINE_RE.match(first) or _RU_OPENING_RE.match(first)
    if match and match.group("place") == _NO_PLACE:
        match = None
    return {
        "external_id": record.external_id,
        "section": record.section,
        "headline": normalise_space(record.headline),
        "lead": normalise_space(record.lead),
        "dateline": normalise_space(match.group("place")) if match else None,
        "body": "\n\n".join(paragraphs),
        "published_at": record.published.astimezone(UTC).isoformat(),
        "modified_at": record.modified.astimezone(UTC).isoformat(),
    }


# --------------------------------------------------------------------------- helpers


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _script_json(value: Any) -> str:
    """JSON safe to inline in a <script>: no ``</`` can close the element early."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def _roll(*parts: object) -> int:
    """A per-article stable number, so the same record always renders the same page."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _absolute(base_url: str, path_or_url: str) -> str:
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return base_url.rstrip("/") + "/" + path_or_url.lstrip("/")


def printed_date(moment: datetime) -> str:
    """The date as the page prints it, e.g. ``December 26, 2024, 18:09``."""
    local = moment.astimezone(MSK)
    return f"{local:%B} {local.day}, {local.year}, {local:%H:%M}"


def _paragraph_html(text: str, glue: bool) -> str:
    """Escape one paragraph; on some pages glue short words with ``&nbsp;`` as TASS does."""
    escaped = _esc(text)
    if not glue:
        return escaped
    match = _DATELINE_RE.match(escaped)
    head, tail = (escaped[: match.end()], escaped[match.end() :]) if match else ("", escaped)
    return head + _GLUE_RE.sub(r"\1&nbsp;", tail, count=4)


def _blocks(paragraphs: Sequence[str]) -> list[list[str]]:
    """Split the body into text-blocks: one for short texts, two or three for longer ones."""
    items = [p for p in paragraphs if p.strip()]
    if len(items) < 3:
        return [items]
    count = 2 if len(items) < 8 else 3
    size = -(-len(items) // count)
    return [items[i : i + size] for i in range(0, len(items), size)]


# --------------------------------------------------------------- static page weight


def _build_css() -> str:
    """A site stylesheet of realistic size: BEM components, states and breakpoints."""
    components = {
        "header": ["inner", "logo", "burger", "search", "lang", "live", "promo"],
        "menu": ["list", "item", "link", "sub", "sub-item", "more", "close"],
        "tag-line": ["list", "item", "link", "time"],
        "news": ["container", "column", "aside", "share", "footer", "counter"],
        "news-header": ["title", "lead", "meta", "section", "date"],
        "news-media": ["image", "caption", "credit", "zoom"],
        "text-content": ["inner", "quote", "table", "list", "link"],
        "text-block": ["p", "strong", "em", "a"],
        "also-read": ["label", "link", "title", "image"],
        "related-news": ["title", "list", "item", "link", "date", "image"],
        "news-feed": ["title", "list", "item", "link", "time", "more"],
        "share": ["list", "item", "button", "icon", "counter"],
        "footer": ["inner", "logo", "nav", "link", "copy", "social", "apps", "legal"],
        "cookie-banner": ["text", "button", "close"],
        "subscribe": ["form", "input", "button", "note"],
        "ad-slot": ["label", "frame", "placeholder"],
    }
    modifiers = ["active", "hidden", "sticky"]
    palette = ["#1a1a1a", "#2b2b2b", "#3f65a7", "#0d4ea6", "#e3e7ee", "#f4f6f9", "#8a8f99"]
    props = [
        "display:flex;align-items:center",
        "display:block;position:relative",
        "margin:0 0 {n}px;padding:{m}px {n}px",
        "font:400 {f}px/1.45 'TASS Sans',Helvetica,Arial,sans-serif",
        "color:{c};text-decoration:none",
        "background:{c};border-radius:{m}px",
        "border-bottom:1px solid {c};transition:color .2s ease,opacity .2s ease",
        "max-width:{w}px;width:100%;box-sizing:border-box",
        "letter-spacing:.{m}px;text-transform:none;white-space:normal",
        "grid-template-columns:repeat({g},minmax(0,1fr));gap:{n}px",
    ]
    rules: list[str] = [
        ":root{--c-text:#1a1a1a;--c-accent:#0d4ea6;--c-muted:#8a8f99;--gap:24px}",
        "*,*::before,*::after{box-sizing:border-box}",
        "html{-webkit-text-size-adjust:100%}body{margin:0;background:#fff;color:var(--c-text)}",
        "img{max-width:100%;height:auto;border:0}a{color:inherit}",
    ]
    n = 0
    for block, elements in components.items():
        for element in ["", *elements]:
            selector = f".{block}__{element}" if element else f".{block}"
            for modifier in ["", *modifiers]:
                n += 1
                name = f"{selector}--{modifier}" if modifier else selector
                body = ";".join(
                    props[(n + k) % len(props)].format(
                        n=8 + n % 24,
                        m=2 + n % 9,
                        f=12 + n % 10,
                        c=palette[(n + k) % len(palette)],
                        w=320 + 40 * (n % 25),
                        g=2 + n % 4,
                    )
                    for k in range(2 + n % 2)
                )
                rules.append(f"{name}{{{body}}}")
    for width in (1279, 1023, 767, 479):
        inner = "".join(
            f".{block}{{padding:0 {width % 17 + 8}px;font-size:{13 + width % 5}px}}"
            for block in components
        )
        rules.append(f"@media (max-width:{width}px){{{inner}}}")
    return "\n".join(rules)


def _build_boot_js() -> str:
    """The inline runtime a real page ships: config, consent, counters, lazy loading."""
    config = {
        "site": "tass.com",
        "lang": "en",
        "api": {"categoryNewsList": "/userApi/categoryNewsList", "search": "/search"},
        "sections": {
            "politics": 4954,
            "world": 4844,
            "economy": 4845,
            "defense": 4953,
            "science": 4957,
            "emergencies": 4992,
            "society": 4956,
            "pressreview": 4981,
            "sports": 4869,
        },
        "adSlots": [
            {
                "id": f"slot-{i}",
                "sizes": [[728, 90], [970, 250], [300, 600]][i % 3],
                "refresh": 30 + i % 5 * 15,
                "targeting": {"pos": i, "page": "news", "lazy": i > 2},
            }
            for i in range(60)
        ],
        "i18n": {
            f"msg{i:03d}": f"Interface string number {i} for the English edition"
            for i in range(120)
        },
    }
    functions = "\n".join(
        f"function tassModule{i}(el,opts){{opts=opts||{{}};var d=el&&el.dataset||{{}};"
        f"if(!el||d.init{i}==='1'){{return null}}d.init{i}='1';"
        f"var state={{index:{i},visible:false,ts:Date.now()}};"
        f"el.addEventListener('click',function(e){{state.visible=!state.visible;"
        f"el.classList.toggle('is-open-{i % 7}',state.visible);"
        f"window.tassQueue&&window.tassQueue.push(['event','ui',{i},state.visible])}});"
        f"return state}}"
        for i in range(40)
    )
    runtime = (
        "(function(w,d){'use strict';w.tassQueue=w.tassQueue||[];"
        "function ready(f){d.readyState!=='loading'?f():d.addEventListener('DOMContentLoaded',f)}"
        "function fmt(el){var t=+el.getAttribute('time');if(!t){return}"
        "var dt=new Date(t*1000);el.setAttribute('title',dt.toISOString())}"
        "ready(function(){var list=d.getElementsByTagName('dateformat');"
        "for(var i=0;i<list.length;i++){fmt(list[i])}});"
        "w.addEventListener('scroll',function(){var h=d.querySelector('.header');"
        "if(h){h.classList.toggle('header--sticky',w.scrollY>120)}},{passive:true})"
        "})(window,document);"
    )
    return f"window.__TASS_CONFIG__={_script_json(config)};\n{runtime}\n{functions}"


def _build_sprite() -> str:
    """Inline SVG icons, as the site embeds them at the top of the body."""
    icons = [
        "search", "close", "burger", "arrow-left", "arrow-right", "share", "vk", "telegram",
        "x", "rss", "mail", "print", "photo", "video", "live", "clock", "eye", "lang",
    ]  # fmt: skip
    symbols = []
    for i, name in enumerate(icons):
        points = " ".join(f"L{(i * 7 + k * 5) % 24} {(i * 3 + k * 11) % 24}" for k in range(24))
        symbols.append(
            f'<symbol id="icon-{name}" viewBox="0 0 24 24"><path d="M{i % 24} 0 {points} Z"/>'
            "</symbol>"
        )
    joined = "".join(symbols)
    return f'<svg xmlns="http://www.w3.org/2000/svg" style="display:none">{joined}</svg>'


SITE_CSS = _build_css()
BOOT_JS = _build_boot_js()
ICON_SPRITE = _build_sprite()


# ------------------------------------------------------------------------ fragments


def _menu_html() -> str:
    items = "".join(
        f'<li class="menu__item"><a class="menu__link" href="/{slug}">{_esc(section_name(slug))}'
        "</a></li>"
        for slug in MENU_SECTIONS
    )
    extra = "".join(
        f'<li class="menu__sub-item"><a class="menu__link" href="/{slug}">{_esc(title)}</a></li>'
        for slug, title in (
            ("russias-foreign-policy", "Russia's Foreign Policy"),
            ("ukraine-crisis", "Ukraine Crisis"),
            ("military-operation-in-ukraine", "Special Military Operation"),
            ("spec", "Special Projects"),
        )
    )
    return (
        '<nav class="menu" aria-label="Sections"><ul class="menu__list">'
        f'{items}<li class="menu__more">More<ul class="menu__sub">{extra}</ul></li></ul></nav>'
    )


def _header_html() -> str:
    return (
        '<header class="header"><div class="header__inner">'
        '<button class="header__burger" type="button" aria-label="Menu">'
        '<svg width="24" height="24"><use href="#icon-burger"></use></svg></button>'
        '<a class="header__logo" href="/" title="TASS">TASS</a>'
        f"{_menu_html()}"
        '<form class="header__search" action="/search" method="get">'
        '<input type="search" name="searchStr" placeholder="Search" aria-label="Search">'
        "</form>"
        '<a class="header__lang" href="https://tass.ru" hreflang="ru">Рус</a>'
        "</div></header>"
    )


def _feed_item_html(record: ArticleRecord, css: str) -> str:
    stamp = int(record.published.timestamp())
    return (
        f'<li class="{css}__item"><a class="{css}__link" href="{_esc(record.path)}">'
        f'<span class="{css}__title">{_esc(record.headline)}</span></a>'
        f'<dateformat time="{stamp}">{_esc(printed_date(record.published))}</dateformat></li>'
    )


def _news_feed_html(latest: Iterable[ArticleRecord]) -> str:
    """The "latest news" column beside the article (after it in the source order)."""
    items = "".join(_feed_item_html(r, "news-feed") for r in latest)
    return (
        '<aside class="news-feed"><div class="news-feed__title">Latest news</div>'
        f'<ul class="news-feed__list">{items}</ul>'
        '<a class="news-feed__more" href="/">All news</a></aside>'
    )


def _related_html(related: Sequence[ArticleRecord]) -> str:
    if not related:
        return ""
    items = "".join(_feed_item_html(r, "related-news") for r in related)
    return (
        '<section class="related-news"><h3 class="related-news__title">Related news</h3>'
        f'<ul class="related-news__list">{items}</ul></section>'
    )


def _also_read_html(other: ArticleRecord) -> str:
    return (
        '<div class="also-read"><span class="also-read__label">Also read</span>'
        f'<a class="also-read__link" href="{_esc(other.path)}">'
        f'<span class="also-read__title">{_esc(other.headline)}</span></a></div>'
    )


def _footer_html(year: int) -> str:
    links = "".join(
        f'<a class="footer__link" href="/{slug}">{_esc(name)}</a>'
        for slug, name in (
            ("about", "About TASS"),
            ("contacts", "Contacts"),
            ("advertising", "Advertising"),
            ("terms-of-use", "Terms of use"),
            ("privacy-policy", "Privacy policy"),
            ("rss/v2.xml", "RSS"),
        )
    )
    return (
        '<footer class="footer"><div class="footer__inner">'
        f'<nav class="footer__nav">{links}</nav>'
        '<p class="footer__legal">Information agency TASS. Registration certificate '
        "No. 03247 issued on April 2, 1999 by the State Press Committee of the Russian "
        "Federation. Use of materials is permitted subject to a hyperlink to tass.com.</p>"
        f'<p class="footer__copy">&copy; 1999&ndash;{year} TASS</p>'
        "</div></footer>"
    )


def _json_ld(record: ArticleRecord, base_url: str, image: str, name: str) -> str:
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": _absolute(base_url, record.path)},
        "headline": record.headline,
        "description": record.lead,
        "datePublished": msk_iso(record.published),
        "dateModified": msk_iso(record.modified),
        "articleSection": name,
        "image": [image],
        "inLanguage": "en",
        "publisher": {
            "@type": "Organization",
            "name": "TASS",
            "logo": {"@type": "ImageObject", "url": _absolute(base_url, LOGO_PATH)},
        },
    }
    crumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": 1, "name": "TASS", "item": base_url + "/"},
            {
                "@type": "ListItem",
                "position": 2,
                "name": name,
                "item": _absolute(base_url, "/" + record.section),
            },
        ],
    }
    return (
        f'<script type="application/ld+json">{_script_json(article)}</script>\n'
        f'<script type="application/ld+json">{_script_json(crumbs)}</script>'
    )


# -------------------------------------------------------------------------- pages


def render_article_page(
    record: ArticleRecord,
    base_url: str,
    *,
    also_read: ArticleRecord | None = None,
    related: Sequence[ArticleRecord] = (),
    latest: Sequence[ArticleRecord] = (),
    year: int | None = None,
) -> bytes:
    """The UTF-8 bytes of a tass.com article page for ``record`` (about 80–130 kB)."""
    base_url = base_url.rstrip("/")
    name = section_name(record.section)
    title = f"{record.headline} - {name} - TASS"
    url = _absolute(base_url, record.path)
    image = _absolute(base_url, record.image_url or LOGO_PATH)
    published = record.published
    roll = _roll("page", record.external_id)
    glue = roll % 2 == 0

    blocks = _blocks(record.paragraphs)
    parts: list[str] = []
    for index, block in enumerate(blocks):
        if index == 1 and also_read is not None:
            parts.append(_also_read_html(also_read))
        paragraphs = "".join(f"<p>{_paragraph_html(p, glue)}</p>" for p in block)
        parts.append(f'<div class="text-block">{paragraphs}</div>')
    media = ""
    if record.image_url:
        credit = ("Sergei Bobylev/TASS", "Vladimir Smirnov/TASS", "Valery Sharifulin/TASS")
        media = (
            '<div class="news-media">'
            f'<img src="{_esc(image)}" alt="{_esc(record.headline)}" width="1020" height="574">'
            f"<figcaption>&copy; {credit[roll % 3]}</figcaption></div>"
        )
    state = {
        "page": "news",
        "news": {"id": record.external_id, "section": record.section, "title": record.headline},
        "counters": {"views": roll % 50_000, "comments": 0},
    }
    head = (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="X-UA-Compatible" content="IE=edge">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_esc(title)}</title>\n"
        f'<meta name="description" content="{_esc(record.lead)}">\n'
        '<meta property="og:type" content="article">\n'
        '<meta property="og:site_name" content="TASS">\n'
        f'<meta property="og:title" content="{_esc(title)}">\n'
        f'<meta property="og:description" content="{_esc(record.lead)}">\n'
        f'<meta property="og:image" content="{_esc(image)}">\n'
        f'<meta property="og:url" content="{_esc(url)}">\n'
        '<meta name="twitter:card" content="summary_large_image">\n'
        '<link rel="icon" href="/favicon.ico" sizes="any">\n'
        '<link rel="alternate" type="application/rss+xml" title="TASS" href="/rss/v2.xml">\n'
        f"<style>{SITE_CSS}</style>\n"
        f"<script>{BOOT_JS}</script>\n"
        f"{_json_ld(record, base_url, image, name)}\n"
        "</head>\n"
    )
    body = (
        f'<body class="page page_news page_{_esc(record.section)}">\n{ICON_SPRITE}\n'
        f'<div id="app">{_header_html()}\n'
        '<main class="container"><div class="news__column">'
        f'<a class="news__section-link" href="/{_esc(record.section)}">{_esc(name)}</a>'
        f'<div class="news" data-news-id="{record.external_id}">'
        '<div class="news-header">'
        f'<h1 class="news-header__title">{_esc(record.headline)}</h1>'
        f'<div class="news-header__lead">{_esc(record.lead)}</div>'
        f'<dateformat time="{int(published.timestamp())}">{_esc(printed_date(published))}'
        "</dateformat></div>\n"
        f"{media}"
        f'<div class="text-content">{"".join(parts)}</div>\n'
        '<div class="news__share share"><span class="share__item">Share</span></div>'
        "</div>\n"
        f"{_related_html(related)}</div>{_news_feed_html(latest)}</main>\n"
        f"{_footer_html(year or date.today().year)}</div>\n"
        f"<script>window.__INITIAL_STATE__={_script_json(state)};</script>\n"
        "</body>\n</html>\n"
    )
    return (head + body).encode("utf-8")


def render_not_found(base_url: str) -> bytes:
    """The small 404 page served for unknown paths and ids."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Page not found - TASS</title></head><body>"
        '<div class="error-page"><h1 class="error-page__title">404</h1>'
        "<p>The page you requested was not found.</p>"
        f'<a href="{_esc(base_url.rstrip("/"))}/">Back to Main page</a></div></body></html>\n'
    ).encode()


def render_home_page(base_url: str, latest: Sequence[ArticleRecord]) -> bytes:
    """A plain front page listing the newest articles, handy when browsing the demo."""
    items = "".join(_feed_item_html(r, "news-feed") for r in latest)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>TASS</title>"
        f'<link rel="alternate" type="application/rss+xml" href="{_esc(base_url)}/rss/v2.xml">'
        f"</head><body>{_header_html()}<main>"
        f'<ul class="news-feed__list">{items}</ul></main></body></html>\n'
    ).encode()


__all__ = [
    "LOGO_PATH",
    "MSK",
    "SECTION_NAMES",
    "ArticleRecord",
    "expected_article",
    "msk_iso",
    "normalise_space",
    "printed_date",
    "render_article_page",
    "render_home_page",
    "render_not_found",
    "section_name",
]
