"""The small CSS subset our layouts declare, compiled once into plain Python predicates.

A layout's selectors are data; matching them with a general CSS engine on every page
cost about half of the parse time. This module reads each selector string once (at import
of the layout) and matches it with attribute look-ups and a walk over the tree that never
enters an excluded subtree.

Supported: type selectors and `*`, `.class`, `[attr]`, `[attr=value]`, `[attr*=value]`,
`[attr^=value]`, the descendant (space) and child (`>`) combinators, and comma lists.
Anything else raises ValueError when the layout is defined, never silently on a page.
The results are those of the usual CSS engine (soupsieve) on a tree built by lxml's HTML
parser, which already lowercases tag and attribute names.

Why keep an engine of our own: `make bench-selectors` (benchmarks/selector_engines.py)
puts soupsieve in its place on the 103 gold article pages (identical articles) and times
the layouts' selector calls alone with each engine. 15 alternating rounds, medians, on
the shared 2-core machine: the whole parse takes 1.51 ms per page with this engine and
1.98 ms with soupsieve (+31 % of parse time, above the 20 % that would retire this
module); selector work alone 0.063 ms here, 0.451 ms soupsieve, 0.096 ms lxml's
cssselect. This engine won. cssselect is cheap but matches lxml trees only, so using it
means porting the parser off BeautifulSoup; the same run shows that port would pay for
itself in tree building alone (0.44 ms per page for the BeautifulSoup tree of the
article region, 0.04 ms for an lxml tree).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache

from bs4 import Tag

_IDENT = r"-?[_a-zA-Z][\w\-]*"
_TOKEN = re.compile(
    rf"""
    (?P<comma>\s*,\s*)
  | (?P<child>\s*>\s*)
  | (?P<space>\s+)
  | (?P<tag>{_IDENT}|\*)
  | \.(?P<cls>{_IDENT})
  | \[\s*(?P<attr>{_IDENT})\s*
      (?:(?P<op>[*^]?=)\s*(?:"(?P<dq>[^"\\]*)"|'(?P<sq>[^'\\]*)'|(?P<bare>{_IDENT})))?\s*\]
    """,
    re.VERBOSE,
)
# Classes split as the CSS engine splits a class attribute kept as one string.
_CLASS_WORDS = re.compile(r"[^ \t\r\n\f]+")

Predicate = Callable[[Tag], bool]


def _attribute_text(tag: Tag, name: str) -> str | None:
    """An attribute as one string; multi-valued ones (class, rel) joined by single spaces."""
    value = tag.attrs.get(name)
    if value is None or isinstance(value, str):
        return value
    return value[0] if len(value) == 1 else " ".join(value)


def _attribute_test(name: str, op: str | None, value: str) -> Predicate:
    if op is None:
        return lambda tag: name in tag.attrs
    if op == "=":
        # CSS engines compile `[a=v]` to the regex `^v$`, and `$` also matches before a
        # final newline: keep that so results never differ.
        with_newline = value + "\n"
        return lambda tag: _attribute_text(tag, name) in (value, with_newline)
    if not value:  # `[a*=""]` and `[a^=""]` match nothing
        return lambda tag: False
    if op == "*=":
        return lambda tag: value in (_attribute_text(tag, name) or "")
    return lambda tag: (_attribute_text(tag, name) or "").startswith(value)


@dataclass(frozen=True)
class Compound:
    """One compound selector such as `div.text-block[data-x]`: all parts must hold."""

    name: str | None
    classes: tuple[str, ...]
    attributes: tuple[Predicate, ...]
    # (attribute, value) when the compound is exactly `[attribute*=value]`, value not empty.
    contains: tuple[str, str] | None = None

    def matches(self, tag: Tag) -> bool:
        if self.name is not None and tag.name != self.name:
            return False
        if self.classes:
            present: str | list[str] | None = tag.attrs.get("class")
            if present is None:
                return False
            if isinstance(present, str):
                present = _CLASS_WORDS.findall(present)
            for name in self.classes:
                if name not in present:
                    return False
        for test in self.attributes:  # noqa: SIM110 - no generator per tag on this hot path
            if not test(tag):
                return False
        return True

    @property
    def is_simple(self) -> bool:
        """Only a tag name, or only one class: such a list can be tested with two sets."""
        return not self.attributes and (
            (self.name is not None and not self.classes)
            or (self.name is None and len(self.classes) == 1)
        )


@dataclass(frozen=True)
class Complex:
    """Compounds joined by combinators, stored right to left: the subject comes first.

    `combinators[i]` relates `compounds[i]` to `compounds[i + 1]` (its parent for `>`,
    any ancestor for a space).
    """

    compounds: tuple[Compound, ...]
    combinators: tuple[str, ...]

    def matches(self, tag: Tag, index: int = 0) -> bool:
        if not self.compounds[index].matches(tag):
            return False
        if index + 1 == len(self.compounds):
            return True
        parent = tag.parent
        if self.combinators[index] == ">":
            return isinstance(parent, Tag) and self.matches(parent, index + 1)
        while isinstance(parent, Tag):
            if self.matches(parent, index + 1):
                return True
            parent = parent.parent
        return False


@dataclass(frozen=True)
class Selector:
    """A comma list of complex selectors; a tag matches when any of them does.

    The alternatives that are a bare tag name, a single class or one `[attr*=value]`
    (the usual exclusion list, tass.ru's hashed class prefixes) are tested together:
    one set look-up for the names, one set intersection for the classes and one
    substring test per value on the attribute read once. Only the others are matched
    one by one.
    """

    text: str
    alternatives: tuple[Complex, ...]
    # Derived from the alternatives in __post_init__.
    _names: frozenset[str] = field(init=False, repr=False, compare=False)
    _classes: frozenset[str] = field(init=False, repr=False, compare=False)
    _contains: tuple[tuple[str, tuple[str, ...]], ...] = field(
        init=False, repr=False, compare=False
    )
    _subjects: frozenset[str] | None = field(init=False, repr=False, compare=False)
    _others: tuple[Predicate, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names: set[str] = set()
        classes: set[str] = set()
        contains: dict[str, list[str]] = {}
        others: list[Complex] = []
        for alternative in self.alternatives:
            first = alternative.compounds[0]
            if len(alternative.compounds) > 1:
                others.append(alternative)
            elif first.is_simple and first.name is not None:
                names.add(first.name)
            elif first.is_simple:
                classes.add(first.classes[0])
            elif first.contains is not None:
                contains.setdefault(first.contains[0], []).append(first.contains[1])
            else:
                others.append(alternative)
        subjects = {a.compounds[0].name for a in others}
        tests = [a.compounds[0].matches if len(a.compounds) == 1 else a.matches for a in others]
        object.__setattr__(self, "_names", frozenset(names))
        object.__setattr__(self, "_classes", frozenset(classes))
        object.__setattr__(self, "_contains", tuple((k, tuple(v)) for k, v in contains.items()))
        # When every other alternative names its subject's tag, other tags fail at once.
        object.__setattr__(self, "_subjects", None if None in subjects else frozenset(subjects))
        object.__setattr__(self, "_others", tuple(tests))

    def matches(self, tag: Tag) -> bool:
        if tag.name in self._names:
            return True
        if self._classes:
            present: str | list[str] | None = tag.attrs.get("class")
            if present is not None:
                if isinstance(present, str):
                    present = _CLASS_WORDS.findall(present)
                if not self._classes.isdisjoint(present):
                    return True
        for attribute, values in self._contains:
            text = _attribute_text(tag, attribute)
            if text is not None:
                for value in values:
                    if value in text:
                        return True
        if self._subjects is not None and tag.name not in self._subjects:
            return False
        for test in self._others:  # noqa: SIM110 - as above
            if test(tag):
                return True
        return False

    def select(self, root: Tag) -> list[Tag]:
        """Every matching tag under `root`, in document order (like `root.select`)."""
        return find_tags(root, self.matches)

    def select_one(self, root: Tag) -> Tag | None:
        """The first matching tag under `root` in document order, or None."""
        found = find_tags(root, self.matches, first=True)
        return found[0] if found else None


def _compound(parts: list[re.Match[str]], source: str) -> Compound:
    name: str | None = None
    classes: list[str] = []
    attributes: list[Predicate] = []
    contains: tuple[str, str] | None = None
    for index, part in enumerate(parts):
        if part.group("tag"):
            if index:
                raise ValueError(f"a type selector must come first in {source!r}")
            name = None if part.group("tag") == "*" else part.group("tag").lower()
        elif part.group("cls"):
            classes.append(part.group("cls"))
        else:
            value = next((v for v in part.group("dq", "sq", "bare") if v is not None), "")
            attributes.append(_attribute_test(part.group("attr").lower(), part.group("op"), value))
            if len(parts) == 1 and part.group("op") == "*=" and value:
                contains = (part.group("attr").lower(), value)
    return Compound(name, tuple(classes), tuple(attributes), contains)


@cache
def compile_selector(source: str) -> Selector:
    """Compile a selector of the supported subset, or raise ValueError naming the problem."""
    text = source.strip()
    if not text:
        raise ValueError("an empty selector")
    alternatives: list[Complex] = []
    compounds: list[Compound] = []
    combinators: list[str] = []
    parts: list[re.Match[str]] = []
    position = 0

    def close_compound() -> None:
        if not parts:
            raise ValueError(f"a combinator or comma without a selector in {source!r}")
        compounds.append(_compound(parts, source))
        parts.clear()

    def close_complex() -> None:
        close_compound()
        alternatives.append(Complex(tuple(reversed(compounds)), tuple(reversed(combinators))))
        compounds.clear()
        combinators.clear()

    while position < len(text):
        token = _TOKEN.match(text, position)
        if token is None:
            raise ValueError(f"unsupported selector syntax at {text[position:]!r} in {source!r}")
        position = token.end()
        if token.group("comma") is not None:
            close_complex()
        elif token.group("child") is not None or token.group("space") is not None:
            close_compound()
            combinators.append(">" if token.group("child") is not None else " ")
        else:
            parts.append(token)
    close_complex()
    return Selector(text, tuple(alternatives))


def iter_tags(root: Tag, skip: Selector | None = None) -> Iterator[Tag]:
    """The tags under `root` in document order; a tag matching `skip` is left out with
    everything inside it, so excluded regions cost one test and no walk."""
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if skip is not None and skip.matches(tag):
            continue
        yield tag
        stack.extend([child for child in reversed(tag.contents) if isinstance(child, Tag)])


def find_tags(
    root: Tag, test: Predicate, skip: Selector | None = None, first: bool = False
) -> list[Tag]:
    """The tags of `iter_tags(root, skip)` that pass `test` (only the first if `first`).

    The same walk in one loop: a layout walks its region a few times per page, and
    resuming a generator for every tag cost more than the tests themselves."""
    found: list[Tag] = []
    excluded = skip.matches if skip is not None else None
    stack = [child for child in reversed(root.contents) if isinstance(child, Tag)]
    while stack:
        tag = stack.pop()
        if excluded is not None and excluded(tag):
            continue
        if test(tag):
            found.append(tag)
            if first:
                break
        stack.extend([child for child in reversed(tag.contents) if isinstance(child, Tag)])
    return found


__all__ = ["Selector", "compile_selector", "find_tags", "iter_tags"]
