-- The foreign keys a bulk load drops and adds back: every foreign key of the given
-- tables. Checked row by row they cost more than the rows' own writes; added back, one
-- set-based check validates the whole table. Parameter: %(tables)s, table names.
-- Returns table, constraint name and definition.
SELECT k.conrelid::regclass::text AS table_name, k.conname AS name,
       pg_get_constraintdef(k.oid) AS definition
FROM pg_constraint k
WHERE k.contype = 'f'
  AND k.conrelid = ANY (%(tables)s::text[]::regclass[])
ORDER BY 1, 2;
