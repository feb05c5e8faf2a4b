-- Full-text search over headline, lead and body in the article's own language.

ALTER TABLE articles ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    CASE WHEN language = 'ru' THEN
        setweight(to_tsvector('russian'::regconfig, headline), 'A')
        || setweight(to_tsvector('russian'::regconfig, lead), 'B')
        || setweight(to_tsvector('russian'::regconfig, body), 'C')
    ELSE
        setweight(to_tsvector('english'::regconfig, headline), 'A')
        || setweight(to_tsvector('english'::regconfig, lead), 'B')
        || setweight(to_tsvector('english'::regconfig, body), 'C')
    END
) STORED;
CREATE INDEX articles_search_idx ON articles USING gin (search_vector);
COMMENT ON COLUMN articles.search_vector IS
    'Search document: headline (weight A), lead (B) and body (C), stemmed in the article''s '
    'language (english or russian configuration). Query it through search_articles().';

CREATE FUNCTION search_articles(
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
    SELECT a.id, a.published_at, a.language, a.section, a.headline, a.url,
           ts_rank_cd(a.search_vector,
                      CASE a.language WHEN 'ru' THEN websearch_to_tsquery('russian', query)
                                      ELSE websearch_to_tsquery('english', query) END) AS rank
    FROM articles a
    WHERE (a.search_vector @@ websearch_to_tsquery('english', query) AND a.language = 'en'
           OR a.search_vector @@ websearch_to_tsquery('russian', query) AND a.language = 'ru')
      AND a.published_at >= since AND a.published_at < until
    ORDER BY rank DESC, a.published_at DESC, a.id DESC
    LIMIT max_results
$$;
COMMENT ON FUNCTION search_articles(text, timestamptz, timestamptz, integer) IS
    'Articles matching a web-search style query (words, "phrases", OR, -word) in their own '
    'language, published in [since, until), best match first; at most max_results rows.';
