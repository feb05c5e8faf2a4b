-- Per ISO week (Monday start, Moscow days).
CREATE OR REPLACE VIEW weekly_coverage AS
SELECT date_trunc('week', day)::date AS week_start,
       sum(articles)::integer AS articles,
       sum(dprk_articles)::integer AS dprk_articles,
       sum(dprk_russia_articles)::integer AS dprk_russia_articles,
       round(sum(dprk_articles)::numeric / sum(articles), 4) AS dprk_share
FROM daily_coverage
GROUP BY 1;

COMMENT ON VIEW weekly_coverage IS 'daily_coverage summed per ISO week (Monday to Sunday).';
COMMENT ON COLUMN weekly_coverage.week_start IS 'Monday of the week.';
COMMENT ON COLUMN weekly_coverage.articles IS 'All articles published that week.';
COMMENT ON COLUMN weekly_coverage.dprk_articles IS 'Articles naming the DPRK or its people.';
COMMENT ON COLUMN weekly_coverage.dprk_russia_articles IS 'DPRK articles also naming Russia.';
COMMENT ON COLUMN weekly_coverage.dprk_share IS 'dprk_articles / articles (0..1).';
