-- Who is quoted in DPRK articles.
DROP MATERIALIZED VIEW IF EXISTS dprk_speakers CASCADE;
CREATE MATERIALIZED VIEW dprk_speakers AS
SELECT COALESCE(e.key, lower(q.speaker)) AS speaker_key,
       COALESCE(e.name, min(q.speaker)) AS speaker,
       e.kind AS entity_kind,
       e.country AS entity_country,
       count(*)::integer AS quotes,
       count(DISTINCT q.article_id)::integer AS articles,
       min(d.published_at) AS first_quoted_at,
       max(d.published_at) AS last_quoted_at
FROM quotes q
JOIN dprk_articles d ON d.article_id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id
WHERE e.id IS NOT NULL
   OR lower(q.speaker) NOT IN ('he', 'she', 'they', 'it', 'он', 'она', 'они')
GROUP BY COALESCE(e.key, lower(q.speaker)), e.key, e.name, e.kind, e.country;
CREATE UNIQUE INDEX dprk_speakers_key_idx ON dprk_speakers (speaker_key);

COMMENT ON MATERIALIZED VIEW dprk_speakers IS
    'Speakers quoted in DPRK articles: resolved entities, else the speaker as printed '
    '(unresolved pronouns left out); refreshed after each load.';
COMMENT ON COLUMN dprk_speakers.speaker_key IS 'entities.key, or the printed speaker in lower case.';
COMMENT ON COLUMN dprk_speakers.speaker IS 'Display name.';
COMMENT ON COLUMN dprk_speakers.entity_kind IS 'Kind of the resolved entity, NULL if unresolved.';
COMMENT ON COLUMN dprk_speakers.entity_country IS 'Country of the resolved entity.';
COMMENT ON COLUMN dprk_speakers.quotes IS 'Quotations in DPRK articles.';
COMMENT ON COLUMN dprk_speakers.articles IS 'DPRK articles quoting the speaker.';
COMMENT ON COLUMN dprk_speakers.first_quoted_at IS 'Publication time of the first such article.';
COMMENT ON COLUMN dprk_speakers.last_quoted_at IS 'Publication time of the latest such article.';
