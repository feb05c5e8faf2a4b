"""Quote finding and speaker resolution against hand-labelled real TASS text."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from newswire.analysis import quotes as quotes_module
from newswire.analysis.quotes import article_quotes, link_speaker, paragraph_quotes, quoted_spans

DATA = Path(__file__).parents[1] / "data"
GOLD = DATA / "quote_gold.json"
ARTICLES = DATA / "quote_gold_articles.json"
SEED = "https://tass.com/world/965296"


def _articles() -> list[dict]:
    return json.loads(ARTICLES.read_text("utf-8"))["articles"]


def _score(articles: list[dict]) -> dict[str, float]:
    """Recall, precision and speaker_name/role accuracy over the labelled articles."""
    gold = found = matched = names = roles = persons = 0
    for article in articles:
        got = article_quotes(
            article["body"], article["language"], date.fromisoformat(article["published_on"])
        )
        used: set[int] = set()
        gold += len(article["quotes"])
        found += len(got)
        for want in article["quotes"]:
            hit = next(
                (i for i, q in enumerate(got)
                 if i not in used and q.text.startswith(want["starts_with"])),
                None,
            )
            if hit is None:
                continue
            used.add(hit)
            matched += 1
            names += got[hit].speaker_name == want["speaker_name"]
            if want["kind"] == "person":
                persons += 1
                roles += got[hit].speaker_role == want["speaker_role"]
    return {
        "recall": matched / gold,
        "precision": matched / found,
        "speaker_name": names / matched,
        "speaker_role": roles / persons,
        "gold": gold,
    }


def test_gold_set_is_large_and_bilingual() -> None:
    articles = _articles()
    by_language = {lang: sum(len(a["quotes"]) for a in articles if a["language"] == lang)
                   for lang in ("en", "ru")}
    assert by_language["en"] >= 70 and by_language["ru"] >= 100


# (subset, speaker_name, role): the targets hold for all articles together; Russian
# names and titles are harder, and the held-out articles were never tuned on.
THRESHOLDS = [("en", 0.97, 0.95), ("ru", 0.95, 0.92), ("held_out", 0.90, 0.85), (None, 0.97, 0.95)]


@pytest.mark.parametrize(("subset", "name_target", "role_target"), THRESHOLDS)
def test_gold_set_thresholds(subset: str | None, name_target: float, role_target: float) -> None:
    articles = [
        a for a in _articles()
        if subset in (None, a["language"]) or (subset == "held_out" and a["split"] == subset)
    ]
    figures = _score(articles)
    assert figures["recall"] >= 0.95, figures
    assert figures["precision"] >= 0.97, figures
    assert figures["speaker_name"] >= name_target, figures
    assert figures["speaker_role"] >= role_target, figures


KIM = ("Kim Hyun Joong", "DPRK ambassador in Moscow")
BURMISTROV = ("Oleg Burmistrov", "Russian Ambassador at Large")
# The knowledge base spells the ambassador Kim Hyong Jun; the article's spelling links.
KEYS = {KIM[0]: "kim_hyong_jun", BURMISTROV[0]: "burmistrov"}
SEED_QUOTES = [
    ("he", KIM, "Our party (the Korean Workers' Party TASS)"),
    ("Ambassador Kim", KIM, "The DPRK has turned into a nuclear power"),
    ("Ambassador Kim", KIM, "Under the wise guidance of Kim Jong-un"),
    ("he", KIM, "The situation on the Korean Peninsula has been driven"),
    ("he", KIM, "The testing of a thermonuclear bomb is a normal process"),
    ("he", BURMISTROV, "[We hope that] in the current difficult situation"),
    ("he", BURMISTROV, "Russia is ready for the most close dialogue"),
]


def test_seed_article_quote_by_quote() -> None:
    seed = next(a for a in _articles() if a["source"] == SEED)
    got = article_quotes(seed["body"], "en", date(2017, 9, 12))
    assert len(got) == len(SEED_QUOTES)
    for q, (speaker, (name, role), start) in zip(got, SEED_QUOTES, strict=True):
        assert (q.speaker, q.speaker_name, q.speaker_role) == (speaker, name, role)
        assert q.text.startswith(start)
        assert q.entity_key == KEYS[name]
    # Kim Jong-un is named inside a quotation only: he never speaks here.
    assert all(q.speaker_name != "Kim Jong-un" for q in got)


def test_name_inside_a_quotation_never_speaks() -> None:
    body = "\n\n".join(
        [
            "MOSCOW, June 19. /TASS/. Vladimir Putin arrived in Pyongyang.",
            '"Under Kim Jong-un we grow," Ambassador Kim Hyun Joong said.',
            '"We value this friendship," he said.',
            '"Moscow is a reliable partner," the ambassador said.',
            '"The talks were useful," the Russian Foreign Ministry said.',
        ]
    )
    got = [(q.speaker_name, q.entity_key) for q in article_quotes(body, "en")]
    # A pronoun or a bare title goes to the person last named as speaking (the
    # ambassador), not to Putin, named without speaking, nor to Kim Jong-un, named
    # inside a quotation.
    assert got == [
        ("Kim Hyun Joong", "kim_hyong_jun"),
        ("Kim Hyun Joong", "kim_hyong_jun"),
        ("Kim Hyun Joong", "kim_hyong_jun"),
        ("Russian Foreign Ministry", "russian_mfa"),
    ]


def test_russian_names_come_back_in_the_nominative() -> None:
    body = "\n\n".join(
        [
            "МОСКВА, 1 апреля. /ТАСС/. Росстат предложил перенести перепись, сообщила "
            "пресс-служба ведомства.",
            '"Мы готовы, - приводит пресс-служба слова главы Росстата Павла Малкова. - '
            'Времени все меньше".',
            '"Решение принято", - отметил глава ведомства.',
            'По словам Лаврова, "это не так".',
        ]
    )
    got = [(q.speaker, q.speaker_name, q.speaker_role) for q in article_quotes(body, "ru")]
    assert got == [
        ("главы Росстата Павла Малкова", "Павел Малков", "глава Росстата"),
        ("глава ведомства", "Павел Малков", "глава Росстата"),
        ("Лаврова", "Лавров", None),
    ]


def test_a_body_speaks_only_when_the_text_makes_it_one() -> None:
    body = "\n\n".join(
        [
            "MOSCOW, March 20. /TASS/. DPRK (North Korea) and Russia held talks.",
            '"The talks were useful," the statement said.',
            '"Relations grow," the Russian Foreign Ministry said. "We are ready," it added.',
        ]
    )
    got = [(q.speaker, q.speaker_name) for q in article_quotes(body, "en")]
    assert got == [
        ("the statement", None),
        ("the Russian Foreign Ministry", "Russian Foreign Ministry"),
        ("it", "Russian Foreign Ministry"),
    ]


def test_link_speaker_links_people_and_bodies_never_their_country() -> None:
    assert link_speaker("Sergey Lavrov", "Russian Foreign Minister", "en", None) == "lavrov"
    assert link_speaker("Сергей Лавров", None, "ru", date(2024, 1, 1)) == "lavrov"
    kurenkov = link_speaker("Alexander Kurenkov", "Russian Emergencies Minister", "en", None)
    assert kurenkov == "kurenkov"
    assert link_speaker("Russian Foreign Ministry", None, "en", None) == "russian_mfa"
    # a name the base lacks links to nothing, whatever office its role names
    unknown = link_speaker("Ivan Unknownov", "Russian Foreign Minister", "en", date(2024, 1, 1))
    assert unknown is None
    # an unnamed title needs the day to know its holder
    assert link_speaker(None, "Russian Foreign Minister", "en", None) is None
    assert link_speaker(None, "Russian Foreign Minister", "en", date(2024, 1, 1)) == "lavrov"


def test_speaker_linking_goes_through_link_speaker(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple] = []

    def fake(name: str | None, role: str | None, language: str, published_on: date | None):
        calls.append((name, role, language, published_on))
        return "someone"

    monkeypatch.setattr(quotes_module, "link_speaker", fake)
    body = 'MOSCOW, March 20. /TASS/. "We are ready," Russian Foreign Minister Sergey Lavrov said.'
    got = article_quotes(body, "en", date(2024, 12, 26))
    assert [q.entity_key for q in got] == ["someone"]
    assert calls == [("Sergey Lavrov", "Russian Foreign Minister", "en", date(2024, 12, 26))]


def test_paragraph_gold_speakers_as_printed() -> None:
    items = json.loads(GOLD.read_text("utf-8"))["items"]
    expected_total = sum(len(i["quotes"]) for i in items)
    found = extra = 0
    for item in items:
        got = [(q.speaker, q.text) for q in paragraph_quotes(item["paragraph"])]
        hits = [
            any(s == want["speaker"] and t.startswith(want["starts_with"]) for s, t in got)
            for want in item["quotes"]
        ]
        found += sum(hits)
        extra += max(0, len(got) - sum(hits))
    assert found / expected_total >= 0.95
    assert extra <= 2


def test_shapes() -> None:
    assert [(q.speaker, q.text) for q in paragraph_quotes('"We are ready," said Lavrov.')] == [
        ("Lavrov", "We are ready")
    ]
    before = paragraph_quotes('Peskov said that "the talks were useful".')
    assert [(q.speaker, q.text) for q in before] == [("Peskov", "the talks were useful")]
    ru = paragraph_quotes("«Мы готовы к диалогу», — заявил Лавров.")
    assert [(q.speaker, q.text) for q in ru] == [("Лавров", "Мы готовы к диалогу")]
    embedded = paragraph_quotes('"Мы готовы, - заявил глава государства. - Но не сразу".')
    assert [q.speaker for q in embedded] == ["глава государства"]
    assert paragraph_quotes('The so-called "shadow fleet" was discussed.') == []
    # a fragment continuing a sentence is reported speech, not a quotation
    assert paragraph_quotes('ВВП упадет на 3-5% "в умеренном варианте", считает Кудрин.') == []


def test_nested_straight_quotes() -> None:
    text = '"Авиакомпания "Белавиа" подставила нам плечо", - сказал он.'
    assert quoted_spans(text) == [(0, len(text) - len(", - сказал он."))]
    inner = 'Авиакомпания "Белавиа" подставила нам плечо'
    assert [q.text for q in paragraph_quotes(text)] == [inner]


def test_unbalanced_quotes_do_not_break() -> None:
    assert quoted_spans('He said "nothing more') == []


def test_a_country_in_a_title_is_not_the_speaker() -> None:
    """'the North Korean ambassador' is Kim Hyun Joong, never the DPRK itself."""
    article = next(a for a in _articles() if a["source"] == "https://tass.com/world/970345")
    got = article_quotes(article["body"], "en", date(2017, 10, 12))
    assert {(q.speaker_name, q.entity_key) for q in got} == {("Kim Hyun Joong", "kim_hyong_jun")}
    assert "the North Korean ambassador" in {q.speaker for q in got}
    lone = article_quotes('"We are ready," the North Korean ambassador said.', "en")
    assert [(q.speaker_name, q.entity_key) for q in lone] == [(None, None)]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_any_slice_of_real_text_is_read_safely(data: st.DataObject) -> None:
    """Cut anywhere (mid-quote, mid-name), an article never breaks the reader, and every
    quotation it reports is text of the article and names a speaker as printed."""
    article = data.draw(st.sampled_from(_articles()))
    body = article["body"]
    start = data.draw(st.integers(0, len(body) - 1))
    piece = body[start : start + data.draw(st.integers(1, 800))]
    for q in article_quotes(piece, article["language"]):
        assert q.text and q.text in piece
        assert q.speaker.strip()


def test_speakers_link_to_the_knowledge_base_by_name_body_or_title_on_the_day() -> None:
    """A name links to the known person, a body to its entity, an unnamed title to the
    holder of that office on the publication day; a title naming another office than the
    last speaker's is not given to him."""
    body = "\n\n".join(
        [
            "MOSCOW, June 19. /TASS/. Vladimir Putin arrived in Pyongyang.",
            '"We value this friendship," the Russian leader said.',
            '"The talks were useful," the Russian Foreign Ministry said.',
            '"We will respond," Russian Foreign Minister Sergey Lavrov said.',
            '"Nothing changes here," the Russian Defense Minister said.',
        ]
    )
    got = [
        (q.speaker_name, q.speaker_role, q.entity_key)
        for q in article_quotes(body, "en", date(2024, 6, 19))
    ]
    assert got == [
        ("Vladimir Putin", None, "putin"),
        ("Russian Foreign Ministry", None, "russian_mfa"),
        ("Sergey Lavrov", "Russian Foreign Minister", "lavrov"),
        (None, "Russian Defense Minister", "belousov"),
    ]
    earlier = article_quotes(body, "en", date(2023, 6, 19))
    assert earlier[-1].entity_key == "shoigu"
    ambassador = link_speaker("Kim Hyun Joong", "DPRK ambassador", "en", date(2017, 9, 12))
    assert ambassador == "kim_hyong_jun"
