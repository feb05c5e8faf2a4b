-- depends: 0001_core
-- Fetch outcomes an operator needs to tell apart: retries, conditional-GET hits,
-- deliberate skips and quarantined pages; per-article attempts for the retry figure.

ALTER TABLE ingest_runs
    ADD COLUMN retried           integer NOT NULL DEFAULT 0,
    ADD COLUMN not_modified      integer NOT NULL DEFAULT 0,
    ADD COLUMN skipped           integer NOT NULL DEFAULT 0,
    ADD COLUMN quarantined       integer NOT NULL DEFAULT 0,
    ADD COLUMN discovery_skipped integer NOT NULL DEFAULT 0;

COMMENT ON COLUMN ingest_runs.retried IS
    'Extra attempts spent on article pages after 429/5xx answers, timeouts or resets.';
COMMENT ON COLUMN ingest_runs.not_modified IS
    'Article pages answered 304 to a conditional GET: the stored article was kept as is.';
COMMENT ON COLUMN ingest_runs.skipped IS
    'Articles deliberately not fetched or not used: feed links to another host, URLs '
    'robots.txt disallows, redirects to another host.';
COMMENT ON COLUMN ingest_runs.quarantined IS
    'Articles of the run whose fetch or extraction failed and that were put in quarantine.';
COMMENT ON COLUMN ingest_runs.discovery_skipped IS
    'The part of skipped decided during discovery (off-host links, robots.txt).';

ALTER TABLE run_articles DROP CONSTRAINT run_articles_status_check;
ALTER TABLE run_articles ADD CONSTRAINT run_articles_status_check
    CHECK (status IN ('discovered', 'fetched', 'fetch_failed', 'gone', 'not_modified',
                      'skipped', 'parsed', 'parse_failed', 'loaded'));
ALTER TABLE run_articles ADD COLUMN attempts integer NOT NULL DEFAULT 0;
COMMENT ON COLUMN run_articles.attempts IS 'HTTP attempts the article page took (0: not fetched).';

-- Conditional GET and re-parsing look up responses by the article they belong to.
CREATE INDEX run_articles_raw_response_idx ON run_articles (raw_response_id);
CREATE INDEX run_articles_article_idx ON run_articles (source, external_id);

COMMENT ON COLUMN quarantine.reason IS
    'Machine-readable reason: an extraction reason (challenge_page, truncated, ...) or a '
    'fetch failure (timeout, connection_error, too_large, blocked, http_error).';
