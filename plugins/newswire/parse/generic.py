"""Any other page: JSON-LD `articleBody` and OpenGraph, else the largest block of <p>.

Picked only when no TASS layout's marker is on the page and it is not a 'not found'
page; its results are marked with its own extraction method so analysts can weigh them.
"""

from newswire.parse.layout import BODY_BY_LARGEST_BLOCK, Layout, TagMarker

LAYOUT = Layout(
    name="generic",
    version="1",
    marker=None,
    region_start=TagMarker(("<main", "<article")),
    region_end=("<footer",),
    headline="",
    lead="",
    paragraphs="",
    body=BODY_BY_LARGEST_BLOCK,
)
