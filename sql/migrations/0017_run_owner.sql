-- depends: 0016_reanalyse_jobs
-- A run driven by a process at a terminal (`make ingest`, `make demo`, `newswire ingest`)
-- names that process, so the next run can tell a run still going from one whose process
-- died (killed, machine rebooted) and close it as `abandoned` instead of leaving it
-- `running` for ever. Runs of the scheduled stack have no owner: Airflow fails those.
ALTER TABLE ingest_runs ADD COLUMN owner text;
COMMENT ON COLUMN ingest_runs.owner IS
    'host:pid of the interactive process driving the run; NULL for scheduled runs.';

ALTER TABLE ingest_runs DROP CONSTRAINT ingest_runs_state_check;
ALTER TABLE ingest_runs ADD CONSTRAINT ingest_runs_state_check
    CHECK (state IN ('running', 'success', 'failed', 'abandoned'));
COMMENT ON COLUMN ingest_runs.state IS
    'running, success, failed, or abandoned (its owner process died before it finished).';
