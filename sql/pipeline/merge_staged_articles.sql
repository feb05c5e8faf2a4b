-- Merge one run's parsed articles into `articles` in a single statement.
-- New articles are inserted; stored ones are rewritten only when their text changed
-- (content_hash), so re-ingesting a window changes nothing. Every insert or change also
-- adds a row to article_revisions. A change without a new modification time from the
-- site is dated by the fetch that first saw it.
-- Parameter: %(run_id)s. Returns one row: inserted, updated, changed_ids (the article ids
-- whose text is new, for the entity and quote extraction that follows).
WITH upserted AS (
    INSERT INTO articles AS a (
        source, external_id, url, section, headline, lead, dateline, published_at,
        modified_at, body, language, content_hash, extraction_method, parser_version,
        raw_response_id, first_seen_at, last_fetched_at
    )
    SELECT s.source, s.external_id, s.url, s.section, s.headline, s.lead, s.dateline,
           s.published_at, s.modified_at, s.body, s.language, s.content_hash,
           s.extraction_method, s.parser_version, s.raw_response_id, now(), s.fetched_at
    FROM staged_articles s
    WHERE s.ingest_run_id = %(run_id)s
    ON CONFLICT (source, external_id) DO UPDATE SET
        url               = EXCLUDED.url,
        section           = EXCLUDED.section,
        headline          = EXCLUDED.headline,
        lead              = EXCLUDED.lead,
        dateline          = EXCLUDED.dateline,
        published_at      = EXCLUDED.published_at,
        modified_at       = COALESCE(NULLIF(EXCLUDED.modified_at, a.modified_at),
                                     EXCLUDED.last_fetched_at),
        body              = EXCLUDED.body,
        language          = EXCLUDED.language,
        content_hash      = EXCLUDED.content_hash,
        extraction_method = EXCLUDED.extraction_method,
        parser_version    = EXCLUDED.parser_version,
        raw_response_id   = EXCLUDED.raw_response_id,
        last_fetched_at   = EXCLUDED.last_fetched_at
    WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
    RETURNING a.id, a.content_hash, a.headline, a.lead, a.dateline, a.body, a.modified_at,
              a.last_fetched_at, a.raw_response_id, (xmax = 0) AS was_inserted
), revised AS (
    INSERT INTO article_revisions (article_id, revision, content_hash, headline, lead,
                                   dateline, body, modified_at, seen_at, raw_response_id)
    SELECT u.id,
           COALESCE((SELECT max(r.revision) FROM article_revisions r WHERE r.article_id = u.id),
                    0) + 1,
           u.content_hash, u.headline, u.lead, u.dateline, u.body, u.modified_at,
           u.last_fetched_at, u.raw_response_id
    FROM upserted u
    RETURNING article_id
)
SELECT count(*) FILTER (WHERE was_inserted)     AS inserted,
       count(*) FILTER (WHERE NOT was_inserted) AS updated,
       COALESCE(array_agg(id ORDER BY id), '{}') AS changed_ids,
       (SELECT count(*) FROM revised)           AS revisions
FROM upserted;
