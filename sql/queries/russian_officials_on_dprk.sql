-- What did Russian officials say in DPRK articles? The 20 newest quotations.
SELECT d.published_at, e.name AS speaker, q.text, d.url
FROM quotes q
JOIN entities e ON e.id = q.speaker_entity_id AND e.country = 'russia' AND e.kind = 'person'
JOIN dprk_articles d ON d.article_id = q.article_id
ORDER BY d.published_at DESC, q.article_id DESC, q.position
LIMIT 20;
