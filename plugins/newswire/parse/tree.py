"""Building a BeautifulSoup tree on lxml for each page, with one lxml parser per thread.

BeautifulSoup's lxml builder normally creates a new lxml parser for every document, and
lxml inspects the builder's callbacks each time; for the small article region that was
about a tenth of the cost of the tree. The parser is reusable once a document is closed,
so each thread keeps one builder with its parser, dropped after any failure so that a
parser stopped in the middle of a document is never fed again.
"""

from __future__ import annotations

import threading
from typing import Any

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder
from lxml import etree


class _ParserKeepingBuilder(LXMLTreeBuilder):
    """The standard lxml HTML tree builder, keeping its lxml parser between documents."""

    def __init__(self) -> None:
        super().__init__()
        self._parser: Any = None

    def default_parser(self, encoding: Any) -> Any:
        if encoding is not None:  # bytes of a known encoding: a parser made for them
            return super().default_parser(encoding)
        if self._parser is None:
            self._parser = etree.HTMLParser(
                target=self, recover=True, huge_tree=self.huge_tree, encoding=None
            )
        return self._parser

    def feed(self, markup: Any) -> None:
        try:
            super().feed(markup)
        except BaseException:
            self._parser = None
            raise


_per_thread = threading.local()


def html_tree(markup: str) -> BeautifulSoup:
    """The same tree as `BeautifulSoup(markup, "lxml")`, built with this thread's parser."""
    builder = getattr(_per_thread, "builder", None)
    if builder is None:
        builder = _per_thread.builder = _ParserKeepingBuilder()
    return BeautifulSoup(markup, builder=builder)


__all__ = ["html_tree"]
