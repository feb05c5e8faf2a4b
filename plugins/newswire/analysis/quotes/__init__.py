"""Direct quotations, who said them, and the person behind "he" or "the ambassador".

Handled shapes (English and Russian wire style):
  "…," he said.            "…," Ambassador Kim said.      "…," said Lavrov.
  X said that "…"          X said: "…"                    «…», — заявил Путин.
  "…," he said. "…"        (the second quotation continues the same speaker)
  "…", - отметил глава МИД РФ Сергей Лавров.    По словам Лаврова, "…"
  "…, - заявил глава государства. - …"          (the attribution inside the quotation)
A quotation with no speech verb next to it (a scare quote, a quoted title, a sentence
fragment inside reported speech) is not a quote of anyone and is skipped.

Each quote keeps the speaker as printed and gets the person behind it. The article is
read in order: every attribution ("…, Russian Ambassador at Large Oleg Burmistrov said.")
puts its subject on stage, and a pronoun or a bare title goes to the person last named
*as speaking*. Names that occur only inside quotations never become speakers. Roles come
from where the article prints them beside the person's name. A body (a ministry, a press
office) is a speaker only when an attribution makes it one; a document ("the statement
said", "говорится в сообщении") has no speaker name.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from newswire.analysis import russian
from newswire.analysis.entities import holder_of, matcher, resolve_person, strip_dateline
from newswire.analysis.quotes.cast import Cast, _resolve, _take_stage
from newswire.analysis.quotes.model import Person, Quote, _entity_kinds
from newswire.analysis.quotes.names import split_role_name
from newswire.analysis.quotes.patterns import (
    DOCUMENT_WORDS,
    GLUED_SENTENCE,
    HUMAN_ROLES,
    PRONOUNS,
)
from newswire.analysis.quotes.reading import _register_names, _speaking_events
from newswire.analysis.quotes.spans import (
    _QUOTE_MARK,
    _clean_speaker,
    _mask_quotes,
    paragraph_quotes,
    quoted_spans,
)

# Compiled once: these run for every paragraph and attribution.
_THE = re.compile(r"^(?:the|The)\s+")
# Russian "в …" ("в сообщении", "в пресс-службе", "в Кремле") is where words were said or
# written, never a person; nor is a document ("the statement of the governor").
_IN_A_PLACE = re.compile(r"^(?:в|во)\s", re.IGNORECASE)

__all__ = [
    "Person",
    "Quote",
    "article_quotes",
    "link_speaker",
    "paragraph_quotes",
    "quoted_spans",
    "split_role_name",
]


def article_quotes(
    body: str, language: str = "en", published_on: date | None = None
) -> list[Quote]:
    """Every attributed quotation of an article body, with the person behind each."""
    paragraphs = body.split("\n\n")
    if paragraphs:
        paragraphs[0] = strip_dateline(paragraphs[0])
    # Quotations come only from quote marks, and the cast only serves later quotations:
    # past the last paragraph with a mark there is nothing left to find.
    marked = [i for i, paragraph in enumerate(paragraphs) if _QUOTE_MARK.search(paragraph)]
    if not marked:
        return []
    cast = Cast()
    out: list[Quote] = []
    for index, paragraph in enumerate(paragraphs[: marked[-1] + 1]):
        # "… Голомолзин.Уточняется …": a lost space must not glue two sentences
        masked = GLUED_SENTENCE.sub(". ", _mask_quotes(paragraph))
        _register_names(masked, cast, language)
        steps: list[tuple[int, int, str | Quote]] = [
            (offset, 1, phrase) for offset, phrase in _speaking_events(masked, language)
        ]
        steps += [(q.offset, 0, q) for q in paragraph_quotes(paragraph, index)]
        steps.sort(key=lambda s: (s[0], s[1]))
        for _, _, step in steps:
            if isinstance(step, Quote):
                out.append(_attribute(step, cast, language, published_on))
                continue
            printed = _clean_speaker(step)
            if printed is None:
                continue
            one_word = len(printed[0].split()) == 1 and printed[0][:1].isupper()
            if (
                one_word
                and cast.find(printed[0]) is None
                and not matcher(language).find(printed[0])
                and not (language == "ru" and russian.is_person_word(printed[0]))
            ):
                continue  # "told Cuban weekly": one unknown capitalised word is no speaker
            person, _ = _resolve(printed[1], printed[0], cast, language)
            _take_stage(cast, person)
    return out


def _attribute(q: Quote, cast: Cast, language: str, published_on: date | None) -> Quote:
    """The quote with the person (or body) behind its attribution filled in."""
    person, printed_role = _resolve(q.attribution, q.speaker, cast, language)
    title_key = _title_holder(q.speaker, language, published_on)
    if person is None or person.body:
        _take_stage(cast, person)
        if person is not None:
            body_key = _body_named(person.name, language)
            return replace(q, speaker_name=person.name, entity_key=body_key)
        if title_key is not None:  # "the Russian Defense Minister said", never named
            return replace(q, speaker_role=_bare_title(q.speaker), entity_key=title_key)
        return q
    role = printed_role
    if role is None or (len(role.split()) < 2 and person.role):
        role = person.role
    key = link_speaker(person.name, role, language, published_on)
    if title_key is not None and key is not None and title_key != key:
        # The title names another office than the last speaker holds: its holder spoke.
        return replace(q, speaker_role=_bare_title(q.speaker), entity_key=title_key)
    _take_stage(cast, person)
    return replace(q, speaker_name=person.name, speaker_role=role, entity_key=key)


def _title_holder(printed: str, language: str, published_on: date | None) -> str | None:
    """Who a bare title ("the Russian leader") meant on the day, when it names one office."""
    if published_on is None or printed.lower() in PRONOUNS or not HUMAN_ROLES.search(printed):
        return None
    bare = _THE.sub("", printed.strip())
    if _IN_A_PLACE.match(bare) or DOCUMENT_WORDS.match(bare):
        # "говорится в сообщении пресс-службы губернатора Подмосковья": a text or a body
        # speaks; the title inside it is whose text it is, not who said the words.
        return None
    _, name = split_role_name(printed, language)
    if name is not None:
        return None
    return holder_of(printed, language, published_on)


def _bare_title(printed: str) -> str:
    return _THE.sub("", printed.strip())


def link_speaker(
    name: str | None, role: str | None, language: str, published_on: date | None
) -> str | None:
    """Knowledge-base key of the person or body that spoke, if the base holds them.

    The one place where a speaker meets the entity data. A name decides when there is
    one: a known person, or a body the whole name stands for ("the Russian Foreign
    Ministry"); a name the base does not know links to nothing, whatever its role says,
    since the base's holder of that office may be someone else. Only a speaker the article
    never names is found by title: the holder of "Russian Foreign Minister" that day.
    A minister is never linked to his country.
    """
    if name:
        return resolve_person(name, language) or _body_named(name, language)
    if role and published_on is not None:
        return holder_of(role, language, published_on)
    return None


def _body_named(name: str, language: str) -> str | None:
    """The body a speaker name stands for as a whole ("the Foreign Ministry" of Russia)."""
    bare = _THE.sub("", name.strip())
    kinds = _entity_kinds()
    whole = {
        key
        for key, start, end in matcher(language).spans(bare)
        if kinds.get(key) == "organisation" and start == 0 and end >= len(bare.rstrip("."))
    }
    return whole.pop() if len(whole) == 1 else None
