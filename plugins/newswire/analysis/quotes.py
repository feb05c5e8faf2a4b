"""Direct quotations and who said them, as TASS prints them.

Handled shapes (English and Russian wire style):
  "…," he said.            "…," Ambassador Kim said.      "…," said Lavrov.
  X said that "…"          X said: "…"                    «…», — заявил Путин.
  "…," he said. "…"        (the second quotation continues the same speaker)
A quotation with no speech verb next to it (a scare quote, a quoted title, a
sentence fragment inside reported speech) is not a quote of anyone and is skipped.
The speaker is kept as printed; `resolve_speakers` links it to a tracked entity.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from newswire.analysis.entities import load_dictionary, matcher, strip_dateline

VERBS_EN = (
    "said|says|stated|noted|stressed|added|told|explained|remarked|emphasized|emphasised|"
    "pointed out|concluded|continued|argued|recalled|reported|wrote|declared|underlined|"
    "underscored|insisted|warned|announced|observed|specified|urged|went on|commented|"
    "replied|answered|clarified|admitted|acknowledged|asserted|claimed|maintained|"
    "highlighted|believes|believed|reiterated|confirmed"
)
VERBS_RU = (
    "сказал|сказала|сказали|заявил|заявила|заявили|отметил|отметила|отметили|подчеркнул|"
    "подчеркнула|добавил|добавила|сообщил|сообщила|сообщили|пояснил|пояснила|указал|указала|"
    "уточнил|уточнила|заключил|заключила|считает|напомнил|напомнила|констатировал"
)
VERB = rf"(?:{VERBS_EN}|{VERBS_RU})"
PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“"}
PRONOUNS = {"he", "she", "they", "it", "он", "она", "они"}
HUMAN_ROLES = re.compile(
    r"\b(?:leader|president|minister|diplomat|ambassador|envoy|head of state|spokes\w*|"
    r"chairman|premier|secretary|official|aide|he|she|глава|президент|министр|дипломат|"
    r"посол|он|она)\b",
    re.IGNORECASE,
)
DASH = r"[-—–]"
# Attribution right after a closing quote: `, he said` / `, said Lavrov` / `, — заявил Путин`.
AFTER_SPEAKER_VERB = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?(?P<speaker>[^\"“”«».!?;]{{1,110}}?)\s+{VERB}\b"
)
AFTER_VERB_SPEAKER = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?{VERB}\s+"
    r"(?P<speaker>(?:[A-ZА-ЯЁ][\w’'\-.]*\s+){0,4}[A-ZА-ЯЁ][\w’'\-]*|он|она|они)"
)
# Attribution right before an opening quote: `X said that "` / `Путин заявил: «`.
BEFORE = re.compile(rf"(?P<speaker>[^.!?;:,\"“”«»]{{1,80}}?)\s+{VERB}(?:\s+that)?\s*[:,]?\s*$")
SENTENCE_END = re.compile(r"[.!?]\s*$")


@dataclass(frozen=True)
class Quote:
    speaker: str
    text: str
    paragraph: int
    entity_key: str | None = None


def quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level quotation, quote marks included."""
    spans = []
    i = 0
    while i < len(paragraph):
        opener = paragraph[i]
        closer = PAIRS.get(opener)
        if closer is None:
            i += 1
            continue
        depth, j = 1, i + 1
        while j < len(paragraph):
            ch = paragraph[j]
            if ch == closer and (closer != opener or depth == 1):
                depth -= 1
                if depth == 0:
                    break
            elif ch == opener and closer != opener:
                depth += 1
            j += 1
        if j >= len(paragraph):
            break  # unbalanced: trust nothing after it
        spans.append((i, j + 1))
        i = j + 1
    return spans


def _clean_speaker(raw: str) -> str | None:
    speaker = raw.strip().strip(",").strip()
    # "Andrei Kulik, director of the ministry's first Asia department": the name is enough.
    head = speaker.split(",")[0].strip()
    if head and head[0].isupper() and len(head.split()) <= 5:
        speaker = head
    if not speaker or len(speaker.split()) > 10 or re.search(r"[.!?]\s+\S", speaker):
        return None
    if speaker.lower() in {"who", "which", "that"}:
        return None
    return speaker


def _inner(paragraph: str, span: tuple[int, int]) -> str:
    text = paragraph[span[0] + 1 : span[1] - 1].strip()
    return text.rstrip(",").rstrip()


def paragraph_quotes(paragraph: str, index: int = 0) -> list[Quote]:
    """Attributed quotations of one paragraph, in order."""
    spans = quoted_spans(paragraph)
    quotes: list[Quote] = []
    previous_speaker: str | None = None
    previous_end = 0
    for n, span in enumerate(spans):
        inner = _inner(paragraph, span)
        following_end = spans[n + 1][0] if n + 1 < len(spans) else len(paragraph)
        after = paragraph[span[1] : following_end]
        before = paragraph[previous_end : span[0]]
        speaker = None
        ends_open = (
            inner.endswith(("?", "!", "…"))
            or paragraph[span[1] - 2] in ",?!"
            or (after.lstrip().startswith(","))
        )
        if ends_open:
            m = AFTER_VERB_SPEAKER.match(after) or AFTER_SPEAKER_VERB.match(after)
            if m:
                speaker = _clean_speaker(m.group("speaker"))
        if speaker is None:
            m = BEFORE.search(before)
            if m:
                speaker = _clean_speaker(m.group("speaker"))
        # `"…," he said. "…"`: only the attribution sentence stands between them.
        if (
            speaker is None
            and previous_speaker
            and quotes
            and SENTENCE_END.search(before)
            and re.search(rf"\b{VERB}\b", before)
            and not re.search(r"[\"“«]", before)
        ):
            speaker = previous_speaker
        if speaker and len(inner.split()) >= 2:
            quotes.append(Quote(speaker=speaker, text=inner, paragraph=index))
            previous_speaker = speaker
        else:
            previous_speaker = None
        previous_end = span[1]
    return quotes


def article_quotes(body: str, language: str = "en") -> list[Quote]:
    """Every attributed quotation of an article body, speakers resolved where possible."""
    paragraphs = body.split("\n\n")
    if paragraphs:
        paragraphs[0] = strip_dateline(paragraphs[0])
    found = [q for i, p in enumerate(paragraphs) for q in paragraph_quotes(p, i)]
    return resolve_speakers(found, paragraphs, language)


def resolve_speakers(
    quotes: Sequence[Quote], paragraphs: Sequence[str], language: str
) -> list[Quote]:
    """Link each speaker to an entity: a named person; for "he"/"the Russian leader" the
    person last named before the quote; for "the Russian Foreign Ministry" the country."""
    entities = {e.key: e for e in load_dictionary()[0]}
    m = matcher(language)
    resolved = []
    for q in quotes:
        in_speaker = [key for key, _ in m.find(q.speaker)]
        persons = [k for k in in_speaker if entities[k].kind == "person"]
        key: str | None = persons[0] if persons else None
        described = q.speaker.lower() in PRONOUNS or (
            q.speaker.lower().startswith("the ") and HUMAN_ROLES.search(q.speaker)
        )
        if key is None and described:
            key = _last_person_before(paragraphs, q.paragraph, m, entities)
        if key is None and in_speaker and q.speaker.lower() not in PRONOUNS:
            key = in_speaker[0]
        resolved.append(Quote(q.speaker, q.text, q.paragraph, key))
    return resolved


def _last_person_before(paragraphs: Sequence[str], upto: int, m, entities) -> str | None:
    # Paragraphs before the quote's own: a name later in the same paragraph is often the
    # subject of the quotation, not its speaker.
    for i in range(upto - 1, -1, -1):
        people = [k for k, _ in m.find(paragraphs[i]) if entities[k].kind == "person"]
        if people:
            return people[-1]
    return None
