"""tass.ru of 2025–2026 (a Next.js site): CSS-module class names with hashed suffixes.

Only the stable prefix (`Paragraph_paragraph__`) is matched, since the suffix changes
with every build. Dates live in the embedded `__NEXT_DATA__` JSON.
"""

from newswire.parse.layout import Layout, class_prefix

LAYOUT = Layout(
    name="tass_ru_next_2025",
    version="1",
    marker=class_prefix("Paragraph_paragraph__"),
    region_start=class_prefix("NewsHeader_header__"),
    region_end=('class="NewsFeed_feed__', 'class="RelatedNews_', "<footer"),
    headline='h1[class*="NewsHeader_title__"], [class*="NewsHeader_title__"]',
    lead='[class*="NewsHeader_lead__"]',
    paragraphs='[class*="Paragraph_paragraph__"]',
    exclude='[class*="InlineRead_"], [class*="Gallery_"], figure, figcaption, script, style',
    tags='[class*="Tags_tag__"]',
    embedded_dates=True,
)
