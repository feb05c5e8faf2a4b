-- ETag / Last-Modified to send with a conditional GET, per article of a run still to fetch:
-- those of the latest 200 response that was parsed and loaded into the stored article.
-- A response that was fetched but never loaded (a run stopped early, a challenge page)
-- is never used, so a 304 can only ever confirm what the warehouse already holds.
-- Parameters: %(run_id)s, %(pending)s (the statuses waiting for a request, states.py).
SELECT DISTINCT ON (todo.source, todo.external_id)
       todo.source, todo.external_id,
       r.headers ->> 'etag' AS etag, r.headers ->> 'last-modified' AS last_modified
FROM run_articles todo
JOIN articles a ON a.source = todo.source AND a.external_id = todo.external_id
JOIN run_articles done ON done.source = todo.source AND done.external_id = todo.external_id
                      AND done.status = 'loaded'
JOIN raw_responses r ON r.id = done.raw_response_id AND r.status_code = 200
WHERE todo.ingest_run_id = %(run_id)s AND todo.status = ANY(%(pending)s::text[])
  AND (r.headers ? 'etag' OR r.headers ? 'last-modified')
ORDER BY todo.source, todo.external_id, r.fetched_at DESC;
