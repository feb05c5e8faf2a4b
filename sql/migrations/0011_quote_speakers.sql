-- depends: 0010_recent_revisions_index
-- Quotes name the person behind them: the fullest name the article gives the speaker
-- ("he", "Ambassador Kim" -> "Kim Hyun Joong"), the role printed beside it, and the
-- knowledge-base entity of that person. dprk_speakers then groups by the person, not by
-- the words printed next to a quotation.

ALTER TABLE quotes ADD COLUMN speaker_name text;
ALTER TABLE quotes ADD COLUMN speaker_role text;
ALTER TABLE quotes RENAME COLUMN entity_id TO speaker_entity_id;
ALTER INDEX quotes_entity_idx RENAME TO quotes_speaker_entity_idx;
ALTER TABLE quotes RENAME CONSTRAINT quotes_entity_id_fkey TO quotes_speaker_entity_id_fkey;

COMMENT ON TABLE quotes IS
    'Direct quotations in the current version of each article, with the speaker as printed '
    'and the person or body behind it.';
COMMENT ON COLUMN quotes.id IS 'Surrogate key.';
COMMENT ON COLUMN quotes.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN quotes.position IS 'Order of the quotation in the article, from 1.';
COMMENT ON COLUMN quotes.paragraph IS 'Body paragraph it appears in, from 0.';
COMMENT ON COLUMN quotes.speaker IS
    'Speaker as printed next to the quotation: a name, a description (the Russian leader) '
    'or a pronoun.';
COMMENT ON COLUMN quotes.speaker_name IS
    'Fullest name the article gives that speaker (a person, or a body such as the Russian '
    'Foreign Ministry when the text makes it the speaker); NULL when the article never names them.';
COMMENT ON COLUMN quotes.speaker_role IS
    'Role the article prints for the speaker (DPRK ambassador in Moscow), if any.';
COMMENT ON COLUMN quotes.speaker_entity_id IS
    'Knowledge-base person the speaker is (entities.id), if the person is tracked.';
COMMENT ON COLUMN quotes.text IS 'The quoted words, without the quotation marks.';

-- Grouped by the resolved person: entity key if tracked, else the name in lower case.
DROP MATERIALIZED VIEW IF EXISTS dprk_speakers;
CREATE MATERIALIZED VIEW dprk_speakers AS
WITH quoted AS (
    SELECT COALESCE(e.key, lower(q.speaker_name)) AS speaker_key,
           q.speaker_name, q.speaker_role, q.article_id, d.published_at,
           e.name AS entity_name, e.kind AS entity_kind, e.country AS entity_country
    FROM quotes q
    JOIN dprk_articles d ON d.article_id = q.article_id
    LEFT JOIN entities e ON e.id = q.speaker_entity_id
    WHERE q.speaker_name IS NOT NULL
),
roles AS (
    SELECT DISTINCT ON (speaker_key) speaker_key, speaker_role
    FROM quoted
    WHERE speaker_role IS NOT NULL
    GROUP BY speaker_key, speaker_role
    ORDER BY speaker_key, count(*) DESC, speaker_role
),
names AS (
    SELECT DISTINCT ON (speaker_key) speaker_key, speaker_name
    FROM quoted
    GROUP BY speaker_key, speaker_name
    ORDER BY speaker_key, count(*) DESC, length(speaker_name) DESC, speaker_name
)
SELECT g.speaker_key,
       COALESCE(g.entity_name, n.speaker_name) AS speaker_name,
       r.speaker_role,
       g.entity_kind,
       g.entity_country,
       g.quotes,
       g.articles,
       g.first_quoted_at,
       g.last_quoted_at
FROM (
    SELECT speaker_key,
           min(entity_name) AS entity_name,
           min(entity_kind) AS entity_kind,
           min(entity_country) AS entity_country,
           count(*)::integer AS quotes,
           count(DISTINCT article_id)::integer AS articles,
           min(published_at) AS first_quoted_at,
           max(published_at) AS last_quoted_at
    FROM quoted
    GROUP BY speaker_key
) g
JOIN names n USING (speaker_key)
LEFT JOIN roles r USING (speaker_key);
CREATE UNIQUE INDEX dprk_speakers_key_idx ON dprk_speakers (speaker_key);

COMMENT ON MATERIALIZED VIEW dprk_speakers IS
    'People and bodies quoted in DPRK articles, one row per resolved speaker (quotes whose '
    'speaker the article never names are left out); refreshed by refresh_analyst_views().';
COMMENT ON COLUMN dprk_speakers.speaker_key IS
    'entities.key of the tracked person, else the speaker''s name in lower case.';
COMMENT ON COLUMN dprk_speakers.speaker_name IS
    'Display name: the entity''s name, else the name most often printed.';
COMMENT ON COLUMN dprk_speakers.speaker_role IS 'Role most often printed for the speaker.';
COMMENT ON COLUMN dprk_speakers.entity_kind IS 'Kind of the tracked entity, NULL if untracked.';
COMMENT ON COLUMN dprk_speakers.entity_country IS 'Country of the tracked entity.';
COMMENT ON COLUMN dprk_speakers.quotes IS 'Quotations in DPRK articles.';
COMMENT ON COLUMN dprk_speakers.articles IS 'DPRK articles quoting the speaker.';
COMMENT ON COLUMN dprk_speakers.first_quoted_at IS 'Publication time of the first such article.';
COMMENT ON COLUMN dprk_speakers.last_quoted_at IS 'Publication time of the latest such article.';

GRANT SELECT ON dprk_speakers TO news_analyst;
GRANT SELECT ON dprk_speakers TO news_ingest;
