"""Our compiled CSS subset (parse/select.py) against soupsieve and lxml's cssselect.

The question: does a maintained selector engine cost more than 20 % of parse time? If
not, the hand-written engine should go. soupsieve is the drop-in (same tree); cssselect is
measured to know what a parser on lxml trees would pay for selectors. Two measurements
on the gold article pages:

* **whole parse**: `parse_article` on every page with our engine, then with soupsieve
  (BeautifulSoup's engine) put in its place in `parse.layout`; the articles must be
  identical. Rounds alternate the two; medians in ms per page.
* **selector work alone**: the calls a layout makes (headline, lead, paragraphs outside
  the excluded regions, the time stamp, printed date, tags) on the page's article region,
  with ours and soupsieve on the BeautifulSoup tree the parser builds, and with cssselect
  (selectors translated once to XPath) on an lxml tree of the same region. The lxml tree
  is built outside the timing: adopting cssselect would mean moving the parser from
  BeautifulSoup to lxml trees, so this is the engine's own cost only. Node counts must
  agree with ours.

Run: python benchmarks/selector_engines.py [--rounds N] (from the repository root, project venv).
The last line printed is JSON for scripts.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lxml.html
import soupsieve
from bs4 import BeautifulSoup, Tag
from cssselect import HTMLTranslator
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from newswire.parse import layout as layout_module  # noqa: E402
from newswire.parse import parse_article, pick_layout  # noqa: E402
from newswire.parse.common import declared_language, reject_junk  # noqa: E402
from newswire.parse.layout import Layout, cut_region  # noqa: E402
from newswire.parse.select import compile_selector, iter_tags  # noqa: E402
from newswire.parse.tree import html_tree  # noqa: E402

from tests.gold.gold import GoldPage, load_gold  # noqa: E402

ROUNDS = 9
THRESHOLD = 0.20


class SoupsieveSelector:
    """The interface parse.layout expects of a compiled selector, backed by soupsieve."""

    def __init__(self, text: str) -> None:
        self.compiled = soupsieve.compile(text)

    def matches(self, tag: Tag) -> bool:
        return bool(self.compiled.match(tag))

    def select(self, root: Tag) -> list[Tag]:
        return list(self.compiled.select(root))

    def select_one(self, root: Tag) -> Tag | None:
        return self.compiled.select_one(root)


@cache
def soupsieve_selector(text: str) -> SoupsieveSelector:
    return SoupsieveSelector(text)


@dataclass
class Engine:
    name: str
    compile: Callable[[str], Any]


OURS = Engine("ours", compile_selector)
SOUPSIEVE = Engine("soupsieve", soupsieve_selector)


def use(engine: Engine) -> None:
    """Put `engine` in the parser's place (parse.layout looks the name up per call; its
    walk, `find_tags`, only calls the compiled selectors' `matches`)."""
    layout_module.compile_selector = engine.compile  # type: ignore[assignment]


def parse_pass(pages: list[GoldPage]) -> tuple[float, list[Any]]:
    gc.collect()
    started = time.perf_counter()
    articles = [parse_article(page.html, page.ref) for page in pages]
    return time.perf_counter() - started, articles


@dataclass
class Region:
    """A page's article region, its layout and both trees."""

    layout: Layout
    soup: BeautifulSoup
    lxml_root: Any


def regions(pages: list[GoldPage]) -> list[Region]:
    found = []
    for page in pages:
        text = reject_junk(page.html)
        layout = pick_layout(text, declared_language(text)) or layout_module_fallback()
        part = cut_region(text, layout) or text
        found.append(Region(layout, html_tree(part), lxml.html.document_fromstring(part)))
    return found


def layout_module_fallback() -> Layout:
    from newswire.parse import FALLBACK

    return FALLBACK


def _selectors(layout: Layout) -> list[str]:
    return [s for s in (layout.headline, layout.lead, layout.unix_time, layout.printed_date) if s]


def soup_work(engine: Engine, region: Region) -> list[int]:
    """The layout's selector calls on the BeautifulSoup tree; node counts per call."""
    layout, soup = region.layout, region.soup
    counts = [int(engine.compile(s).select_one(soup) is not None) for s in _selectors(layout)]
    if layout.paragraphs:
        paragraphs = engine.compile(layout.paragraphs)
        skip = engine.compile(layout.exclude) if layout.exclude else None
        counts.append(sum(1 for t in iter_tags(soup, skip=skip) if paragraphs.matches(t)))
    if layout.tags:
        counts.append(len(engine.compile(layout.tags).select(soup)))
    return counts


@cache
def xpath(selector: str) -> etree.XPath:
    return etree.XPath(HTMLTranslator().css_to_xpath(selector))


def cssselect_work(region: Region) -> list[int]:
    """The same calls with cssselect's XPath on the lxml tree of the region."""
    layout, root = region.layout, region.lxml_root
    counts = [int(bool(xpath(s)(root))) for s in _selectors(layout)]
    if layout.paragraphs:
        excluded: set[Any] = set()
        if layout.exclude:
            for top in xpath(layout.exclude)(root):
                excluded.update(top.iter())
        counts.append(sum(1 for node in xpath(layout.paragraphs)(root) if node not in excluded))
    if layout.tags:
        counts.append(len(xpath(layout.tags)(root)))
    return counts


def _text(page: GoldPage) -> str:
    return reject_junk(page.html)


def _timed_build(build: Callable[[str], Any], texts: list[str]) -> float:
    gc.collect()
    started = time.perf_counter()
    for text in texts:
        build(text)
    return time.perf_counter() - started


def timed(work: Callable[[Region], list[int]], found: list[Region]) -> float:
    gc.collect()
    started = time.perf_counter()
    for region in found:
        work(region)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    pages = [page for page in load_gold() if page.expected is not None]
    per_page = 1000 / len(pages)

    whole: dict[str, list[float]] = {"ours": [], "soupsieve": []}
    reference: list[Any] | None = None
    for number in range(args.rounds):
        for engine in (OURS, SOUPSIEVE) if number % 2 == 0 else (SOUPSIEVE, OURS):
            use(engine)
            seconds, articles = parse_pass(pages)
            whole[engine.name].append(seconds * per_page)
            reference = reference or articles
            assert articles == reference, f"{engine.name} changed an article"
    use(OURS)

    found = regions(pages)
    ours_counts = [soup_work(OURS, r) for r in found]
    assert [soup_work(SOUPSIEVE, r) for r in found] == ours_counts, "soupsieve disagrees"
    assert [cssselect_work(r) for r in found] == ours_counts, "cssselect disagrees"
    work: dict[str, list[float]] = {"ours": [], "soupsieve": [], "cssselect": []}
    runners: dict[str, Callable[[Region], list[int]]] = {
        "ours": lambda r: soup_work(OURS, r),
        "soupsieve": lambda r: soup_work(SOUPSIEVE, r),
        "cssselect": cssselect_work,
    }
    for number in range(args.rounds):
        names = list(runners) if number % 2 == 0 else list(reversed(runners))
        for name in names:
            work[name].append(timed(runners[name], found) * per_page)

    texts = [cut_region(t, r.layout) or t for t, r in zip(map(_text, pages), found, strict=True)]
    trees: dict[str, list[float]] = {"beautifulsoup": [], "lxml": []}
    for _ in range(args.rounds):
        trees["beautifulsoup"].append(_timed_build(html_tree, texts) * per_page)
        trees["lxml"].append(_timed_build(lxml.html.document_fromstring, texts) * per_page)

    parse_ms = statistics.median(whole["ours"])
    result: dict[str, Any] = {
        "pages": len(pages),
        "rounds": args.rounds,
        "parse_ms_per_page": {k: round(statistics.median(v), 3) for k, v in whole.items()},
        "selector_ms_per_page": {k: round(statistics.median(v), 3) for k, v in work.items()},
        "tree_ms_per_page": {k: round(statistics.median(v), 3) for k, v in trees.items()},
    }
    extra = {
        "soupsieve (whole parse)": statistics.median(whole["soupsieve"]) - parse_ms,
        "cssselect (selector work)": statistics.median(work["cssselect"])
        - statistics.median(work["ours"]),
    }
    result["extra_share_of_parse_time"] = {k: round(v / parse_ms, 3) for k, v in extra.items()}
    # Only soupsieve can take our engine's place: cssselect needs lxml trees, so adopting
    # it means porting the parser off BeautifulSoup; its figure says what that would buy.
    result["keep_ours"] = extra["soupsieve (whole parse)"] / parse_ms > THRESHOLD
    print(f"{len(pages)} gold article pages, {args.rounds} rounds, medians, ms per page")
    for name, value in result["parse_ms_per_page"].items():
        print(f"  whole parse with {name:<10} {value:8.3f}")
    for name, value in result["selector_ms_per_page"].items():
        print(f"  selector work, {name:<12} {value:8.3f}  ({value / parse_ms:6.1%} of our parse)")
    for name, value in result["tree_ms_per_page"].items():
        print(f"  building the region's tree, {name:<13} {value:8.3f}")
    for name, share in result["extra_share_of_parse_time"].items():
        print(f"  extra cost of {name}: {share:+.1%} of parse time")
    verdict = "keep ours" if result["keep_ours"] else "use soupsieve"
    print(f"  threshold {THRESHOLD:.0%} for the drop-in (soupsieve): {verdict}")
    print("  cssselect works on lxml trees only: using it means porting the parser to lxml")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
