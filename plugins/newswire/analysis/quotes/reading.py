"""Reading an article's text outside quotations: who it names and who it says speaks."""

from __future__ import annotations

import re
from collections.abc import Iterator

from newswire.analysis import russian
from newswire.analysis.entities import matcher
from newswire.analysis.quotes.cast import Cast
from newswire.analysis.quotes.model import _entity_kinds
from newswire.analysis.quotes.names import _name_span, _ru_role, _same_word, _title_suffix
from newswire.analysis.quotes.patterns import (
    BODY_WORDS,
    CONTEXT_WORDS,
    DOCUMENT_WORDS,
    ENGLISH_VERB_FIRST_WORDS,
    INDIRECT_AFTER_EN,
    NAME_RUN_2,
    RU_NOT_SUBJECT,
    SENTENCE_SPLIT,
    SPEECH_VERB_FIRST_WORDS,
    VERB_RE,
    WORD_HYPHEN_RUN,
)
from newswire.analysis.quotes.ru_speaker import _ru_speaker_after_verb
from newswire.analysis.quotes.spans import _noun_phrase_before

# Compiled once: these run for every paragraph and attribution.
_CLAUSE_END = re.compile(r"[.;!?:«»]")
_RU_ABOUT_THIS = re.compile(r"^(?:Об этом|об этом)\s+")
_WORD_RUN = re.compile(r"\w+")
_RU_ACCORDING = re.compile(r"[Пп]о (?:его |ее )?словам\s+(?P<np>[^,.;]{2,80})")


def _register_names(text: str, cast: Cast, language: str) -> None:
    """Remember who the article names (outside quotations), with the title printed before."""
    kinds = _entity_kinds()
    for sentence in SENTENCE_SPLIT.split(text):
        previous_end = 0
        for m in NAME_RUN_2.finditer(sentence):
            # the title of a name lies between it and the name before it
            before = sentence[previous_end : m.start()].split()[-CONTEXT_WORDS:]
            previous_end = m.end()
            context = before + m.group().split()
            words = [w.rstrip(",") for w in context]
            span = _name_span(words, language)
            if span is None or span[1] - span[0] < 2:
                continue
            start, end = span
            tokens = [w.strip(",.;:") for w in words[start:end] if w.strip(",.;:")]
            name = " ".join(tokens)
            if (
                len(tokens) < 2
                or BODY_WORDS.search(name)
                or (language == "ru" and sum(russian.is_person_word(t) for t in tokens) == 0)
            ):
                continue
            hits = matcher(language).find(name)
            if hits and all(kinds.get(k) != "person" for k, _ in hits):
                continue  # a place or a body ("North Korea", "Verkhovna Rada")
            if any(
                not p.body and _same_word(t, p.name.split()[-1])
                for t in tokens[:-1]
                for p in cast.people
            ):
                continue  # "with Biden Putin": two people side by side
            if language == "ru":
                name = " ".join(russian.nominative_name(tokens))
                role = _ru_role(context[:start])
                role = russian.nominative_role(role.split()) if role else None
            else:
                role = _title_suffix(context[:start])
            cast.introduce(name, role)


def _verb_matches(sentence: str) -> Iterator[re.Match[str]]:
    """``VERB_RE.finditer(sentence)``, tried only where a speech verb's first word is.

    A match starts a whole run of word characters and hyphens that is the first word
    of a speech verb (see patterns.SPEECH_VERB_FIRST_WORDS); matching the pattern at
    those runs alone, left to right and past each match, finds the same matches
    without trying the whole verb list at every character."""
    end = 0
    for run in WORD_HYPHEN_RUN.finditer(sentence):
        if run.start() >= end and run.group() in SPEECH_VERB_FIRST_WORDS:
            m = VERB_RE.match(sentence, run.start())
            if m:
                end = m.end()
                yield m


def _indirect_matches(sentence: str) -> Iterator[re.Match[str]]:
    """``INDIRECT_AFTER_EN.finditer(sentence)``, tried only at whole words that start an
    English speech verb or "according to" (the same matches, as in _verb_matches)."""
    end = 0
    for run in _WORD_RUN.finditer(sentence):
        word = run.group()
        if run.start() >= end and (word in ENGLISH_VERB_FIRST_WORDS or word == "according"):
            m = INDIRECT_AFTER_EN.match(sentence, run.start())
            if m:
                end = m.end()
                yield m


def _speaking_events(masked: str, language: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each `X said` / `said X` / `according to X` outside quotations."""
    events: list[tuple[int, str]] = []
    pos = 0
    for sentence in SENTENCE_SPLIT.split(masked):
        start = masked.find(sentence, pos)
        pos = start + len(sentence)
        for m in _verb_matches(sentence):
            after = sentence[m.end() :]
            if language == "ru":
                subject = _ru_speaker_after_verb(_CLAUSE_END.split(after)[0])
                words = subject.split()
                named = bool(words) and _name_span(words, language) is not None
                body = (
                    bool(words)
                    and bool(BODY_WORDS.search(subject))
                    and not (DOCUMENT_WORDS.search(subject))
                )
                if (named or body) and not ({w.lower() for w in words[:1]} & RU_NOT_SUBJECT):
                    events.append((start + m.end(), subject))
                    continue
            np = _noun_phrase_before(sentence[: m.start()]).strip(' "“”«»-—–,')
            if language == "ru":
                np = _RU_ABOUT_THIS.sub("", np)
            if np and len(np.split()) <= 12:
                events.append((start + m.start(), np))
        if language == "ru":
            for m in _RU_ACCORDING.finditer(sentence) if "словам" in sentence else ():
                events.append((start + m.start("np"), "по словам " + m.group("np")))
        else:
            for m in _indirect_matches(sentence):
                events.append((start + m.start("np"), m.group("np")))
    events.sort()
    return events
