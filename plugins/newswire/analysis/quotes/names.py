"""Names and titles inside an attribution: where the name runs, what the role is."""

from __future__ import annotations

import re
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache

from newswire.analysis import russian
from newswire.analysis.entities import matcher
from newswire.analysis.quotes.model import _entity_kinds
from newswire.analysis.quotes.patterns import (
    HUMAN_ROLES,
    PRONOUNS,
    ROLE_CONNECTORS,
    RU_STOP_AFTER,
    STOP_WORDS,
    TITLE_WORDS,
    VERB_RE,
)

# Compiled once: these run for every paragraph and attribution.
_POSSESSIVE = re.compile(r"[’']s$")
_PATRONYMIC_END = re.compile(r"(?:вич|вна|ична|vich|vna)$")
_LEADING_BRACKETS = re.compile(r"^\s*\([^)]*\)")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+")


@lru_cache(maxsize=65536)
def _is_name_word(word: str, language: str) -> bool:
    """Whether a word can be part of a person's name (cached: it depends on the word)."""
    w = word.strip(",.;:()[]")
    if language == "ru" and russian.is_russian(w):
        return russian.name_strength(w) > 0
    if not w or not w[0].isupper() or w.lower() in TITLE_WORDS or w.lower() in STOP_WORDS:
        return False
    letters = [c for c in w if c.isalpha()]
    if language == "ru" or (letters and all(c.isupper() for c in letters)):
        return False  # Latin words in Russian copy are brands; DPRK is no name
    return not _POSSESSIVE.search(w)  # Russia's


def _name_span(words: Sequence[str], language: str) -> tuple[int, int] | None:
    """(start, end) of the last person's name among ``words``."""
    end = len(words)
    while end > 0 and not (_is_name_word(words[end - 1], language)):
        end -= 1
    if end == 0:
        return None
    # Places and bodies the dictionary knows end a name run ("Russia" before a name);
    # asked only once there is a run to extend.
    kinds = _entity_kinds()
    places = {s for k, s in matcher(language).find(" ".join(words)) if kinds.get(k) != "person"}
    place_words = {w for s in places for w in s.split()}
    start = end
    while (
        start > 0
        and _is_name_word(words[start - 1], language)
        and words[start - 1] not in place_words
    ):
        start -= 1
    if start == end:
        return None
    strong = [language != "ru" or russian.name_strength(w.strip(",.;:")) == 2 for w in words]
    if language == "ru":
        # A weak word counts only beside a sure one ("Мори" after "Ёсиро"), or when the
        # phrase is that word alone ("сказал Мори").
        if not any(strong[start:end]):
            return (start, end) if len(words) == 1 else None
        while not strong[start] and not strong[start + 1]:
            start += 1
    n = end - start
    if n == 3 and language == "ru" and all(strong[start:end]):
        return start, end  # "Тедрос Аданом Гебрейесус"
    if n == 3 and not _keeps_three(words[start:end]):
        start += 1
    elif n > 3:
        start = end - 2
    return start, end


def _keeps_three(words: Sequence[str]) -> bool:
    """Korean/Vietnamese three-part names and Russian name-patronymic-surname stay whole."""
    first, middle = words[0], words[1]
    return len(first) <= 4 or bool(_PATRONYMIC_END.search(middle))


def _ru_role(words: Sequence[str]) -> str | None:
    """The title among the words before a Russian name: from its first role noun on.

    Only the clauses next to the name count: a verb or a clause without a title
    ends the search ("группа ученых, в которую вошел профессор ... Николай Еркаев")."""
    clauses: list[list[str]] = [[]]
    for word in words:
        clauses[-1].append(word)
        if word.endswith(","):
            clauses.append([])
    kept: list[str] = []
    for clause in reversed([c for c in clauses if c]):
        verbs = [
            i
            for i, w in enumerate(clause)
            if VERB_RE.fullmatch(w.strip(",").lower()) or russian.is_verb(w)
        ]
        if verbs:
            kept = clause[verbs[-1] + 1 :] + kept
            break
        if kept and not any(russian.is_role_word(w) for w in clause):
            break
        kept = clause + kept
    for i, word in enumerate(kept):
        if word.lower().strip(",") in RU_STOP_AFTER:
            continue
        if russian.is_role_word(word):
            start = i
            while (
                start > 0
                and russian.is_adjective(kept[start - 1])
                and not kept[start - 1].endswith(",")
            ):
                start -= 1
            role = " ".join(kept[start:]).strip(" ,")
            # an honorific before the name is no part of the title ("глава ВОЗ доктор")
            role = re.sub(r"\s+(?:доктор|господин|госпожа|г-н|г-жа)$", "", role)
            return role or None
    return None


def split_role_name(phrase: str, language: str) -> tuple[str | None, str | None]:
    """`Russian Emergencies Minister Alexander Kurenkov` -> (role, name); either may be None.

    The name is the last run of name words (not title words, not places the entity
    dictionary knows); an appositive after a comma is a role. Russian names come back
    in the nominative.
    """
    phrase = phrase.strip().strip(",")
    governed = phrase.lower().startswith("по словам ")  # the name is in the genitive
    if governed:
        phrase = phrase[len("по словам ") :]
    if language == "ru" and russian.is_russian(phrase):
        # Titles run over commas up to the name ("кандидат наук, доцент МГУ Лариса
        # Овчаренко"); a clause after the name is a role only when it starts with one.
        words = phrase.split()
        head = phrase.split(",")[0].split()
        appositive = ""
        if len(head) < len(words) and _name_span(head, language) is not None:
            # "Басу, возглавляющий подразделение Скотленд-Ярда": Басу speaks
            appositive = phrase.split(",", 1)[1]
            words = head
        bare = [w.rstrip(",") for w in words]
        span = _name_span(bare, language)
        if span is None:
            return None, None
        start, end = span
        tokens = [w.strip(",.;:") for w in bare[start:end] if w.strip(",.;:")]
        if len(tokens) > 1 or governed:
            tokens = russian.nominative_name(tokens, genitive=governed)
        name = " ".join(tokens)
        if not name or name.lower() in PRONOUNS:
            return None, None
        role = _ru_role(words[:start])
        if role is None:
            rest = _LEADING_BRACKETS.sub("", " ".join(words[end:]))
            if appositive:
                rest = rest + "," + appositive
            after = (
                rest.lstrip(" ,").split(",")[0].split()
                if rest.lstrip().startswith(",") or (words[end - 1].endswith(","))
                else []
            )
            if after and russian.is_role_word(after[0]):
                role = " ".join(after)
        role = russian.nominative_role(role.split()) if role else None
        return role, name
    main, _, appositive = phrase.partition(",")
    role_after = _ARTICLE.sub("", appositive.strip().strip(",")) or None
    words = main.split()
    span = _name_span(words, language)
    if span is None:
        return None, None
    start, end = span
    name = " ".join(w.strip(",.;:") for w in words[start:end] if w.strip(",.;:"))
    if not name or name.lower() in PRONOUNS:
        return None, None
    role = _ARTICLE.sub("", " ".join(words[:start])).strip() or None
    if role_after:
        role = role_after if role is None else f"{role}, {role_after}"
    return role, name


@lru_cache(maxsize=65536)
def _same_word(a: str, b: str) -> bool:
    """Surnames match across Russian case endings and one-letter typos (cached: every
    name an article prints is compared with everyone on its stage)."""
    a, b = a.lower(), b.lower()
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    if russian.is_russian(a) and common >= max(4, min(len(a), len(b)) - 2):
        return True
    return min(len(a), len(b)) >= 6 and SequenceMatcher(None, a, b).ratio() >= 0.85


def _title_suffix(words: Sequence[str]) -> str | None:
    """The words right before an English name that read as its title ("Russia’s leader")."""
    out: list[str] = []
    for word in reversed(words):
        bare = word.strip(",")
        if word.endswith(",") or bare.lower() in STOP_WORDS - {"the"}:
            break
        if bare[:1].isupper() or HUMAN_ROLES.fullmatch(bare) or bare.lower() in ROLE_CONNECTORS:
            out.append(bare)
            continue
        break
    while out and out[-1].lower() in ROLE_CONNECTORS:
        out.pop()
    while out and out[0].lower() in ROLE_CONNECTORS:
        out.pop(0)
    return " ".join(reversed(out)) or None
