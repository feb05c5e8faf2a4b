-- Refreshes the materialised analyst views in dependency order. SECURITY DEFINER so the
-- pipeline's writer role can run it without owning the views; nobody else may.
-- Analysts keep reading the views during a refresh: CONCURRENTLY needs a populated view
-- with a unique index (each has one), so a view never populated gets a plain refresh.
-- Migration 0008 installs the same text in databases created before it; keep the two identical.
CREATE OR REPLACE FUNCTION refresh_analyst_views() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    view_name text;
BEGIN
    -- Dependency order: the later views read dprk_articles.
    FOREACH view_name IN ARRAY
        ARRAY['dprk_articles', 'daily_coverage', 'dprk_co_mentions', 'dprk_speakers']
    LOOP
        IF (SELECT ispopulated FROM pg_matviews
            WHERE schemaname = 'public' AND matviewname = view_name) THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I', view_name);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %I', view_name);
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION refresh_analyst_views() FROM PUBLIC;
COMMENT ON FUNCTION refresh_analyst_views() IS
    'Recomputes dprk_articles, daily_coverage, dprk_co_mentions and dprk_speakers; '
    'concurrently (readers are not blocked) once a view has been populated.';
