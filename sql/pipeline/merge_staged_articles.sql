-- Merge one run's parsed articles into `articles` in a single statement.
-- New articles are inserted; stored ones are rewritten only when their text changed
-- (content_hash), so re-ingesting a window changes nothing.
-- Parameter: %(run_id)s. Returns one row: inserted, updated.
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
        modified_at       = COALESCE(EXCLUDED.modified_at, a.modified_at),
        body              = EXCLUDED.body,
        language          = EXCLUDED.language,
        content_hash      = EXCLUDED.content_hash,
        extraction_method = EXCLUDED.extraction_method,
        parser_version    = EXCLUDED.parser_version,
        raw_response_id   = EXCLUDED.raw_response_id,
        last_fetched_at   = EXCLUDED.last_fetched_at
    WHERE a.content_hash IS DISTINCT FROM EXCLUDED.content_hash
    RETURNING (xmax = 0) AS was_inserted
)
SELECT count(*) FILTER (WHERE was_inserted)     AS inserted,
       count(*) FILTER (WHERE NOT was_inserted) AS updated
FROM upserted;
