-- What a re-parse works on: for every article ever fetched, its latest archived 200
-- response, optionally limited to articles published in [%(since)s, %(until)s).
-- The publication time is the stored article's, else what the feeds said.
SELECT DISTINCT ON (ra.source, ra.external_id)
       ra.source, ra.external_id, ra.url, ra.section, ra.feed_published_at,
       ra.feed_modified_at, ra.found_in, r.id AS raw_response_id
FROM run_articles ra
JOIN raw_responses r ON r.id = ra.raw_response_id AND r.status_code = 200
LEFT JOIN articles a ON a.source = ra.source AND a.external_id = ra.external_id
WHERE (%(since)s::timestamptz IS NULL
       OR COALESCE(a.published_at, ra.feed_published_at, ra.feed_modified_at) >= %(since)s)
  AND (%(until)s::timestamptz IS NULL
       OR COALESCE(a.published_at, ra.feed_published_at, ra.feed_modified_at) < %(until)s)
ORDER BY ra.source, ra.external_id, r.fetched_at DESC, r.id DESC;
