-- depends: 0006_views
-- Two group roles, no passwords: operators create login users that are members, e.g.
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE news_analyst;
-- Roles belong to the whole server, so they are created only when missing.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'news_ingest') THEN
        CREATE ROLE news_ingest NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'news_analyst') THEN
        CREATE ROLE news_analyst NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;  -- another database's migration created it at the same moment
END
$$;

COMMENT ON ROLE news_ingest IS 'The ingestion pipeline: reads and writes the warehouse tables.';
COMMENT ON ROLE news_analyst IS 'Analysts: read-only access to tables, views and search.';

-- Nobody but the owner creates objects in this database or its public schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DO $$
BEGIN
    EXECUTE format('REVOKE CREATE, TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO news_ingest, news_analyst',
                   current_database());
END
$$;
GRANT USAGE ON SCHEMA public TO news_ingest, news_analyst;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO news_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO news_ingest;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO news_ingest;

-- Functions are executable by PUBLIC by default; keep only the ones each role needs.
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_articles(text, timestamptz, timestamptz, integer)
    TO news_analyst, news_ingest;
GRANT EXECUTE ON FUNCTION refresh_analyst_views() TO news_ingest;

-- Tables and views that later migrations create get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO news_analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO news_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO news_ingest;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
