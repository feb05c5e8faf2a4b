"""Names of people the knowledge base does not know, as real TASS sentences print them.

Each sentence is copied from a real tass.ru text (2020); the answer is the person's name
in the nominative, the form analysts count and search by. These failed before: the
tagger's normaliser and a word-by-word reading turned printed names into plurals ("Меган
Маркл" -> "Меганы Маркл") or declined only half of a name ("Эрика Клэптона" -> "Эрик
Клэптона").
"""

from __future__ import annotations

import pytest
from newswire.analysis.entities import EntityMatcher, unknown_persons
from newswire.analysis.russian import nominative_name

REAL_SENTENCES = [
    (  # tass.ru/obschestvo/8119599
        "Принц Гарри и его супруга, американская актриса и модель Меган Маркл, официально"
        " начнут во вторник независимую от британской короны жизнь.",
        "Меган Маркл",
    ),
    (  # tass.ru/obschestvo/8120693
        "Об этом сообщил во вторник министр науки и высшего образования РФ Валерий Фальков"
        " в интервью программе \"Диалог\".",
        "Валерий Фальков",
    ),
    (  # tass.ru/sport/8122287
        "Бой с чемпионом Абсолютного бойцовского чемпионата (UFC) Хабибом Нурмагомедовым или"
        " ирландцем Конором Макгрегором является оптимальным для американца Тони Фергюсона.",
        "Конор Макгрегор",
    ),
    (  # tass.ru/opinions/8114199
        "Так что я имел честь играть на гитаре Эрика Клэптона.",
        "Эрик Клэптон",
    ),
    (  # tass.ru/sport/8136055
        "Российские теннисисты ни разу не выходили в финал Уимблдона, в 1973 году выступавший"
        " за СССР Александр Метревели в финале уступил чеху Яну Кодешу (1:6, 8:9, 4:6).",
        "Ян Кодеш",
    ),
]


@pytest.mark.parametrize(("sentence", "person"), REAL_SENTENCES)
def test_unknown_people_of_real_sentences_come_back_in_the_nominative(
    sentence: str, person: str
) -> None:
    found = {p.normalised for p in unknown_persons([sentence], "ru")}
    assert person in found, found


def test_one_person_printed_in_two_cases_is_one_name() -> None:
    # tass.ru/sport/8122287 and 8139541: the oblique form and the nominative of one man
    found = unknown_persons(
        [
            "Бой между чемпионом UFC Хабибом Нурмагомедовым и американцем Тони Фергюсоном"
            " не состоится из-за пандемии коронавируса.",
            "Хабиб Нурмагомедов вернулся в Дагестан.",
        ],
        "ru",
    )
    assert {p.normalised for p in found if "Нурмагомедов" in p.surface
            or "Нурмагомедовым" in p.surface} == {"Хабиб Нурмагомедов"}


def test_a_capital_yo_is_folded_like_a_small_one() -> None:
    # tass.ru/sport/8114885: counted under one spelling with "Есиро Мори"
    found = unknown_persons(
        [
            "Соответствующие даты в понедельник на пресс-конференции в Токио официально"
            " объявил глава оргкомитета \"Токио-2020\" Ёсиро Мори."
        ],
        "ru",
    )
    assert [p.normalised for p in found] == ["Есиро Мори"]


@pytest.mark.parametrize(
    ("printed", "nominative"),
    [
        # the words of a name agree: a woman's name stays as printed (tass.ru/sport/8111543)
        ("Александра Трусова", "Александра Трусова"),
        ("Аленой Косторной", "Алёна Косторная"),
        # a man's given name in the genitive settles a surname the dictionary lacks
        ("Джоша Грира", "Джош Грир"),  # tass.ru/obschestvo/8140053
        ("Александра Новака", "Александр Новак"),
        ("Павла Малкова", "Павел Малков"),
        # a surname is never read as a plural ("Акимов" is not "Акимы")
        ("Николай Акимов", "Николай Акимов"),
        # an indeclinable given name fits every case (tass.ru/sport/8122287); a guessed
        # indeclinable reading of a woman's name does not decide (tass.ru/sport/8136055)
        ("Тони Фергюсоном", "Тони Фергюсон"),
        ("Серене Уильямс", "Серена Уильямс"),
    ],
)
def test_names_are_put_into_the_nominative_as_a_whole(printed: str, nominative: str) -> None:
    assert " ".join(nominative_name(printed.split())) == nominative


def test_a_listed_name_is_found_in_the_instrumental() -> None:
    # tass.ru/sport/8122287: "Нурмагомедов" reads only as a plural genitive to the
    # dictionary, so its forms were guessed with a noun's "-ом" ("Нурмагомедовом");
    # a Russian surname takes "-ым". Likewise "Серена", read as a participle.
    m = EntityMatcher([("Хабиб Нурмагомедов", "khabib"), ("Серена Уильямс", "serena")], "ru")
    sentence = (
        "Бой с чемпионом Абсолютного бойцовского чемпионата (UFC) Хабибом Нурмагомедовым или"
        " ирландцем Конором Макгрегором является оптимальным для американца Тони Фергюсона."
    )
    assert m.find(sentence) == [("khabib", "Хабибом Нурмагомедовым")]
    # tass.ru/sport/8136055
    text = (
        "Среди женщин победу в 2004 году одержала Мария Шарапова, обыграв в решающем матче"
        " американку Серену Уильямс (6:1, 6:4). В 2010 году Вера Звонарева в финале проиграла"
        " Серене Уильямс (3:6, 2:6)."
    )
    assert [k for k, _ in m.find(text)] == ["serena", "serena"]
