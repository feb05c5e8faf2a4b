-- What changed after publication: articles with more than one stored version.
CREATE OR REPLACE VIEW revised_articles AS
SELECT r.article_id,
       a.url,
       a.published_at,
       first.seen_at AS first_seen_at,
       r.seen_at AS revised_at,
       r.revision,
       first.headline AS first_headline,
       r.headline AS headline,
       first.headline IS DISTINCT FROM r.headline AS headline_changed,
       first.lead IS DISTINCT FROM r.lead AS lead_changed,
       first.body IS DISTINCT FROM r.body AS body_changed,
       length(r.body) - length(first.body) AS body_chars_added
FROM article_revisions r
JOIN article_revisions first ON first.article_id = r.article_id AND first.revision = 1
JOIN articles a ON a.id = r.article_id
WHERE r.revision > 1;

COMMENT ON VIEW revised_articles IS
    'One row per later version of an article, compared with the first version seen.';
COMMENT ON COLUMN revised_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN revised_articles.url IS 'Article URL.';
COMMENT ON COLUMN revised_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN revised_articles.first_seen_at IS 'When the first version was fetched.';
COMMENT ON COLUMN revised_articles.revised_at IS 'When this version was fetched.';
COMMENT ON COLUMN revised_articles.revision IS 'Version number (2, 3, ...).';
COMMENT ON COLUMN revised_articles.first_headline IS 'Headline of the first version.';
COMMENT ON COLUMN revised_articles.headline IS 'Headline of this version.';
COMMENT ON COLUMN revised_articles.headline_changed IS 'Headline differs from the first version.';
COMMENT ON COLUMN revised_articles.lead_changed IS 'Lead differs from the first version.';
COMMENT ON COLUMN revised_articles.body_changed IS 'Body differs from the first version.';
COMMENT ON COLUMN revised_articles.body_chars_added IS
    'Body length of this version minus that of the first (negative: text removed).';
