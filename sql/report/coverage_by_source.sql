-- Articles per source and language published in [%(since)s, %(until)s) (Moscow days),
-- with how many name the DPRK and how many of those also name Russia.
SELECT a.source,
       a.language,
       count(*)::integer AS articles,
       count(d.article_id)::integer AS dprk_articles,
       count(*) FILTER (WHERE d.russia_mentioned)::integer AS dprk_russia_articles
FROM articles a
LEFT JOIN dprk_articles d ON d.article_id = a.id
WHERE a.published_at >= %(since)s::date::timestamp AT TIME ZONE 'Europe/Moscow'
  AND a.published_at < %(until)s::date::timestamp AT TIME ZONE 'Europe/Moscow'
GROUP BY a.source, a.language
ORDER BY articles DESC, a.source, a.language;
