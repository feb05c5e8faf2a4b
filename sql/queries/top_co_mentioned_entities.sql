-- Which countries and people appear most often alongside the DPRK over the last year?
SELECT entity_name, entity_kind, sum(articles)::integer AS dprk_articles_naming_it
FROM dprk_co_mentions
WHERE month >= (SELECT max(month) FROM dprk_co_mentions) - interval '11 months'
GROUP BY entity_name, entity_kind
ORDER BY dprk_articles_naming_it DESC, entity_name
LIMIT 15;
