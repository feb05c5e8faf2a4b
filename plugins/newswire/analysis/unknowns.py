"""People an article names that the knowledge base does not know (yet).

English by title and capitalised runs, Russian by pairs of capitalised words checked with
natasha's name tagger; each back in the nominative.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newswire.analysis import russian
from newswire.analysis.matching import EntityMatcher, _morph, matcher, strip_dateline
from newswire.analysis.person_tagger import Tagged, tag_texts


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
# Compiled once: they run for every word of every English text.
_EN_WORD = re.compile(r"[\w.’'\-]+")
_INITIAL = re.compile(r"[A-Z]\.")
_NAME_PARTS = re.compile(r"[-’']")
_EN_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-’'][A-Za-z][a-z]+)?|[A-Z]\.)$")


def _english_unknowns(text: str) -> list[UnknownPerson]:
    words = [(m.start(), m.end(), m.group()) for m in _EN_WORD.finditer(text)]
    found: list[UnknownPerson] = []
    m = matcher("en")
    for i, (_, _, word) in enumerate(words):
        if word.lower().rstrip(".") not in _EN_ANCHORS:
            continue
        name: list[tuple[int, int, str]] = []
        for start, _end, w in words[i + 1 : i + 5]:
            clean = w.rstrip(".,") if not _INITIAL.fullmatch(w) else w
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
        parts = [p for w in name for p in _NAME_PARTS.split(w[2]) if p]
        normalised = " ".join(p[:1].upper() + p[1:].lower() for p in parts)
        found.append(UnknownPerson(surface, normalised, "en"))
    return found


_RU_SENTENCE = re.compile(r"(?<=[.!?…])\s+(?=[«\"„А-ЯЁA-Z])")
# Overlapping pairs: "Позже Алексея Оверчука" holds two.
_RU_PAIR = re.compile(r"\b(?=([А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?\s+[А-ЯЁ][а-яё]{2,}))")


def _may_name_someone_new(sentence: str, m: EntityMatcher) -> bool:
    """Whether a sentence has two capitalised words in a row that could be a person the
    base does not know: not a known name, and one of the words read as a first name,
    surname or patronymic, or unknown to the dictionary (a foreign name). Names of
    bodies and places ("Государственный Эрмитаж") pass no sentence to the tagger."""
    pairs = [(*pair.span(1), pair.group(1)) for pair in _RU_PAIR.finditer(sentence)]
    if not pairs:
        return False  # no two capitalised words in a row: the matcher need not run
    known = [(s, e) for _, s, e in m.spans_in_text(sentence)]
    for start, end, words in pairs:
        if any(s < end and start < e for s, e in known):
            continue
        if any(_may_be_name_word(word) for word in words.split()):
            return True
    return False


@lru_cache(maxsize=65536)
def _readings(word: str) -> tuple[Any, ...]:
    """pymorphy3's readings of a word, cached: names and sentence openers repeat."""
    return tuple(_morph().parse(word))


@lru_cache(maxsize=65536)
def _may_be_name_word(word: str) -> bool:
    """Unknown to the dictionary (a foreign name) or read as a name, surname or patronymic."""
    return not _morph().word_is_known(word) or any(
        {"Name", "Surn", "Patr"} & p.tag.grammemes for p in _readings(word)
    )


def _russian_unknowns(texts: Sequence[str]) -> list[UnknownPerson]:
    """Unknown persons of each text, in order, from one tagger pass over all of them
    (each text is still tagged on its own: see person_tagger)."""
    m = matcher("ru")
    # The tagger costs about 0.4 ms a word: it reads only the sentences that may name
    # someone the base does not know.
    joined = [
        "\n".join(s for s in _RU_SENTENCE.split(t) if _may_name_someone_new(s, m)) for t in texts
    ]
    chosen = [t for t in joined if t]
    # A lead printed again as the first paragraph is tagged once: each text's tags are
    # its own (see person_tagger), so the copy's are the same.
    tags = dict(zip(dict.fromkeys(chosen), tag_texts(list(dict.fromkeys(chosen))), strict=True))
    found = []
    for text in chosen:
        tagged = tags[text]
        if any(span.type == "PER" for span in tagged.spans):
            found += _persons_tagged(tagged, m)
    return found


def _persons_tagged(tagged: Tagged, m: EntityMatcher) -> list[UnknownPerson]:
    """The tagger's persons of two words or more the base does not know, nominative."""
    from natasha import Doc
    from natasha.doc import DocToken, adapt_spans

    doc = Doc(tagged.text)
    doc.tokens = [DocToken(t.start, t.stop, t.text) for t in tagged.tokens]
    doc.spans = list(adapt_spans(doc, tagged.spans))
    doc.envelop_span_tokens()
    found = []
    for span in doc.spans:
        if span.type != "PER" or len(span.tokens) < 2:
            continue
        if any(m.kinds.get(k) == "person" for k, _ in m.find(span.text)):
            continue
        # From the words as printed: natasha's normaliser turns a name it does not know
        # into a plural ("Меган Маркл" -> "Меганы Маркл", "Валерий Фальков" -> "Фальки");
        # the quotes' rule puts them in the nominative ("Марата Хуснуллина" -> "Марат
        # Хуснуллин"), the words of a name agreeing in case and gender.
        words = russian.nominative_name(span.text.split())
        # ё is written as е as often as not: one spelling, so counts add up.
        normal = " ".join(w[:1].upper() + w[1:] for w in words).replace("ё", "е").replace("Ё", "Е")
        found.append(UnknownPerson(span.text, normal, "ru"))
    return found


def unknown_persons(texts: Sequence[str], language: str) -> list[UnknownPerson]:
    """People named in the texts whom the knowledge base does not know, in order.

    English: a run of two to four capitalised words right after a title ("Deputy Foreign
    Minister Andrei Rudenko", "Ambassador Kim Hyun Joong"). Russian: natasha's named-entity
    tagger (its model ships inside the package) finds the persons, normalised to the
    nominative ("Андрея Руденко" → "Андрей Руденко").
    """
    if language == "ru":
        return _russian_unknowns([strip_dateline(text) for text in texts if text])
    out: list[UnknownPerson] = []
    for text in texts:
        if text and language == "en":
            out += _english_unknowns(strip_dateline(text))
    return out
