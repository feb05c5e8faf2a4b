"""A local imitation of tass.com (feeds, sitemaps, article pages) for tests and the demo.

Nothing here talks to the real site: pages are rendered from committed fixtures derived
from real TASS texts (see ``scripts/build_testsite_fixtures.py``).
"""

from devtools.testsite.pages import ArticleRecord, expected_article, section_name
from devtools.testsite.server import TassTestSite, TassTestSites, load_fixture_articles

__all__ = [
    "ArticleRecord",
    "TassTestSite",
    "TassTestSites",
    "expected_article",
    "load_fixture_articles",
    "section_name",
]
