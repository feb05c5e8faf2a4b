"""What the quote finder hands out (Quote) and keeps while reading (Person)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from newswire.analysis.entities import load_dictionary


@cache
def _entity_kinds() -> dict[str, str]:
    """entities.key -> kind, from the dictionary loaded once."""
    return {e.key: e.kind for e in load_dictionary()[0]}


@dataclass(frozen=True)
class Quote:
    """One direct quotation: the speaker as printed and the person or body behind it."""

    speaker: str
    text: str
    paragraph: int
    speaker_name: str | None = None
    speaker_role: str | None = None
    entity_key: str | None = None
    attribution: str = field(default="", compare=False, repr=False)
    offset: int = field(default=0, compare=False, repr=False)


@dataclass
class Person:
    """Someone (or some body) the article names: the fullest name and role printed."""

    name: str
    role: str | None = None
    body: bool = False
    spoke: int = 0
