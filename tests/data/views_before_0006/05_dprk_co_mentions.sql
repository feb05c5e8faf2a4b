-- Entities named together with the DPRK, per month.
DROP MATERIALIZED VIEW IF EXISTS dprk_co_mentions CASCADE;
CREATE MATERIALIZED VIEW dprk_co_mentions AS
SELECT date_trunc('month', d.moscow_day)::date AS month,
       e.key AS entity_key,
       e.name AS entity_name,
       e.kind AS entity_kind,
       count(*)::integer AS articles,
       sum(m.mention_count)::integer AS mentions,
       round(count(*)::numeric / max(t.dprk_articles), 4) AS share_of_dprk_articles
FROM dprk_articles d
JOIN article_mentions m ON m.article_id = d.article_id
JOIN entities e ON e.id = m.entity_id AND e.country IS DISTINCT FROM 'dprk'
JOIN (SELECT date_trunc('month', moscow_day)::date AS month, count(*) AS dprk_articles
      FROM dprk_articles GROUP BY 1) t ON t.month = date_trunc('month', d.moscow_day)::date
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX dprk_co_mentions_idx ON dprk_co_mentions (month, entity_key);

COMMENT ON MATERIALIZED VIEW dprk_co_mentions IS
    'Per month, each non-DPRK entity named in DPRK articles; refreshed after each load.';
COMMENT ON COLUMN dprk_co_mentions.month IS 'First day of the month (Moscow days).';
COMMENT ON COLUMN dprk_co_mentions.entity_key IS 'entities.key of the co-mentioned entity.';
COMMENT ON COLUMN dprk_co_mentions.entity_name IS 'Its display name.';
COMMENT ON COLUMN dprk_co_mentions.entity_kind IS 'country, person, organisation or region.';
COMMENT ON COLUMN dprk_co_mentions.articles IS 'DPRK articles of the month naming it.';
COMMENT ON COLUMN dprk_co_mentions.mentions IS 'Its mentions in those articles.';
COMMENT ON COLUMN dprk_co_mentions.share_of_dprk_articles IS
    'articles / all DPRK articles of the month (0..1).';
