-- Articles that mention the DPRK or one of its people (materialised: refreshed after each load).
DROP MATERIALIZED VIEW IF EXISTS dprk_articles CASCADE;
CREATE MATERIALIZED VIEW dprk_articles AS
WITH dprk AS (
    SELECT m.article_id,
           sum(m.mention_count)::integer AS dprk_mentions,
           bool_or(m.in_headline)        AS dprk_in_headline,
           bool_or(m.in_lead)            AS dprk_in_lead
    FROM article_mentions m
    JOIN entities e ON e.id = m.entity_id
    WHERE e.country = 'dprk'
    GROUP BY m.article_id
)
SELECT a.id AS article_id, a.published_at, (a.published_at AT TIME ZONE 'Europe/Moscow')::date
       AS moscow_day, a.language, a.section, a.headline, a.lead, a.url,
       d.dprk_mentions, d.dprk_in_headline, d.dprk_in_lead,
       EXISTS (SELECT 1 FROM article_mentions r JOIN entities re ON re.id = r.entity_id
               WHERE r.article_id = a.id AND re.country = 'russia') AS russia_mentioned
FROM dprk d
JOIN articles a ON a.id = d.article_id;
CREATE UNIQUE INDEX dprk_articles_id_idx ON dprk_articles (article_id);
CREATE INDEX dprk_articles_published_idx ON dprk_articles (published_at DESC);

COMMENT ON MATERIALIZED VIEW dprk_articles IS
    'Articles naming the DPRK or one of its people (Kim Jong-un, Choe Son-hui, ...); '
    'refreshed after each load.';
COMMENT ON COLUMN dprk_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN dprk_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN dprk_articles.moscow_day IS 'Publication day in Moscow time, as TASS dates it.';
COMMENT ON COLUMN dprk_articles.language IS 'en or ru.';
COMMENT ON COLUMN dprk_articles.section IS 'Section slug.';
COMMENT ON COLUMN dprk_articles.headline IS 'Current headline.';
COMMENT ON COLUMN dprk_articles.lead IS 'Current lead.';
COMMENT ON COLUMN dprk_articles.url IS 'Article URL.';
COMMENT ON COLUMN dprk_articles.dprk_mentions IS 'Mentions of the DPRK and its people.';
COMMENT ON COLUMN dprk_articles.dprk_in_headline IS 'The headline names the DPRK or its people.';
COMMENT ON COLUMN dprk_articles.dprk_in_lead IS 'The lead names the DPRK or its people.';
COMMENT ON COLUMN dprk_articles.russia_mentioned IS 'The article also names Russia or its people.';
