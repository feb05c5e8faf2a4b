-- What changed in the 20 most recent revisions, word by word (against the version before)?
SELECT seen_at, revision, headline_before, headline_after,
       headline_words_added, headline_words_removed,
       lead_words_added, lead_words_removed,
       body_words_added, body_words_removed, url
FROM article_revision_changes
ORDER BY seen_at DESC, article_id DESC
LIMIT 20;
