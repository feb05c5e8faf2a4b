-- Articles of the run's load that have no entity mention at all: stored before entity
-- extraction existed (or mentioning nobody), so re-running a window fills in what an
-- older warehouse lacks.
SELECT a.id
FROM staged_articles s
JOIN articles a USING (source, external_id)
WHERE s.ingest_run_id = %(run_id)s
  AND NOT EXISTS (SELECT 1 FROM article_mentions m WHERE m.article_id = a.id)
