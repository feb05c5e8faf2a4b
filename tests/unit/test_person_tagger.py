"""One tagger pass over an article's texts gives what natasha gives each text alone."""

from __future__ import annotations

import json
from pathlib import Path

from natasha import Doc
from newswire.analysis.person_tagger import natasha, tag_texts

FIXTURES = Path(__file__).parents[2] / "devtools" / "testsite" / "fixtures"


def _natasha_alone(text: str) -> list[tuple[int, int, str]]:
    """natasha's own pipeline on one text: the spans the tagger gives it."""
    segmenter, tagger, _ = natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(s.start, s.stop, s.type) for s in doc.spans]


def test_texts_tagged_together_get_their_own_spans() -> None:
    articles = json.loads((FIXTURES / "articles_ru.json").read_text("utf-8"))[:6]
    # Short and long texts side by side: the short ones are padded in the decoder.
    texts = [t for a in articles for t in (a["headline"], *a["paragraphs"][:3]) if t.strip()]
    tagged = tag_texts(texts)
    assert [t.text for t in tagged] == texts
    together = [[(s.start, s.stop, s.type) for s in t.spans] for t in tagged]
    assert together == [_natasha_alone(text) for text in texts]
    assert any(span[2] == "PER" for spans in together for span in spans)


def test_the_order_of_texts_does_not_change_their_spans() -> None:
    texts = [
        "Замминистра иностранных дел России Андрей Руденко встретился с послом КНДР.",
        "Позже Алексея Оверчука принял губернатор Приморья Олег Кожемяко.",
        "В Москве",
    ]
    forward = {t.text: t.spans for t in tag_texts(texts)}
    backward = {t.text: t.spans for t in tag_texts(texts[::-1])}
    assert forward == backward
    assert {s.type for s in forward[texts[1]]} >= {"PER"}


def test_a_text_without_words_gets_no_spans() -> None:
    tagged = tag_texts(["  ", "Президент России Владимир Путин", ""])
    assert tagged[0].spans == [] and tagged[2].spans == []
    assert [s.type for s in tagged[1].spans] == _types("Президент России Владимир Путин")
    assert "PER" in _types("Президент России Владимир Путин")


def _types(text: str) -> list[str]:
    return [t for _, _, t in _natasha_alone(text)]
