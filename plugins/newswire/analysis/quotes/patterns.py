"""The words and patterns the quote finder reads wire copy with.

Kept apart from the code so the lists (speech verbs, title words, bodies, documents)
can be read and extended in one place.
"""

from __future__ import annotations

import re

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


def _first_words() -> tuple[frozenset[str], frozenset[str]]:
    """The first word of every speech verb (all, and English only), for a cheap gate.

    A match of VERB_RE is bounded by neither a word character nor a hyphen, so its first
    word is a whole run of word characters and hyphens in the text; a match of
    INDIRECT_AFTER_EN starts at a word boundary and goes on with a space, so its first
    word is a whole run of word characters. A sentence with no such run among these
    words cannot match: the costly patterns need not scan it."""
    english = VERBS_EN.split("|")
    past = _RU_PAST.split("|")
    rest = VERBS_RU.split(")?|", 1)[1].split("|")
    for verb in english + past + rest:
        if not re.fullmatch(r"[a-zа-яё]+(?: [a-zа-яё]+)?", verb):
            raise ValueError(f"speech verb {verb!r} is not plain words: the gate needs them")
    en = frozenset(v.split()[0] for v in english)
    ru = frozenset(rest) | {p + end for p in past for end in ("", "а", "и")}
    return en | ru, en


SPEECH_VERB_FIRST_WORDS, ENGLISH_VERB_FIRST_WORDS = _first_words()
WORD_HYPHEN_RUN = re.compile(r"[\w-]+")
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
    "president",
    "vice",
    "prime",
    "minister",
    "ministry",
    "foreign",
    "deputy",
    "ambassador",
    "envoy",
    "special",
    "large",
    "speaker",
    "state",
    "duma",
    "kremlin",
    "aide",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "general",
    "chairman",
    "chairwoman",
    "chief",
    "head",
    "director",
    "governor",
    "mayor",
    "senator",
    "premier",
    "emergencies",
    "defense",
    "defence",
    "finance",
    "economic",
    "development",
    "affairs",
    "interior",
    "justice",
    "health",
    "energy",
    "trade",
    "industry",
    "culture",
    "agriculture",
    "transport",
    "press",
    "presidential",
    "permanent",
    "representative",
    "commissioner",
    "commander",
    "admiral",
    "marshal",
    "colonel",
    "lieutenant",
    "major",
    "leader",
    "supreme",
    "chairperson",
    "council",
    "security",
    "federation",
    "federal",
    "assembly",
    "upper",
    "house",
    "lower",
    "parliament",
    "party",
    "central",
    "committee",
    "executive",
    "officer",
    "ceo",
    "director-general",
    "secretary-general",
    "first",
    "acting",
    "former",
    "ex",
    "comrade",
    "mr",
    "mrs",
    "ms",
    "dr",
    "un",
    "u.n.",
    "eu",
    "us",
    "u.s.",
}
# Capitalised at the start of a sentence, never a name.
STOP_WORDS = {
    "the",
    "this",
    "that",
    "these",
    "those",
    "however",
    "but",
    "and",
    "in",
    "on",
    "at",
    "according",
    "also",
    "meanwhile",
    "earlier",
    "later",
    "there",
    "it",
    "he",
    "she",
    "they",
    "we",
    "i",
    "our",
    "his",
    "her",
    "its",
    "their",
    "after",
    "before",
    "when",
    "while",
    "as",
    "if",
    "so",
    "then",
    "for",
    "with",
    "from",
    "by",
    "such",
    "now",
    "today",
    "yesterday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
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
# What BEFORE's match cannot hold (a colon only as its very last mark), and its verb alone.
BEFORE_STOPS = '.!?;:"“”«»'
VERB_ANYWHERE = re.compile(VERB)
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
    "журналистам",
    "агентству",
    "корреспонденту",
    "изданию",
    "газете",
    "телеканалу",
    "радио",
    "в",
    "во",
    "на",
    "при",
    "после",
    "по",
    "для",
    "перед",
    "сегодня",
    "вчера",
    "ранее",
    "отметив",
    "добавив",
    "подчеркнув",
    "отвечая",
    "комментируя",
    "который",
    "которая",
    "выступая",
    "ссылаясь",
    "уточнив",
    "указав",
    "сославшись",
}
RU_NOT_SUBJECT = {
    "что",
    "о",
    "об",
    "с",
    "со",
    "к",
    "из",
    "за",
    "у",
    "и",
    "а",
    "но",
    "это",
    "этом",
    "том",
    "как",
    "же",
    "ли",
    "не",
    "уже",
    "также",
    "тоже",
    "решение",
    "меры",
    "его",
    "ее",
    "их",
}
ROLE_CONNECTORS = {"of", "to", "at", "for", "in", "the", "on"}

WEEKDAYS = r"(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье)"
RU_LEAD_ADVERBIAL = re.compile(
    rf"^(?:(?:ТАСС|журналистам|агентству|корреспонденту\s+ТАСС|сегодня|вчера|ранее|также|"
    rf"в\s+{WEEKDAYS}|во\s+{WEEKDAYS}|в\s+(?:Twitter|Telegram|Instagram|Facebook)|"
    r"в\s+интервью\s+\S+|в\s+сво(?:ем|ём|их)\s+\S+|об?\s+сво(?:ей|ем|ём|их)\s+\S+)\s+)+",
    re.IGNORECASE,
)
RU_KEEP_INSIDE = {"по", "при", "для"}  # "управление ... по Владимирской области"

GLUED_SENTENCE = re.compile(r"(?<=[a-zа-яё])\.(?=[A-ZА-ЯЁ])")
NAME_RUN = re.compile(
    rf"{_NAME_TOKEN}(?:\s+(?:at|of|to|in|for|the|and|by|de|van|von|bin|al)?\s*{_NAME_TOKEN})*"
)
INDIRECT_AFTER_EN = re.compile(
    rf"\b(?:{VERBS_EN}|according to)\s+(?P<np>(?:the\s+)?{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,4}}"
    r"(?:,[^,.;]{2,90})?)"
)
NP_LEADS = {"the", "a", "an", "director", "head", "spokeswoman", "spokesman", "chief", "deputy"}
NAME_RUN_2 = re.compile(rf"{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}}")
CONTEXT_WORDS = 14  # words before a name searched for its title
