"""Find the tracked entities (DPRK, Russia, their leaders, ...) in article text.

The aliases live in ``data/entities.json`` so analysts can review and extend them without
touching code. Matching is one compiled regular expression per language: blockers and
longer aliases are tried first at each position, so "South Korea" never counts as the
DPRK and "Democratic People's Republic of Korea" never as "Republic of Korea". The
dateline that opens an article's first paragraph ("MOSCOW, March 20. /TASS/.") is cut
off before matching: the place an article was filed from is not something it mentions.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from itertools import product

LANGUAGES = ("en", "ru")
_BRACES = re.compile(r"\{([^{}]*)\}")
# Everything up to the agency tag of a dateline: "MOSCOW, March 20. /TASS/." or
# "МОСКВА, 30 марта. /ТАСС/." (the place may carry "/Leningrad Region/").
DATELINE_RE = re.compile(r"^\s*[^\n]{0,120}?/\s*(?:TASS|ТАСС)\s*/\.?\s*")


class AliasError(ValueError):
    """The alias dictionary is malformed; the message names the entry."""


@dataclass(frozen=True)
class Entity:
    key: str
    name: str
    kind: str
    country: str | None
    aliases: dict[str, tuple[str, ...]]


@dataclass
class Mention:
    """How one entity appears in one article."""

    key: str
    count: int = 0
    in_headline: bool = False
    in_lead: bool = False
    surfaces: list[str] = field(default_factory=list)


def expand_alias(alias: str) -> list[str]:
    """All spellings an alias pattern stands for: ``Пхеньян{|а|е}`` gives three."""
    parts = _BRACES.split(alias)
    literal, options = parts[0::2], [p.split("|") for p in parts[1::2]]
    out = []
    for choice in product(*options):
        text = literal[0]
        for chosen, rest in zip(choice, literal[1:], strict=True):
            text += chosen + rest
        out.append(text)
    return out


def _spelling_pattern(spelling: str) -> str:
    stem = spelling.endswith("*")
    text = spelling.rstrip("*")
    body = re.escape(text).replace(r"\ ", r"\s+")
    if stem:
        body += r"\w*"
    letters = [c for c in text if c.isalpha()]
    case_sensitive = bool(letters) and all(c.isupper() for c in letters)
    if not case_sensitive:
        body = f"(?i:{body})"
    return body


class EntityMatcher:
    """Compiled matcher for one language over the whole dictionary."""

    def __init__(self, entities: Sequence[Entity], blockers: Sequence[str], language: str):
        self.entities = {e.key: e for e in entities}
        spellings: list[tuple[str, str | None]] = []
        for blocker in blockers:
            spellings += [(s, None) for s in expand_alias(blocker)]
        for entity in entities:
            for alias in entity.aliases.get(language, ()):
                spellings += [(s, entity.key) for s in expand_alias(alias)]
        # Longest first so that at any position the fullest name wins; blockers first on ties.
        spellings.sort(key=lambda item: (-len(item[0].rstrip("*")), item[1] is not None))
        self._owner: list[str | None] = []
        groups = []
        for i, (spelling, key) in enumerate(spellings):
            groups.append(f"(?P<g{i}>{_spelling_pattern(spelling)})")
            self._owner.append(key)
        self._regex = re.compile(r"(?<!\w)(?:" + "|".join(groups) + r")(?![\w])")

    def find(self, text: str) -> list[tuple[str, str]]:
        """(entity key, matched text) for each mention in ``text``, in order."""
        found = []
        for m in self._regex.finditer(text):
            owner = self._owner[int(m.lastgroup[1:])]  # type: ignore[index]
            if owner is not None:
                found.append((owner, m.group()))
        return found


@cache
def load_dictionary() -> tuple[tuple[Entity, ...], tuple[str, ...]]:
    """The committed alias dictionary, validated."""
    raw = json.loads(
        resources.files("newswire.analysis").joinpath("data", "entities.json").read_text("utf-8")
    )
    entities = []
    seen = set()
    for item in raw["entities"]:
        key = item.get("key")
        if not key or key in seen:
            raise AliasError(f"entity key missing or repeated: {key!r}")
        seen.add(key)
        aliases = item.get("aliases") or {}
        unknown = set(aliases) - set(LANGUAGES)
        if unknown or not any(aliases.values()):
            raise AliasError(f"entity {key}: aliases need 'en'/'ru' lists, got {sorted(aliases)}")
        entities.append(
            Entity(
                key=key,
                name=item["name"],
                kind=item["kind"],
                country=item.get("country"),
                aliases={lang: tuple(v) for lang, v in aliases.items()},
            )
        )
    return tuple(entities), tuple(raw.get("blockers", ()))


@cache
def matcher(language: str) -> EntityMatcher:
    if language not in LANGUAGES:
        raise ValueError(f"no entity aliases for language {language!r}")
    entities, blockers = load_dictionary()
    return EntityMatcher(entities, blockers, language)


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its leading dateline, if it has one."""
    return DATELINE_RE.sub("", paragraph, count=1)


def body_without_dateline(body: str) -> str:
    first, sep, rest = body.partition("\n\n")
    return strip_dateline(first) + sep + rest


def find_entities(text: str, language: str = "en") -> set[str]:
    """Keys of the entities ``text`` mentions (a headline or a paragraph)."""
    return {key for key, _ in matcher(language).find(strip_dateline(text))}


def article_mentions(headline: str, lead: str, body: str, language: str) -> dict[str, Mention]:
    """Per entity: how often the article names it and whether headline or lead do."""
    m = matcher(language)
    mentions: dict[str, Mention] = {}
    parts: Iterable[tuple[str, str]] = (
        ("headline", headline),
        ("lead", lead),
        ("body", body_without_dateline(body)),
    )
    for where, text in parts:
        for key, surface in m.find(text or ""):
            mention = mentions.setdefault(key, Mention(key))
            mention.count += 1
            mention.in_headline |= where == "headline"
            mention.in_lead |= where == "lead"
            if surface not in mention.surfaces:
                mention.surfaces.append(surface)
    return mentions
