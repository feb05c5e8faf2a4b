"""Finding quotations in one paragraph and the attribution printed beside each."""

from __future__ import annotations

import re

from newswire.analysis import russian
from newswire.analysis.quotes.model import Quote
from newswire.analysis.quotes.patterns import (
    ACCORDING_BEFORE,
    AFTER_SPEAKER_VERB,
    AFTER_VERB_SPEAKER,
    AUX,
    BEFORE,
    BEFORE_STOPS,
    EMBEDDED,
    NAME_RUN,
    NP_LEADS,
    PAIRS,
    SENTENCE_END,
    VERB,
    VERB_ANYWHERE,
    VERB_RE,
)
from newswire.analysis.quotes.ru_speaker import _ru_role_after, _ru_speaker_after_verb

# Compiled once: these run for every paragraph and attribution.
_LEADING_CONJUNCTION = re.compile(r"^(?:and|but|while|as|и|а|но|как)\s+")
_TRAILING_VERB = re.compile(rf"\s+(?:{VERB}),?$")
_TWO_SENTENCES = re.compile(r"[.!?]\s+\S")
_WORD_CHAR = re.compile(r"\w")
_RU_WORDS_OF = re.compile(r"^(?:(?:его|ее|её)\s+слова|по словам)\s+")
_AGENCY_ONLY = re.compile(r"^(?:tass|тасс|reporters|журналистам)$")
_EN_CIRCUMSTANCE = re.compile(r"\s+(?:in|at|on|during|after|when|while|to)\s+")
_SENTENCE_MARK = re.compile(r"[.!?](?:\s|$)")
_OPENING_MARK = re.compile(r"[\"“«]")
_ANY_QUOTE_MARK = re.compile(r"[\"“”«»]")
_COMMA = re.compile(r",\s+")


def _straight_kind(text: str, i: int) -> str:
    """Whether a straight double quote at ``i`` opens, closes or could do either."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    opens = (before.isspace() or before in "([{«—-/") and not after.isspace()
    closes = not before.isspace() and (after.isspace() or after in ".,;:!?)]}»-—")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


_QUOTE_MARK = re.compile("[" + re.escape('"' + "".join(PAIRS) + "".join(PAIRS.values())) + "]")


def quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level quotation, quote marks included.

    Straight quotes nest in Russian copy ("... авиакомпания "Белавиа" подставила ..."),
    so each one is read as opening or closing from the characters around it.
    """
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    shared_close = -1  # a closer that may end an inner and the outer quotation at once
    # Only quote marks change the state: visit those, not every character.
    for mark in _QUOTE_MARK.finditer(paragraph):
        i, ch = mark.start(), mark.group()
        if ch == '"':
            kind = _straight_kind(paragraph, i)
            closing = (
                stack
                and stack[-1] == '"'
                and (kind == "close" or (kind == "either" and len(stack) == 1))
            )
            if closing:
                stack.pop()
                if not stack:
                    spans.append((start, i + 1))
                elif stack == ['"']:
                    shared_close = i
            elif kind != "close":
                if not stack:
                    start = i
                    shared_close = -1
                stack.append('"')
        elif ch in PAIRS:
            if not stack:
                start = i
            stack.append(ch)
        elif stack and stack[-1] in PAIRS and ch == PAIRS[stack[-1]]:
            stack.pop()
            if not stack:
                spans.append((start, i + 1))
    if stack == ['"'] and shared_close > start:
        # `"… с помощью "Хаббла", – рассказала …`: straight quotes cannot print the
        # outer closer after the inner one, so one mark ends both.
        spans.append((start, shared_close + 1))
    return spans


def _clean_speaker(raw: str) -> tuple[str, str] | None:
    """(speaker as printed, whole attribution phrase), or None when it is nobody."""
    phrase = raw.strip().strip(",").strip()
    phrase = AUX.sub("", phrase).strip()
    phrase = _LEADING_CONJUNCTION.sub("", phrase)
    phrase = _TRAILING_VERB.sub("", phrase)  # "Ushakov said, adding that …"
    if not phrase or len(phrase.split()) > 30 or _TWO_SENTENCES.search(phrase):
        return None
    if not _WORD_CHAR.search(phrase):
        return None
    speaker = _RU_WORDS_OF.sub("", phrase)
    # "Andrei Kulik, director of the ministry's first Asia department": the name is enough.
    head = speaker.split(",")[0].strip()
    if head and head[0].isupper() and len(head.split()) <= 6:
        speaker = head
    low = speaker.lower()
    if len(speaker.split()) > 30 or low in {"who", "which", "that", "который", "что"}:
        return None
    if _AGENCY_ONLY.match(low):
        return None
    return speaker, phrase


def _inner(paragraph: str, span: tuple[int, int]) -> str:
    text = paragraph[span[0] + 1 : span[1] - 1].strip()
    return text.rstrip(",").rstrip()


def _after_quote(after: str) -> tuple[str, str] | None:
    """The attribution that follows a closing quote, if there is one."""
    m = AFTER_VERB_SPEAKER.match(after)
    if m:
        raw = m.group("speaker")
        if russian.is_russian(raw):
            printed = _ru_speaker_after_verb(raw)
            role_after = _ru_role_after(raw, printed)
            found = _clean_speaker(printed)
            if found and role_after:
                return found[0], f"{found[1]}, {role_after}"
            if found:
                return found
            raw = printed
        else:
            raw = _EN_CIRCUMSTANCE.split(raw)[0]
        found = _clean_speaker(raw)
        if found:
            return found
    m = AFTER_SPEAKER_VERB.match(after)
    if m:
        return _clean_speaker(m.group("speaker"))
    return None


def paragraph_quotes(paragraph: str, index: int = 0) -> list[Quote]:
    """Attributed quotations of one paragraph, in order (speaker as printed only)."""
    # One-word quotations are titles ("Спартака"): part of the text around them.
    spans = [s for s in quoted_spans(paragraph) if len(_inner(paragraph, s).split()) >= 2]
    quotes: list[Quote] = []
    previous: tuple[str, str] | None = None
    previous_end = 0
    for n, span in enumerate(spans):
        inner = _inner(paragraph, span)
        following_end = spans[n + 1][0] if n + 1 < len(spans) else len(paragraph)
        after = paragraph[span[1] : following_end]
        before = paragraph[previous_end : span[0]]
        found = _attribution(paragraph, spans, n, before, after)
        # `"…," he said. "…"`: only the attribution sentence stands between them.
        if found is None and previous and quotes and _only_attribution_between(before):
            found = previous
        if found and len(inner.split()) >= 2:
            quotes.append(
                Quote(
                    speaker=found[0],
                    text=inner,
                    paragraph=index,
                    attribution=found[1],
                    offset=span[0],
                )
            )
            previous = found
        else:
            previous = None
        previous_end = span[1]
    return quotes


def _attribution(
    paragraph: str, spans: list[tuple[int, int]], n: int, before: str, after: str
) -> tuple[str, str] | None:
    """The attribution of quotation ``n``: after it, before it, or printed inside it."""
    span = spans[n]
    inner = _inner(paragraph, span)
    found: tuple[str, str] | None = None
    ends_open = (
        inner.endswith(("?", "!", "…"))
        or paragraph[span[1] - 2] in ",?!"
        or after.lstrip().startswith((",", "-", "—", "–"))
    )
    # A quotation attributed after it must open its sentence: one that continues
    # the sentence ("…could fall 3-5% "in a moderate scenario", Kudrin believes")
    # is a fragment of reported speech.
    lead = before.rstrip()
    opens_sentence = (
        not lead
        or lead.endswith((".", "!", "?", ":", "…", "-", "—", "–"))
        or (n > 0 and not lead and _inner(paragraph, spans[n - 1]).endswith((".", "!", "?")))
    )
    if ends_open and opens_sentence:
        found = _after_quote(after)
    # `X said that "…"` / `X: "…"`: the quotation must end the sentence, or it is a
    # fragment inside reported speech (`warned that "not all actions" of the police`).
    ends_sentence = not after.strip() or after.lstrip()[:1] in {".", "!", "?", ";", ""}
    if found is None and ends_sentence:
        found = _before_quote(before)
    embedded = EMBEDDED.search(inner)
    if found is None and embedded:
        raw = embedded.group("speaker")
        found = _clean_speaker(_ru_speaker_after_verb(raw) if russian.is_russian(raw) else raw)
    return found


def _before_quote(before: str) -> tuple[str, str] | None:
    """The attribution that leads into an opening quote (`X said that "`, `По словам X, "`)."""
    m = _before_match(before)
    if m:
        return _clean_speaker(_noun_phrase_before(m.group("speaker")))
    m = ACCORDING_BEFORE.search(before)
    if m:
        governed = m.group(0).lower().startswith("по словам")
        return _clean_speaker(("по словам " if governed else "") + m.group("speaker"))
    return None


def _before_match(before: str) -> re.Match[str] | None:
    """``BEFORE.search(before)``, tried only where a match can start.

    BEFORE's match runs to the end of the text and holds no sentence mark or quote mark
    but a colon at its very end; so it starts after the last such mark, and it holds a
    speech verb. Searching from there gives the same match without trying every
    position of a long paragraph (each try costs the whole verb list)."""
    end = len(before.rstrip())
    if end and before[end - 1] == ":":
        end -= 1
    start = max(before.rfind(c, 0, end) for c in BEFORE_STOPS) + 1
    if not VERB_ANYWHERE.search(before, start):
        return None
    return BEFORE.search(before, start)


def _only_attribution_between(before: str) -> bool:
    """Whether the text between two quotations is one sentence with a speech verb."""
    return bool(
        SENTENCE_END.search(before)
        and VERB_RE.search(before)
        and len(_SENTENCE_MARK.findall(before.strip())) <= 1
        and not _OPENING_MARK.search(before)
    )


def _mask_quotes(paragraph: str) -> str:
    """The paragraph with the words of every longer quotation blanked out (marks kept):
    names inside quotations are no speakers, but a quoted title ("Спартак") stays."""
    out, done = [], 0
    for start, end in quoted_spans(paragraph):
        if len(paragraph[start:end].split()) < 3 or end - 1 <= done:
            continue
        first = max(start + 1, done)
        out += [paragraph[done:first], " " * (end - 1 - first)]
        done = end - 1
    return "".join(out) + paragraph[done:]


def _noun_phrase_before(left: str) -> str:
    """The subject right before a speech verb: the last clause, appositive kept."""
    left = _ANY_QUOTE_MARK.split(left[-400:].rstrip())[-1]
    left = AUX.sub("", left[-60:]) if len(left) <= 60 else left[:-60] + AUX.sub("", left[-60:])
    parts = [p.strip() for p in _COMMA.split(left)]
    tail = parts[-1] if parts else ""
    if len(parts) >= 2 and tail and not tail[0].isupper() and tail.split()[0] in NP_LEADS:
        head = parts[-2]
        run = NAME_RUN.findall(head)
        if run and head.endswith(run[-1]):
            return f"{run[-1]}, {tail}"
    return tail
