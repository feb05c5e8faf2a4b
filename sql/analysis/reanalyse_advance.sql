-- The articles analysed with an older snapshot (%(stale)s) that job %(job_id)s does not
-- re-analyse find the same under the current one: record them as analysed with it
-- (%(current)s), so the next re-analysis compares with the current knowledge base.
-- Unknown people move only when the job recomputes them (%(discover)s).
UPDATE article_analysis s
SET snapshot_id = %(current)s,
    unknown_snapshot_id = CASE
        WHEN %(discover)s AND s.unknown_snapshot_id = ANY(%(stale)s::integer[]) THEN %(current)s
        ELSE s.unknown_snapshot_id
    END
WHERE (s.snapshot_id = ANY(%(stale)s::integer[])
       OR (%(discover)s AND s.unknown_snapshot_id = ANY(%(stale)s::integer[])))
  AND NOT EXISTS (
      SELECT 1 FROM reanalyse_targets t WHERE t.job_id = %(job_id)s AND t.article_id = s.article_id
  );
