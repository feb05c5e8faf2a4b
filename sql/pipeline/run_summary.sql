-- One run as the RunSummary the CLI prints and the DAG logs.
SELECT id AS run_id, state, window_start, window_end, discovered, fetched, parsed,
       inserted, updated, unchanged, failed, message, retried, not_modified, skipped,
       quarantined
FROM ingest_runs
WHERE id = %(run_id)s
