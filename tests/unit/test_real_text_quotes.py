"""Quotes of real TASS texts whose speaker fields were wrong before.

Each paragraph is copied from a real tass.ru text; the answers are what a reader of the
article gives. A wrong person is worse than none: these must stay None.
"""

from __future__ import annotations

from datetime import date

from newswire.analysis.entities import holder_of
from newswire.analysis.quotes import article_quotes

# tass.ru/nedvizhimost/8121099 (2020-03-31)
PRESS_RELEASE = (
    "\"Жители многоквартирных домов Подмосковья на три месяца будут освобождены от платы за"
    " капремонт. Мораторий вступает в силу 1 апреля\", - говорится в сообщении пресс-службы"
    " губернатора Подмосковья."
)


def test_a_press_release_is_nobody_s_words_even_when_it_names_a_title() -> None:
    # Before: role "в сообщении пресс-службы губернатора Подмосковья", linked to the
    # governor of Primorye (the one governor the base held that day).
    quotes = article_quotes(PRESS_RELEASE, "ru", date(2020, 3, 31))
    assert [(q.speaker_name, q.speaker_role, q.entity_key) for q in quotes] == [
        (None, None, None)
    ]


def test_a_regional_office_names_no_holder() -> None:
    # The base lists three governors; "the governor of the Moscow Region" is none of them.
    assert holder_of("губернатор Московской области", "ru", date(2020, 3, 31)) is None
    assert holder_of("Moscow Region Governor", "en", date(2020, 3, 31)) is None
    # a national office still resolves
    assert holder_of("глава МИД России", "ru", date(2020, 3, 31)) == "lavrov"
