-- Entities most often named in DPRK articles, over all months.
SELECT entity_name, sum(articles)::int
FROM dprk_co_mentions
GROUP BY entity_name
ORDER BY 2 DESC, 1
LIMIT %(top)s;
