-- What did Russian officials say in DPRK articles? The 20 newest quotations.
-- Each with the office the speaker held on the day (entity_roles); people and Russian
-- bodies alike.
SELECT d.published_at,
       e.name AS speaker,
       e.kind AS speaker_kind,
       (SELECT string_agg(DISTINCT r.role || COALESCE(' to ' || r.to_country, ''), ', ')
        FROM entity_roles r
        WHERE r.entity_id = e.id
          AND r.of_country = 'russia'
          AND (r.valid_from IS NULL OR r.valid_from <= d.moscow_day)
          AND (r.valid_to IS NULL OR r.valid_to >= d.moscow_day)
       ) AS office_then,
       q.text,
       d.url
FROM quotes q
JOIN entities e ON e.id = q.speaker_entity_id
               AND e.country = 'russia'
               AND e.kind IN ('person', 'organisation')
JOIN dprk_articles d ON d.article_id = q.article_id
ORDER BY d.published_at DESC, q.article_id DESC, q.position
LIMIT 20;
