-- How far each article of a run got, for the run summary. Parameter: %(run_id)s.
SELECT
    count(*)                                                        AS discovered,
    count(*) FILTER (WHERE status IN ('fetched', 'parsed', 'parse_failed', 'loaded'))
                                                                    AS fetched,
    count(*) FILTER (WHERE status IN ('parsed', 'loaded'))          AS parsed,
    count(*) FILTER (WHERE status IN ('fetch_failed', 'gone', 'parse_failed'))
                                                                    AS failed
FROM run_articles
WHERE ingest_run_id = %(run_id)s;
