-- The secondary indexes a bulk load drops and rebuilds: every index of the given tables
-- that backs no constraint (primary keys and unique keys stay, the load's upserts and
-- deletes need them). Parameter: %(tables)s, table names. Returns name and definition.
SELECT c.relname AS name, pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
WHERE i.indrelid = ANY (%(tables)s::text[]::regclass[])
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY c.relname;
