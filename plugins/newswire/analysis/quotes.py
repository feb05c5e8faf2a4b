"""Direct quotations, who said them, and the person behind "he" or "the ambassador".

Handled shapes (English and Russian wire style):
  "…," he said.            "…," Ambassador Kim said.      "…," said Lavrov.
  X said that "…"          X said: "…"                    «…», — заявил Путин.
  "…," he said. "…"        (the second quotation continues the same speaker)
  "…", - отметил глава МИД РФ Сергей Лавров.              По словам Лаврова, "…"
A quotation with no speech verb next to it (a scare quote, a quoted title, a
sentence fragment inside reported speech) is not a quote of anyone and is skipped.

Each quote keeps the speaker as printed and gets the person behind it: the article is
read in order, every attribution ("…, Russian Ambassador at Large Oleg Burmistrov
said.") makes its subject the current speaker, and a pronoun or a bare title goes to the
person last named *as speaking*. Names that only occur inside quotations never become
speakers. Roles ("DPRK ambassador in Moscow") come from where the article prints them
next to the person's name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher

from newswire.analysis.entities import load_dictionary, matcher, strip_dateline

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
    "резюмировал|продолжил|заверил|подытожил|прокомментировал|объяснил|выразил|"
    "поделился|заметил|посетовал|высказал|оценил|акцентировал|обратил внимание|"
    "сообщила пресс-служба|цитирует"
)
VERBS_RU = (
    rf"(?:{_RU_PAST})(?:а|и|о)?|считает|считают|полагает|говорит|отмечает|подчеркивает|"
    r"заявляет|сообщает|поясняет|пишет|уверен|уверена|убежден|убеждена|говорится|сказано"
)
VERB = rf"(?:{VERBS_EN}|{VERBS_RU})"
PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“"}
PRONOUNS = {"he", "she", "they", "it", "он", "она", "они"}
PERSON_PRONOUNS = {"he", "she", "он", "она"}
# Words of a description that means a person already on stage ("the Russian leader").
HUMAN_ROLES = re.compile(
    r"\b(?:leader|president|minister|diplomat|ambassador|envoy|head of state|spokes\w*|"
    r"chairman|chairwoman|premier|secretary|official|aide|lawmaker|governor|mayor|chief|"
    r"director|deputy|speaker|senator|politician|commander|general|prime minister|"
    r"глав\w*|президент\w*|министр\w*|дипломат\w*|посол|посла|премьер\w*|губернатор\w*|"
    r"представител\w*|пресс-секретар\w*|мэр\w*|спикер\w*|председател\w*|руководител\w*|"
    r"директор\w*|замминистр\w*|депутат\w*|сенатор\w*|лидер\w*|мэр|вице-\w+)\b",
    re.IGNORECASE,
)
# Words of a description that means a body ("the ministry said", "it noted").
BODY_WORDS = re.compile(
    r"\b(?:ministry|agency|statement|committee|commission|service|office|embassy|department|"
    r"government|council|kremlin|diplomats|press office|communique|document|"
    r"министерств\w*|ведомств\w*|МИД\w*|пресс-служб\w*|посольств\w*|правительств\w*|"
    r"комитет\w*|служб\w*|сообщени\w*|заявлени\w*|документ\w*|Кремл\w*|штаб\w*|"
    r"администраци\w*|минобороны|минздрав\w*|Роспотребнадзор\w*|компани\w*)\b",
    re.IGNORECASE,
)
# Nobody in particular: these never take the last speaker's name.
UNNAMED = re.compile(
    r"\b(?:source|sources|expert|experts|witness|witnesses|observers|собеседник\w*|"
    r"источник\w*|эксперт\w*|очевид\w*|аналитик\w*)\b",
    re.IGNORECASE,
)
# Capitalised words that belong to a title, not to a name ("Russian Ambassador at Large").
TITLE_WORDS = {
    w.lower()
    for w in (
        "President Vice Prime Minister Ministry Foreign Deputy Ambassador Envoy Special Large "
        "Speaker State Duma Kremlin Aide Spokesman Spokeswoman Spokesperson Secretary General "
        "Chairman Chairwoman Chief Head Director Governor Mayor Senator Premier Emergencies "
        "Defense Defence Finance Economic Development Affairs Interior Justice Health Energy "
        "Trade Industry Culture Agriculture Transport Press Presidential Permanent Representative "
        "Commissioner Commander Admiral Marshal Colonel Lieutenant Major Leader Supreme Chairperson "
        "Council Security Federation Federal Assembly Upper House Lower Parliament Party Central "
        "Committee Executive Officer CEO Director-General Secretary-General First Acting Former "
        "Ex Comrade Mr Mrs Ms Dr UN U.N. EU US U.S. "
        "Президент Премьер Премьер-министр Министр Глава Посол Спикер Вице-премьер Председатель "
        "Губернатор Мэр Директор Руководитель Замминистра Пресс-секретарь Генсек Генеральный "
        "Постоянный Представитель Официальный Сенатор Депутат Лидер Верховный Главнокомандующий"
    ).split()
}
# Capitalised at the start of a sentence, never a name.
STOP_WORDS = {
    w.lower()
    for w in (
        "The This That These Those However But And In On At According Also Meanwhile Earlier "
        "Later There It He She They We I Our His Her Its Their After Before When While As If So "
        "Then For With From By Such Now Today Yesterday Monday Tuesday Wednesday Thursday Friday "
        "Saturday Sunday Он Она Они Это Об В На По При Как Также Кроме Ранее Однако Но И А Так "
        "После Во С За Сейчас Сегодня Вчера Мы Я Его Ее Её Их Этот Эта"
    ).split()
}
DASH = r"[-—–]"
_NAME_TOKEN = r"[A-ZА-ЯЁ][\w’'\-.]*"
# Attribution right after a closing quote: `, he said` / `, said Lavrov` / `, — заявил Путин`.
AFTER_SPEAKER_VERB = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?(?P<speaker>[^\"“”«».!?;]{{1,140}}?)\s+"
    rf"(?:has\s+|had\s+|also\s+)?{VERB}\b"
)
AFTER_VERB_SPEAKER = re.compile(
    rf"^\s*,?\s*(?:{DASH}\s*)?(?:{VERB})\s+(?:(?:ТАСС|агентству|журналистам|корреспонденту ТАСС)\s+)?"
    r"(?P<speaker>[^\"“”«».!?;:]{1,160})"
)
# Attribution right before an opening quote: `X said that "` / `Путин заявил: «` / `По словам X, "`.
BEFORE = re.compile(
    rf"(?P<speaker>[^.!?;:\"“”«»]{{1,140}}?)\s+(?:has\s+|had\s+|also\s+)?{VERB}"
    r"(?:\s+(?:ТАСС|TASS|reporters|журналистам))?(?:\s+that|,?\s+что)?\s*[:,]?\s*$"
)
ACCORDING_BEFORE = re.compile(r"(?:according to|по словам|как (?:отметил|заявил|сказал)\w*)\s+"
                              r"(?P<speaker>[^.!?;:,\"“”«»]{1,80}?)\s*,\s*$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]\s*$")
SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[\"“«A-ZА-ЯЁ])")
AUX = re.compile(r"\s+(?:has|had|have|also|has also|had also|will|would|then|тоже|также)$")
# Words after a Russian post-verb name that are no longer the speaker ("Песков журналистам").
RU_TRAILING = re.compile(
    r"\s+(?:ТАСС|журналистам|агентству|корреспонденту|в|во|на|при|после|по|для|перед|"
    r"в ходе|сегодня|вчера|ранее|изданию|газете|телеканалу|радио)\b.*$"
)


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


# ---------------------------------------------------------------------------- finding


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


def _trim_ru_after_verb(raw: str) -> str:
    """`глава МИД РФ Сергей Лавров на брифинге` -> up to the end of the name."""
    tokens = raw.split()
    out: list[str] = []
    seen_name = False
    for tok in tokens:
        word = tok.strip(",")
        is_name = bool(re.match(r"^[А-ЯЁA-Z][а-яёa-z]", word)) and word.lower() not in TITLE_WORDS
        if seen_name and not is_name:
            break
        out.append(tok)
        seen_name = seen_name or is_name
        if tok.endswith(","):
            break
    text = " ".join(out).rstrip(",")
    if not seen_name:
        text = RU_TRAILING.sub("", " " + text).strip() or text
    return text


def _clean_speaker(raw: str) -> tuple[str, str] | None:
    """(speaker as printed, whole attribution phrase) or None when it is no speaker."""
    phrase = raw.strip().strip(",").strip()
    phrase = AUX.sub("", phrase).strip()
    phrase = re.sub(r"^(?:and|but|while|as|и|а|но|как)\s+", "", phrase)
    if not phrase or len(phrase.split()) > 16 or re.search(r"[.!?]\s+\S", phrase):
        return None
    speaker = phrase
    # "Andrei Kulik, director of the ministry's first Asia department": the name is enough.
    head = speaker.split(",")[0].strip()
    if head and head[0].isupper() and len(head.split()) <= 6:
        speaker = head
    if len(speaker.split()) > 10 or speaker.lower() in {"who", "which", "that", "который", "что"}:
        return None
    if re.match(r"^(?:TASS|ТАСС|reporters|журналистам)$", speaker):
        return None
    return speaker, phrase


def _inner(paragraph: str, span: tuple[int, int]) -> str:
    text = paragraph[span[0] + 1 : span[1] - 1].strip()
    return text.rstrip(",").rstrip()


def paragraph_quotes(paragraph: str, index: int = 0) -> list[Quote]:
    """Attributed quotations of one paragraph, in order (speaker as printed only)."""
    spans = quoted_spans(paragraph)
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
        if ends_open:
            m = AFTER_VERB_SPEAKER.match(after)
            if m:
                raw = m.group("speaker")
                if re.search(r"[а-яё]", raw, re.IGNORECASE):
                    raw = _trim_ru_after_verb(raw)
                found = _clean_speaker(raw)
            if found is None:
                m = AFTER_SPEAKER_VERB.match(after)
                if m:
                    found = _clean_speaker(m.group("speaker"))
        if found is None:
            m = BEFORE.search(before) or ACCORDING_BEFORE.search(before)
            if m:
                found = _clean_speaker(m.group("speaker"))
        # `"…," he said. "…"`: only the attribution sentence stands between them.
        if (
            found is None
            and previous
            and quotes
            and SENTENCE_END.search(before)
            and re.search(rf"\b{VERB}\b", before)
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


# ------------------------------------------------------------------ names and roles


def _is_name_word(word: str) -> bool:
    w = word.strip(",.;:()[]")
    if not w or not w[0].isupper() or w.lower() in TITLE_WORDS or w.lower() in STOP_WORDS:
        return False
    letters = [c for c in w if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return False  # DPRK, МИД, РФ: abbreviations, not names
    return not re.search(r"[’']s$", w)  # Russia's


def split_role_name(phrase: str, language: str) -> tuple[str | None, str | None]:
    """`Russian Emergencies Minister Alexander Kurenkov` -> (role, name); either may be None.

    The name is the last run of capitalised words that are neither title words nor
    places the entity dictionary knows; an appositive after a comma is a role.
    """
    phrase = phrase.strip().strip(",")
    main, _, appositive = phrase.partition(",")
    role_after = appositive.strip().strip(",") or None
    if role_after:
        role_after = re.sub(r"^(?:the|a|an)\s+", "", role_after)
    words = main.split()
    kinds = {e.key: e.kind for e in load_dictionary()[0]}
    places = {s for k, s in matcher(language).find(main) if kinds.get(k) != "person"}
    place_words = {w for s in places for w in s.split()}
    end = len(words)
    while end > 0 and not _is_name_word(words[end - 1]):
        end -= 1
    start = end
    while start > 0 and _is_name_word(words[start - 1]) and words[start - 1] not in place_words:
        start -= 1
    name_words = words[start:end]
    if len(name_words) == 3 and not _keeps_three(name_words):
        start += 1
        name_words = name_words[1:]
    if len(name_words) > 3:
        start = end - 2
        name_words = words[start:end]
    name = " ".join(w.strip(",.;:") for w in name_words) or None
    if name and name.lower() in PRONOUNS:
        name = None
    role_words = [w for w in words[:start] if w.lower() not in {"the", "a", "an"} or words.index(w) > 0]
    role = " ".join(role_words).strip() or None
    if role:
        role = re.sub(r"^(?:the|a|an)\s+", "", role)
    if role_after and (role is None or name is not None):
        role = role_after if role is None else f"{role}, {role_after}"
    if name is None:
        return None, None
    return role, name


def _keeps_three(words: Sequence[str]) -> bool:
    """Korean/Vietnamese three-part names and Russian name-patronymic-surname stay whole."""
    first, middle = words[0], words[1]
    return len(first) <= 4 or bool(re.search(r"(?:вич|вна|ична|vich|vna)$", middle))


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
    if re.search(r"[а-яё]", a) and common >= max(4, min(len(a), len(b)) - 2):
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
        """The person whose name ends like ``name`` (surname, or the whole name)."""
        tokens = name.split()
        for person in reversed(self.people):
            theirs = person.name.split()
            if len(tokens) <= len(theirs) and all(
                _same_word(t, o) for t, o in zip(tokens[::-1], theirs[::-1], strict=False)
            ):
                return person
            if person.body and person.name.lower() == name.lower():
                return person
        return None

    def introduce(self, name: str, role: str | None, *, nominative: bool = True) -> Person:
        """Record a name as printed; keep the fullest form and the latest role."""
        person = self.find(name)
        if person is None:
            # "Ambassador Kim" after "Kim Hyun Joong": the first token may be the surname.
            person = next(
                (p for p in reversed(self.people)
                 if len(name.split()) == 1 and not p.body and _same_word(name, p.name.split()[0])),
                None,
            )
        if person is None:
            person = Person(name=name, role=role)
            self.people.append(person)
            return person
        if len(name.split()) > len(person.name.split()) or (
            nominative and len(name.split()) == len(person.name.split()) and name != person.name
            and re.search(r"[а-яё]", name) and not _looks_oblique(name)
        ):
            person.name = name
        if role and (person.role is None or len(role.split()) >= len(person.role.split())):
            person.role = role
        return person

    def body(self, name: str) -> Person:
        key = re.sub(r"^(?:the|a|an)\s+", "", name.strip(), flags=re.IGNORECASE)
        for person in reversed(self.people):
            if person.body and person.name.lower() == key.lower():
                return person
        person = Person(name=key, body=True)
        self.people.append(person)
        return person


def _looks_oblique(name: str) -> bool:
    return bool(re.search(r"(?:ова|ева|ина|ого|ому|ым|ой|ую)$", name.split()[-1])) and not re.search(
        r"(?:ова|ева|ина)$", name.split()[0]
    )


def _resolve(phrase: str, printed: str, cast: Cast, language: str) -> tuple[Person | None, str | None]:
    """Who an attribution phrase means, and the role printed in it (if any)."""
    low = printed.lower().strip()
    if low in PERSON_PRONOUNS:
        return cast.speaker_or_named(), None
    if low in {"it", "they", "они"}:
        return cast.last_body or (cast.last_person if low == "they" else None), None
    role, name = split_role_name(phrase, language)
    if name is not None and not BODY_WORDS.fullmatch(name.split()[-1]):
        is_body = bool(
            BODY_WORDS.search(name)
            and not any(_is_name_word(w) and not BODY_WORDS.fullmatch(w) for w in name.split()[-1:])
        )
        if not is_body:
            person = cast.introduce(name, role)
            return person, role
    if UNNAMED.search(printed):
        return None, None
    if BODY_WORDS.search(printed) and not re.match(r"^(?:the\s+)?(?:statement|document)\b", low):
        body_name = re.sub(r"^(?:the|a|an)\s+", "", printed, flags=re.IGNORECASE)
        if not body_name.split()[-1][:1].isupper():
            # "the ministry", "the agency": the last body that spoke, else the last one named.
            match = _last_body_like(cast, body_name)
            return match, None
        return cast.body(body_name), None
    if re.match(r"^(?:the\s+)?(?:statement|document|communique)\b", low):
        return cast.last_body, None
    if HUMAN_ROLES.search(printed) and not re.search(r"\b(?:a|an)\b", low):
        return cast.speaker_or_named(), None
    return None, None


def _last_body_like(cast: Cast, word: str) -> Person | None:
    stem = word.lower()[:6]
    for person in reversed(cast.people):
        if person.body and stem in person.name.lower():
            return person
    return cast.last_body


def _mask_quotes(paragraph: str) -> str:
    """The paragraph with every quotation's words blanked out (marks kept)."""
    out = list(paragraph)
    for start, end in quoted_spans(paragraph):
        for i in range(start + 1, end - 1):
            out[i] = " "
    return "".join(out)


NAME_RUN = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:at|of|to|in|for|the|and|by|de|van|von|bin|al|ибн)?\s*{_NAME_TOKEN})*")
INDIRECT_BEFORE = re.compile(rf"(?P<np>[^.!?;\"“”«»]{{2,160}}?)\s+(?:has\s+|had\s+|also\s+)?(?P<verb>{VERB})\b")
INDIRECT_AFTER = re.compile(
    rf"\b(?:{VERB}|according to|по словам)\s+(?:(?:ТАСС|агентству|журналистам)\s+)?"
    rf"(?P<np>(?:the\s+)?(?:[а-яё\-]+\s+){{0,6}}{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,3}}(?:,[^,.;]{{2,90}})?)"
)
RU_NOT_ROLE = {
    "в", "во", "на", "что", "о", "об", "с", "со", "к", "по", "при", "из", "за", "для", "у",
    "и", "а", "но", "это", "этом", "том", "как", "же", "ли", "не", "уже", "также", "тоже",
}


def _noun_phrase_before(left: str) -> str:
    """The subject right before a speech verb: the last clause, appositive kept."""
    left = AUX.sub("", left.rstrip())
    left = re.split(r"[\"“”«»]", left)[-1]
    parts = [p.strip() for p in re.split(r",\s+", left)]
    tail = parts[-1] if parts else ""
    if len(parts) >= 2 and tail and not tail[0].isupper() and tail.split()[0] in {
        "the", "a", "an", "director", "head", "spokeswoman", "spokesman", "chief",
        "deputy", "глава", "посол", "министр",
    }:
        head = parts[-2]
        run = NAME_RUN.findall(head)
        if run and head.endswith(run[-1]):
            return f"{run[-1]}, {tail}"
    return tail


ROLE_CONNECTORS = {"of", "to", "at", "for", "in", "the", "on", "и", "по", "в"}


def _title_suffix(words: Sequence[str]) -> str | None:
    """The words right before a name that read as its title ("Russia’s leader")."""
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
    role = " ".join(reversed(out))
    return role or None


def _register_names(text: str, cast: Cast, language: str) -> None:
    """Remember who the article names (outside quotations), with the title printed before."""
    kinds = {e.key: e.kind for e in load_dictionary()[0]}
    found = re.finditer(
        rf"(?:[\w’'\-.]+,?\s+){{0,6}}?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}", text
    )
    for m in found:
        words = m.group().split()
        _, name = split_role_name(" ".join(w.rstrip(",") for w in words), language)
        if not name or len(name.split()) < 2 or BODY_WORDS.search(name):
            continue
        hits = matcher(language).find(name)
        if hits and all(kinds.get(k) != "person" for k, _ in hits):
            continue  # a place or a body ("North Korea", "Verkhovna Rada")
        tokens = name.split()
        if any(
            not p.body and _same_word(t, p.name.split()[-1]) for t in tokens[:-1] for p in cast.people
        ):
            continue  # "with Biden Putin": two people side by side
        n_before = len(words) - len(tokens)
        cast.introduce(name, _title_suffix(words[:n_before]), nominative=False)


def _speaking_events(masked: str, language: str) -> list[tuple[int, str]]:
    """(offset, phrase) of every `X said` / `said X` / `according to X` in the masked text."""
    events: list[tuple[int, str]] = []
    pos = 0
    for sentence in SENTENCE_SPLIT.split(masked):
        start = masked.find(sentence, pos)
        pos = start + len(sentence)
        for m in re.finditer(rf"\b(?:{VERB})\b", sentence):
            np = _noun_phrase_before(sentence[: m.start()])
            np = np.strip(" \"“”«»-—–,")
            if np and len(np.split()) <= 12:
                events.append((start + m.start(), np))
        for m in INDIRECT_AFTER.finditer(sentence):
            np = m.group("np")
            lowered = [w for w in np.split() if w[:1].islower()]
            if any(w in RU_NOT_ROLE for w in lowered):
                continue
            if language == "ru":
                np = _trim_ru_after_verb(np)
            events.append((start + m.start("np"), np))
    events.sort()
    return events


def _entities() -> tuple[object, ...]:
    return load_dictionary()[0]


def _take_stage(cast: Cast, person: Person | None) -> None:
    if person is None:
        return
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
        masked = _mask_quotes(paragraph)
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
            if len(printed[0].split()) == 1 and printed[0][:1].isupper() and cast.find(printed[0]) is None:
                continue  # "told Cuban weekly": one unknown capitalised word is no speaker
            person, _ = _resolve(printed[1], printed[0], cast, language)
            _take_stage(cast, person)
    return out


def _attribute(q: Quote, cast: Cast, language: str, published_on: date | None) -> Quote:
    """The quote with the person (or body) behind its attribution filled in."""
    person, printed_role = _resolve(q.attribution, q.speaker, cast, language)
    _take_stage(cast, person)
    if person is None:
        return q
    if person.body:
        return replace(q, speaker_name=person.name)
    role = printed_role
    if role is None or (len(role.split()) < 2 and person.role):
        role = person.role
    key = link_speaker(person.name, role, language, published_on)
    return replace(q, speaker_name=person.name, speaker_role=role, entity_key=key)


def link_speaker(
    name: str | None, role: str | None, language: str, published_on: date | None
) -> str | None:
    """Knowledge-base key of the person ``name`` is, if the knowledge base holds them.

    The single place where a speaker meets the entity data, so a resolver that also
    reads ``role`` and ``published_on`` (the holder of a title on that day) can
    replace the name lookup without touching the quote finder.
    """
    del published_on  # the alias dictionary has no dates yet
    if not name:
        return None
    kinds = {e.key: e.kind for e in load_dictionary()[0]}
    hits = [key for key, _ in matcher(language).find(name) if kinds.get(key) == "person"]
    if hits:
        return hits[-1]
    if role:
        del role  # titles are resolved by the knowledge base's role resolver, not here
    return None


def resolve_speakers(
    quotes: Sequence[Quote], paragraphs: Sequence[str], language: str
) -> list[Quote]:
    """Kept for callers of the paragraph API: resolve quotes found paragraph by paragraph."""
    del quotes
    return article_quotes("\n\n".join(paragraphs), language)
