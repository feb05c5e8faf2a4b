-- Which months had the largest share of DPRK coverage? Monthly totals, newest first.
SELECT date_trunc('month', day)::date AS month,
       sum(articles)::integer AS articles,
       sum(dprk_articles)::integer AS dprk_articles,
       sum(dprk_russia_articles)::integer AS dprk_russia_articles,
       round(sum(dprk_articles)::numeric / sum(articles), 4) AS dprk_share
FROM daily_coverage
GROUP BY 1
ORDER BY 1 DESC
LIMIT 24;
