"""The knowledge base: who and what the coverage model knows, read from reviewable YAML.

``data/knowledge/*.yaml`` hold people, bodies, places and the vocabulary of role titles,
each file with a ``version``; country names in English and Russian come from pycountry's
ISO 3166 tables and their Russian translation, with the curated entries in
``countries.yaml`` adding short names, capitals used for the state and demonyms.

A role is held by a person (``role`` of the country ``of``, optionally posted ``to``
another) between two dates. A date is ``YYYY-MM-DD`` or, when only the month is known,
``YYYY-MM``; an unknown bound is left out and the entry says why in ``note``. Nothing
here guesses a day.
"""

from __future__ import annotations

import gettext
import hashlib
import importlib.metadata
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import pycountry
import yaml

LANGUAGES = ("en", "ru")
KINDS = ("country", "person", "organisation", "region")
KNOWLEDGE_FILES = ("countries", "people", "organisations", "places", "roles")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class KnowledgeError(ValueError):
    """The knowledge base is malformed; the message names the entry."""


@dataclass(frozen=True)
class Bound:
    """A role's start or end: a day, or a month when the day is not known."""

    day: date
    precision: str  # "day" or "month"

    @property
    def first(self) -> date:
        return self.day

    @property
    def last(self) -> date:
        if self.precision == "day":
            return self.day
        following = (self.day.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)


@dataclass(frozen=True)
class Role:
    role: str
    of: str | None
    to: str | None = None
    start: Bound | None = None
    end: Bound | None = None
    note: str | None = None

    def holds_on(self, on: date) -> bool:
        """True when the role may have been held that day (month bounds count whole)."""
        if self.start is not None and on < self.start.first:
            return False
        return not (self.end is not None and on > self.end.last)


@dataclass(frozen=True)
class Entity:
    key: str
    name: str
    kind: str
    country: str | None
    aliases: dict[str, tuple[str, ...]]
    roles: tuple[Role, ...] = ()
    iso_code: str | None = None
    note: str | None = None
    names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class KnowledgeBase:
    version: str
    digest: str  # of the files and the pycountry release: changes when the data does
    entities: tuple[Entity, ...]
    blockers: dict[str, tuple[str, ...]]
    role_titles: dict[str, dict[str, tuple[str, ...]]]  # role -> language -> titles
    former: dict[str, tuple[str, ...]]  # language -> words that make a title historic
    # Offices a country has many holders of at once (a governor per region): the title
    # and the country name nobody, however few holders the base lists.
    regional_roles: frozenset[str] = frozenset()

    def entity(self, key: str) -> Entity:
        return _index(self)[key]


@cache
def _index(kb: KnowledgeBase) -> dict[str, Entity]:
    return {e.key: e for e in kb.entities}


def _bound(value: object, where: str) -> Bound | None:
    if value is None:
        return None
    if isinstance(value, date):
        return Bound(value, "day")
    m = _DATE.match(str(value))
    if not m:
        raise KnowledgeError(f"{where}: date {value!r} is not YYYY-MM-DD or YYYY-MM")
    year, month, day = int(m[1]), int(m[2]), m[3]
    try:
        return Bound(date(year, month, int(day or 1)), "day" if day else "month")
    except ValueError as exc:
        raise KnowledgeError(f"{where}: {exc}") from exc


def _text(name: str) -> str:
    return (
        resources.files("newswire.analysis")
        .joinpath("data", "knowledge", f"{name}.yaml")
        .read_text("utf-8")
    )


def _read(name: str) -> dict[str, Any]:
    raw = yaml.safe_load(_text(name))
    if not isinstance(raw, dict) or "version" not in raw:
        raise KnowledgeError(f"{name}.yaml: needs a mapping with a version")
    return raw


def _names(item: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    aliases: dict[str, tuple[str, ...]] = {}
    for lang in LANGUAGES:
        values = item.get(lang) or []
        if isinstance(values, str):
            values = [values]
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise KnowledgeError(f"{where}: {lang} names must be non-empty strings")
        aliases[lang] = tuple(dict.fromkeys(values))
    if not aliases["en"] or not aliases["ru"]:
        raise KnowledgeError(f"{where}: needs English and Russian names")
    return aliases


def _roles(item: Mapping[str, Any], where: str) -> tuple[Role, ...]:
    out = []
    for n, r in enumerate(item.get("roles") or []):
        here = f"{where} role {n + 1}"
        if "role" not in r:
            raise KnowledgeError(f"{here}: no role")
        role = Role(
            role=str(r["role"]),
            of=r.get("of"),
            to=r.get("to"),
            start=_bound(r.get("from"), here),
            end=_bound(r.get("until"), here),
            note=r.get("note"),
        )
        if role.start and role.end and role.start.first > role.end.last:
            raise KnowledgeError(f"{here}: starts after it ends")
        out.append(role)
    return tuple(out)


def _plain(text: str) -> str:
    """Without stress marks (the Russian tables carry a few)."""
    return unicodedata.normalize("NFC", text.replace("\u0301", ""))


def _unsort(name: str) -> str:
    """ "Congo, The Democratic Republic of the" -> "The Democratic Republic of the Congo"."""
    head, sep, tail = name.partition(", ")
    return f"{tail} {head}" if sep else name


def _iso_countries(
    curated: Mapping[str, Mapping[str, Any]], exclude: Mapping[str, Sequence[str]]
) -> list[Entity]:
    """Every ISO 3166 country, named from pycountry in both languages."""
    ru = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    by_code = {str(v["iso"]): (k, v) for k, v in curated.items() if v.get("iso")}
    out = []
    for c in pycountry.countries:
        code = c.alpha_2
        key, extra = by_code.get(code, (None, {}))
        attrs = ("common_name", "name", "official_name")
        iso_names = [getattr(c, a) for a in attrs if hasattr(c, a)]
        ru_names = [_plain(ru.gettext(n)) for n in iso_names]
        # "Korea, Republic of" is a sorting form: articles write "Republic of Korea".
        en_names = [_unsort(n) for n in iso_names]
        ru_names = [_unsort(n) for n in ru_names if re.search("[а-яА-Я]", n)]
        en_names = [n for n in en_names if n not in exclude.get("en", ())] or en_names[:1]
        ru_names = [n for n in ru_names if n not in exclude.get("ru", ())]
        if key is None:
            key = re.sub(r"[^a-z0-9]+", "_", en_names[0].lower()).strip("_")
        aliases = {
            "en": tuple(dict.fromkeys([*extra.get("en", []), *en_names])),
            "ru": tuple(dict.fromkeys([*extra.get("ru", []), *ru_names])),
        }
        if not aliases["ru"]:
            continue  # no Russian name in the tables and none curated
        out.append(
            Entity(
                key=key,
                name=str(extra.get("name") or en_names[0]),
                kind="country",
                country=key,
                aliases=aliases,
                iso_code=code,
                names={"en": en_names[0], "ru": aliases["ru"][0]},
            )
        )
    return out


@cache
def load_knowledge() -> KnowledgeBase:
    """The committed knowledge base, validated (raises KnowledgeError when it is not)."""
    files = {name: _read(name) for name in KNOWLEDGE_FILES}
    version = ".".join(str(files[n]["version"]) for n in KNOWLEDGE_FILES)
    digest = hashlib.sha256(
        "\0".join([importlib.metadata.version("pycountry"), *map(_text, KNOWLEDGE_FILES)]).encode()
    ).hexdigest()
    curated = files["countries"]["countries"]
    entities: list[Entity] = _iso_countries(curated, files["countries"].get("exclude") or {})
    for group, kind in (("people", "person"), ("organisations", "organisation")):
        for item in files[group][group]:
            entities.append(_entity(item, item.get("kind", kind)))
    for item in files["places"]["places"]:
        entities.append(_entity(item, item.get("kind", "region")))
    titles = {
        role: {lang: tuple(spec.get(lang) or ()) for lang in LANGUAGES}
        for role, spec in files["roles"]["roles"].items()
    }
    kb = KnowledgeBase(
        version=version,
        digest=digest,
        entities=tuple(entities),
        blockers={
            lang: tuple(files["countries"].get("blockers", {}).get(lang, ())) for lang in LANGUAGES
        },
        role_titles=titles,
        former={lang: tuple(files["roles"]["former"][lang]) for lang in LANGUAGES},
        regional_roles=frozenset(
            role for role, spec in files["roles"]["roles"].items() if spec.get("regional")
        ),
    )
    validate(kb)
    return kb


def _entity(item: Mapping[str, Any], kind: str) -> Entity:
    key = item.get("key")
    where = f"entity {key!r}"
    if not isinstance(key, str) or not _KEY.match(key):
        raise KnowledgeError(f"{where}: key must be lower_snake_case")
    aliases = _names(item, where)
    return Entity(
        key=key,
        name=str(item.get("name") or aliases["en"][0]),
        kind=kind,
        country=item.get("country"),
        aliases=aliases,
        roles=_roles(item, where),
        note=item.get("note"),
        names={"en": aliases["en"][0], "ru": aliases["ru"][0]},
    )


def validate(kb: KnowledgeBase) -> None:
    """Keys unique, kinds known, countries and roles refer to known things."""
    seen: set[str] = set()
    countries = {e.key for e in kb.entities if e.kind == "country"}
    for e in kb.entities:
        if e.key in seen:
            raise KnowledgeError(f"entity {e.key!r} is defined twice")
        seen.add(e.key)
        if e.kind not in KINDS:
            raise KnowledgeError(f"entity {e.key!r}: kind {e.kind!r} not one of {KINDS}")
        if e.country is not None and e.country not in countries:
            raise KnowledgeError(f"entity {e.key!r}: unknown country {e.country!r}")
        for lang, names in e.aliases.items():
            for name in names:
                if e.kind != "country" and " " not in name and name == name.lower():
                    # One lower-case word is a demonym or a stray piece of a name split
                    # at a comma; only countries have demonyms.
                    raise KnowledgeError(
                        f"entity {e.key!r}: {lang} name {name!r} is one common word"
                    )
        if e.roles and e.kind != "person":
            raise KnowledgeError(f"entity {e.key!r}: only people hold roles")
        for r in e.roles:
            if r.role not in kb.role_titles:
                raise KnowledgeError(f"entity {e.key!r}: role {r.role!r} has no titles")
            for c in (r.of, r.to):
                if c is not None and c not in countries:
                    raise KnowledgeError(f"entity {e.key!r}: role names unknown country {c!r}")


def holders(kb: KnowledgeBase, role: str, on: date) -> list[tuple[Entity, Role]]:
    """Who may have held ``role`` on a day, the latest started first."""
    found = [(e, r) for e in kb.entities for r in e.roles if r.role == role and r.holds_on(on)]
    found.sort(key=lambda er: er[1].start.first if er[1].start else date.min, reverse=True)
    return found


def pick_holder(
    candidates: Sequence[tuple[Entity, Role]], countries: Sequence[str | None]
) -> Entity | None:
    """The holder whose country (and posting) the text names; the successor on overlap.

    An office of no country (the UN Secretary-General) needs no country in the text.
    """
    countries = list(countries) or [None]
    for n, country in enumerate(countries):
        others = [c for c in countries[n + 1 :] if c != country]
        mine = [(e, r) for e, r in candidates if r.of == country]
        if others:
            posted = [(e, r) for e, r in mine if r.to in others]
            mine = posted or [(e, r) for e, r in mine if r.to is None]
        if mine and all(r.end is not None for _, r in mine[1:]):
            # Only a predecessor whose end is known may overlap (a month-precise bound);
            # several open holders at once (deputy ministers) name nobody in particular.
            return mine[0][0]
        if mine:
            return None
    return None
