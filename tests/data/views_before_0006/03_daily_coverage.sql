-- Per Moscow day: all articles, DPRK articles, DPRK-Russia articles and the DPRK share.
DROP MATERIALIZED VIEW IF EXISTS daily_coverage CASCADE;
CREATE MATERIALIZED VIEW daily_coverage AS
WITH all_days AS (
    SELECT (published_at AT TIME ZONE 'Europe/Moscow')::date AS day, count(*) AS articles
    FROM articles GROUP BY 1
), dprk_days AS (
    SELECT moscow_day AS day, count(*) AS dprk_articles,
           count(*) FILTER (WHERE russia_mentioned) AS dprk_russia_articles
    FROM dprk_articles GROUP BY 1
)
SELECT a.day,
       a.articles::integer,
       COALESCE(d.dprk_articles, 0)::integer AS dprk_articles,
       COALESCE(d.dprk_russia_articles, 0)::integer AS dprk_russia_articles,
       round(COALESCE(d.dprk_articles, 0)::numeric / a.articles, 4) AS dprk_share
FROM all_days a
LEFT JOIN dprk_days d USING (day);
CREATE UNIQUE INDEX daily_coverage_day_idx ON daily_coverage (day);

COMMENT ON MATERIALIZED VIEW daily_coverage IS
    'Coverage per Moscow calendar day; refreshed after each load. Days without articles are absent.';
COMMENT ON COLUMN daily_coverage.day IS 'Publication day, Moscow time.';
COMMENT ON COLUMN daily_coverage.articles IS 'All articles published that day.';
COMMENT ON COLUMN daily_coverage.dprk_articles IS 'Articles naming the DPRK or its people.';
COMMENT ON COLUMN daily_coverage.dprk_russia_articles IS 'DPRK articles also naming Russia.';
COMMENT ON COLUMN daily_coverage.dprk_share IS 'dprk_articles / articles (0..1).';
