-- Where every article a run discovered ended up, for the stored-vs-discovered and the
-- extraction-failure checks. "stored" counts only articles really present in `articles`:
-- loaded by this run, or answered 304 to a conditional GET for the version stored before.
-- "skipped" are deliberate, recorded decisions (a redirect to another host).
-- Parameter: %(run_id)s. Returns one row.
SELECT
    count(*)                                                          AS discovered,
    count(*) FILTER (WHERE ra.status IN ('loaded', 'not_modified') AND EXISTS (
        SELECT 1 FROM articles a
        WHERE a.source = ra.source AND a.external_id = ra.external_id)) AS stored,
    count(*) FILTER (WHERE ra.status = 'gone')                        AS gone,
    count(*) FILTER (WHERE ra.status = 'parse_failed')                AS quarantined,
    count(*) FILTER (WHERE ra.status = 'fetch_failed')                AS fetch_failed,
    count(*) FILTER (WHERE ra.status IN ('discovered', 'fetched', 'parsed'))
                                                                      AS unfinished,
    count(*) FILTER (WHERE ra.status = 'skipped')                     AS skipped,
    count(*) FILTER (WHERE ra.status = 'discovered')                  AS never_requested
FROM run_articles ra
WHERE ra.ingest_run_id = %(run_id)s;
