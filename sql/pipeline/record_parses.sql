-- Move a batch of parsed (or quarantined) articles of one run and source on, in one
-- statement: their new status and the extraction error, if any.
UPDATE run_articles ra
SET status = u.status, error = u.error
FROM unnest(%(external_ids)s::bigint[], %(statuses)s::text[], %(errors)s::text[])
     AS u(external_id, status, error)
WHERE ra.ingest_run_id = %(run_id)s AND ra.source = %(source)s
  AND ra.external_id = u.external_id
