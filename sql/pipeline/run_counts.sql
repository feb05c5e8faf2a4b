-- How far each article of a run got, for the run summary. Parameter: %(run_id)s.
-- runs.finish_run writes the columns back by name (sql/pipeline/run_finish.sql).
SELECT
    count(*)                                                        AS discovered,
    count(*) FILTER (WHERE status IN ('fetched', 'parsed', 'parse_failed', 'loaded'))
                                                                    AS fetched,
    count(*) FILTER (WHERE status IN ('parsed', 'loaded'))          AS parsed,
    count(*) FILTER (WHERE status IN ('fetch_failed', 'gone', 'parse_failed'))
                                                                    AS failed,
    COALESCE(sum(GREATEST(attempts - 1, 0)), 0)::integer            AS retried,
    count(*) FILTER (WHERE status = 'not_modified')                 AS not_modified,
    count(*) FILTER (WHERE status = 'skipped')
        + (SELECT discovery_skipped FROM ingest_runs WHERE id = %(run_id)s)
                                                                    AS skipped,
    count(*) FILTER (WHERE status IN ('fetch_failed', 'parse_failed'))
                                                                    AS quarantined
FROM run_articles
WHERE ingest_run_id = %(run_id)s;
