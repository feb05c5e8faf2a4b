-- Move a batch of fetched articles of one run and source on, in one statement: their new
-- status, the archived response, the error and how many attempts the request took.
UPDATE run_articles ra
SET status = u.status, raw_response_id = u.raw_id, error = u.error, attempts = u.attempts
FROM unnest(%(external_ids)s::bigint[], %(statuses)s::text[], %(raw_ids)s::bigint[],
            %(errors)s::text[], %(attempts)s::int[])
     AS u(external_id, status, raw_id, error, attempts)
WHERE ra.ingest_run_id = %(run_id)s AND ra.source = %(source)s
  AND ra.external_id = u.external_id
