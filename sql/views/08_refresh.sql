-- Refreshes the materialised analyst views in dependency order. SECURITY DEFINER so the
-- pipeline's writer role can run it without owning the views; nobody else may.
CREATE OR REPLACE FUNCTION refresh_analyst_views() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    REFRESH MATERIALIZED VIEW dprk_articles;
    REFRESH MATERIALIZED VIEW daily_coverage;
    REFRESH MATERIALIZED VIEW dprk_co_mentions;
    REFRESH MATERIALIZED VIEW dprk_speakers;
END
$$;
REVOKE ALL ON FUNCTION refresh_analyst_views() FROM PUBLIC;
COMMENT ON FUNCTION refresh_analyst_views() IS
    'Recomputes dprk_articles, daily_coverage, dprk_co_mentions and dprk_speakers.';
