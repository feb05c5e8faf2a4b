-- The texts of a run's staged articles that the merge will insert or rewrite (new, or
-- their content hash differs from the stored one): the load analyses them before its
-- transaction opens. Parameter: %(run_id)s. Columns: the article's key (source,
-- external_id), then the analysis's inputs.
SELECT s.source, s.external_id, s.headline, s.lead, s.body, s.language, s.published_at
FROM staged_articles s
LEFT JOIN articles a USING (source, external_id)
WHERE s.ingest_run_id = %(run_id)s
  AND (a.id IS NULL OR a.content_hash IS DISTINCT FROM s.content_hash)
