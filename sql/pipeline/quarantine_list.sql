-- The quarantine for operators, newest first. Parameter: %(reason)s (NULL: every reason).
SELECT q.source, q.external_id, q.url, q.reason, q.detail, q.raw_response_id,
       r.status_code AS raw_status, q.first_seen_at, q.last_seen_at, q.times_seen,
       (a.id IS NOT NULL) AS stored
FROM quarantine q
LEFT JOIN raw_responses r ON r.id = q.raw_response_id
LEFT JOIN articles a ON a.source = q.source AND a.external_id = q.external_id
WHERE %(reason)s::text IS NULL OR q.reason = %(reason)s::text
ORDER BY q.last_seen_at DESC, q.external_id;
