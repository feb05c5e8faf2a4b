"""tass.com as served 2022–2026 (old articles included): `news-header__*` and `text-block`."""

from newswire.parse.layout import Layout

LAYOUT = Layout(
    name="tass_com_2022",
    version="1",
    detect="h1.news-header__title",
    headline="h1.news-header__title",
    lead=".news-header__lead",
    paragraphs=".text-content .text-block p, .text-block > p",
    exclude=".also-read, .news-media, figure, figcaption, .related-news, script, style",
    unix_time=".news dateformat[time], dateformat[time]",
)
