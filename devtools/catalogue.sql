-- The warehouse schema as the catalogue sees it, one query per section, each returning
-- (name, definition) rows. devtools/catalogue.py reads the sections by their names.
-- Only the public schema counts; yoyo's bookkeeping tables are left out.

-- name: relations
SELECT c.relname,
       concat_ws(' | ', c.relkind::text, obj_description(c.oid, 'pg_class'), c.relacl::text)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  AND c.relname NOT LIKE '%yoyo%';

-- name: columns
SELECT c.relname || '.' || a.attname,
       concat_ws(' | ', row_number() OVER (PARTITION BY c.oid ORDER BY a.attnum),
                 format_type(a.atttypid, a.atttypmod),
                 CASE WHEN a.attnotnull THEN 'not null' ELSE 'null' END,
                 'default ' || pg_get_expr(d.adbin, d.adrelid),
                 nullif(a.attidentity, '')::text, nullif(a.attgenerated, '')::text,
                 col_description(c.oid, a.attnum), a.attacl::text)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped AND c.relname NOT LIKE '%yoyo%';

-- name: constraints
SELECT con.conrelid::regclass::text || '.' || con.conname,
       concat_ws(' | ', pg_get_constraintdef(con.oid), obj_description(con.oid, 'pg_constraint'))
FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
WHERE n.nspname = 'public' AND con.conrelid::regclass::text NOT LIKE '%yoyo%';

-- name: indexes
SELECT indexname, indexdef FROM pg_indexes
WHERE schemaname = 'public' AND tablename NOT LIKE '%yoyo%';

-- name: views
SELECT c.relname, pg_get_viewdef(c.oid)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('v', 'm');

-- name: functions
SELECT p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')',
       concat_ws(' | ', pg_get_functiondef(p.oid), obj_description(p.oid, 'pg_proc'),
                 p.proacl::text)
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public' AND p.prokind IN ('f', 'p');

-- name: triggers
SELECT c.relname || '.' || t.tgname, pg_get_triggerdef(t.oid)
FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND NOT t.tgisinternal;

-- name: types
SELECT t.typname,
       concat_ws(' | ', t.typtype::text,
                 (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                  FROM pg_enum e WHERE e.enumtypid = t.oid),
                 format_type(t.typbasetype, t.typtypmod), obj_description(t.oid, 'pg_type'))
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd')
   OR (n.nspname = 'public' AND t.typtype = 'c' AND EXISTS (
        SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'));

-- name: extensions
SELECT extname, extnamespace::regnamespace::text FROM pg_extension;

-- name: grants
SELECT 'schema public', concat_ws(' | ', nspacl::text, obj_description(oid, 'pg_namespace'))
FROM pg_namespace WHERE nspname = 'public'
UNION ALL
SELECT 'database', datacl::text FROM pg_database WHERE datname = current_database()
UNION ALL
SELECT 'default ' || defaclobjtype::text, defaclacl::text
FROM pg_default_acl d JOIN pg_namespace n ON n.oid = d.defaclnamespace
WHERE n.nspname = 'public';

-- name: roles
SELECT r.rolname,
       concat_ws(' | ', CASE WHEN r.rolcanlogin THEN 'login' ELSE 'nologin' END,
                 shobj_description(r.oid, 'pg_authid'))
FROM pg_roles r WHERE r.rolname LIKE 'news\_%';
