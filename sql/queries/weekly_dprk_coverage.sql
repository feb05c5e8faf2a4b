-- How often did TASS write about North Korea each week, and how much of it involved Russia?
-- The last 26 weeks that have articles, newest first.
SELECT week_start, articles, dprk_articles, dprk_russia_articles, dprk_share
FROM weekly_coverage
ORDER BY week_start DESC
LIMIT 26;
