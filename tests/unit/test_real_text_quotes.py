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


# tass.ru/sport/8139541 (2020-04-02), paragraphs 1-3, 8 and the start of 9
NAMESAKES = [
    "ТАСС, 2 апреля. Бой между чемпионом Абсолютного бойцовского чемпионата (UFC) Хабибом"
    " Нурмагомедовым и американцем Тони Фергюсоном не состоится из-за пандемии коронавируса.",
    "\"Я все понимаю и точно не меньше вас расстроен отменой боя\", - написал Нурмагомедов.",
    "\"Берегите себя и поставьте себя на мое место\", - добавил спортсмен.",
    "Отец чемпиона UFC Абдулманап Нурмагомедова заявил ТАСС, что не в курсе отмены боя. \"Я не"
    " знаю, не могу сказать\", - ответил он на вопрос о том, действительно ли бой его сына"
    " отменен.",
    "В ОАЭ спортсмены попасть не сумели, чемпион UFC вернулся в Россию, где и продолжил"
    " подготовку к бою. Сам Нурмагомедов несколько дней назад заявил, что в США он уже"
    " вернуться не сможет из-за пандемии коронавируса.",
    "\"Мы тренировались в АКА с самого начала, не знали, будем ли драться и в каком формате"
    " пройдет бой, - отмечал российский боец. - Потом получили информацию от UFC, что на 99,9%"
    " поединок пройдет в Абу-Даби.\"",
]


def test_a_bare_surname_is_the_namesake_quoted_most() -> None:
    # Before: once the father's name came back in the nominative, "Сам Нурмагомедов" went
    # to him (the namesake named last) and so did the fighter's next quote.
    quotes = article_quotes("\n\n".join(NAMESAKES), "ru", date(2020, 4, 2))
    assert [q.speaker_name for q in quotes] == [
        "Хабиб Нурмагомедов",
        "Хабиб Нурмагомедов",
        "Абдулманап Нурмагомедов",
        "Хабиб Нурмагомедов",
    ]
