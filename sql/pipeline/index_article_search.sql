-- Write the search document of each of a run's articles whose document is missing or
-- stale (its text, language or publication time changed since it was indexed). Runs
-- after merge_staged_articles.sql and before the run's staged rows are deleted; the
-- nightly load runs it in the merge's transaction, so a loaded article is searchable as
-- soon as the load commits. Parsing text for search is the costly part of a load, so a
-- large run can be split by article id across connections working side by side.
-- Parameters: %(run_id)s; %(parts)s and %(part)s: this call takes the articles with
-- id mod parts = part (1 and 0: all of them). Returns the number of documents written.
WITH indexed AS (
    INSERT INTO article_search AS d (article_id, language, published_at, content_hash,
                                     document)
    SELECT a.id, a.language, a.published_at, a.content_hash,
           CASE WHEN a.language = 'ru' THEN
               setweight(to_tsvector('russian'::regconfig, a.headline), 'A')
               || setweight(to_tsvector('russian'::regconfig, a.lead), 'B')
               || setweight(to_tsvector('russian'::regconfig, a.body), 'C')
           ELSE
               setweight(to_tsvector('english'::regconfig, a.headline), 'A')
               || setweight(to_tsvector('english'::regconfig, a.lead), 'B')
               || setweight(to_tsvector('english'::regconfig, a.body), 'C')
           END
    FROM staged_articles s
    JOIN articles a ON a.source = s.source AND a.external_id = s.external_id
    LEFT JOIN article_search cur ON cur.article_id = a.id
    WHERE s.ingest_run_id = %(run_id)s
      AND mod(a.id, %(parts)s) = %(part)s
      AND (cur.article_id IS NULL
           OR cur.content_hash <> a.content_hash
           OR cur.language <> a.language
           OR cur.published_at <> a.published_at)
    ON CONFLICT (article_id) DO UPDATE SET
        language     = EXCLUDED.language,
        published_at = EXCLUDED.published_at,
        content_hash = EXCLUDED.content_hash,
        document     = EXCLUDED.document
    RETURNING 1
)
SELECT count(*) FROM indexed;
