-- The archived page of each article of a batch (%(external_ids)s) of a run still in the
-- status %(fetched)s, with what discovery knew about it.
SELECT ra.source, ra.external_id, ra.url, ra.section, ra.feed_published_at,
       ra.feed_modified_at, ra.found_in, r.id, r.body_gzip, r.fetched_at
FROM run_articles ra
JOIN raw_responses r ON r.id = ra.raw_response_id
WHERE ra.ingest_run_id = %(run_id)s AND ra.external_id = ANY(%(external_ids)s)
  AND ra.status = %(fetched)s
