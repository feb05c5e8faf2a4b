-- Daily coverage for the report: the last %(days)s days that have data.
SELECT day, articles, dprk_articles, dprk_russia_articles
FROM daily_coverage
WHERE day > (SELECT max(day) FROM daily_coverage) - %(days)s
ORDER BY day;
