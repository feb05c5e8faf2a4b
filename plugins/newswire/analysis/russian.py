"""Russian morphology for speaker names: which words are names, and their nominative.

TASS Russian names people and bodies in whatever case the sentence needs ("по словам
Лаврова", "отметили в белорусском Минтрансе"); analysts want "Лавров" and "белорусский
Минтранс". The OpenCorpora dictionary shipped with pymorphy3 tells first names, surnames
and patronymics from other capitalised words and inflects them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

import pymorphy3

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
PREPOSITIONS = {"в", "во", "на", "из", "у", "от", "при", "по"}
# Nouns that make the words after them a title ("глава Минкомсвязи", "главный врач").
ROLE_LEMMAS = {
    "министр", "замминистра", "заместитель", "глава", "губернатор", "мэр", "президент",
    "премьер", "премьер-министр", "вице-премьер", "спикер", "председатель", "пресс-секретарь",
    "представитель", "директор", "руководитель", "начальник", "врач", "инфекционист",
    "уполномоченный", "омбудсмен", "посол", "постпред", "владелец", "советник", "помощник",
    "депутат", "сенатор", "лидер", "генсек", "секретарь", "командующий", "сопредседатель",
    "управляющий", "ректор", "главврач", "министр-председатель", "полпред", "прокурор",
    "судья", "атташе", "консул", "дипломат", "эксперт", "аналитик", "специалист", "тренер",
    "вице-президент", "вице-спикер", "замглавы", "мэра", "главнокомандующий", "генерал",
    "официальный", "научный", "генеральный", "первый",
}


@cache
def _analyzer() -> Any:
    return pymorphy3.MorphAnalyzer(lang="ru")


def _parses(word: str) -> list[Any]:
    return list(_analyzer().parse(word))


def is_russian(word: str) -> bool:
    return bool(CYRILLIC.search(word))


def name_strength(word: str) -> int:
    """2: surely part of a person's name; 1: only beside such a word; 0: not a name."""
    w = word.strip(",.;:()[]«»\"")
    if not w or not w[0].isupper() or not is_russian(w) or re.search(r"[a-z]", w, re.I):
        return 0
    if w.isupper():
        return 0  # МИД, РФ
    parses = _parses(w)
    best = set(parses[0].tag.grammemes)
    if best & {"Geox", "Orgn", "Abbr"}:
        return 0
    person = [p for p in parses if set(p.tag.grammemes) & {"Name", "Surn", "Patr"}]
    if person and (not best & {"ADJF", "PRTF", "ADVB", "PREP", "CONJ", "NPRO"} or "Surn" in best):
        return 2
    if not _analyzer().word_is_known(w.lower()):
        return 2
    if person:
        return 1
    if best & {"PREP", "CONJ", "NPRO", "ADVB", "PRCL", "ADJF", "PRTF", "NUMR"} or is_role_word(w):
        return 0
    return 1  # "Мори": a rare name the dictionary reads as something else


def is_person_word(word: str) -> bool:
    """A capitalised Cyrillic word that is, on its own, part of a person's name."""
    return name_strength(word) == 2


def is_role_word(word: str) -> bool:
    w = word.strip(",.;:()").lower()
    if not w or not is_russian(w):
        return False
    return w in ROLE_LEMMAS or any(
        p.normal_form in ROLE_LEMMAS and ({"NOUN", "ADJF"} & set(p.tag.grammemes))
        for p in _parses(w)[:2]
    )


def is_adjective(word: str) -> bool:
    return any("ADJF" in p.tag for p in _parses(word.strip(",.;:").lower())[:1])


def _inflect(parse: Any, grammemes: set[str]) -> str | None:
    form = parse.inflect(grammemes)
    return None if form is None else str(form.word)


def _restore_case(original: str, word: str) -> str:
    return word[:1].upper() + word[1:] if original[:1].isupper() else word


def nominative_name(tokens: Sequence[str], *, genitive: bool = False) -> list[str]:
    """["Павла", "Малкова"] -> ["Павел", "Малков"]; unknown words stay as printed.

    ``genitive``: the sentence governs the genitive ("по словам Лаврова"), which settles
    a lone surname that could also be a woman's in the nominative."""
    if genitive and len(tokens) == 1:
        for p in _parses(tokens[0]):
            if "Surn" in p.tag and "gent" in p.tag:
                word = _inflect(p, {"nomn", "sing"})
                return [_restore_case(tokens[0], word)] if word else list(tokens)
        return list(tokens)
    gender: str | None = None
    for token in tokens:
        for p in _parses(token):
            if {"Name"} & set(p.tag.grammemes) and p.tag.gender in {"masc", "femn"}:
                gender = str(p.tag.gender)
                break
        if gender:
            break
    out = []
    for token in tokens:
        if not is_russian(token):
            out.append(token)
            continue
        person_parses = [
            p for p in _parses(token) if set(p.tag.grammemes) & {"Name", "Surn", "Patr"}
        ]
        if any(
            "nomn" in p.tag and "sing" in p.tag and (not gender or p.tag.gender in {gender, "ms-f"})
            for p in person_parses
        ):
            out.append(token)  # already nominative ("Владимиров", not a plural of Владимир)
            continue
        surname_like = re.search(r"(?:ов|ев|ёв|ин|ын|ский|цкий|ая)$", token)
        if surname_like and not any("Surn" in p.tag for p in person_parses):
            out.append(token)  # "Айдамиров": a surname the dictionary lacks, as printed
            continue
        choice = None
        for p in _parses(token):
            grammemes = set(p.tag.grammemes)
            if not grammemes & {"Name", "Surn", "Patr"}:
                continue
            if gender and p.tag.gender not in {gender, "ms-f"}:
                continue
            choice = p
            break
        if choice is None or ("nomn" in choice.tag and "sing" in choice.tag):
            out.append(token)
            continue
        word = _inflect(choice, {"nomn", "sing"})
        out.append(_restore_case(token, word) if word else token)
    return out


def nominative_phrase(words: Sequence[str]) -> str:
    """"в белорусском Минтрансе" -> "белорусский Минтранс": the head noun and the words
    agreeing with it go to the nominative, the genitive words after it stay."""
    items = [w for w in words if w]
    while items and items[0].lower() in PREPOSITIONS:
        items = items[1:]
    head = None
    for i, word in enumerate(items):
        if not is_russian(word):
            continue
        parse = _parses(word)[0]
        if "NOUN" in parse.tag or word.isupper():
            head = i
            break
    if head is None:
        return " ".join(items)
    head_parse = _parses(items[head])[0]
    out = list(items)
    if "NOUN" in head_parse.tag and "nomn" not in head_parse.tag and not items[head].isupper():
        number = "plur" if "plur" in head_parse.tag else "sing"
        word = _inflect(head_parse, {"nomn", number})
        if word:
            out[head] = _restore_case(items[head], word)
        for i in range(head):
            parse = _parses(items[i])[0]
            if "ADJF" in parse.tag:
                wanted = {"nomn", number}
                if number == "sing" and head_parse.tag.gender:
                    wanted.add(str(head_parse.tag.gender))
                adj = _inflect(parse, wanted)
                if adj:
                    out[i] = _restore_case(items[i], adj)
    return " ".join(out)


def nominative_role(words: Sequence[str]) -> str:
    """"главы Росстата" -> "глава Росстата": only the title noun (and the adjectives before
    it) changes case; what depends on it ("по правам человека") stays as printed."""
    items = list(words)
    for i, word in enumerate(items):
        if not is_role_word(word):
            continue
        nouns = [p for p in _parses(word) if "NOUN" in p.tag]
        if not nouns or "nomn" in nouns[0].tag or "ADJF" in _parses(word)[0].tag:
            return " ".join(items)
        head = nouns[0]
        number = "plur" if "plur" in head.tag else "sing"
        form = _inflect(head, {"nomn", number})
        if form:
            items[i] = _restore_case(word, form)
        for j in range(i):
            parse = _parses(items[j])[0]
            if "ADJF" in parse.tag:
                wanted = {"nomn", number}
                if number == "sing" and head.tag.gender:
                    wanted.add(str(head.tag.gender))
                adj = _inflect(parse, wanted)
                if adj:
                    items[j] = _restore_case(items[j], adj)
        return " ".join(items)
    return " ".join(items)
