-- Close a run: its counts (from sql/pipeline/run_counts.sql), final state and message.
UPDATE ingest_runs
SET discovered = %(discovered)s, fetched = %(fetched)s, parsed = %(parsed)s,
    failed = %(failed)s, retried = %(retried)s, not_modified = %(not_modified)s,
    skipped = %(skipped)s, quarantined = %(quarantined)s,
    state = %(state)s, message = %(message)s, finished_at = now()
WHERE id = %(run_id)s
