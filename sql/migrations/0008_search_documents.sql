-- depends: 0007_roles
-- Search documents move out of `articles` into a table of their own, written by a step of
-- the load that runs after the merge (sql/pipeline/index_article_search.sql).
--
-- Why: as a STORED GENERATED column the tsvector was computed, and its GIN entry written,
-- inside the merge statement, which made parsing text for search (~4,000 documents/s per
-- core) the speed limit of every load. As a separate step it can run in the same
-- transaction as the merge (the nightly load: a loaded article is searchable the moment
-- the load commits) or, for a large backfill, on several connections side by side.
--
-- search_articles() keeps its signature but now ranks a bounded set of candidates: the
-- newest matches. Ranking every match of a common word ("Russia") on millions of
-- articles took seconds.

CREATE TABLE article_search (
    article_id    bigint      PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    language      text        NOT NULL,
    published_at  timestamptz NOT NULL,
    content_hash  text        NOT NULL,
    document      tsvector    NOT NULL
) WITH (toast_tuple_target = 8160);
-- Documents (about 2 kB) stay in the table's own pages rather than in TOAST: finding the
-- newest matches of a common word reads documents in publication order, and a TOAST
-- fetch per document made that twice as slow.
ALTER TABLE article_search ALTER COLUMN document SET STORAGE MAIN;
COMMENT ON TABLE article_search IS
    'Full-text search document of each article, written by the pipeline''s load step right '
    'after the merge (same transaction). Query it through search_articles().';
COMMENT ON COLUMN article_search.article_id IS 'articles.id.';
COMMENT ON COLUMN article_search.language IS
    'articles.language when indexed: picks the text search configuration (en: english, ru: russian).';
COMMENT ON COLUMN article_search.published_at IS
    'articles.published_at when indexed, so the newest matches are found without articles.';
COMMENT ON COLUMN article_search.content_hash IS
    'articles.content_hash of the indexed text: differs from the article''s when the '
    'document is stale and the load step must rewrite it.';
COMMENT ON COLUMN article_search.document IS
    'Headline (weight A), lead (B) and body (C), stemmed in the article''s language.';

-- The stored generated vectors are already computed: copy them instead of parsing again.
INSERT INTO article_search (article_id, language, published_at, content_hash, document)
SELECT id, language, published_at, content_hash, search_vector
FROM articles;

CREATE INDEX article_search_document_idx ON article_search USING gin (document);
CREATE INDEX article_search_published_idx ON article_search (published_at DESC, article_id DESC);

ALTER TABLE articles DROP COLUMN search_vector;  -- drops articles_search_idx with it

-- Same signature, result columns and grants (0007) as before; new candidate bound.
CREATE OR REPLACE FUNCTION search_articles(
    query        text,
    since        timestamptz DEFAULT '-infinity',
    until        timestamptz DEFAULT 'infinity',
    max_results  integer DEFAULT 100
) RETURNS TABLE (
    article_id    bigint,
    published_at  timestamptz,
    language      text,
    section       text,
    headline      text,
    url           text,
    rank          real
)
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH candidates AS (
        -- The newest matches in the window: when a word is common the planner walks
        -- article_search_published_idx and stops early; when it is rare it takes the
        -- few matches from the GIN index and sorts them.
        SELECT s.article_id, s.published_at, s.language, s.document
        FROM article_search s
        WHERE (s.language = 'en' AND s.document @@ websearch_to_tsquery('english', query)
               OR s.language = 'ru' AND s.document @@ websearch_to_tsquery('russian', query))
          AND s.published_at >= since AND s.published_at < until
        ORDER BY s.published_at DESC, s.article_id DESC
        LIMIT GREATEST(max_results, 1000)
    ), ranked AS (
        SELECT c.article_id, c.published_at, c.language,
               ts_rank_cd(c.document,
                          CASE c.language WHEN 'ru' THEN websearch_to_tsquery('russian', query)
                                          ELSE websearch_to_tsquery('english', query) END)
                   AS rank
        FROM candidates c
        ORDER BY rank DESC, c.published_at DESC, c.article_id DESC
        LIMIT max_results
    )
    SELECT r.article_id, r.published_at, r.language, a.section, a.headline, a.url, r.rank
    FROM ranked r
    JOIN articles a ON a.id = r.article_id
    ORDER BY r.rank DESC, r.published_at DESC, r.article_id DESC
$$;
COMMENT ON FUNCTION search_articles(text, timestamptz, timestamptz, integer) IS
    'Articles matching a web-search style query (words, "phrases", OR, -word) in their own '
    'language, published in [since, until): of the newest 1,000 matches in the window '
    '(or the newest max_results, if more), the best max_results, best match first. A common '
    'word matches more articles than that: narrow since/until to rank an older period.';

GRANT SELECT ON article_search TO news_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE ON article_search TO news_ingest;

-- Analysts keep reading the materialised views while they are refreshed: CONCURRENTLY
-- needs a populated view with a unique index (each has one), so a view that was never
-- populated gets one plain refresh first. Same text as sql/views/08_refresh.sql, which
-- defines the function for a new database; keep the two identical.
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
