-- The runs still `running` whose owner process lived on this host ('host:pid').
SELECT id, owner FROM ingest_runs
WHERE state = 'running' AND owner IS NOT NULL AND split_part(owner, ':', 1) = %(host)s
ORDER BY id
