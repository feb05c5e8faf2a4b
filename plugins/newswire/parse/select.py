"""Layout selectors, compiled once with soupsieve (BeautifulSoup's own CSS engine).

A layout's selectors are data: each string is compiled when the layout is defined, so a
bad one fails at import, never on a page. Matching is soupsieve's; `iter_tags` adds the
one thing it lacks, a walk that never enters an excluded subtree (menus, "also read"
inserts), so excluded regions cost one test and no walk.

Why not our own engine any more (measured with `make bench-selectors`, i.e.
benchmarks/selector_engines.py, on the 85 gold article pages, 9 alternating rounds, medians,
this 2-core machine shared with other work): the whole parse took 3.78 ms per page with
the hand-written engine and 4.13 ms with soupsieve (+9.2 %); the selector calls alone
took 0.096 ms (ours), 0.500 ms (soupsieve) and 0.105 ms (lxml's cssselect on an lxml
tree of the same region). No maintained engine costs more than 20 % of parse time, so
the 250-line engine went. soupsieve won over cssselect because it works on the
BeautifulSoup tree the parser builds; cssselect needs lxml trees. The same run shows
where parse time really goes: building the region's BeautifulSoup tree takes 0.99 ms
against 0.075 ms for an lxml tree, so moving the parser to lxml trees (and then
cssselect) is the change that would pay, not a faster selector engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import soupsieve
from bs4 import Tag


class Selector:
    """A compiled selector with the three operations the layouts use."""

    def __init__(self, text: str) -> None:
        self.text = text
        try:
            self._compiled = soupsieve.compile(text)
        except (soupsieve.SelectorSyntaxError, NotImplementedError) as exc:
            raise ValueError(f"invalid selector {text!r}: {exc}") from exc

    def __repr__(self) -> str:
        return f"Selector({self.text!r})"

    def matches(self, tag: Tag) -> bool:
        return bool(self._compiled.match(tag))

    def select(self, root: Tag) -> list[Tag]:
        """Every matching tag under `root`, in document order."""
        return list(self._compiled.select(root))

    def select_one(self, root: Tag) -> Tag | None:
        """The first matching tag under `root` in document order, or None."""
        found: Tag | None = self._compiled.select_one(root)
        return found


@cache
def compile_selector(source: str) -> Selector:
    """Compile a selector, or raise ValueError naming the problem (an empty one too)."""
    text = source.strip()
    if not text:
        raise ValueError("an empty selector")
    return Selector(text)


def iter_tags(root: Tag, skip: Selector | None = None) -> Iterator[Tag]:
    """The tags under `root` in document order; a tag matching `skip` is left out with
    everything inside it."""
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if skip is not None and skip.matches(tag):
            continue
        yield tag
        stack.extend(child for child in reversed(tag.contents) if isinstance(child, Tag))


__all__ = ["Selector", "compile_selector", "iter_tags"]
