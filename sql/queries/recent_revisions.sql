-- What changed after publication? The 20 most recent revisions, with what changed.
SELECT revised_at, published_at, revision, first_headline, headline, headline_changed,
       lead_changed, body_changed, body_chars_added, url
FROM revised_articles
ORDER BY revised_at DESC, article_id DESC
LIMIT 20;
