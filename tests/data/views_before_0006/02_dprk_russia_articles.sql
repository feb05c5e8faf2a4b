-- DPRK articles that also mention Russia or its people.
CREATE OR REPLACE VIEW dprk_russia_articles AS
SELECT article_id, published_at, moscow_day, language, section, headline, lead, url,
       dprk_mentions, dprk_in_headline
FROM dprk_articles
WHERE russia_mentioned;

COMMENT ON VIEW dprk_russia_articles IS
    'Articles naming both the DPRK (or its people) and Russia (or its people).';
COMMENT ON COLUMN dprk_russia_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN dprk_russia_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN dprk_russia_articles.moscow_day IS 'Publication day in Moscow time.';
COMMENT ON COLUMN dprk_russia_articles.language IS 'en or ru.';
COMMENT ON COLUMN dprk_russia_articles.section IS 'Section slug.';
COMMENT ON COLUMN dprk_russia_articles.headline IS 'Current headline.';
COMMENT ON COLUMN dprk_russia_articles.lead IS 'Current lead.';
COMMENT ON COLUMN dprk_russia_articles.url IS 'Article URL.';
COMMENT ON COLUMN dprk_russia_articles.dprk_mentions IS 'Mentions of the DPRK and its people.';
COMMENT ON COLUMN dprk_russia_articles.dprk_in_headline IS 'The headline names the DPRK.';
