-- The top %(per_week)s DPRK headlines of each week in %(weeks)s (Mondays): headlines naming
-- the DPRK first, then those also naming Russia, then the most DPRK mentions.
SELECT week_start, published_at, headline, url
FROM (
    SELECT date_trunc('week', moscow_day)::date AS week_start, published_at, headline, url,
           row_number() OVER (PARTITION BY date_trunc('week', moscow_day)
                              ORDER BY dprk_in_headline DESC, russia_mentioned DESC,
                                       dprk_mentions DESC, published_at, article_id) AS place
    FROM dprk_articles
    WHERE moscow_day >= (SELECT min(w) FROM unnest(%(weeks)s::date[]) AS w)
      AND moscow_day < (SELECT max(w) FROM unnest(%(weeks)s::date[]) AS w) + 7
      AND date_trunc('week', moscow_day)::date = ANY (%(weeks)s::date[])
) ranked
WHERE place <= %(per_week)s
ORDER BY week_start, place;
