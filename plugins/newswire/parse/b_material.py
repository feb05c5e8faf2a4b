"""The "b-material" layout of tass.com and tass.ru, 2016–2019 (archived copies).

The printed date (`October 12, 20:40 UTC+3`) has no year: the layout code takes it from
the page's other dates or, failing that, from the article id.
"""

from newswire.parse.layout import Layout, has_class

LAYOUT = Layout(
    name="b_material_2016",
    version="1",
    marker=has_class("b-material__title"),
    region_start=has_class("b-material__title"),
    region_end=('class="b-material__footer', 'class="b-related', "<footer"),
    headline="h1.b-material__title",
    lead="span[itemprop=description].b-material__preview, .b-material__preview",
    paragraphs=(
        "div.b-material-text__l.js-mediator-article p, div.b-material-text.js-mediator-article p"
    ),
    exclude=".b-material-incut, .b-also-read, .b-gallery, figure, figcaption, script, style",
    printed_date="span.b-material__date, .b-material__date",
)
