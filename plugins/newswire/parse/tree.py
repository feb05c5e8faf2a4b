"""Building a BeautifulSoup tree on lxml for each page, with one lxml parser per thread.

BeautifulSoup's lxml builder normally creates a new lxml parser for every document, and
lxml inspects the builder's callbacks each time; for the small article region that was
about a tenth of the cost of the tree. The parser is reusable once a document is closed,
so each thread keeps one builder with its parser, dropped after any failure so that a
parser stopped in the middle of a document is never fed again.

The builder's tag callbacks are written for XML namespaces, which lxml's HTML parser
never reports: for a tag without them the callbacks here hand the tag to BeautifulSoup
directly, skipping the namespace bookkeeping (about a tenth of the tree's cost on the
gold article regions, CPU time on a busy machine), and fall back to the standard
callbacks whenever a namespace could be involved. The tree is the same either way
(tests/unit/test_parse_fast_paths.py).
"""

from __future__ import annotations

import threading
from typing import Any

from bs4 import BeautifulSoup
from bs4.builder._lxml import LXMLTreeBuilder
from bs4.element import nonwhitespace_re
from lxml import etree


class _ParserKeepingBuilder(LXMLTreeBuilder):
    """The standard lxml HTML tree builder, keeping its lxml parser between documents."""

    def __init__(self) -> None:
        super().__init__()
        self._parser: Any = None
        self._list_attributes: dict[str, frozenset[str]] = {}

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

    def _replace_cdata_list_attribute_values(self, tag_name: str, attrs: Any) -> Any:
        """The base method's split of `class="a b"` into a list, with the multi-valued
        attribute names of each tag name looked up once per builder instead of per tag."""
        if not attrs:
            return attrs
        names = self._list_attributes.get(tag_name)
        if names is None:
            table = self.cdata_list_attributes or {}
            names = frozenset(table.get("*", ())) | frozenset(table.get(tag_name.lower(), ()))
            self._list_attributes[tag_name] = names
        for name in names.intersection(attrs):
            value = attrs[name]
            if isinstance(value, str):  # a list already (a copied tag) is left alone
                attrs[name] = self.attribute_value_list_class(nonwhitespace_re.findall(value))
        return attrs

    def start(self, tag: Any, attrib: Any, nsmap: dict[str, str] | None = None) -> None:
        """A tag without namespaces goes straight to the soup; any other the standard way."""
        soup = self.soup
        if nsmap or len(self.nsmaps) > 1 or "{" in tag or "{" in "".join(attrib) or soup is None:
            super().start(tag, attrib, nsmap or {})
            return
        soup.handle_starttag(
            tag,
            None,
            None,
            self.attribute_dict_class(attrib),
            namespaces=self.active_namespace_prefixes[-1],
        )

    def end(self, tag: Any) -> None:
        soup = self.soup
        if len(self.nsmaps) > 1 or "{" in tag or soup is None:
            super().end(tag)
            return
        soup.handle_endtag(tag)  # which first closes the pending text, as endData() did


_per_thread = threading.local()


def html_tree(markup: str) -> BeautifulSoup:
    """The same tree as `BeautifulSoup(markup, "lxml")`, built with this thread's parser."""
    builder = getattr(_per_thread, "builder", None)
    if builder is None:
        builder = _per_thread.builder = _ParserKeepingBuilder()
    return BeautifulSoup(markup, builder=builder)


__all__ = ["html_tree"]
