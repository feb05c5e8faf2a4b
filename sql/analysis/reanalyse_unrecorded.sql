-- Job %(job_id)s re-analyses every article whose analysis has no record of what it was
-- computed with (analysed before the record existed; with %(discover)s, also those whose
-- unknown people never were computed with a record).
INSERT INTO reanalyse_targets (job_id, article_id)
SELECT %(job_id)s, a.id
FROM articles a
LEFT JOIN article_analysis s ON s.article_id = a.id
WHERE s.article_id IS NULL
   OR (%(discover)s AND s.unknown_snapshot_id IS NULL)
ON CONFLICT DO NOTHING;
