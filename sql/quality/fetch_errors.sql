-- The most frequent fetch errors of a run, so a failed check names the cause (for example
-- "HTTP 403"). Parameter: %(run_id)s.
SELECT coalesce(error, 'unknown') AS error, count(*) AS articles
FROM run_articles
WHERE ingest_run_id = %(run_id)s AND status = 'fetch_failed'
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT 3;
