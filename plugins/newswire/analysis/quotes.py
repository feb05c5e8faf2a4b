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
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher
from functools import cache

from newswire.analysis import russian
from newswire.analysis.entities import (
    holder_of,
    load_dictionary,
    matcher,
    resolve_person,
    strip_dateline,
)

VERBS_EN = (
    "said|says|stated|states|noted|notes|stressed|stresses|added|adds|told|explained|remarked|"
    "emphasized|emphasised|pointed out|concluded|continued|argued|recalled|reported|wrote|"
    "declared|underlined|underscored|insisted|warned|announced|observed|specified|urged|"
    "went on|commented|replied|answered|clarified|admitted|acknowledged|asserted|claimed|"
    "maintained|highlighted|believes|believed|reiterated|confirmed|summed up|complained|"
    "adding|noting|stressing|saying"
)
_RU_PAST = (
    "сказал|заявил|отметил|подчеркнул|добавил|сообщил|пояснил|указал|уточнил|заключил|"
    "напомнил|констатировал|рассказал|признал|предупредил|ответил|призвал|написал|"
    "резюмировал|продолжил|заверил|подытожил|прокомментировал|объяснил|заметил|посетовал|"
    "акцентировал|объявил|проинформировал|отмечал|говорил|подчеркивал|заявлял|рассказывал|"
    "добавлял|пояснял|указывал|писал"
)
VERBS_RU = (
    rf"(?:{_RU_PAST})(?:а|и)?|считает|считают|полагает|говорит|отмечает|отмечают|"
    r"подчеркивает|заявляет|сообщает|поясняет|пишет|рассуждает|добавляет|заключает|"
    r"говорится|отмечается|уточняется|сообщается|отмечено|сказано|цитирует|приводит|"
    r"советует|призывает|объясняет|напоминает|констатирует|уверяет|признается|делится"
)
VERB = rf"(?:{VERBS_EN}|{VERBS_RU})"
VERB_RE = re.compile(rf"(?<![\w-])(?:{VERB})(?![\w-])")
PAIRS = {"“": "”", "«": "»", "„": "“"}
PRONOUNS = {"he", "she", "they", "it", "он", "она", "они"}
PERSON_PRONOUNS = {"he", "she", "он", "она"}
DASH = r"[-—–]"
_NAME_TOKEN = r"[A-ZА-ЯЁ][\w’'\-.]*"
# A description that means a person already on stage ("the Russian leader", "глава края").
HUMAN_ROLES = re.compile(
    r"\b(?:leader|president|minister|diplomat|ambassador|envoy|head of state|spokes\w*|"
    r"chairman|chairwoman|premier|secretary|official|aide|lawmaker|governor|mayor|chief|"
    r"director|deputy|speaker|senator|politician|commander|general|ombudsman|"
    r"глав\w*|президент\w*|министр\w*|дипломат\w*|посол|посла|премьер\w*|губернатор\w*|"
    r"пресс-секретар\w*|мэр\w*|спикер\w*|председател\w*|руководител\w*|директор\w*|"
    r"замминистр\w*|депутат\w*|сенатор\w*|лидер\w*|омбудсмен\w*|вице-\w+)\b",
    re.IGNORECASE,
)
# A body as speaker ("the ministry said", "отметили в пресс-службе").
BODY_WORDS = re.compile(
    r"\b(?:ministry|agency|committee|commission|service|office|embassy|department|"
    r"government|council|kremlin|diplomats|press office|headquarters|"
    r"министерств\w*|ведомств\w*|МИД\w*|МВД|пресс-служб\w*|пресс-центр\w*|посольств\w*|"
    r"правительств\w*|комитет\w*|служб\w*|Кремл\w*|штаб\w*|администраци\w*|минобороны|"
    r"(?-i:Мин[а-яё]+|Рос[а-яё]+)|управлени\w*|агентств\w*|компани\w*|ЦБ|Банк\w* России)\b",
    re.IGNORECASE,
)
# A text as speaker: it speaks for nobody the article names.
DOCUMENT_WORDS = re.compile(
    r"\b(?:statement|document|communique|report|сообщени\w*|заявлени\w*|документ\w*|"
    r"записк\w*|указ\w*|постановлени\w*|доклад\w*|исследовани\w*|текст\w*|материал\w*)\b",
    re.IGNORECASE,
)
# Nobody in particular: these never take the last speaker's name.
UNNAMED = re.compile(
    r"\b(?:source|sources|expert|experts|witness|witnesses|observers|analysts|"
    r"собеседни\w*|источник\w*|эксперт\w*|очевид\w*|аналитик\w*|представител\w*)\b",
    re.IGNORECASE,
)
# Capitalised words that belong to a title, not to a name ("Russian Ambassador at Large").
TITLE_WORDS = {
    "president", "vice", "prime", "minister", "ministry", "foreign", "deputy", "ambassador",
    "envoy", "special", "large", "speaker", "state", "duma", "kremlin", "aide", "spokesman",
    "spokeswoman", "spokesperson", "secretary", "general", "chairman", "chairwoman", "chief",
    "head", "director", "governor", "mayor", "senator", "premier", "emergencies", "defense",
    "defence", "finance", "economic", "development", "affairs", "interior", "justice", "health",
    "energy", "trade", "industry", "culture", "agriculture", "transport", "press",
    "presidential", "permanent", "representative", "commissioner", "commander", "admiral",
    "marshal", "colonel", "lieutenant", "major", "leader", "supreme", "chairperson", "council",
    "security", "federation", "federal", "assembly", "upper", "house", "lower", "parliament",
    "party", "central", "committee", "executive", "officer", "ceo", "director-general",
    "secretary-general", "first", "acting", "former", "ex", "comrade", "mr", "mrs", "ms", "dr",
    "un", "u.n.", "eu", "us", "u.s."
}
# Capitalised at the start of a sentence, never a name.
STOP_WORDS = {
    "the", "this", "that", "these", "those", "however", "but", "and", "in", "on", "at",
    "according", "also", "meanwhile", "earlier", "later", "there", "it", "he", "she", "they",
    "we", "i", "our", "his", "her", "its", "their", "after", "before", "when", "while", "as",
    "if", "so", "then", "for", "with", "from", "by", "such", "now", "today", "yesterday",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
}
# Attribution right after a closing quote: `, he said` / `, said Lavrov` / `, — заявил Путин`.
AFTER_SPEAKER_VERB = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?(?P<speaker>[^\"“”«».!?;]{{1,140}}?)\s+"
    rf"(?:has\s+|had\s+|also\s+)?{VERB}(?![\w-])"
)
AFTER_VERB_SPEAKER = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?(?:(?:как|as)\s+)?(?:{VERB})(?![\w-])\s+(?P<speaker>[^“”«».!?;:]{{1,320}})"
)
# Attribution right before an opening quote: `X said that "` / `Путин заявил: «` / `По словам X, "`.
BEFORE = re.compile(
    rf"(?P<speaker>[^.!?;:\"“”«»]{{1,140}}?)\s+(?:has\s+|had\s+|also\s+)?{VERB}"
    r"(?:\s+(?:ТАСС|TASS|reporters|журналистам))?"
    # `adding that from January 1, 2025, "…"`: a short lead-in may open the that-clause
    r"(?:\s+that(?:\s+[^.!?;:\"“”«»]{1,50}?,)?|,?\s+что(?:\s+[^.!?;:\"“”«»]{1,50}?,)?)?"
    r"\s*[:,]?\s*$"
)
ACCORDING_BEFORE = re.compile(
    r"(?:according to|по словам|как (?:отметил|заявил|сказал|уточнил|подчеркнул)\w*)\s+"
    r"(?P<speaker>[^.!?;:,\"“”«»]{1,80}?)\s*,\s*$",
    re.IGNORECASE,
)
# `"…, - заявил глава государства. - …"`: the attribution printed inside the quotation.
EMBEDDED = re.compile(
    rf",\s+{DASH}\s+(?P<verb>{VERB})\s+(?P<speaker>[^.\"“”«»]{{1,160}}?)\.\s+{DASH}\s+"
)
SENTENCE_END = re.compile(r"[.!?]\s*$")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“«A-ZА-ЯЁ])")
AUX = re.compile(r"\s+(?:has|had|have|also|has also|had also|will|would|then|тоже|также)$")
# Words after a Russian speaker that are no longer the speaker ("Песков журналистам").
RU_STOP_AFTER = {
    "журналистам", "агентству", "корреспонденту", "изданию", "газете", "телеканалу", "радио",
    "в", "во", "на", "при", "после", "по", "для", "перед", "сегодня", "вчера", "ранее",
    "отметив", "добавив", "подчеркнув", "отвечая", "комментируя", "который", "которая",
    "выступая", "ссылаясь", "уточнив", "указав", "сославшись",
}
RU_NOT_SUBJECT = {
    "что", "о", "об", "с", "со", "к", "из", "за", "у", "и", "а", "но", "это", "этом", "том",
    "как", "же", "ли", "не", "уже", "также", "тоже", "решение", "меры", "его", "ее", "их",
}
ROLE_CONNECTORS = {"of", "to", "at", "for", "in", "the", "on"}


@cache
def _entity_kinds() -> dict[str, str]:
    """entities.key -> kind, from the dictionary loaded once."""
    return {e.key: e.kind for e in load_dictionary()[0]}


@dataclass(frozen=True)
class Quote:
    """One direct quotation: the speaker as printed and the person or body behind it."""

    speaker: str
    text: str
    paragraph: int
    speaker_name: str | None = None
    speaker_role: str | None = None
    entity_key: str | None = None
    attribution: str = field(default="", compare=False, repr=False)
    offset: int = field(default=0, compare=False, repr=False)


@dataclass
class Person:
    """Someone (or some body) the article names: the fullest name and role printed."""

    name: str
    role: str | None = None
    body: bool = False
    spoke: int = 0


# ----------------------------------------------------------------------------- finding


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


def quoted_spans(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) of each top-level quotation, quote marks included.

    Straight quotes nest in Russian copy ("... авиакомпания "Белавиа" подставила ..."),
    so each one is read as opening or closing from the characters around it.
    """
    spans: list[tuple[int, int]] = []
    stack: list[str] = []
    start = 0
    shared_close = -1  # a closer that may end an inner and the outer quotation at once
    for i, ch in enumerate(paragraph):
        if ch == '"':
            kind = _straight_kind(paragraph, i)
            closing = stack and stack[-1] == '"' and (
                kind == "close" or (kind == "either" and len(stack) == 1)
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


WEEKDAYS = r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
RU_LEAD_ADVERBIAL = re.compile(
    rf"^(?:(?:ТАСС|журналистам|агентству|корреспонденту\s+ТАСС|сегодня|вчера|ранее|также|"
    rf"в\s+{WEEKDAYS}|во\s+{WEEKDAYS}|в\s+(?:Twitter|Telegram|Instagram|Facebook)|"
    r"в\s+интервью\s+\S+|в\s+сво(?:ем|ём|их)\s+\S+|об?\s+сво(?:ей|ем|ём|их)\s+\S+)\s+)+",
    re.IGNORECASE,
)
RU_KEEP_INSIDE = {"по", "при", "для"}  # "управление ... по Владимирской области"


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
    clauses = text.split(",")
    words = clauses[0].split()
    # "кандидат наук, доцент университета Лариса Овчаренко": titles may run over commas
    # up to the name; after the name a comma ends the speaker ("…, слова которого …").
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
    strengths = [russian.name_strength(w) for w in words]

    def is_name(i: int) -> bool:
        beside = (i > 0 and strengths[i - 1] == 2) or (
            i + 1 < len(words) and strengths[i + 1] == 2
        )
        return strengths[i] == 2 or (strengths[i] == 1 and beside)

    governed_by = {"имени", "с", "со", "к", "о", "об", "для", "от", "у", "без", "между"}
    runs = [
        i for i in range(len(words))
        if is_name(i) and not (i > 0 and is_name(i - 1))
        and not (i > 0 and words[i - 1].lower() in governed_by)
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


def _ru_role_after(raw: str, printed: str) -> str | None:
    """"Алехандро Перез-Рамос (Alejandro Perez-Ramos), палеоэколог из университета
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


def _clean_speaker(raw: str) -> tuple[str, str] | None:
    """(speaker as printed, whole attribution phrase), or None when it is nobody."""
    phrase = raw.strip().strip(",").strip()
    phrase = AUX.sub("", phrase).strip()
    phrase = re.sub(r"^(?:and|but|while|as|и|а|но|как)\s+", "", phrase)
    phrase = re.sub(rf"\s+(?:{VERB}),?$", "", phrase)  # "Ushakov said, adding that …"
    if not phrase or len(phrase.split()) > 30 or re.search(r"[.!?]\s+\S", phrase):
        return None
    if not re.search(r"\w", phrase):
        return None
    speaker = re.sub(r"^(?:(?:его|ее|её)\s+слова|по словам)\s+", "", phrase)
    # "Andrei Kulik, director of the ministry's first Asia department": the name is enough.
    head = speaker.split(",")[0].strip()
    if head and head[0].isupper() and len(head.split()) <= 6:
        speaker = head
    low = speaker.lower()
    if len(speaker.split()) > 30 or low in {"who", "which", "that", "который", "что"}:
        return None
    if re.match(r"^(?:tass|тасс|reporters|журналистам)$", low):
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
            raw = re.split(r"\s+(?:in|at|on|during|after|when|while|to)\s+", raw)[0]
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
            not lead or lead.endswith((".", "!", "?", ":", "…", "-", "—", "–"))
            or (n > 0 and not lead and _inner(paragraph, spans[n - 1]).endswith((".", "!", "?")))
        )
        if ends_open and opens_sentence:
            found = _after_quote(after)
        # `X said that "…"` / `X: "…"`: the quotation must end the sentence, or it is a
        # fragment inside reported speech (`warned that "not all actions" of the police`).
        ends_sentence = not after.strip() or after.lstrip()[:1] in {".", "!", "?", ";", ""}
        if found is None and ends_sentence:
            m = BEFORE.search(before)
            if m:
                found = _clean_speaker(_noun_phrase_before(m.group("speaker")))
            else:
                m = ACCORDING_BEFORE.search(before)
                if m and ends_sentence:
                    governed = m.group(0).lower().startswith("по словам")
                    found = _clean_speaker(("по словам " if governed else "") + m.group("speaker"))
        embedded = EMBEDDED.search(inner)
        if found is None and embedded:
            raw = embedded.group("speaker")
            found = _clean_speaker(_ru_speaker_after_verb(raw) if russian.is_russian(raw) else raw)
        # `"…," he said. "…"`: only the attribution sentence stands between them.
        if (
            found is None
            and previous
            and quotes
            and SENTENCE_END.search(before)
            and VERB_RE.search(before)
            and len(re.findall(r"[.!?](?:\s|$)", before.strip())) <= 1
            and not re.search(r"[\"“«]", before)
        ):
            found = previous
        if found and len(inner.split()) >= 2:
            quotes.append(
                Quote(speaker=found[0], text=inner, paragraph=index, attribution=found[1],
                      offset=span[0])
            )
            previous = found
        else:
            previous = None
        previous_end = span[1]
    return quotes


# ----------------------------------------------------------------------- names and roles


def _is_name_word(word: str, language: str) -> bool:
    w = word.strip(",.;:()[]")
    if language == "ru" and russian.is_russian(w):
        return russian.name_strength(w) > 0
    if not w or not w[0].isupper() or w.lower() in TITLE_WORDS or w.lower() in STOP_WORDS:
        return False
    letters = [c for c in w if c.isalpha()]
    if language == "ru" or (letters and all(c.isupper() for c in letters)):
        return False  # Latin words in Russian copy are brands; DPRK is no name
    return not re.search(r"[’']s$", w)  # Russia's


def _name_span(words: Sequence[str], language: str) -> tuple[int, int] | None:
    """(start, end) of the last person's name among ``words``."""
    kinds = _entity_kinds()
    places = {s for k, s in matcher(language).find(" ".join(words)) if kinds.get(k) != "person"}
    place_words = {w for s in places for w in s.split()}
    strong = [
        language != "ru" or russian.name_strength(w.strip(",.;:")) == 2 for w in words
    ]
    end = len(words)
    while end > 0 and not (_is_name_word(words[end - 1], language)):
        end -= 1
    start = end
    while (
        start > 0
        and _is_name_word(words[start - 1], language)
        and words[start - 1] not in place_words
    ):
        start -= 1
    if start == end:
        return None
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
    return len(first) <= 4 or bool(re.search(r"(?:вич|вна|ична|vich|vna)$", middle))


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
        verbs = [i for i, w in enumerate(clause) if VERB_RE.fullmatch(w.strip(",").lower())
                 or russian.is_verb(w)]
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
            while start > 0 and russian.is_adjective(kept[start - 1]) and not kept[
                start - 1
            ].endswith(","):
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
            rest = re.sub(r"^\s*\([^)]*\)", "", " ".join(words[end:]))
            if appositive:
                rest = rest + "," + appositive
            after = rest.lstrip(" ,").split(",")[0].split() if rest.lstrip().startswith(",") or (
                words[end - 1].endswith(",")
            ) else []
            if after and russian.is_role_word(after[0]):
                role = " ".join(after)
        role = russian.nominative_role(role.split()) if role else None
        return role, name
    main, _, appositive = phrase.partition(",")
    role_after = re.sub(r"^(?:the|a|an)\s+", "", appositive.strip().strip(",")) or None
    words = main.split()
    span = _name_span(words, language)
    if span is None:
        return None, None
    start, end = span
    name = " ".join(w.strip(",.;:") for w in words[start:end] if w.strip(",.;:"))
    if not name or name.lower() in PRONOUNS:
        return None, None
    role = re.sub(r"^(?:the|a|an)\s+", "", " ".join(words[:start])).strip() or None
    if role_after:
        role = role_after if role is None else f"{role}, {role_after}"
    return role, name


def _same_word(a: str, b: str) -> bool:
    """Surnames match across Russian case endings and one-letter typos."""
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


class Cast:
    """Everyone the article names outside quotations, and who spoke last."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.last_person: Person | None = None
        self.last_body: Person | None = None

    def speaker_or_named(self) -> Person | None:
        """The person last named as speaking; before anyone spoke, the last person named."""
        if self.last_person is not None:
            return self.last_person
        return next((p for p in reversed(self.people) if not p.body), None)

    def find(self, name: str) -> Person | None:
        """The person whose name ends like ``name`` (surname, or the whole name); of two
        namesakes, the one who has spoken, else the one named last."""
        tokens = name.split()
        matches = []
        for person in reversed(self.people):
            if person.body:
                continue
            theirs = person.name.split()
            # the surname, and the first name if given: "Тедрос Гебрейесус" is "Тедрос
            # Аданом Гебрейесус"
            if len(tokens) <= len(theirs) and _same_word(tokens[-1], theirs[-1]) and (
                len(tokens) == 1 or all(
                    _same_word(t, o) for t, o in zip(tokens[:-1], theirs[:-1], strict=False)
                )
            ):
                matches.append(person)
        exact = [p for p in matches if p.name.split()[-1].lower() == tokens[-1].lower()]
        speakers = [p for p in exact or matches if p.spoke]
        if len(tokens) == 1 and speakers:
            return speakers[0]
        if exact:
            return exact[0]
        return matches[0] if matches else None

    def introduce(self, name: str, role: str | None) -> Person:
        """Record a name as printed; keep the fullest form and the fullest role."""
        person = self.find(name)
        if person is None and len(name.split()) == 1:
            # "Ambassador Kim" after "Kim Hyun Joong": the first token may be the surname.
            person = next(
                (p for p in reversed(self.people)
                 if not p.body and _same_word(name, p.name.split()[0])),
                None,
            )
        if person is None:
            person = Person(name=name, role=role)
            self.people.append(person)
            return person
        if len(name.split()) > len(person.name.split()):
            person.name = name
        if role and (person.role is None or len(role.split()) > len(person.role.split())):
            person.role = role
        return person

    def body(self, name: str) -> Person:
        for person in reversed(self.people):
            if person.body and person.name.lower() == name.lower():
                return person
        person = Person(name=name, body=True)
        self.people.append(person)
        return person

    def last_body_like(self, word: str) -> Person | None:
        """"the ministry": the body that spoke last, else the last one named like it."""
        if self.last_body is not None:
            return self.last_body
        stem = word.lower()[:6]
        for person in reversed(self.people):
            if person.body and stem in person.name.lower():
                return person
        return self.last_body


def _body_name(printed: str, language: str) -> str:
    """The body's name in the nominative without articles ("в МВД" -> "МВД")."""
    if language == "ru":
        words = printed.split()
        # "агентство Argus Media": the proper name alone
        if len(words) > 1 and not russian.is_russian(" ".join(words[1:])):
            return " ".join(words[1:])
        return russian.nominative_phrase(words)
    return re.sub(r"^(?:the|a|an)\s+", "", printed.strip(), flags=re.IGNORECASE)


def _resolve(
    phrase: str, printed: str, cast: Cast, language: str
) -> tuple[Person | None, str | None]:
    """Who an attribution means, and the role printed in it (if any)."""
    low = printed.lower().strip()
    if low in PERSON_PRONOUNS:
        return cast.speaker_or_named(), None
    if low in {"it", "they", "они"}:
        return cast.last_body or (cast.last_person if low == "they" else None), None
    if re.match(r"^(?:его|ее|её)\s+слова\b", phrase):
        return cast.speaker_or_named(), None
    words = printed.split()
    if len(words) == 1 and words[0][:1].isupper():
        known = cast.find(words[0].strip(",."))
        if known is not None:
            return known, None
    if DOCUMENT_WORDS.match(re.sub(r"^(?:в|во|the|a|an)\s+", "", low)):
        return None, None  # "говорится в указе Собянина": a text, not Собянин speaking
    role, name = split_role_name(phrase, language)
    if name is not None and not (BODY_WORDS.search(name) or DOCUMENT_WORDS.search(name)):
        if len(name.split()) == 1 and cast.find(name) is None and language == "ru":
            known_word = russian.name_strength(name) == 2 or bool(matcher(language).find(name))
            if not known_word:
                name = None
        if name is not None:
            return cast.introduce(name, role), role
    if UNNAMED.search(printed):
        return None, None
    brand = re.match(r"^(?:в|во|на)\s+(?P<name>[A-Z0-9][\w&.\- ]+)$", printed)
    if language == "ru" and brand:
        return cast.body(brand.group("name").strip()), None  # "отметили в X5 Retail Group"
    first = re.sub(r"^(?:the|a|an)\s+", "", low).split()
    human = bool(first) and any(
        HUMAN_ROLES.fullmatch(w) or (language == "ru" and russian.is_role_word(w))
        for w in first[:3]
    ) and not BODY_WORDS.fullmatch(first[0])
    if human and not re.search(r"\b(?:a|an)\b", low):
        return cast.speaker_or_named(), None
    if DOCUMENT_WORDS.search(printed):
        return None, None
    if BODY_WORDS.search(printed):
        body_name = _body_name(printed, language)
        last = body_name.split()[-1] if body_name.split() else ""
        generic = (
            russian.is_generic_body(body_name.split())
            if language == "ru"
            else not last[:1].isupper()
        )
        if generic or body_name.lower() in {"пресс-служба", "пресс-центр", "ведомство"}:
            return cast.last_body_like(last or printed), None
        return cast.body(body_name), None
    if HUMAN_ROLES.search(printed) and not re.search(r"\b(?:a|an)\b", low):
        return cast.speaker_or_named(), None
    return None, None


# ------------------------------------------------------------------- reading an article


GLUED_SENTENCE = re.compile(r"(?<=[a-zа-яё])\.(?=[A-ZА-ЯЁ])")


def _mask_quotes(paragraph: str) -> str:
    """The paragraph with the words of every longer quotation blanked out (marks kept):
    names inside quotations are no speakers, but a quoted title ("Спартак") stays."""
    out = list(paragraph)
    for start, end in quoted_spans(paragraph):
        if len(paragraph[start:end].split()) < 3:
            continue
        for i in range(start + 1, end - 1):
            out[i] = " "
    return "".join(out)


NAME_RUN = re.compile(
    rf"{_NAME_TOKEN}(?:\s+(?:at|of|to|in|for|the|and|by|de|van|von|bin|al)?\s*{_NAME_TOKEN})*"
)
INDIRECT_AFTER_EN = re.compile(
    rf"\b(?:{VERBS_EN}|according to)\s+(?P<np>(?:the\s+)?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}"
    r"(?:,[^,.;]{2,90})?)"
)
NP_LEADS = {"the", "a", "an", "director", "head", "spokeswoman", "spokesman", "chief", "deputy"}


def _noun_phrase_before(left: str) -> str:
    """The subject right before a speech verb: the last clause, appositive kept."""
    left = re.split(r"[\"“”«»]", left[-400:].rstrip())[-1]
    left = AUX.sub("", left[-60:]) if len(left) <= 60 else left[:-60] + AUX.sub("", left[-60:])
    parts = [p.strip() for p in re.split(r",\s+", left)]
    tail = parts[-1] if parts else ""
    if len(parts) >= 2 and tail and not tail[0].isupper() and tail.split()[0] in NP_LEADS:
        head = parts[-2]
        run = NAME_RUN.findall(head)
        if run and head.endswith(run[-1]):
            return f"{run[-1]}, {tail}"
    return tail


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


NAME_RUN_2 = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}")
CONTEXT_WORDS = 14  # words before a name searched for its title


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
            if len(tokens) < 2 or BODY_WORDS.search(name) or (
                language == "ru" and sum(russian.is_person_word(t) for t in tokens) == 0
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


def _speaking_events(masked: str, language: str) -> list[tuple[int, str]]:
    """(offset, phrase) of each `X said` / `said X` / `according to X` outside quotations."""
    events: list[tuple[int, str]] = []
    pos = 0
    for sentence in SENTENCE_SPLIT.split(masked):
        start = masked.find(sentence, pos)
        pos = start + len(sentence)
        for m in VERB_RE.finditer(sentence):
            after = sentence[m.end() :]
            if language == "ru":
                subject = _ru_speaker_after_verb(re.split(r"[.;!?:«»]", after)[0])
                words = subject.split()
                named = bool(words) and _name_span(words, language) is not None
                body = bool(words) and bool(BODY_WORDS.search(subject)) and not (
                    DOCUMENT_WORDS.search(subject)
                )
                if (named or body) and not ({w.lower() for w in words[:1]} & RU_NOT_SUBJECT):
                    events.append((start + m.end(), subject))
                    continue
            np = _noun_phrase_before(sentence[: m.start()]).strip(" \"“”«»-—–,")
            if language == "ru":
                np = re.sub(r"^(?:Об этом|об этом)\s+", "", np)
            if np and len(np.split()) <= 12:
                events.append((start + m.start(), np))
        if language == "ru":
            for m in re.finditer(r"[Пп]о (?:его |ее )?словам\s+(?P<np>[^,.;]{2,80})", sentence):
                events.append((start + m.start("np"), "по словам " + m.group("np")))
        else:
            for m in INDIRECT_AFTER_EN.finditer(sentence):
                events.append((start + m.start("np"), m.group("np")))
    events.sort()
    return events


def _take_stage(cast: Cast, person: Person | None) -> None:
    if person is None:
        return
    person.spoke += 1
    if person.body:
        cast.last_body = person
    else:
        cast.last_person = person


def article_quotes(
    body: str, language: str = "en", published_on: date | None = None
) -> list[Quote]:
    """Every attributed quotation of an article body, with the person behind each."""
    paragraphs = body.split("\n\n")
    if paragraphs:
        paragraphs[0] = strip_dateline(paragraphs[0])
    cast = Cast()
    out: list[Quote] = []
    for index, paragraph in enumerate(paragraphs):
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
            if one_word and cast.find(printed[0]) is None and not matcher(language).find(
                printed[0]
            ) and not (language == "ru" and russian.is_person_word(printed[0])):
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
    _, name = split_role_name(printed, language)
    if name is not None:
        return None
    return holder_of(printed, language, published_on)


def _bare_title(printed: str) -> str:
    return re.sub(r"^(?:the|The)\s+", "", printed.strip())


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
    bare = re.sub(r"^(?:the|The)\s+", "", name.strip())
    kinds = _entity_kinds()
    whole = {
        key
        for key, start, end in matcher(language).spans(bare)
        if kinds.get(key) == "organisation" and start == 0 and end >= len(bare.rstrip("."))
    }
    return whole.pop() if len(whole) == 1 else None
