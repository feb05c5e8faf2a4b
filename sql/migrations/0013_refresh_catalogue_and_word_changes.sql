-- depends: 0011_quote_speakers 0012_knowledge_base
-- Two things analysts read:
--
-- 1. refresh_analyst_views() gets its one definition going forward: it refreshes every
--    materialised view of the public schema, ordered by what pg_depend says each one
--    reads, so a migration that adds or re-creates a materialised view needs no edit here.
-- 2. What changed between consecutive versions of an article, word by word:
--    words_added(before, after) and the view article_revision_changes.

CREATE OR REPLACE FUNCTION refresh_analyst_views() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    mv record;
BEGIN
    FOR mv IN
        WITH RECURSIVE reads AS (
            -- relation `reader` is defined by a query that reads relation `source`
            SELECT DISTINCT r.ev_class AS reader, d.refobjid AS source
            FROM pg_depend d
            JOIN pg_rewrite r ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
            WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid <> r.ev_class
        ), matviews AS (
            SELECT c.oid, c.relname, c.relispopulated
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'm' AND n.nspname = 'public'
        ), upstream (view_oid, source, depth) AS (
            -- every relation each materialised view reads, directly or through views
            SELECT m.oid, m.oid, 0 FROM matviews m
            UNION ALL
            SELECT u.view_oid, r.source, u.depth + 1
            FROM upstream u
            JOIN reads r ON r.reader = u.source
            WHERE u.depth < 32
        )
        SELECT m.relname,
               m.relispopulated,
               -- CONCURRENTLY needs a plain unique index (no predicate, no expression)
               EXISTS (SELECT 1 FROM pg_index i
                       WHERE i.indrelid = m.oid AND i.indisunique AND i.indisvalid
                         AND i.indpred IS NULL AND i.indexprs IS NULL) AS has_unique_index,
               -- a view comes after every materialised view it reads
               max(u.depth) FILTER (WHERE u.source IN (SELECT oid FROM matviews))
                   AS level
        FROM matviews m
        JOIN upstream u ON u.view_oid = m.oid
        GROUP BY m.oid, m.relname, m.relispopulated
        ORDER BY level, m.relname
    LOOP
        -- Analysts keep reading a populated view while it is refreshed concurrently.
        IF mv.relispopulated AND mv.has_unique_index THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY public.%I', mv.relname);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW public.%I', mv.relname);
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION refresh_analyst_views() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION refresh_analyst_views() TO news_ingest;
COMMENT ON FUNCTION refresh_analyst_views() IS
    'Recomputes every materialised view of the public schema, each after the materialised '
    'views it reads (from pg_depend); concurrently (readers are not blocked) once a view '
    'has been populated and has a unique index.';

-- Words: the text split at white space, punctuation trimmed from both ends of each piece
-- (locale independent, so Russian and English split alike); case is kept.
CREATE OR REPLACE FUNCTION words_added(before text, after text) RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    WITH old_words AS (
        SELECT w, row_number() OVER (PARTITION BY w) AS occurrence
        FROM (SELECT btrim(piece, '.,;:!?"''«»“”„()[]{}…—–-/') AS w
              FROM regexp_split_to_table(COALESCE(before, ''), '\s+') AS piece) p
        WHERE w <> ''
    ), new_words AS (
        SELECT w, n, row_number() OVER (PARTITION BY w ORDER BY n) AS occurrence
        FROM (SELECT btrim(piece, '.,;:!?"''«»“”„()[]{}…—–-/') AS w, n
              FROM regexp_split_to_table(COALESCE(after, ''), '\s+')
                   WITH ORDINALITY AS t (piece, n)) p
        WHERE w <> ''
    )
    -- the k-th occurrence of a word in `after` is new when `before` has fewer than k
    SELECT COALESCE(array_agg(nw.w ORDER BY nw.n), '{}')
    FROM new_words nw
    WHERE NOT EXISTS (SELECT 1 FROM old_words ow
                      WHERE ow.w = nw.w AND ow.occurrence = nw.occurrence)
$$;
COMMENT ON FUNCTION words_added(text, text) IS
    'Words of `after` that `before` lacks, counted with repetition, in the order they appear '
    'in `after` (a bag-of-words difference: moved words are not changes). Words are the '
    'text split at white space with punctuation trimmed. words_added(after, before) gives '
    'the words removed.';
GRANT EXECUTE ON FUNCTION words_added(text, text) TO news_analyst, news_ingest;

CREATE VIEW article_revision_changes AS
SELECT r.article_id,
       a.url,
       r.revision,
       p.seen_at AS previous_seen_at,
       r.seen_at,
       p.headline AS headline_before,
       r.headline AS headline_after,
       words_added(p.headline, r.headline) AS headline_words_added,
       words_added(r.headline, p.headline) AS headline_words_removed,
       words_added(p.lead, r.lead) AS lead_words_added,
       words_added(r.lead, p.lead) AS lead_words_removed,
       words_added(p.body, r.body) AS body_words_added,
       words_added(r.body, p.body) AS body_words_removed
FROM article_revisions r
JOIN article_revisions p ON p.article_id = r.article_id AND p.revision = r.revision - 1
JOIN articles a ON a.id = r.article_id
WHERE r.revision > 1;

COMMENT ON VIEW article_revision_changes IS
    'What changed between consecutive versions of an article: one row per version after the '
    'first, compared word by word with the version before it (see words_added()). '
    'Newest first: ORDER BY seen_at DESC, article_id DESC reads article_revisions_recent_idx.';
COMMENT ON COLUMN article_revision_changes.article_id IS 'articles.id.';
COMMENT ON COLUMN article_revision_changes.url IS 'Article URL.';
COMMENT ON COLUMN article_revision_changes.revision IS 'This version (2, 3, ...); compared with revision - 1.';
COMMENT ON COLUMN article_revision_changes.previous_seen_at IS 'When the previous version was fetched.';
COMMENT ON COLUMN article_revision_changes.seen_at IS 'When this version was fetched.';
COMMENT ON COLUMN article_revision_changes.headline_before IS 'Headline of the previous version.';
COMMENT ON COLUMN article_revision_changes.headline_after IS 'Headline of this version.';
COMMENT ON COLUMN article_revision_changes.headline_words_added IS 'Headline words this version added.';
COMMENT ON COLUMN article_revision_changes.headline_words_removed IS 'Headline words this version removed.';
COMMENT ON COLUMN article_revision_changes.lead_words_added IS 'Lead words this version added.';
COMMENT ON COLUMN article_revision_changes.lead_words_removed IS 'Lead words this version removed.';
COMMENT ON COLUMN article_revision_changes.body_words_added IS 'Body words this version added.';
COMMENT ON COLUMN article_revision_changes.body_words_removed IS 'Body words this version removed.';
GRANT SELECT ON article_revision_changes TO news_analyst;
