"""tass.com as served 2022–2026 (old articles included): `news-header__*` and `text-block`."""

from newswire.parse.layout import Layout, has_class

LAYOUT = Layout(
    name="tass_com_2022",
    version="2",
    marker=has_class("news-header__title"),
    region_start=has_class("news"),
    region_end=('class="related-news', 'class="news-feed', "<footer"),
    headline="h1.news-header__title",
    lead=".news-header__lead",
    paragraphs=".text-content .text-block p, .text-block > p",
    exclude=".also-read, .news-media, figure, figcaption, .related-news, script, style",
    unix_time=".news dateformat[time], dateformat[time]",
)
