-- The articles of a run still waiting for a request (statuses given as %(pending)s),
-- optionally limited to one batch of external ids (%(only_ids)s, NULL: all of them).
SELECT source, external_id, url, section
FROM run_articles
WHERE ingest_run_id = %(run_id)s
  AND status = ANY(%(pending)s::text[])
  AND (%(only_ids)s::bigint[] IS NULL OR external_id = ANY(%(only_ids)s::bigint[]))
ORDER BY external_id
