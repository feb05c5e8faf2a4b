"""Quote extraction against the gold set of real TASS paragraphs, and speaker resolution."""

from __future__ import annotations

import json
from pathlib import Path

from newswire.analysis.quotes import article_quotes, paragraph_quotes, quoted_spans

GOLD = Path(__file__).parents[1] / "data" / "quote_gold.json"


def test_gold_quotes() -> None:
    items = json.loads(GOLD.read_text("utf-8"))["items"]
    expected_total = sum(len(i["quotes"]) for i in items)
    assert expected_total >= 30
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
    assert [(q.speaker, q.text) for q in before] == [("Peskov", "the talks were useful".rstrip())]
    ru = paragraph_quotes("«Мы готовы к диалогу», — заявил Лавров.")
    assert [(q.speaker, q.text) for q in ru] == [("Лавров", "Мы готовы к диалогу")]
    assert paragraph_quotes('The so-called "shadow fleet" was discussed.') == []


def test_unbalanced_quotes_do_not_break() -> None:
    assert quoted_spans('He said "nothing more') == []


def test_speakers_resolve_to_entities() -> None:
    body = "\n\n".join(
        [
            "MOSCOW, June 19. /TASS/. Vladimir Putin arrived in Pyongyang.",
            '"We value this friendship," the Russian leader said.',
            '"Moscow is a reliable partner," Ambassador Kim said. "Under Kim Jong-un we grow."',
            '"The talks were useful," the Russian Foreign Ministry said.',
        ]
    )
    quotes = article_quotes(body, "en")
    assert [(q.speaker, q.entity_key) for q in quotes] == [
        ("the Russian leader", "putin"),
        ("Ambassador Kim", None),
        ("Ambassador Kim", None),
        ("the Russian Foreign Ministry", "russian_mfa"),
    ]
