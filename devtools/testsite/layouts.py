"""Pages in the OLDER and other layouts TASS has served, rendered from fixture records.

The current tass.com layout lives in ``pages.py``; this module draws the others that
public archives and scrapers document, so the parser can be checked on each:

* ``b-material`` (tass.com and tass.ru, 2016–2019): printed date without a year;
* tass.ru 2019–2021: the ``news-header``/``text-block`` classes in Russian;
* tass.ru 2025–2026 (Next.js): CSS-module class names with hashed suffixes and the
  dates in the embedded ``__NEXT_DATA__`` JSON;
* a page of no TASS layout (a syndicated copy) carrying JSON-LD and OpenGraph only.

Every page carries realistic furniture (menus, inline CSS/JS, related news, "also read"
inserts, photo captions) and is a pure function of its arguments.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from devtools.testsite.pages import (
    BOOT_JS,
    ICON_SPRITE,
    MSK,
    SITE_CSS,
    ArticleRecord,
    msk_iso,
    section_name,
)

MOSCOW_ZONE = ZoneInfo("Europe/Moscow")
RU_RUBRICS = {
    "moskovskaya-oblast": "Московская область",
    "obschestvo": "Общество",
    "proisshestviya": "Происшествия",
    "politika": "Политика",
    "ekonomika": "Экономика",
    "sport": "Спорт",
    "mezhdunarodnaya-panorama": "Международная панорама",
    "v-strane": "В стране",
    "armiya-i-opk": "Армия и ОПК",
    "nauka": "Наука",
    "kultura": "Культура",
    "moskva": "Москва",
    "sibir-news": "Сибирь",
    "nedvizhimost": "Недвижимость",
    "opinions": "Мнения",
    "interviews": "Интервью",
}
_EN_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_RU_MONTHS_GENITIVE = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
# Short words glued to the next one with a no-break space, as TASS typesetting does.
_GLUE = re.compile(r"(?<=\s)(a|an|of|in|on|to|at|by|the|и|в|на|с|по|не|\d+) (?=\w)")


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def rubric_name(slug: str, language: str) -> str:
    """Display name of a section/rubric slug in the page's language."""
    if language == "ru":
        return RU_RUBRICS.get(slug, slug.replace("-", " ").capitalize())
    return section_name(slug)


def _paragraph(text: str, *, glue: bool, link: bool) -> str:
    """One body paragraph: escaped, optionally with &nbsp; glue and an inline link."""
    escaped = _esc(text)
    head, sep, tail = escaped.partition("/. ")
    if not sep:
        head, tail = "", escaped
    if glue:
        tail = _GLUE.sub(lambda m: m.group(1) + "&nbsp;", tail, count=3)
    if link:
        words = tail.split(" ")
        if len(words) > 6:
            words[3] = f'<a href="/search?q={_esc(words[3])}">{words[3]}</a>'
            words[5] = f"<strong>{words[5]}</strong>"
            tail = " ".join(words)
    return f"{head}{sep}{tail}"


def _weight(language: str) -> str:
    """The inline style and runtime a real page ships before its content."""
    runtime = BOOT_JS.replace("tass.com", "tass." + language)
    return f"<style>{SITE_CSS}</style>\n<script>{runtime}</script>\n"


def _menu(language: str, css: str) -> str:
    slugs = (
        list(RU_RUBRICS)
        if language == "ru"
        else ["politics", "world", "economy", "defense", "science", "society", "sports"]
    )
    items = "".join(
        f'<li class="{css}__item"><a href="/{s}">{_esc(rubric_name(s, language))}</a></li>'
        for s in slugs
    )
    return f'<nav class="{css}"><ul class="{css}__list">{items}</ul></nav>'


def _related(items: Sequence[ArticleRecord], css: str, title: str) -> str:
    lis = "".join(
        f'<li class="{css}__item"><a href="{_esc(r.path)}"><p class="{css}__text">'
        f"{_esc(r.headline)}</p></a><span>{_esc(r.published_at[:10])}</span></li>"
        for r in items
    )
    return f'<section class="{css}"><h3>{_esc(title)}</h3><ul>{lis}</ul></section>'


def _footer(language: str) -> str:
    legal = (
        "Сетевое издание ТАСС зарегистрировано в Федеральной службе по надзору в сфере связи."
        if language == "ru"
        else "Information agency TASS. Use of materials is permitted subject to a hyperlink."
    )
    return f'<footer class="footer"><p class="footer__legal">{legal}</p><p>&copy; TASS</p></footer>'


def printed_en(moment: datetime) -> str:
    """`October 12, 20:40 UTC+3` as the b-material pages print it (no year)."""
    local = moment.astimezone(MSK)
    return f"{_EN_MONTH_NAMES[local.month - 1]} {local.day}, {local:%H:%M} UTC+3"


def printed_ru(moment: datetime) -> str:
    """`30 марта, 10:15` as Russian pages print it (no year), on Moscow's clock of the day
    (UTC+4 from 2011 to October 2014)."""
    local = moment.astimezone(MOSCOW_ZONE)
    return f"{local.day} {_RU_MONTHS_GENITIVE[local.month - 1]}, {local:%H:%M}"


def _head(
    *,
    language: str,
    title: str,
    lead: str,
    image: str | None,
    url: str,
    extra: str = "",
) -> str:
    og_image = f'<meta property="og:image" content="{_esc(image)}">\n' if image else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{language}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n"
        f'<meta name="description" content="{_esc(lead)}">\n'
        f'<meta property="og:title" content="{_esc(title)}">\n'
        f'<meta property="og:description" content="{_esc(lead)}">\n'
        f'<meta property="og:url" content="{_esc(url)}">\n{og_image}{extra}'
        f"{_weight(language)}</head>\n"
    )


def _absolute(base_url: str, path: str | None) -> str | None:
    if not path:
        return None
    return path if path.startswith("http") else base_url.rstrip("/") + path


# ------------------------------------------------------------------ b-material 2016–2019


def render_b_material_page(
    record: ArticleRecord,
    base_url: str,
    *,
    language: str = "en",
    publish_date_meta: bool = True,
    also_read: ArticleRecord | None = None,
    related: Sequence[ArticleRecord] = (),
) -> bytes:
    """An archived article page of 2016–2019 ("Back to Main page / headline / World /
    October 12, 20:40 UTC+3 MOSCOW / lead / body")."""
    agency = "ТАСС" if language == "ru" else "TASS"
    name = rubric_name(record.section, language)
    image = _absolute(base_url, record.image_url)
    meta = (
        f'<meta name="publish_date" content="{msk_iso(record.published)}">\n'
        if publish_date_meta
        else ""
    )
    head = _head(
        language=language,
        title=f"{record.headline} - {name} - {agency}",
        lead=record.lead,
        image=image,
        url=base_url + record.path,
        extra=meta,
    )
    printed = printed_ru(record.published) if language == "ru" else printed_en(record.published)
    place = record.paragraphs[0].split(",")[0] if record.paragraphs else ""
    paragraphs = [p for p in record.paragraphs]
    parts: list[str] = []
    for index, text in enumerate(paragraphs):
        if index == 2 and also_read is not None:
            parts.append(
                '<div class="b-material-incut"><span>'
                f"{'Читайте также' if language == 'ru' else 'Read also'}</span>"
                f'<a href="{_esc(also_read.path)}">{_esc(also_read.headline)}</a></div>'
            )
        if index == 1 and image:
            parts.append(
                f'<figure class="b-gallery"><img src="{_esc(image)}">'
                f"<figcaption>&copy; Photo {agency}</figcaption></figure>"
            )
        parts.append(f"<p>{_paragraph(text, glue=index % 2 == 1, link=index == 1)}</p>")
    body_class = (
        "b-material-text__l js-mediator-article"
        if record.external_id % 2
        else "b-material-text js-mediator-article"
    )
    back = "Вернуться на главную" if language == "ru" else "Back to Main page"
    page = (
        f'{head}<body class="b-page">{ICON_SPRITE}\n'
        f'<header class="b-header">{_menu(language, "b-menu")}</header>\n'
        f'<div class="b-material-wrapper"><a class="b-material__back" href="/">{back}</a>\n'
        f'<h1 class="b-material__title">\n  {_esc(record.headline)}\n</h1>\n'
        f'<div class="b-material__info"><a class="b-material__section" href="/{record.section}">'
        f'{_esc(name)}</a> <span class="b-material__date">{printed}</span> '
        f'<span class="b-material__place">{_esc(place)}</span></div>\n'
        f'<span itemprop="description" class="b-material__preview">{_esc(record.lead)}</span>\n'
        f'<div class="b-material-body"><div class="{body_class}">{"".join(parts)}</div></div>\n'
        f'<div class="b-material__footer"><span>{agency}</span></div></div>\n'
        f"{_related(related, 'b-related', 'More news' if language == 'en' else 'Ещё новости')}\n"
        f"{_footer(language)}</body>\n</html>\n"
    )
    return page.encode("utf-8")


# --------------------------------------------------------------------- tass.ru 2019–2021


def render_tass_ru_2019_page(
    record: ArticleRecord,
    base_url: str,
    *,
    json_ld: bool = True,
    also_read: ArticleRecord | None = None,
    related: Sequence[ArticleRecord] = (),
) -> bytes:
    """A tass.ru article of 2019–2021: tass.com's class names, Russian text."""
    name = rubric_name(record.section, "ru")
    image = _absolute(base_url, record.image_url)
    ld = ""
    if json_ld:
        ld = (
            '<script type="application/ld+json">'
            + _json(
                {
                    "@context": "https://schema.org",
                    "@type": "NewsArticle",
                    "headline": record.headline,
                    "description": record.lead,
                    "datePublished": msk_iso(record.published),
                    "dateModified": msk_iso(record.modified),
                    "articleSection": name,
                    "image": [image] if image else [],
                }
            )
            + "</script>\n"
        )
    head = _head(
        language="ru",
        title=f"{record.headline} - {name} - ТАСС",
        lead=record.lead,
        image=image,
        url=base_url + record.path,
        extra=ld,
    )
    blocks: list[str] = []
    half = max(1, len(record.paragraphs) // 2)
    for start in range(0, len(record.paragraphs), half):
        chunk = record.paragraphs[start : start + half]
        ps = "".join(
            f"<p>{_paragraph(t, glue=(start + i) % 3 == 1, link=start + i == 1)}</p>"
            for i, t in enumerate(chunk)
        )
        if start and also_read is not None:
            blocks.append(
                '<div class="text-include"><span>Читайте также</span>'
                f'<a href="{_esc(also_read.path)}">{_esc(also_read.headline)}</a></div>'
            )
        blocks.append(f'<div class="text-block">{ps}</div>')
    media = (
        f'<div class="news-media"><img src="{_esc(image)}"><div class="news-media__caption">'
        "&copy; Сергей Бобылев/ТАСС</div></div>"
        if image
        else ""
    )
    stamp = int(record.published.timestamp())
    page = (
        f'{head}<body>{ICON_SPRITE}<div id="app">{_menu("ru", "menu")}\n'
        '<main><div class="news" data-io-article-url="' + _esc(base_url + record.path) + '">'
        f'<div class="news-header"><h1 class="news-header__title">{_esc(record.headline)}</h1>'
        f'<div class="news-header__lead">{_esc(record.lead)}</div>'
        f'<dateformat time="{stamp}">{printed_ru(record.published)}</dateformat></div>\n'
        f'{media}<div class="text-content">{"".join(blocks)}</div></div>\n'
        f"{_related(related, 'related-news', 'Другие новости')}</main>\n"
        f"{_footer('ru')}</div></body>\n</html>\n"
    )
    return page.encode("utf-8")


# ---------------------------------------------------------------- tass.ru 2025–2026 (Next.js)


def render_tass_ru_next_page(
    record: ArticleRecord,
    base_url: str,
    *,
    tags: Sequence[str] = (),
    build: str = "a1B2c",
    json_ld: bool = True,
    ld_article_body: bool = False,
    also_read: ArticleRecord | None = None,
    related: Sequence[ArticleRecord] = (),
    state_shape: str = "news",
) -> bytes:
    """A tass.ru page of the Next.js site; `build` stands for the hashed class suffixes.

    `state_shape="data"` writes `__NEXT_DATA__` as public collectors describe the site
    since 2022 (`props.pageProps.data` with `published_dt` in Moscow time without a zone
    and `content_blocks`), plus `article:published_time` and `rel=canonical` when JSON-LD
    is on; "news" is the shape of the gold pages built before.
    """

    def cls(name: str) -> str:
        return f"{name}__{build}{len(name) % 7}"

    name = rubric_name(record.section, "ru")
    image = _absolute(base_url, record.image_url)
    ld_item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": record.headline,
        "description": record.lead,
        "datePublished": msk_iso(record.published),
        "dateModified": msk_iso(record.modified),
        "image": image,
    }
    if ld_article_body:
        ld_item["articleBody"] = "\n".join(record.paragraphs)
    ld = f'<script type="application/ld+json">{_json(ld_item)}</script>\n' if json_ld else ""
    head = _head(
        language="ru",
        title=f"{record.headline} - ТАСС",
        lead=record.lead,
        image=image,
        url=base_url + record.path,
        extra=ld,
    )
    paragraphs: list[str] = []
    for index, text in enumerate(record.paragraphs):
        if index == 1 and also_read is not None:
            paragraphs.append(
                f'<div class="{cls("InlineRead_read")}"><span>Читайте также</span>'
                f'<a href="{_esc(also_read.path)}"><p class="{cls("InlineRead_title")}">'
                f"{_esc(also_read.headline)}</p></a></div>"
            )
        paragraphs.append(
            f'<p class="{cls("Paragraph_paragraph")}">'
            f"{_paragraph(text, glue=index % 2 == 0, link=index == 2)}</p>"
        )
    tag_links = "".join(
        f'<a class="{cls("Tags_tag")}" href="/tag/{i}">{_esc(t)}</a>' for i, t in enumerate(tags)
    )
    state: dict[str, Any]
    if state_shape == "data":
        state = _documented_state(record, name, related, build)
        if json_ld:
            ld += (
                f'<meta property="article:published_time" content="{msk_iso(record.published)}">\n'
                f'<link rel="canonical" href="https://tass.ru{_esc(record.path)}">\n'
            )
        head = _head(
            language="ru",
            title=f"{record.headline} - ТАСС",
            lead=record.lead,
            image=image,
            url=base_url + record.path,
            extra=ld,
        )
    else:
        state = _news_state(record, name, related, build)
    feed = "".join(
        f'<li class="{cls("NewsFeed_item")}"><a href="{_esc(r.path)}">{_esc(r.headline)}</a></li>'
        for r in related
    )
    figure = (
        f'<figure class="{cls("Gallery_figure")}"><img src="{_esc(image)}">'
        "<figcaption>&copy; Михаил Терещенко/ТАСС</figcaption></figure>"
        if image
        else ""
    )
    page = (
        f'{head}<body><div id="__next"><header class="{cls("Header_header")}">'
        f"{_menu('ru', cls('Menu_menu'))}</header>\n"
        f'<main class="{cls("Layout_main")}"><article class="{cls("NewsPage_article")}">'
        f'<div class="{cls("NewsHeader_header")}">'
        f'<a class="{cls("NewsHeader_rubric")}" href="/{record.section}">{_esc(name)}</a>'
        f'<h1 class="{cls("NewsHeader_title")}">{_esc(record.headline)}</h1>'
        f'<div class="{cls("NewsHeader_lead")}">{_esc(record.lead)}</div>'
        f'<time class="{cls("NewsHeader_date")}">{printed_ru(record.published)}</time></div>'
        f'{figure}<div class="{cls("NewsContent_content")}">{"".join(paragraphs)}</div>'
        f'<div class="{cls("Tags_tags")}">{tag_links}</div></article>\n'
        f'<aside class="{cls("NewsFeed_feed")}"><ul>{feed}</ul></aside></main>\n'
        f"{_footer('ru')}</div>\n"
        f'<script id="__NEXT_DATA__" type="application/json">{_json(state)}</script>\n'
        "</body>\n</html>\n"
    )
    return page.encode("utf-8")


def _news_state(
    record: ArticleRecord, name: str, related: Sequence[ArticleRecord], build: str
) -> dict[str, Any]:
    """The embedded state of the earlier gold pages (`pageProps.news` with ISO dates)."""
    return {
        "props": {
            "pageProps": {
                "news": {
                    "id": record.external_id,
                    "title": record.headline,
                    "datePublished": msk_iso(record.published),
                    "dateModified": msk_iso(record.modified),
                    "rubric": {"slug": record.section, "title": name},
                },
                "feed": [
                    {"id": r.external_id, "title": r.headline, "datePublished": r.published_at}
                    for r in related
                ],
            }
        },
        "page": "/[rubric]/[id]",
        "buildId": build,
    }


def _naive_msk(moment: datetime) -> str:
    """Moscow wall-clock time without a zone (UTC+4 in 2011–2014), as tass.ru writes it."""
    return moscow_wall_time(moment).isoformat(timespec="seconds")


def moscow_wall_time(moment: datetime) -> datetime:
    """The naive time a Moscow clock showed at `moment`, with the historical offsets."""
    return moment.astimezone(MOSCOW_ZONE).replace(tzinfo=None)


def _documented_state(
    record: ArticleRecord, name: str, related: Sequence[ArticleRecord], build: str
) -> dict[str, Any]:
    """`props.pageProps.data` as collectors of tass.ru (2022 on) describe it."""
    return {
        "props": {
            "pageProps": {
                "data": {
                    "id": record.external_id,
                    "title": record.headline,
                    "subtitle": None,
                    "lead": record.lead,
                    "published_dt": _naive_msk(record.published),
                    "updated_dt": _naive_msk(record.modified),
                    "rubrics": [{"slug": record.section, "title": name}],
                    "content_blocks": [{"type": "text", "text": p} for p in record.paragraphs],
                },
                "feed": [
                    {"id": r.external_id, "title": r.headline, "published_dt": r.published_at}
                    for r in related
                ],
            }
        },
        "page": "/[rubric]/[id]",
        "buildId": build,
    }


# ------------------------------------------------------------------ a page of no TASS layout


def render_syndicated_page(
    record: ArticleRecord,
    base_url: str,
    *,
    language: str = "en",
    ld_article_body: bool = True,
    related: Sequence[ArticleRecord] = (),
) -> bytes:
    """A copy of a TASS article on a page of unknown layout (a partner or mirror site).

    With `ld_article_body` the text is only trustworthy in JSON-LD; without it the page
    has an <article> of paragraphs beside asides full of other <p> text.
    """
    agency = "ТАСС" if language == "ru" else "TASS"
    image = _absolute(base_url, record.image_url)
    ld_item: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": record.headline,
        "description": record.lead,
        "image": {"@type": "ImageObject", "url": image} if image else None,
    }
    if ld_article_body:
        ld_item["articleBody"] = "\n".join(record.paragraphs)
        ld_item["datePublished"] = msk_iso(record.published)
        ld_item["dateModified"] = msk_iso(record.modified)
    extra = (
        f'<script type="application/ld+json">{_json(ld_item)}</script>\n'
        if ld_article_body
        else (
            f'<meta property="article:published_time" content="{msk_iso(record.published)}">\n'
            f'<meta property="article:modified_time" content="{msk_iso(record.modified)}">\n'
        )
    )
    head = _head(
        language=language,
        title=f"{record.headline} - {rubric_name(record.section, language)} - {agency}",
        lead=record.lead,
        image=image,
        url=base_url + record.path,
        extra=extra,
    )
    if ld_article_body:  # the visible text is a teaser cut into divs, as AMP copies are
        visible = "".join(f"<div class='amp-text'>{_esc(p[:80])}…</div>" for p in record.paragraphs)
    else:
        visible = "".join(
            f"<p>{_paragraph(p, glue=i % 2 == 1, link=i == 1)}</p>"
            for i, p in enumerate(record.paragraphs)
        )
    asides = "".join(
        f"<aside class='teaser'><p>{_esc(r.headline)}</p><p>{_esc(r.lead)}</p></aside>"
        for r in related
    )
    page = (
        f'{head}<body><div class="site">{_menu(language, "nav")}\n'
        f'<main><article><h1 class="entry-title">{_esc(record.headline)}</h1>'
        f'<div class="entry-content">{visible}</div></article>{asides}</main>\n'
        f"<div class='comments'><p>Comments are closed.</p></div>"
        f"{_footer(language)}</div></body>\n</html>\n"
    )
    return page.encode("utf-8")


__all__ = [
    "RU_RUBRICS",
    "moscow_wall_time",
    "printed_en",
    "printed_ru",
    "render_b_material_page",
    "render_syndicated_page",
    "render_tass_ru_2019_page",
    "render_tass_ru_next_page",
    "rubric_name",
]
