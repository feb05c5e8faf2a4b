"""The entity matcher: names cut into tokens, Russian names expanded into all their forms.

Split from entities.py so the matching machinery (alias expansion, the token trie, the
dateline cut) reads on its own; entities.py re-exports every public name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from itertools import product
from typing import Any

from newswire.analysis.knowledge import (
    LANGUAGES,
    Entity,
    KnowledgeError,
    load_knowledge,
)

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
_SHORT = 80  # characters: a text this short is a name or a phrase, worth remembering
_SHORT_KEPT = 65536  # short texts remembered per matcher before starting afresh


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
    if not heads and w.isalpha():
        forms.update(_guessed_forms(w))
    return forms


# Russian surnames in -ов/-ев/-ин take -ым in the instrumental ("Нурмагомедовым"), a
# foreign -ин often -ом ("Дарвином"): the matcher accepts both.
_SURNAME_ENDINGS = ("ов", "ев", "ёв", "ин", "ын")


def _guessed_forms(w: str) -> set[str]:
    """The forms of a name word the dictionary cannot decline (no nominative singular
    reading: "Нурмагомедов" reads only as a plural genitive, "Серена" as a participle)."""
    if w.endswith(_SURNAME_ENDINGS):
        return {w + e for e in ("а", "у", "ым", "ом", "е")}
    if w.endswith("ь"):
        return {w[:-1] + e for e in ("я", "ю", "ем", "е")}
    if w.endswith("а") and len(w) > 2:  # "Серена": Серену, Серене, Сереной, Серены
        return {w[:-1] + e for e in ("ы", "и", "е", "у", "ой", "ою")}
    if w.endswith("я") and len(w) > 2:
        return {w[:-1] + e for e in ("и", "е", "ю", "ей", "ею")}
    if w[-1] in _VOWELS or w[-1] == "й":
        return set()  # a foreign name in -о, -и, -у, -е does not decline
    return {w + e for e in ("а", "у", "ом", "е")}


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
        self._short: dict[str, tuple[tuple[str, int, int], ...]] = {}
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
        # The text forms (lower case) that can start a name: one set look-up per word.
        self._start_forms = frozenset(
            f for f, canons in self._forms.items() if any(c in self._starts for c in canons)
        )

    def spans(self, text: str) -> list[tuple[str, int, int]]:
        """(owner key, start, end) of each name in ``text``, in order, longest first.

        Meant for short texts (a name, a title, a speaker phrase): they are asked about
        again and again, in one article and the next, so their answers are kept, up to a
        bound. Article text goes through ``spans_in_text``, which keeps nothing."""
        if len(text) > _SHORT:
            return self._spans(text)
        found = self._short.get(text)
        if found is None:
            if len(self._short) >= _SHORT_KEPT:
                self._short.clear()
            found = self._short[text] = tuple(self._spans(text))
        return list(found)

    def _spans(self, text: str) -> list[tuple[str, int, int]]:
        low = _norm(text)
        if len(low) != len(text):  # a letter whose lower case is longer: rare, slower
            low = "".join(_norm(c)[:1] or c for c in text)
        words = _TOKEN.findall(low)
        start_forms = self._start_forms
        # Only words that can start a name are tried; most texts hold few or none.
        starts = [k for k, word in enumerate(words) if word in start_forms]
        if not starts:
            return []
        tokens = [m.span() for m in _TOKEN.finditer(low)]
        out: list[tuple[str, int, int]] = []
        i = 0
        for k in starts:
            if k < i:
                continue  # inside the name found last
            i = k
            best = self._longest(text, tokens, words, i)
            if best is None:
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

    def _longest(
        self, text: str, tokens: list[tuple[int, int]], words: list[str], i: int
    ) -> tuple[int, str] | None:
        """(end token, owner) of the longest name starting at token ``i``, if any."""
        forms = self._forms
        n = len(tokens)
        best: tuple[int, str] | None = None
        stack: list[tuple[dict[Any, Any], int]] = [(self._root, i)]
        while stack:
            node, j = stack.pop()
            owner = node.get(_OWNER)
            if owner is not None and (best is None or j > best[0]):
                best = (j, owner)
            if j >= n:
                continue
            keys = forms.get(words[j])
            if keys is None:
                continue
            if j > i and not _JOIN.fullmatch(text, tokens[j - 1][1], tokens[j][0]):
                continue
            for rule in _ACCEPTS[_case_rule(text[tokens[j][0] : tokens[j][1]])]:
                for k in keys:
                    child = node.get((k, rule))
                    if child is not None:
                        stack.append((child, j + 1))
        return best

    def spans_in_text(self, text: str) -> list[tuple[str, int, int]]:
        """``spans`` for article text (a headline, a paragraph): nothing is kept."""
        return self._spans(text)

    def find_in_text(self, text: str) -> list[tuple[str, str]]:
        """``find`` for article text (a headline, a paragraph): nothing is kept."""
        return [(key, text[s:e]) for key, s, e in self._spans(text)]

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


def strip_dateline(paragraph: str) -> str:
    """The paragraph without its leading dateline, if it has one."""
    return DATELINE_RE.sub("", paragraph, count=1)


def body_without_dateline(body: str) -> str:
    first, sep, rest = body.partition("\n\n")
    return strip_dateline(first) + sep + rest
