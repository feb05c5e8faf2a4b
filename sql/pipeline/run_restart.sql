-- An Airflow retry of the same DAG run reuses its ingest_runs row: running again, with
-- the window it asks for, and nothing left of the previous attempt's end or block.
UPDATE ingest_runs
SET state = 'running', finished_at = NULL, message = NULL,
    blocked_at = NULL, blocked_reason = NULL,
    window_start = %(window_start)s, window_end = %(window_end)s
WHERE id = %(run_id)s
