"""Where a layout's marks are in the raw page text, found without parsing it.

A layout is recognised, and its article region cut out, by a class name (or a prefix of
one) that must sit in a tag's class attribute, or by the first of some tag openings.
These searches run over the whole page text before any tree is built, so each is written
to spend as little as possible on the many near misses (URLs, longer class names,
names inside scripts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

_LONGEST_TAG = 4096  # a class attribute further than this from its "<" is not looked for
_CLASS_END = r"""(?=[ "'\t\n])"""  # what may follow a whole class name
_OPEN_CLASS_VALUE = re.compile(r"""\bclass\s*=\s*["'](?:[^"'>]*\s)?$""")


@dataclass(frozen=True)
class ClassMarker:
    """A class name (or, for hashed CSS-module names, a class prefix) in the markup.

    Found with plain substring search, then confirmed to sit in a tag's class
    attribute, so a stylesheet or script naming the class never matches.
    """

    name: str
    prefix: bool = False

    def find(self, text: str, start: int = 0) -> int:
        """Index of the first confirmed occurrence, or -1."""
        first = text.find(self.name, start)  # an absent name: str.find is the fastest no
        if first < 0:
            return -1
        pattern = _bounded_as_class(self.name, self.prefix)
        found = pattern.search(text, first)
        while found is not None:
            if _inside_class_attribute(text, found.start()):
                return found.start()
            found = pattern.search(text, found.end())
        return -1


@cache
def _bounded_as_class(name: str, prefix: bool) -> re.Pattern[str]:
    """`name` starting after a quote or a space and (unless a prefix) ending at one.

    Most occurrences of a short class name are in URLs or longer names (`/news/`,
    `news-header`); the expression rejects them without a Python step each. It starts
    with the name itself, so it is searched for as fast as a plain substring."""
    literal = re.escape(name)
    ending = "" if prefix else _CLASS_END
    return re.compile(f"{literal}(?<=[\\s\"']{literal}){ending}")


def _inside_class_attribute(text: str, at: int) -> bool:
    """Whether `at` lies in the value of a class attribute of an open tag."""
    if text[at - 1] in ('"', "'") and not _may_open_class_value(text, at - 1):
        return False
    window = max(0, at - _LONGEST_TAG)
    tag_open = text.rfind("<", window, at)
    return (
        tag_open >= 0
        and tag_open > text.rfind(">", window, at)
        and _OPEN_CLASS_VALUE.search(text, tag_open, at) is not None
    )


_NEAR = 256  # how far back the quick test below looks for `class =`


def _may_open_class_value(text: str, quote: int) -> bool:
    """False when the quote at `quote` surely does not open a class value (`class = "`).

    A quick test before the full one: a name in a script's JSON (`"type":"news"`) sits
    after a quote too, and the full test would search up to a tag's length back for its
    `<` each time. When the spaces before `=` or `class` run past the window, it says True
    and leaves the answer to the full test."""
    start = max(0, quote - _NEAR)
    before = text[start:quote].rstrip()
    if not before:
        return start > 0
    if before[-1] != "=":
        return False
    before = before[:-1].rstrip()
    if len(before) < len("class"):
        return start > 0
    return before.endswith("class")


@dataclass(frozen=True)
class TagMarker:
    """The first of some tag openings, e.g. `<main` or `<article`."""

    openings: tuple[str, ...]

    def find(self, text: str, start: int = 0) -> int:
        found = [i for i in (text.find(o, start) for o in self.openings) if i >= 0]
        return min(found) if found else -1


def has_class(name: str) -> ClassMarker:
    return ClassMarker(name)


def class_prefix(prefix: str) -> ClassMarker:
    return ClassMarker(prefix, prefix=True)


__all__ = ["ClassMarker", "TagMarker", "class_prefix", "has_class"]
