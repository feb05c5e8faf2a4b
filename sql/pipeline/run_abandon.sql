-- Close a run whose owner process is gone; its counts are what it had recorded.
UPDATE ingest_runs
SET state = 'abandoned', finished_at = now(), message = %(message)s
WHERE id = %(run_id)s AND state = 'running'
