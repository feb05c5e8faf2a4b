"""tass.ru of 2019–2021: the `news-header__*`/`text-block` classes of tass.com, in Russian.

Told apart from tass.com only by the page's declared language, so it is tried first.
"""

from newswire.parse.layout import Layout
from newswire.parse.tass_com import LAYOUT as TASS_COM

LAYOUT = Layout(
    name="tass_ru_2019",
    version="1",
    marker=TASS_COM.marker,
    language="ru",
    region_start=TASS_COM.region_start,
    region_end=TASS_COM.region_end,
    headline=TASS_COM.headline,
    lead=TASS_COM.lead,
    paragraphs=TASS_COM.paragraphs,
    exclude=TASS_COM.exclude + ", .text-include, .news-media__caption",
    unix_time=TASS_COM.unix_time,
)
