"""Russian morphology for speaker names: which words are names, and their nominative.

TASS Russian names people and bodies in whatever case the sentence needs ("по словам
Лаврова", "отметили в белорусском Минтрансе"); analysts want "Лавров" and "белорусский
Минтранс". The OpenCorpora dictionary shipped with pymorphy3 tells first names, surnames
and patronymics from other capitalised words and inflects them back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache, lru_cache
from typing import Any

import pymorphy3

CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
# Russian bodies named by a clipped compound ("Росстат", "Минобороны", "Госдума").
ORG_PREFIX = re.compile(
    r"^(?:Рос|Мин|Гос|Мос)[а-яё]*?(?:стат|надзор|дум|авиаци|гвард|космос|нефт|сет|атом|"
    r"обрнаук|оборон|здрав|юст|фин|труд|транс|просвещ|экономразвит|промторг|энерг|спорт|"
    r"культур|цифр|природ|связ|сельхоз|иностран|реестр|комсвяз|гидромет|рыболов|лес|мор)"
)
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
    "профессор", "доцент", "кандидат", "доктор", "академик", "психолог", "автор",
    "заведующий", "чемпион", "спортсмен", "боец", "игрок", "хоккеист", "футболист",
    "отец", "мать", "вдова", "вдовец", "сын", "дочь", "брат", "сестра", "жена", "муж",
    "учёный", "ученый", "исследователь", "редактор", "писатель", "актер",
    "режиссер", "художник", "сотрудник", "основатель", "владелица", "собственник",
    "астроном", "физик", "химик", "биолог", "врач-инфекционист", "эпидемиолог", "инженер",
}
ROLE_SUFFIXES = ("олог", "инист", "ист")  # палеоэколог, аналитик-нефтяник aside
GENERIC_BODY_LEMMAS = {
    "ведомство", "министерство", "агентство", "пресс-служба", "компания", "организация",
    "служба", "пресс-центр", "структура", "департамент", "управление", "мэрия", "штаб",
}


@cache
def _analyzer() -> Any:
    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=65536)
def _parses(word: str) -> tuple[Any, ...]:
    """The dictionary's readings of a word, likeliest first (cached: names repeat)."""
    return tuple(_analyzer().parse(word))


def is_russian(word: str) -> bool:
    return bool(CYRILLIC.search(word))


@lru_cache(maxsize=65536)
def name_strength(word: str) -> int:
    """2: surely part of a person's name; 1: only beside such a word; 0: not a name.

    Cached: it depends on the word alone, and quote attribution asks about the same
    capitalised words many times an article."""
    if word.lstrip("(")[:1] in {'"', "«", "“"}:
        return 0  # a quoted title ("Диалог"), not a name
    w = word.strip(",.;:()[]«»\"")
    if not w or not w[0].isupper() or not is_russian(w) or re.search(r"[a-z0-9]", w, re.I):
        return 0
    if w.isupper():
        return 0  # МИД, РФ
    parses = _parses(w)
    best = set(parses[0].tag.grammemes)
    if best & {"Geox", "Orgn", "Abbr"}:
        return 0
    person = [p for p in parses if set(p.tag.grammemes) & {"Name", "Surn", "Patr"}]
    if best & {"Name", "Surn", "Patr"}:
        return 2
    if best & {"ADJF", "PRTF"}:
        return 1 if person else 0  # "Полянский" beside a first name; "Всеанглийского" never
    if ORG_PREFIX.match(w):
        return 0  # "Росстата", "Минобрнауки": bodies, not people
    if not _analyzer().word_is_known(w.lower()):
        return 2  # "Ёсиро", "Дитрих": whatever part of speech the guesser proposes
    function_word = best & {"PREP", "CONJ", "NPRO", "ADVB", "PRCL", "NUMR"}
    if person:
        return 1 if function_word else 2
    thing = {"NOUN", "inan"} <= best and not any("anim" in p.tag for p in parses)
    if function_word or is_role_word(w) or thing:
        return 0  # "Университета": a thing, not a person
    return 1  # "Мори": a rare name the dictionary reads as something else


def is_person_word(word: str) -> bool:
    """A capitalised Cyrillic word that is, on its own, part of a person's name."""
    return name_strength(word) == 2


@lru_cache(maxsize=65536)
def is_role_word(word: str) -> bool:
    w = word.strip(",.;:()").lower()
    if not w or not is_russian(w):
        return False
    if word.strip(",.;:()")[:1].isupper() and any(
        {"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in _parses(w)[:1]
    ):
        return False
    if w.endswith(ROLE_SUFFIXES[:1]) and "NOUN" in _parses(w)[0].tag:
        return True
    return w in ROLE_LEMMAS or any(
        p.normal_form in ROLE_LEMMAS and ({"NOUN", "ADJF"} & set(p.tag.grammemes))
        for p in _parses(w)[:2]
    )


@lru_cache(maxsize=65536)
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
    a lone surname that could also be a woman's in the nominative. Cached per name:
    the same people are named article after article."""
    return list(_nominative_name(tuple(tokens), genitive))


@lru_cache(maxsize=65536)
def _nominative_name(tokens: tuple[str, ...], genitive: bool) -> tuple[str, ...]:
    return tuple(_nominative_name_uncached(tokens, genitive=genitive))


def _nominative_name_uncached(tokens: Sequence[str], *, genitive: bool) -> list[str]:
    if genitive and len(tokens) == 1:
        for p in _parses(tokens[0]):
            if "Surn" in p.tag and "gent" in p.tag:
                word = _inflect(p, {"nomn", "sing"})
                return [_restore_case(tokens[0], word)] if word else list(tokens)
        return list(tokens)
    # The parts of a name share one case: a first word already in the nominative means
    # the others are too ("Тедрос Аданом Гебрейесус" keeps its foreign middle name).
    first_parses = [p for p in _singular(tokens[0]) if _PERSON & p.tag.grammemes]
    if (
        len(tokens) > 1
        and first_parses
        and "nomn" in first_parses[0].tag
        and "Fixd" not in first_parses[0].tag  # "Тони" says nothing about the case
    ):
        return list(tokens)
    agreed = _agreed_case(tokens, genitive)
    if agreed is None:
        return list(tokens)
    return [_nominative_token(token, *agreed) for token in tokens]


_PERSON = frozenset({"Name", "Surn", "Patr"})


def _singular(word: str) -> list[Any]:
    """Readings of a word as a noun or adjective in the singular: one person has one
    name ("Фальков" is not the plural genitive of "Фальк", "Меган" not of "Мегана")."""
    return [p for p in _parses(word) if p.tag.POS in {"NOUN", "ADJF"} and p.tag.number != "plur"]


def _genders(p: Any) -> tuple[str, ...]:
    """The genders a reading fits: both for a surname of either ("ms-f") or none given."""
    if p.tag.gender is None or "ms-f" in p.tag.grammemes:
        return ("masc", "femn")
    return (str(p.tag.gender),)


def _agreed_case(tokens: Sequence[str], genitive: bool) -> tuple[str, str] | None:
    """The (case, gender) most words of a name can be read in as a first name, surname or
    patronymic; the nominative (the genitive after "по словам") wins a tie.

    Each word alone misleads: "Эрика" may be a woman in the nominative, "Клэптона" is no
    name the dictionary knows; together, "Эрика Клэптона" is Eric Clapton's genitive,
    and "Александра Трусова" (both words read both ways) stays as printed."""
    votes: dict[tuple[str, str], list[float]] = {}
    first: list[tuple[str, str]] = []
    for token in tokens:
        readings: dict[tuple[str, str], float] = {}
        parses = [p for p in _singular(token) if p.tag.case]
        named = [p for p in parses if _PERSON & p.tag.grammemes]
        if named and "Fixd" in named[0].tag:
            continue  # an indeclinable name first of all ("Тони"): it fits every case
        # A guess of an indeclinable man's name ("Серене") says nothing either.
        parses = [p for p in parses if "Fixd" not in p.tag]
        named = [p for p in named if "Fixd" not in p.tag]
        for p in named or parses:
            for g in _genders(p):
                key = (str(p.tag.case), g)
                readings[key] = readings.get(key, 0.0) + float(p.score)
        for reading, score in readings.items():
            tally = votes.setdefault(reading, [0.0, 0.0])
            # A word the dictionary does not know as a name ("Клэптона", "Новака") still
            # leans towards its likelier cases, at most half as much as a name's reading.
            tally[0] += 1.0 if named else 0.5 * min(1.0, score)
            tally[1] += score
        if named and not first:
            first = list(readings)
    if not first and not any(tally[0] >= 1 for tally in votes.values()):
        return None  # no word reads as a name: nothing tells the case
    # A given name read as one says the case ("Джоша Грира" is not a woman Грира).
    candidates = first or list(votes)
    preferred = "gent" if genitive else "nomn"
    return max(candidates, key=lambda r: (votes[r][0], r[0] == preferred, votes[r][1]))


def _nominative_token(token: str, case: str, gender: str) -> str:
    """One word of a name, read in the case and gender the name agrees on, put into the
    nominative singular; as printed when it has no such reading."""
    if not is_russian(token):
        return token
    fits = [p for p in _singular(token) if p.tag.case == case and gender in _genders(p)]
    person = [p for p in fits if _PERSON & p.tag.grammemes]
    if not fits:
        # "Абдулманап Нурмагомедова": a surname printed in another case than its name
        person = [p for p in _singular(token) if _PERSON & p.tag.grammemes
                  and gender in _genders(p) and not (token.endswith(("ов", "ев", "ин")))]
    choice = (person or fits or [None])[0]
    if choice is None or choice.tag.case == "nomn":
        return token
    word = _inflect(choice, {"nomn", "sing"})
    # Oblique forms are never shorter than the nominative ("Лаврова", "Хабибом"): a
    # longer "nominative" means the dictionary misread the word.
    return _restore_case(token, word) if word and len(word) <= len(token) else token


def nominative_phrase(words: Sequence[str]) -> str:
    """"в белорусском Минтрансе" -> "белорусский Минтранс": the head noun and the words
    agreeing with it go to the nominative, the genitive words after it stay (cached per
    phrase: bodies recur)."""
    return _nominative_phrase(tuple(words))


@lru_cache(maxsize=65536)
def _nominative_phrase(words: tuple[str, ...]) -> str:
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
        form = _inflect(head_parse, {"nomn", number})
        if form:
            out[head] = _restore_case(items[head], form)
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
    it) changes case; what depends on it ("по правам человека") stays as printed (cached
    per title: titles recur)."""
    return _nominative_role(tuple(words))


@lru_cache(maxsize=65536)
def _nominative_role(words: tuple[str, ...]) -> str:
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


def is_generic_body(words: Sequence[str]) -> bool:
    """"военное ведомство", "пресс-служба": a body named by its kind, not by its name."""
    items = [w for w in words if w.lower() not in PREPOSITIONS]
    if not items or any(w[:1].isupper() for w in items):
        return False
    head = _parses(items[-1])[0]
    if head.normal_form not in GENERIC_BODY_LEMMAS:
        return False
    return all("ADJF" in _parses(w)[0].tag for w in items[:-1])


@lru_cache(maxsize=65536)
def is_verb(word: str) -> bool:
    """A finite verb or a participle-like predicate ("вошел", "заявил")."""
    w = word.strip(",.;:()").lower()
    return bool(w) and is_russian(w) and bool(
        {"VERB", "GRND"} & set(_parses(w)[0].tag.grammemes)
    )


@lru_cache(maxsize=65536)
def has_person_parse(word: str) -> bool:
    """The dictionary knows the word as a first name, surname or patronymic."""
    w = word.strip(",.;:()[]«»\"")
    return bool(w) and any(
        {"Name", "Surn", "Patr"} & set(p.tag.grammemes) for p in _parses(w)
    ) and _analyzer().word_is_known(w.lower())
