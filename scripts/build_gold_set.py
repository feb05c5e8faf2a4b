"""Build the extraction gold set: article pages of every TASS layout and their expected fields.

The texts are the real TASS texts kept as fixture records (the 2024-12-26 politics
articles, the 2017–2018 DPRK articles, 2025–2026 index items, tass.ru texts of
2020-03-30). Each page is rendered in one layout with its furniture and written gzipped
to tests/gold/pages/; its expected fields are written beside it as JSON. Expected
values come from the record and from what the renderer was told to print, never from
the parser, so the gold set can catch the parser being wrong.

Run: PYTHONPATH=plugins python scripts/build_gold_set.py
"""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswire.models import ExtractionReason
from newswire.parse import b_material, generic, tass_com, tass_ru_2019, tass_ru_next

from devtools.testsite import layouts
from devtools.testsite.pages import (
    LOGO_PATH,
    ArticleRecord,
    expected_article,
    render_article_page,
    render_not_found,
)
from devtools.testsite.server import load_fixture_articles

GOLD = Path(__file__).resolve().parent.parent / "tests" / "gold"
EN_BASE = "https://tass.com"
RU_BASE = "https://tass.ru"
DPRK_WORDS = ("korea", "dprk", "pyongyang", "kim jong")
RU_TAGS = {
    "obschestvo": ("Коронавирус", "Общество"),
    "ekonomika": ("Экономика", "Коронавирус"),
    "politika": ("Владимир Путин",),
    "sport": ("Олимпийские игры",),
}
CHALLENGE_PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Just a moment...</title>"
    "<meta http-equiv='refresh' content='8'><style>body{font:14px sans-serif;margin:0;"
    "padding:40px;text-align:center;color:#333}.spinner{width:40px;height:40px;margin:20px "
    "auto;border:4px solid #ddd;border-top-color:#0d4ea6;border-radius:50%;animation:s 1s "
    "linear infinite}@keyframes s{to{transform:rotate(360deg)}}</style></head><body>"
    "<noscript><p>Please enable JavaScript and cookies to continue.</p></noscript>"
    "<div class='spinner'></div><p>Checking your browser before accessing the site. "
    "This process is automatic. Your browser will redirect to your requested content "
    "shortly.</p><p>Please allow up to 5 seconds&hellip;</p><script>(function(){var "
    "t='{token}';document.cookie='__js_p_='+t+';path=/;max-age=1800';setTimeout(function()"
    "{{location.reload()}},4000)}})();</script><p class='ray'>Ray ID: {token}</p>"
    "</body></html>"
)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _expected(
    record: ArticleRecord,
    *,
    method: str,
    version: str,
    language: str,
    image: str | None,
    modified: bool = True,
    minute_precision: bool = False,
    tags: tuple[str, ...] = (),
) -> dict[str, Any]:
    base = expected_article(record)
    published = record.published
    if minute_precision:  # only the printed "October 12, 20:40" carries the time
        published = published.replace(second=0, microsecond=0)
    keeps_modified = modified and record.modified >= published
    return {
        "headline": base["headline"],
        "lead": base["lead"],
        "dateline": base["dateline"],
        "body": base["body"],
        "published_at": _utc(published),
        "modified_at": _utc(record.modified) if keeps_modified else None,
        "image_url": image,
        "language": language,
        "tags": list(tags),
        "word_count": len(base["body"].split()),
        "extraction_method": method,
        "parser_version": version,
    }


class GoldWriter:
    def __init__(self, root: Path, *, clear: bool = True) -> None:
        self.root = root
        self.count = 0
        self.bytes = 0
        if clear and root.joinpath("pages").exists():
            shutil.rmtree(root / "pages")
        (root / "pages").mkdir(parents=True, exist_ok=True)

    def add(
        self,
        name: str,
        page: bytes,
        *,
        record: ArticleRecord | None,
        base: str,
        source: str,
        layout: str,
        expected: dict[str, Any] | None = None,
        error: ExtractionReason | None = None,
    ) -> None:
        target = self.root / "pages" / f"{name}.html.gz"
        target.write_bytes(gzip.compress(page, compresslevel=9, mtime=0))
        ref = {
            "source": source,
            "external_id": record.external_id if record else 0,
            "url": base + (record.path if record else "/world/0"),
            "section": record.section if record else "world",
        }
        entry: dict[str, Any] = {"page": target.name, "layout": layout, "ref": ref}
        if error is not None:
            entry["error"] = error.value
        else:
            entry["expected"] = {**(expected or {}), **{"section": ref["section"]}}
        (self.root / "pages" / f"{name}.json").write_text(
            json.dumps(entry, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.count += 1
        self.bytes += target.stat().st_size


def build(root: Path = GOLD) -> GoldWriter:
    english = load_fixture_articles("en")
    # The 21 dated texts of 2020-03-30 the first Russian pages were drawn from; the
    # other Russian texts and eras are added by ru_era_pages().
    russian = [r for r in load_fixture_articles("ru") if "30 марта. /ТАСС/." in r.paragraphs[0]]
    by_year: Callable[[str], list[ArticleRecord]] = lambda prefix: [  # noqa: E731
        r for r in english if r.published_at.startswith(prefix)
    ]
    full_2024 = by_year("2024-12-26")
    dprk_2017 = [r for r in english if r.published.year in (2017, 2018)]
    index_items = [
        r
        for r in english
        if r.published.year >= 2025 and any(w in r.headline.lower() for w in DPRK_WORDS)
    ][:12]
    writer = GoldWriter(root)

    def neighbours(pool: list[ArticleRecord], i: int) -> dict[str, Any]:
        return {
            "also_read": pool[(i + 1) % len(pool)],
            "related": [pool[(i + k) % len(pool)] for k in (2, 3, 4)],
        }

    # 1. tass.com today: the test site's own renderer.
    for i, record in enumerate(full_2024 + index_items):
        pool = full_2024 + index_items
        page = render_article_page(
            record,
            EN_BASE,
            latest=[pool[(i + k) % len(pool)] for k in range(5, 15)],
            year=2026,
            **neighbours(pool, i),
        )
        image = EN_BASE + (record.image_url or LOGO_PATH)
        expected = _expected(
            record, method="tass_com_2022", version=tass_com.LAYOUT.version, language="en",
            image=image,
        )  # fmt: skip
        writer.add(f"tass_com_{record.external_id}", page, record=record, base=EN_BASE,
                   source="tass.com", layout="tass_com_2022", expected=expected)  # fmt: skip

    # 2. b-material (2016–2019), English: the DPRK articles and, re-dressed, 2024 texts.
    bm_version = b_material.LAYOUT.version
    for i, record in enumerate(dprk_2017 + full_2024[:9]):
        with_meta = i % 2 == 1
        page = layouts.render_b_material_page(
            record, EN_BASE, publish_date_meta=with_meta, **neighbours(english, i)
        )
        image = EN_BASE + record.image_url if record.image_url else None
        expected = _expected(
            record, method="b_material_2016", version=bm_version, language="en", image=image,
            modified=False, minute_precision=not with_meta,
        )  # fmt: skip
        writer.add(f"b_material_en_{record.external_id}", page, record=record, base=EN_BASE,
                   source="tass.com", layout="b_material_2016", expected=expected)  # fmt: skip

    # 2b. b-material on tass.ru (its ids need the publish_date meta for the year).
    for i, record in enumerate(russian[:5]):
        page = layouts.render_b_material_page(
            record, RU_BASE, language="ru", **neighbours(russian, i)
        )
        image = RU_BASE + record.image_url if record.image_url else None
        expected = _expected(
            record, method="b_material_2016", version=bm_version, language="ru", image=image,
            modified=False,
        )  # fmt: skip
        writer.add(f"b_material_ru_{record.external_id}", page, record=record, base=RU_BASE,
                   source="tass.ru", layout="b_material_2016", expected=expected)  # fmt: skip

    # 3. tass.ru 2019–2021.
    for i, record in enumerate(russian[5:17]):
        with_ld = i % 3 != 2
        page = layouts.render_tass_ru_2019_page(
            record, RU_BASE, json_ld=with_ld, **neighbours(russian, i)
        )
        image = RU_BASE + record.image_url if record.image_url else None
        expected = _expected(
            record, method="tass_ru_2019", version=tass_ru_2019.LAYOUT.version, language="ru",
            image=image, modified=with_ld,
        )  # fmt: skip
        writer.add(f"tass_ru_2019_{record.external_id}", page, record=record, base=RU_BASE,
                   source="tass.ru", layout="tass_ru_2019", expected=expected)  # fmt: skip

    # 4. tass.ru 2025–2026 (Next.js): the same texts, as old articles are served today.
    for i, record in enumerate(russian[9:] + russian[:1]):
        tags = RU_TAGS.get(record.section, ())
        page = layouts.render_tass_ru_next_page(
            record, RU_BASE, tags=tags, build=("x9Qa", "Zp3k", "L0vE")[i % 3],
            json_ld=i % 4 != 3, ld_article_body=i % 2 == 0, **neighbours(russian, i),
        )  # fmt: skip
        image = RU_BASE + record.image_url if record.image_url else None
        expected = _expected(
            record, method="tass_ru_next_2025", version=tass_ru_next.LAYOUT.version,
            language="ru", image=image, tags=tuple(tags),
        )  # fmt: skip
        writer.add(f"tass_ru_next_{record.external_id}", page, record=record, base=RU_BASE,
                   source="tass.ru", layout="tass_ru_next_2025", expected=expected)  # fmt: skip

    # 5. No TASS layout: syndicated copies with JSON-LD only, or bare <article> markup.
    for i, (record, lang) in enumerate(
        [(r, "en") for r in full_2024[9:15] + dprk_2017[:1]] + [(r, "ru") for r in russian[17:]]
    ):
        base = EN_BASE if lang == "en" else RU_BASE
        with_ld = i % 2 == 0
        page = layouts.render_syndicated_page(
            record, base, language=lang, ld_article_body=with_ld,
            related=neighbours(english if lang == "en" else russian, i)["related"],
        )  # fmt: skip
        image = base + record.image_url if record.image_url else None
        expected = _expected(
            record, method="generic", version=generic.LAYOUT.version, language=lang, image=image,
        )  # fmt: skip
        writer.add(f"generic_{lang}_{record.external_id}", page, record=record, base=base,
                   source="tass.com" if lang == "en" else "tass.ru", layout="generic",
                   expected=expected)  # fmt: skip

    # Pages that must be refused, each with its reason.
    sample = full_2024[0]
    full = render_article_page(sample, EN_BASE, year=2026, **neighbours(full_2024, 0))
    text = full.decode("utf-8")
    headline_less = (
        text.replace(f">{sample.headline}</h1>", "></h1>")
        .replace('"headline":', '"alternativeHeadline":')
        .replace('property="og:title"', 'property="og:site_name"')
    )
    start = text.index('<div class="text-content">') + len('<div class="text-content">')
    body_less = text[:start] + text[text.index("</div>\n", start) :]
    token = "7f3a9c2e41d08b6a"
    bad: list[tuple[str, bytes, ExtractionReason]] = [
        ("bad_empty", b"", ExtractionReason.EMPTY),
        ("bad_whitespace", b" \r\n\t ", ExtractionReason.EMPTY),
        ("bad_truncated", full[: len(full) * 3 // 5], ExtractionReason.TRUNCATED),
        ("bad_not_html_json", b'{"error":"rate limited","retry":30}', ExtractionReason.NOT_HTML),
        ("bad_not_html_pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", ExtractionReason.NOT_HTML),
        (
            "bad_challenge",
            CHALLENGE_PAGE.replace("{token}", token).replace("{{", "{").replace("}}", "}").encode(),
            ExtractionReason.CHALLENGE,
        ),
        ("bad_not_found", render_not_found(EN_BASE), ExtractionReason.NOT_FOUND_PAGE),
        ("bad_no_headline", headline_less.encode(), ExtractionReason.NO_HEADLINE),
        ("bad_no_body", body_less.encode(), ExtractionReason.NO_BODY),
    ]
    for name, page, reason in bad:
        writer.add(name, page, record=sample, base=EN_BASE, source="tass.com",
                   layout="rejected", error=reason)  # fmt: skip
    ru_era_pages(writer)
    return writer


# tass.ru texts of the eras the 2020 pages do not cover: 2012–2018 in b-material (two of
# them credited to a correspondent in the dateline), the 2019 texts (one with no place:
# "ТАСС, 10 августа.") in the news-header markup, and all of them in the Next.js markup
# whose __NEXT_DATA__ is shaped as collectors describe it since 2022 (published_dt in
# Moscow wall-clock time, no zone; no JSON-LD on every other page).
RU_ERA_IDS = (100000, 1477863, 3009780, 5330387, 6747431, 6751577, 6751784, 6757072, 7181221)


def ru_era_pages(writer: GoldWriter) -> None:
    russian = load_fixture_articles("ru")
    chosen = [r for r in russian if r.external_id in RU_ERA_IDS]

    def neighbours(i: int) -> dict[str, Any]:
        return {
            "also_read": chosen[(i + 1) % len(chosen)],
            "related": [chosen[(i + 2) % len(chosen)]],
        }

    for i, record in enumerate(chosen):
        image = RU_BASE + record.image_url if record.image_url else None
        if record.published.year < 2019:
            page = layouts.render_b_material_page(record, RU_BASE, language="ru", **neighbours(i))
            expected = _expected(
                record, method="b_material_2016", version=b_material.LAYOUT.version,
                language="ru", image=image, modified=False,
            )  # fmt: skip
            writer.add(f"ru_era_b_material_{record.external_id}", page, record=record,
                       base=RU_BASE, source="tass.ru", layout="b_material_2016",
                       expected=expected)  # fmt: skip
        else:
            page = layouts.render_tass_ru_2019_page(record, RU_BASE, **neighbours(i))
            expected = _expected(
                record, method="tass_ru_2019", version=tass_ru_2019.LAYOUT.version,
                language="ru", image=image,
            )  # fmt: skip
            writer.add(f"ru_era_tass_ru_2019_{record.external_id}", page, record=record,
                       base=RU_BASE, source="tass.ru", layout="tass_ru_2019",
                       expected=expected)  # fmt: skip
        with_ld = i % 2 == 0
        page = layouts.render_tass_ru_next_page(
            record, RU_BASE, build=("k7Tw", "Qe2m")[i % 2], json_ld=with_ld,
            state_shape="data", **neighbours(i),
        )  # fmt: skip
        expected = _expected(
            record, method="tass_ru_next_2025", version=tass_ru_next.LAYOUT.version,
            language="ru", image=image,
        )  # fmt: skip
        writer.add(f"ru_era_next_data_{record.external_id}", page, record=record, base=RU_BASE,
                   source="tass.ru", layout="tass_ru_next_2025", expected=expected)  # fmt: skip


def main() -> None:
    if "--ru-eras-only" in sys.argv[1:]:  # add the Russian era pages, keep the rest
        writer = GoldWriter(GOLD, clear=False)
        for stale in (GOLD / "pages").glob("ru_era_*"):
            stale.unlink()
        ru_era_pages(writer)
        print(f"{writer.count} tass.ru era pages added in {GOLD}")
        return
    writer = build()
    print(f"{writer.count} gold pages, {writer.bytes / 1e6:.2f} MB gzipped, in {GOLD}")


if __name__ == "__main__":
    main()

__all__ = ["build"]
