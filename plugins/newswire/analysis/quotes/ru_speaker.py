"""The Russian speaker printed after a speech verb ("заявил глава МИД РФ Сергей Лавров")."""

from __future__ import annotations

import re
from collections.abc import Callable

from newswire.analysis import russian
from newswire.analysis.quotes.patterns import (
    DOCUMENT_WORDS,
    RU_KEEP_INSIDE,
    RU_LEAD_ADVERBIAL,
    RU_STOP_AFTER,
)

GOVERNED_BY = {"имени", "с", "со", "к", "о", "об", "для", "от", "у", "без", "между"}


def _ru_speaker_after_verb(raw: str) -> str:
    """`глава МИД РФ Сергей Лавров на брифинге` -> `глава МИД РФ Сергей Лавров`.

    With a name: from the title's first word to the end of the name. Without one (a
    body, a description): up to the first adverbial ("президент на совещании").
    """
    text = RU_LEAD_ADVERBIAL.sub("", raw.strip())
    quoting = re.match(r"^(?:(?P<pron>его|ее|её)\s+)?слова\s+(?P<rest>.+)$", text)
    if quoting is None:
        quoting = re.match(r"^пресс-служба\s+(?:\S+\s+)?слова\s+(?P<rest>.+)$", text)
    if quoting:
        inner = _ru_speaker_after_verb(quoting.group("rest"))
        return f"его слова {inner}" if quoting.groupdict().get("pron") else inner
    words = _title_and_name_words(text)
    is_name = _name_test(words)
    first = _first_name(words, is_name)
    if first is not None:
        end = first
        while end < len(words) and is_name(end):
            end += 1
        if any(DOCUMENT_WORDS.fullmatch(w) for w in words[:first]):
            return " ".join(words[:end])  # "в указе Собянина": a text, kept whole
        start = first
        for i in range(first):
            if russian.is_role_word(words[i]):
                start = i
                while start > 0 and russian.is_adjective(words[start - 1]):
                    start -= 1
                break
        return " ".join(words[start:end])
    out: list[str] = []
    for i, word in enumerate(words):
        low = word.lower()
        if i > 0 and low in RU_STOP_AFTER and low not in RU_KEEP_INSIDE:
            break
        out.append(word)
    return " ".join(out)


def _title_and_name_words(text: str) -> list[str]:
    """The words of the first clause, plus the clauses a title runs over to the name.

    "кандидат наук, доцент университета Лариса Овчаренко": titles may run over commas
    up to the name; after the name a comma ends the speaker ("…, слова которого …").
    """
    clauses = text.split(",")
    words = clauses[0].split()
    for n in range(1, len(clauses)):
        if any(russian.name_strength(w) == 2 for w in clauses[n - 1].split()):
            break
        more = clauses[n].split()
        ahead = " ".join(clauses[n:]).split()[:25]
        if not more or not any(russian.name_strength(w) == 2 for w in ahead):
            break
        if not (russian.is_role_word(more[0]) or russian.is_adjective(more[0])):
            break
        if words:
            words[-1] += ","
        words += more
    return words


def _name_test(words: list[str]) -> Callable[[int], bool]:
    """Whether word ``i`` is part of a name: a sure name word, or a likely one beside one."""
    strengths = [russian.name_strength(w) for w in words]

    def is_name(i: int) -> bool:
        beside = (i > 0 and strengths[i - 1] == 2) or (i + 1 < len(words) and strengths[i + 1] == 2)
        return strengths[i] == 2 or (strengths[i] == 1 and beside)

    return is_name


def _first_name(words: list[str], is_name: Callable[[int], bool]) -> int | None:
    """Index of the first word of the speaker's name, or None when no name is printed."""
    runs = [
        i
        for i in range(len(words))
        if is_name(i)
        and not (i > 0 and is_name(i - 1))
        and not (i > 0 and words[i - 1].lower() in GOVERNED_BY)
    ]
    first = runs[0] if runs else None
    # A lone word that is no known first name or surname ("Нью-Гэмпшира") gives way to a
    # full name later in the same phrase ("… (США) Дачэн Линь").
    while (
        first is not None
        and not (first + 1 < len(words) and is_name(first + 1))
        and not russian.has_person_parse(words[first])
    ):
        later = [i for i in runs if i > first]
        between = {w.lower() for w in words[first + 1 : later[0]]} if later else set()
        if not later or between & RU_STOP_AFTER:
            break
        first = later[0]
    return first


def _ru_role_after(raw: str, printed: str) -> str | None:
    """ "Алехандро Перез-Рамос (Alejandro Perez-Ramos), палеоэколог из университета
    Малаги": the title printed after the name, if one follows it."""
    at = raw.find(printed)
    if not printed or at < 0:
        return None
    rest = raw[at + len(printed) :]
    rest = re.sub(r"^\s*\([^)]*\)", "", rest)
    m = re.match(r"^\s*,\s*(?P<role>[^,]+)", rest)
    if not m:
        return None
    role = m.group("role").strip()
    words = role.split()
    return role if words and russian.is_role_word(words[0]) else None
