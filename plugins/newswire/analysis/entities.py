"""Find the entities of the knowledge base in article text, and people it does not know.

Text and names are cut into word tokens the same way (hyphens, apostrophes and dots
separate words), so "Kim Jong-un", "Kim Jong Un" and "Kim Jong Un's" are one name to the
matcher. Russian names are declined by morphology instead of by hand: every word of a
Russian name is expanded into all the forms of its paradigm (pymorphy3's dictionary, or
its guess for foreign names), and a text word matches a name word when it is one of
those forms — "Ким Чен Ына", "Лавровым", "в Пхеньяне" need no listed endings. The
expansion happens once, when the matcher is built, so matching an article is a dictionary
look-up per word. A name word written with a capital must be capitalised in the text
("Сон" the name, not "сон" the sleep), one written in capitals must be in capitals ("US",
not "us"). At each position the longest name wins; blockers ("Sea of Japan") mask what
they cover. The dateline that opens an article ("MOSCOW, March 20. /TASS/.") is cut off
first: the place an article was filed from is not something it mentions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from newswire.analysis.knowledge import (
    LANGUAGES,
    Entity,
    KnowledgeBase,
    holders,
    load_knowledge,
    pick_holder,
)
from newswire.analysis.matching import (
    AliasError,
    EntityMatcher,
    body_without_dateline,
    expand_alias,
    load_dictionary,
    matcher,
    russian_forms,
    strip_dateline,
)
from newswire.analysis.unknowns import UnknownPerson, unknown_persons

__all__ = [
    "LANGUAGES",
    "AliasError",
    "Entity",
    "EntityMatcher",
    "Mention",
    "UnknownPerson",
    "article_mentions",
    "body_without_dateline",
    "expand_alias",
    "find_entities",
    "holder_of",
    "load_dictionary",
    "matcher",
    "resolve_person",
    "russian_forms",
    "strip_dateline",
    "unknown_persons",
]


@cache
def _title_matcher(language: str) -> EntityMatcher:
    kb = load_knowledge()
    names = [(t, role) for role, spec in kb.role_titles.items() for t in spec[language]]
    names += [(w, "former") for w in kb.former[language]]
    return EntityMatcher(names, language)


def find_entities(text: str, language: str = "en") -> set[str]:
    """Keys of the entities ``text`` mentions (a headline or a paragraph)."""
    return {key for key, _ in matcher(language).find_in_text(strip_dateline(text))}


@dataclass
class Mention:
    """How one entity appears in one article."""

    key: str
    count: int = 0
    in_headline: bool = False
    in_lead: bool = False
    surfaces: list[str] = field(default_factory=list)


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
        for key, surface in m.find_in_text(text or ""):
            mention = mentions.setdefault(key, Mention(key))
            mention.count += 1
            mention.in_headline |= where == "headline"
            mention.in_lead |= where == "lead"
            if surface not in mention.surfaces:
                mention.surfaces.append(surface)
    return mentions


def resolve_person(name: str, language: str) -> str | None:
    """The key of the one known person ``name`` names ("Sergei Lavrov", "Лаврова"), if any."""
    m = matcher(language)
    people = {key for key, _ in m.find(name) if m.kinds.get(key) == "person"}
    return people.pop() if len(people) == 1 else None


def holder_of(role_text: str, language: str, on: date) -> str | None:
    """Who held the office a title describes on a day.

    "Russian Foreign Minister", "глава МИД России", "the DPRK leader" name a role and a
    country; the answer is the person holding that role for that country that day. A
    posting ("Russian Ambassador to the DPRK") narrows it. Historic titles ("former
    defence minister"), titles several people hold at once and regional offices
    ("губернатор Московской области": the base knows a few governors, not all) give None.
    """
    kb: KnowledgeBase = load_knowledge()
    countries: list[str] = []
    rest, last = [], 0
    for key, start, end in matcher(language).spans(role_text):
        entity = kb.entity(key)
        if entity.country and entity.country not in countries:
            countries.append(entity.country)
        if entity.kind == "country":
            # "Secretary of the Russian Security Council": the title is what remains
            # once the country words are taken out.
            rest.append(role_text[last:start])
            last = end
    rest.append(role_text[last:])
    title_text = re.sub(r"\s+", " ", " ".join(rest))
    titles = [key for key, _ in _title_matcher(language).find(role_text)] or [
        key for key, _ in _title_matcher(language).find(title_text)
    ]
    if not titles or "former" in titles or titles[0] in kb.regional_roles:
        return None
    holder = pick_holder(holders(kb, titles[0], on), countries)
    return holder.key if holder else None
