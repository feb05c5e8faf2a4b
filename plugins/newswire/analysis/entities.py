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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from itertools import product
from typing import Any

from newswire.analysis.knowledge import (
    LANGUAGES,
    Entity,
    KnowledgeBase,
    KnowledgeError,
    holders,
    load_knowledge,
    pick_holder,
)

__all__ = [
    "LANGUAGES",
    "AliasError",
    "Entity",
    "EntityMatcher",
    "Mention",
    "UnknownPerson",
    "article_mentions",
    "find_entities",
    "holder_of",
    "load_dictionary",
    "matcher",
    "resolve_person",
    "strip_dateline",
    "unknown_persons",
]

AliasError = KnowledgeError
_BRACES = re.compile(r"\{([^{}]*)\}")
_TOKEN = re.compile(r"[^\W_]+")
# What may stand between two words of one name: a space, a hyphen, an apostrophe, a dot.
_JOIN = re.compile(r"[\s\-‐‑'’.]{1,3}")
# A dateline: everything up to the agency tag ("MOSCOW, March 20. /TASS/.", "МОСКВА,
# 30 марта. /ТАСС/.", a correspondent's credit "/TASS Correspondent Irina Skalina/." or
# "/Корр. ИТАР-ТАСС Илья Баранов/."; the place may carry "/Leningrad Region/"), a place
# and date with no tag ("MOSCOW, December 20."), or the agency and date ("ТАСС, 10 августа.").
DATELINE_RE = re.compile(
    r"^\s*(?:"
    r"[^\n]{0,120}?/\s*(?:Корр\.\s*)?(?:ИТАР-|БИЗНЕС-)?(?:TASS|ТАСС)\b[^/\n]{0,80}/\.?"
    r"|[A-ZА-ЯЁ][A-ZА-ЯЁ .\-]{1,40}(?:/[^/\n]{1,60}/)?,\s*"
    r"(?:[A-Z][a-z]+\s+\d{1,2}|\d{1,2}\s+[а-я]+)\."
    r"|ТАСС,\s*\d{1,2}\s+[а-я]+\."
    r")\s*"
)
_VOWELS = set("аеёиоуыэюяaeiouy")
_OWNER = ""  # trie slot holding the entity key ("" for a blocker)


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


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е")


def _case_rule(word: str) -> str:
    """U: must be written in capitals, C: must start with one, l: any case."""
    if len(word) > 1 and word.isupper():
        return "U"
    return "C" if word[0].isupper() else "l"


_ACCEPTS = {"U": ("l", "C", "U"), "C": ("l", "C"), "l": ("l",)}


@cache
def _morph() -> Any:
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


def russian_forms(word: str) -> set[str]:
    """Every form of a Russian name word written in its dictionary (nominative) form.

    Words the dictionary knows give their paradigm. A foreign name the dictionary does not
    decline (Korean "Чхоль") falls back on the rule Russian applies to such names: a final
    consonant or -ь takes the second declension; a final vowel other than -а/-я does not
    decline at all.
    """
    w = _norm(word)
    forms = {w}
    morph = _morph()
    heads = [
        p for p in morph.parse(w) if p.tag.case == "nomn" and p.tag.POS in {"NOUN", "ADJF", "PRTF"}
    ]
    for p in heads:
        forms.update(_norm(f.word) for f in p.lexeme)
        if p.tag.POS == "ADJF" and w.endswith(("ий", "ый", "ой")):
            # The first half of a compound adjective: "российско-северокорейские".
            forms.add(w[:-2] + "о")
    if not heads and w[-1] not in _VOWELS and w.isalpha():
        if w.endswith("ь"):
            forms.update(w[:-1] + e for e in ("я", "ю", "ем", "е"))
        elif w[-1] != "й":
            forms.update(w + e for e in ("а", "у", "ом", "е"))
    return forms


class EntityMatcher:
    """A token trie over the names of one language; ``find`` returns the longest matches."""

    def __init__(
        self,
        names: Iterable[tuple[str, str]],
        language: str,
        kinds: dict[str, str] | None = None,
        *,
        home: dict[str, str] | None = None,
        nested: EntityMatcher | None = None,
    ):
        self.language = language
        self.kinds = kinds or {}
        # A body named after its country ("Russian Foreign Ministry") mentions the country
        # too: `nested` (a matcher of country names) finds it inside the body's name.
        self._home = home or {}
        self._nested = nested
        self._forms: dict[str, tuple[str, ...]] = {}
        forms: dict[str, set[str]] = {}
        expanded: set[str] = set()
        self._root: dict[Any, Any] = {}
        self.conflicts: list[tuple[str, str, str]] = []
        for name, owner in names:
            for spelling in expand_alias(name):
                words = _TOKEN.findall(spelling)
                if not words:
                    continue
                node = self._root
                for word in words:
                    canon = _norm(word)
                    forms.setdefault(canon, set()).add(canon)
                    if language == "ru" and not word.isupper() and canon not in expanded:
                        expanded.add(canon)
                        for f in russian_forms(word):
                            forms.setdefault(f, set()).add(canon)
                    node = node.setdefault((canon, _case_rule(word)), {})
                previous = node.get(_OWNER)
                if previous is not None and previous != owner:
                    self.conflicts.append((spelling, previous, owner))
                    continue
                node[_OWNER] = owner
        self._forms = {f: tuple(sorted(c)) for f, c in forms.items()}
        # The words a name can start with: a text word that is none of them starts nothing.
        self._starts = frozenset(k[0] for k in self._root if k != _OWNER)

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(owner key, start, end) of each name in ``text``, in order, longest first."""
        low = _norm(text)
        if len(low) != len(text):  # a letter whose lower case is longer: rare, slower
            low = "".join(_norm(c)[:1] or c for c in text)
        tokens = [m.span() for m in _TOKEN.finditer(low)]
        forms = self._forms
        keyed = [forms.get(low[s:e]) for s, e in tokens]
        starts = self._starts
        out: list[tuple[str, int, int]] = []
        n = len(tokens)
        i = 0
        while i < n:
            first = keyed[i]
            if first is None or not any(k in starts for k in first):
                i += 1
                continue
            best: tuple[int, str] | None = None
            stack: list[tuple[dict[Any, Any], int]] = [(self._root, i)]
            while stack:
                node, j = stack.pop()
                owner = node.get(_OWNER)
                if owner is not None and (best is None or j > best[0]):
                    best = (j, owner)
                if j >= n:
                    continue
                keys = keyed[j]
                if keys is None:
                    continue
                if j > i and not _JOIN.fullmatch(text, tokens[j - 1][1], tokens[j][0]):
                    continue
                for rule in _ACCEPTS[_case_rule(text[tokens[j][0] : tokens[j][1]])]:
                    for k in keys:
                        child = node.get((k, rule))
                        if child is not None:
                            stack.append((child, j + 1))
            if best is None:
                i += 1
                continue
            end, owner = best
            if owner:
                start, stop = tokens[i][0], tokens[end - 1][1]
                out.append((owner, start, stop))
                home = self._home.get(owner)
                if home and self._nested is not None:
                    # A body names every country in its name ("Russia-DPRK commission");
                    # a place or person only its own ("Sea of Japan" is not Japan).
                    body = self.kinds.get(owner) == "organisation"
                    out += [
                        (key, start + s, start + e)
                        for key, s, e in self._nested.spans(text[start:stop])
                        if body or key == home
                    ]
            i = end
        return out

    def find(self, text: str) -> list[tuple[str, str]]:
        """(entity key, matched text) for each mention in ``text``, in order."""
        return [(key, text[s:e]) for key, s, e in self.spans(text)]


@cache
def load_dictionary() -> tuple[tuple[Entity, ...], tuple[str, ...]]:
    """The knowledge base's entities and the blockers of both languages."""
    kb = load_knowledge()
    return kb.entities, tuple(b for lang in LANGUAGES for b in kb.blockers[lang])


@cache
def matcher(language: str) -> EntityMatcher:
    """The entity matcher of one language (built once per process)."""
    if language not in LANGUAGES:
        raise ValueError(f"no entity names for language {language!r}")
    kb = load_knowledge()
    names = [(b, "") for b in kb.blockers[language]]
    countries = [
        (a, e.key) for e in kb.entities if e.kind == "country" for a in e.aliases[language]
    ]
    names += [(a, e.key) for e in kb.entities for a in e.aliases.get(language, ())]
    home = {e.key: e.country for e in kb.entities if e.kind != "country" and e.country}
    return EntityMatcher(
        names,
        language,
        {e.key: e.kind for e in kb.entities},
        home=home,
        nested=EntityMatcher(countries, language),
    )


@cache
def _title_matcher(language: str) -> EntityMatcher:
    kb = load_knowledge()
    names = [(t, role) for role, spec in kb.role_titles.items() for t in spec[language]]
    names += [(w, "former") for w in kb.former[language]]
    return EntityMatcher(names, language)


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its leading dateline, if it has one."""
    return DATELINE_RE.sub("", paragraph, count=1)


def body_without_dateline(body: str) -> str:
    first, sep, rest = body.partition("\n\n")
    return strip_dateline(first) + sep + rest


def find_entities(text: str, language: str = "en") -> set[str]:
    """Keys of the entities ``text`` mentions (a headline or a paragraph)."""
    return {key for key, _ in matcher(language).find(strip_dateline(text))}


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
        for key, surface in m.find(text or ""):
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
    defence minister") and titles several people hold at once give None.
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
    if not titles or "former" in titles:
        return None
    holder = pick_holder(holders(kb, titles[0], on), countries)
    return holder.key if holder else None


@dataclass(frozen=True)
class UnknownPerson:
    """A person named in an article whom the knowledge base does not know."""

    surface: str
    normalised: str
    language: str


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\S+", text))


_EN_TITLES = _words(
    """minister ministers ambassador president premier chairman chairwoman chair secretary
    spokesman spokeswoman spokesperson envoy governor mayor general colonel marshal admiral
    lieutenant major director head chief senator deputy commander representative ombudsman
    prosecutor aide adviser advisor patriarch king queen emperor prince speaker leader
    coordinator counsellor counselor consul officer captain commissioner ceo founder
    vice first foreign defense defence prime press acting special senior economic"""
)
# Words after which a run of capitalised words is a person's name.
_EN_ANCHORS = _words(
    """minister ambassador president premier chairman chairwoman secretary spokesman
    spokeswoman spokesperson envoy governor mayor general colonel marshal admiral
    director senator commander representative ombudsman prosecutor aide adviser advisor
    patriarch king queen emperor prince speaker counsellor counselor consul captain
    commissioner ceo founder official diplomat lawmaker chancellor"""
)
_NOT_NAME = _words(
    """The A An Of And In On At For To With By From As Is Was Said Says Has Had Will
    Would But Also Who Which That This These Those It He She They We I Mr Mrs Ms Dr
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday"""
)
_EN_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-’'][A-Za-z][a-z]+)?|[A-Z]\.)$")


def _english_unknowns(text: str) -> list[UnknownPerson]:
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[\w.’'\-]+", text)]
    found: list[UnknownPerson] = []
    m = matcher("en")
    for i, (_, _, word) in enumerate(words):
        if word.lower().rstrip(".") not in _EN_ANCHORS:
            continue
        name: list[tuple[int, int, str]] = []
        for start, _end, w in words[i + 1 : i + 5]:
            clean = w.rstrip(".,") if not re.fullmatch(r"[A-Z]\.", w) else w
            if not _EN_NAME_WORD.match(clean) or clean in _NOT_NAME or clean.lower() in _EN_TITLES:
                break
            name.append((start, start + len(clean), clean))
            if clean != w:
                break  # the name ended at a comma or a full stop
        name = [n for n in name if not n[2].endswith(("’s", "'s"))] or name
        if len(name) < 2:
            continue
        surface = text[name[0][0] : name[-1][1]]
        if m.find(surface):
            continue  # a known person, a country or a body, not an unknown person
        parts = [p for w in name for p in re.split(r"[-’']", w[2]) if p]
        normalised = " ".join(p[:1].upper() + p[1:].lower() for p in parts)
        found.append(UnknownPerson(surface, normalised, "en"))
    return found


@cache
def _natasha() -> tuple[Any, Any, Any]:
    from natasha import MorphVocab, NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding()), MorphVocab()


_RU_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[«\"„А-ЯЁA-Z])")
# Overlapping pairs: "Позже Алексея Оверчука" holds two.
_RU_PAIR = re.compile(r"\b(?=([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]{2,}))")


def _may_name_someone_new(sentence: str, m: EntityMatcher) -> bool:
    """Whether a sentence has two capitalised words in a row that could be a person the
    base does not know: not a known name, and one of the words read as a first name,
    surname or patronymic, or unknown to the dictionary (a foreign name). Names of
    bodies and places ("Государственный Эрмитаж") pass no sentence to the tagger."""
    known = [(s, e) for _, s, e in m.spans(sentence)]
    morph = _morph()
    for pair in _RU_PAIR.finditer(sentence):
        start, end = pair.span(1)
        if any(s < end and start < e for s, e in known):
            continue
        for word in pair.group(1).split():
            if not morph.word_is_known(word) or any(
                {"Name", "Surn", "Patr"} & p.tag.grammemes for p in morph.parse(word)
            ):
                return True
    return False


def _russian_unknowns(text: str) -> list[UnknownPerson]:
    from natasha import Doc

    m = matcher("ru")
    # The tagger costs about 0.4 ms a word: it reads only the sentences that may name
    # someone the base does not know.
    chosen = [s for s in _RU_SENTENCE.split(text) if _may_name_someone_new(s, m)]
    if not chosen:
        return []
    segmenter, tagger, vocab = _natasha()
    doc = Doc("\n".join(chosen))
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    found = []
    for span in doc.spans:
        if span.type != "PER" or len(span.tokens) < 2:
            continue
        if any(m.kinds.get(k) == "person" for k, _ in m.find(span.text)):
            continue
        span.normalize(vocab)
        words = _nominative((span.normal or span.text).split())
        # ё is written as е as often as not: one spelling, so counts add up.
        normal = " ".join(w[:1].upper() + w[1:] for w in words).replace("ё", "е")
        found.append(UnknownPerson(span.text, normal, "ru"))
    return found


def _nominative(words: Sequence[str]) -> list[str]:
    """A person's name in the nominative when the tagger's normaliser left it declined.

    natasha normalises names its dictionary knows; an unfamiliar surname ("Хуснуллина")
    keeps its case, or is read as a woman's name. Each word is put into the nominative
    from pymorphy3's reading of it as a first name, surname or patronymic, of the gender
    the first name shows ("Марата Хуснуллина" -> "Марат Хуснуллин", "Захаровой" ->
    "Захарова").
    """
    morph = _morph()
    gender = None
    for p in morph.parse(words[0]) if words else []:
        if "Name" in p.tag.grammemes:
            gender = str(p.tag.gender)
            break
    out = []
    for word in words:
        readings = [p for p in morph.parse(word) if {"Surn", "Name", "Patr"} & p.tag.grammemes]
        if gender:
            readings = [
                p for p in readings if p.tag.gender == gender or "ms-f" in p.tag.grammemes
            ] or readings
        if not readings or readings[0].tag.case == "nomn":
            out.append(word)
            continue
        inflected = readings[0].inflect({"nomn"})
        if inflected is None:
            out.append(word)
        else:
            out.append(word[:1] + inflected.word[1:] if word[:1].isupper() else inflected.word)
    return out


def unknown_persons(texts: Sequence[str], language: str) -> list[UnknownPerson]:
    """People named in the texts whom the knowledge base does not know, in order.

    English: a run of two to four capitalised words right after a title ("Deputy Foreign
    Minister Andrei Rudenko", "Ambassador Kim Hyun Joong"). Russian: natasha's named-entity
    tagger (its model ships inside the package) finds the persons, normalised to the
    nominative ("Андрея Руденко" → "Андрей Руденко").
    """
    out: list[UnknownPerson] = []
    for text in texts:
        if not text:
            continue
        if language == "en":
            out += _english_unknowns(strip_dateline(text))
        elif language == "ru":
            out += _russian_unknowns(strip_dateline(text))
    return out
