"""Who the article has named so far, and who an attribution ("he", "the ministry") means."""

from __future__ import annotations

import re

from newswire.analysis import russian
from newswire.analysis.entities import matcher
from newswire.analysis.quotes.model import Person
from newswire.analysis.quotes.names import _same_word, split_role_name
from newswire.analysis.quotes.patterns import (
    BODY_WORDS,
    DOCUMENT_WORDS,
    HUMAN_ROLES,
    PERSON_PRONOUNS,
    UNNAMED,
)

# Compiled once: these run for every paragraph and attribution.
_ARTICLE_ANY_CASE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_RU_HIS_WORDS = re.compile(r"^(?:его|ее|её)\s+слова\b")
_LEADING_IN_OR_ARTICLE = re.compile(r"^(?:в|во|the|a|an)\s+")
_RU_BRAND = re.compile(r"^(?:в|во|на)\s+(?P<name>[A-Z0-9][\w&.\- ]+)$")
_INDEFINITE = re.compile(r"\b(?:a|an)\b")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


class Cast:
    """Everyone the article names outside quotations, and who spoke last."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.last_person: Person | None = None
        self.last_body: Person | None = None

    def speaker_or_named(self) -> Person | None:
        """The person last named as speaking; before anyone spoke, the last person named."""
        if self.last_person is not None:
            return self.last_person
        return next((p for p in reversed(self.people) if not p.body), None)

    def find(self, name: str) -> Person | None:
        """The person whose name ends like ``name`` (surname, or the whole name); of two
        namesakes, the one who has spoken most (a bare surname is the article's main
        namesake: "Нурмагомедов" is the champion, not his father quoted once), else the
        one named last."""
        tokens = name.split()
        matches = []
        for person in reversed(self.people):
            if person.body:
                continue
            theirs = person.name.split()
            # the surname, and the first name if given: "Тедрос Гебрейесус" is "Тедрос
            # Аданом Гебрейесус"
            if (
                len(tokens) <= len(theirs)
                and _same_word(tokens[-1], theirs[-1])
                and (
                    len(tokens) == 1
                    or all(_same_word(t, o) for t, o in zip(tokens[:-1], theirs[:-1], strict=False))
                )
            ):
                matches.append(person)
        exact = [p for p in matches if p.name.split()[-1].lower() == tokens[-1].lower()]
        speakers = [p for p in exact or matches if p.spoke]
        if len(tokens) == 1 and speakers:
            return max(speakers, key=lambda p: p.spoke)  # the latest of equals
        if exact:
            return exact[0]
        return matches[0] if matches else None

    def introduce(self, name: str, role: str | None) -> Person:
        """Record a name as printed; keep the fullest form and the fullest role."""
        person = self.find(name)
        if person is None and len(name.split()) == 1:
            # "Ambassador Kim" after "Kim Hyun Joong": the first token may be the surname.
            person = next(
                (
                    p
                    for p in reversed(self.people)
                    if not p.body and _same_word(name, p.name.split()[0])
                ),
                None,
            )
        if person is None:
            person = Person(name=name, role=role)
            self.people.append(person)
            return person
        if len(name.split()) > len(person.name.split()):
            person.name = name
        if role and (person.role is None or len(role.split()) > len(person.role.split())):
            person.role = role
        return person

    def body(self, name: str) -> Person:
        for person in reversed(self.people):
            if person.body and person.name.lower() == name.lower():
                return person
        person = Person(name=name, body=True)
        self.people.append(person)
        return person

    def last_body_like(self, word: str) -> Person | None:
        """ "the ministry": the body that spoke last, else the last one named like it."""
        if self.last_body is not None:
            return self.last_body
        stem = word.lower()[:6]
        for person in reversed(self.people):
            if person.body and stem in person.name.lower():
                return person
        return self.last_body


def _body_name(printed: str, language: str) -> str:
    """The body's name in the nominative without articles ("в МВД" -> "МВД")."""
    if language == "ru":
        words = printed.split()
        # "агентство Argus Media": the proper name alone
        if len(words) > 1 and not russian.is_russian(" ".join(words[1:])):
            return " ".join(words[1:])
        return russian.nominative_phrase(words)
    return _ARTICLE_ANY_CASE.sub("", printed.strip())


def _resolve(
    phrase: str, printed: str, cast: Cast, language: str
) -> tuple[Person | None, str | None]:
    """Who an attribution means, and the role printed in it (if any)."""
    low = printed.lower().strip()
    if low in PERSON_PRONOUNS:
        return cast.speaker_or_named(), None
    if low in {"it", "they", "они"}:
        return cast.last_body or (cast.last_person if low == "they" else None), None
    if _RU_HIS_WORDS.match(phrase):
        return cast.speaker_or_named(), None
    words = printed.split()
    if len(words) == 1 and words[0][:1].isupper():
        known = cast.find(words[0].strip(",."))
        if known is not None:
            return known, None
    if DOCUMENT_WORDS.match(_LEADING_IN_OR_ARTICLE.sub("", low)):
        return None, None  # "говорится в указе Собянина": a text, not Собянин speaking
    role, name = split_role_name(phrase, language)
    if name is not None and not (BODY_WORDS.search(name) or DOCUMENT_WORDS.search(name)):
        if len(name.split()) == 1 and cast.find(name) is None and language == "ru":
            known_word = russian.name_strength(name) == 2 or bool(matcher(language).find(name))
            if not known_word:
                name = None
        if name is not None:
            return cast.introduce(name, role), role
    if UNNAMED.search(printed):
        return None, None
    brand = _RU_BRAND.match(printed)
    if language == "ru" and brand:
        return cast.body(brand.group("name").strip()), None  # "отметили в X5 Retail Group"
    first = _ARTICLE.sub("", low).split()
    human = (
        bool(first)
        and any(
            HUMAN_ROLES.fullmatch(w) or (language == "ru" and russian.is_role_word(w))
            for w in first[:3]
        )
        and not BODY_WORDS.fullmatch(first[0])
    )
    if human and not _INDEFINITE.search(low):
        return cast.speaker_or_named(), None
    if DOCUMENT_WORDS.search(printed):
        return None, None
    if BODY_WORDS.search(printed):
        body_name = _body_name(printed, language)
        last = body_name.split()[-1] if body_name.split() else ""
        generic = (
            russian.is_generic_body(body_name.split())
            if language == "ru"
            else not last[:1].isupper()
        )
        if generic or body_name.lower() in {"пресс-служба", "пресс-центр", "ведомство"}:
            return cast.last_body_like(last or printed), None
        return cast.body(body_name), None
    if HUMAN_ROLES.search(printed) and not _INDEFINITE.search(low):
        return cast.speaker_or_named(), None
    return None, None


# ------------------------------------------------------------------- reading an article


def _take_stage(cast: Cast, person: Person | None) -> None:
    if person is None:
        return
    person.spoke += 1
    if person.body:
        cast.last_body = person
    else:
        cast.last_person = person
