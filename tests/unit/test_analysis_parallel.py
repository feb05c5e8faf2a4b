"""The load's and re-analysis's text analysis gives the same rows however the articles are
split across worker processes, and the rows are what the library's functions find: checked
on the quote and entity gold sets."""

from __future__ import annotations

import json
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from itertools import repeat
from pathlib import Path

import pytest
from newswire.analysis.entities import article_mentions
from newswire.analysis.quotes import article_quotes
from newswire.analysis.store import AnalysisRows, ArticleText, _split, analyse_texts

DATA = Path(__file__).resolve().parents[1] / "data"


def _gold_articles() -> list[ArticleText]:
    quotes = json.loads((DATA / "quote_gold_articles.json").read_text("utf-8"))["articles"]
    entities = json.loads((DATA / "entity_gold.json").read_text("utf-8"))["items"]
    out: list[ArticleText] = []
    for i, a in enumerate(quotes):
        day = datetime.fromisoformat(a["published_on"]).replace(tzinfo=UTC)
        out.append((i, "", "", a["body"], a["language"], day))
    for j, item in enumerate(entities, start=len(out)):
        head, _, body = item["text"].partition("\n")
        out.append((j, head, "", body or head, item["language"], None))
    return out


@pytest.fixture(scope="module")
def articles() -> list[ArticleText]:
    return _gold_articles()


@pytest.fixture(scope="module")
def whole(articles: list[ArticleText]) -> AnalysisRows:
    return analyse_texts(articles)


def test_worker_processes_give_the_same_rows(
    articles: list[ArticleText], whole: AnalysisRows
) -> None:
    split = AnalysisRows()
    with ProcessPoolExecutor(2) as pool:
        for part in pool.map(analyse_texts, _split(articles, 3), repeat(True)):
            split.extend(part)
    assert split == whole
    assert whole.mentions and whole.quotes and whole.unknown


def test_rows_are_what_the_library_finds(articles: list[ArticleText], whole: AnalysisRows) -> None:
    for article_id, headline, lead, body, language, published in articles:
        mentions = article_mentions(headline, lead, body, language)
        assert [r[1:] for r in whole.mentions if r[0] == article_id] == [
            (m.key, m.count, m.in_headline, m.in_lead) for m in mentions.values()
        ]
        day = published.date() if published else None
        assert [r[6:] for r in whole.quotes if r[0] == article_id] == [
            (q.entity_key, q.text) for q in article_quotes(body, language, day)
        ]
