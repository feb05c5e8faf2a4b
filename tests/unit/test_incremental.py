"""The incremental re-analysis looks for a superset of what the matcher can match."""

from __future__ import annotations

from collections import defaultdict

import pytest
from newswire.analysis.entities import matcher
from newswire.analysis.incremental import Change, _tries, _yo_spellings, pattern, snapshot
from newswire.analysis.knowledge import load_knowledge

from devtools.testsite import load_fixture_articles


def _found_by_term(term: str, text: str) -> bool:
    """What sql/analysis/reanalyse_affected.sql asks of one name, in Python."""
    low = text.lower()
    return all(any(s in low for s in word.split("|")) for word in term.split(" ") if word)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_name_the_matcher_finds_in_real_texts_is_looked_for(language: str) -> None:
    tries = _tries(snapshot(load_knowledge()), language)
    spellings = defaultdict(set)
    for trie in ("main", "nested"):
        for spelling, owner in tries[trie][0].items():
            spellings[owner].add(tuple(pattern(w, language) for w, _ in spelling))
    checked = 0
    for article in load_fixture_articles(language):
        text = "\n\n".join([article.headline, article.lead, *article.paragraphs])
        for key, start, end in matcher(language).spans(text):
            names = Change(names={language: spellings[key]}).terms(language)
            assert any(_found_by_term(t, text) for t in names), (key, text[start:end])
            checked += 1
    assert checked > 200


def test_yo_spellings_and_empty_stems() -> None:
    assert _yo_spellings("петр") == ["петр", "пётр"]
    assert len(_yo_spellings("ееееее")) == 16  # cut before the fifth е
    change = Change(names={"ru": {("", "попов"), ("",)}})
    assert change.terms("ru") == ["", "попов"]
    assert _found_by_term("", "any text at all")
    assert _found_by_term("петр|пётр", "Пётр Толстой") and not _found_by_term("попов", "Петр")
