-- Every ISO week from %(first_week)s to %(last_week)s, Mondays, oldest first: weeks with no
-- article at all come back as rows of zeros, so the report can draw them as gaps.
SELECT g.week::date AS week_start,
       COALESCE(w.articles, 0) AS articles,
       COALESCE(w.dprk_articles, 0) AS dprk_articles,
       COALESCE(w.dprk_russia_articles, 0) AS dprk_russia_articles
FROM generate_series(%(first_week)s::date, %(last_week)s::date, interval '1 week') AS g (week)
LEFT JOIN weekly_coverage w ON w.week_start = g.week::date
ORDER BY 1;
