"""Run code with an edited knowledge base, as an analyst's change to the YAML would be.

Tests and benchmarks of re-analysis need a knowledge base that differs from the committed
one. `edited_knowledge` serves the edited files in place of the packaged ones (the digest
changes with them) and drops every cache built from the old ones, in this process and in
the worker processes it forks while the edit holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import yaml
from newswire.analysis import entities, knowledge, matching
from newswire.analysis.quotes import model

# name of a knowledge file ("people") and its parsed YAML -> the edited YAML
Edit = Callable[[str, dict[str, Any]], dict[str, Any]]


def _forget() -> None:
    for cached in (
        knowledge.load_knowledge,
        matching.load_dictionary,
        matching.matcher,
        entities._title_matcher,
        model._entity_kinds,
    ):
        cached.cache_clear()


@contextmanager
def edited_knowledge(edit: Edit) -> Iterator[None]:
    """The knowledge base as `edit` leaves each file, while the block runs."""
    original = knowledge._text

    def text(name: str) -> str:
        data = edit(name, yaml.safe_load(original(name)))
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

    knowledge._text = text  # type: ignore[assignment]
    _forget()
    try:
        knowledge.load_knowledge()  # a malformed edit fails here, not in a worker
        yield
    finally:
        knowledge._text = original  # type: ignore[assignment]
        _forget()


def add_person(key: str, en: list[str], ru: list[str], **more: Any) -> Edit:
    """An edit adding one person to people.yaml."""

    def edit(name: str, data: dict[str, Any]) -> dict[str, Any]:
        if name == "people":
            data["people"].append({"key": key, "en": en, "ru": ru, **more})
        return data

    return edit
