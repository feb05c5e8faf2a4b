-- Weekly coverage for the report: the newest %(weeks)s weeks, oldest first.
SELECT *
FROM (SELECT week_start, articles, dprk_articles, dprk_russia_articles
      FROM weekly_coverage ORDER BY week_start DESC LIMIT %(weeks)s) w
ORDER BY week_start;
