-- Articles of a run's window, or stored by the run, that lack a headline, a body or a
-- publication time. Parameter: %(run_id)s. Returns one row: count and up to ten ids.
WITH run AS (
    SELECT window_start, window_end FROM ingest_runs WHERE id = %(run_id)s
), candidates AS (
    SELECT a.external_id, a.headline, a.body, a.published_at
    FROM articles a, run
    WHERE a.published_at >= run.window_start AND a.published_at < run.window_end
    UNION
    SELECT a.external_id, a.headline, a.body, a.published_at
    FROM articles a
    JOIN run_articles ra ON ra.source = a.source AND ra.external_id = a.external_id
    WHERE ra.ingest_run_id = %(run_id)s AND ra.status = 'loaded'
), incomplete AS (
    SELECT external_id
    FROM candidates
    WHERE coalesce(btrim(headline), '') = ''
       OR coalesce(btrim(body), '') = ''
       OR published_at IS NULL
)
SELECT
    (SELECT count(*) FROM incomplete)                                   AS incomplete,
    (SELECT coalesce(array_agg(external_id ORDER BY external_id), '{}')
       FROM (SELECT external_id FROM incomplete ORDER BY external_id LIMIT 10) AS s)
                                                                        AS sample_ids;
