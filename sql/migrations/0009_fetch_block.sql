-- depends: 0007_roles
-- One "the host is blocking us" decision per run, shared by every fetch batch of it:
-- the first batch whose circuit breaker opens (or whose every fetch failed) records it
-- here, and the other batches stop before sending more requests. The quality gate reads
-- it too, so a blocked run ends failed even though parse and load still ran.

ALTER TABLE ingest_runs
    ADD COLUMN blocked_at       timestamptz,
    ADD COLUMN blocked_reason   text,
    ADD COLUMN fetch_started_at timestamptz;

COMMENT ON COLUMN ingest_runs.blocked_at IS
    'When a fetch batch of the run found the host refusing us; NULL: not blocked.';
COMMENT ON COLUMN ingest_runs.blocked_reason IS
    'Operator-facing explanation of the block: what was refused, how often, what to do.';
COMMENT ON COLUMN ingest_runs.fetch_started_at IS
    'When the first fetch batch of the run started; NULL: the fetch stage never ran.';
