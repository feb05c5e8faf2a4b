"""What a tass.ru page must yield, from its fixture record: the oracle of the Russian tests.

`expected_article` knows the plain dateline (`ГОРОД, 30 марта. /ТАСС/.`). Russian texts
also open with a correspondent credit (`/Корр. ТАСС Имя Фамилия/.`), the old agency name
(`/ИТАР-ТАСС/.`), no agency mark at all, or `ТАСС, 10 августа.` with no city; until the
dateline reader handles those, such an opening may yield its place or no dateline, and
nothing else.
"""

from __future__ import annotations

import re

from newswire.testsite.pages import ArticleRecord, expected_article, normalise_space

_RU_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_ANY_RU_OPENING = re.compile(rf"^(?P<place>[А-ЯЁA-Z][^,\n]{{0,60}}), \d{{1,2}} (?:{_RU_MONTHS})\.")


def dateline_ok(found: str | None, record: ArticleRecord) -> bool:
    """Whether `found` is an acceptable dateline place for the record's first paragraph."""
    want = expected_article(record)["dateline"]
    if want is not None:
        return found == want
    opening = _ANY_RU_OPENING.match(normalise_space(record.paragraphs[0]))
    if opening is None:
        return found is None
    return found in (None, opening.group("place"))
