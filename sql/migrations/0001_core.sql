-- The ingestion spine: runs, what each run works on, the raw archive, parsed articles.
-- Applied once by the migration runner; every later change is a new numbered file.

CREATE TABLE ingest_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dag_id        text,
    dag_run_id    text,
    base_url      text        NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    finished_at   timestamptz,
    state         text        NOT NULL DEFAULT 'running'
                  CHECK (state IN ('running', 'success', 'failed')),
    discovered    integer     NOT NULL DEFAULT 0,
    fetched       integer     NOT NULL DEFAULT 0,
    parsed        integer     NOT NULL DEFAULT 0,
    inserted      integer     NOT NULL DEFAULT 0,
    updated       integer     NOT NULL DEFAULT 0,
    unchanged     integer     NOT NULL DEFAULT 0,
    failed        integer     NOT NULL DEFAULT 0,
    message       text,
    CHECK (window_end > window_start)
);
CREATE INDEX ingest_runs_started_at_idx ON ingest_runs (started_at DESC);

COMMENT ON TABLE ingest_runs IS
    'One row per ingestion run (scheduled, manual or CLI): its window and what it achieved.';
COMMENT ON COLUMN ingest_runs.dag_run_id IS 'Airflow run id when the run came from Airflow.';
COMMENT ON COLUMN ingest_runs.window_start IS
    'Inclusive start (UTC) of the publication/modification window the run ingested.';
COMMENT ON COLUMN ingest_runs.window_end IS 'Exclusive end (UTC) of the window.';
COMMENT ON COLUMN ingest_runs.state IS 'running, success or failed.';
COMMENT ON COLUMN ingest_runs.discovered IS 'Distinct articles the feeds listed inside the window.';
COMMENT ON COLUMN ingest_runs.fetched IS 'Article pages fetched with HTTP 200.';
COMMENT ON COLUMN ingest_runs.parsed IS 'Fetched pages that yielded an article.';
COMMENT ON COLUMN ingest_runs.inserted IS 'Articles new to the warehouse.';
COMMENT ON COLUMN ingest_runs.updated IS 'Stored articles whose content changed.';
COMMENT ON COLUMN ingest_runs.unchanged IS 'Stored articles fetched again with identical content.';
COMMENT ON COLUMN ingest_runs.failed IS 'Articles that could not be fetched or parsed.';
COMMENT ON COLUMN ingest_runs.message IS 'Operator-facing explanation when the run failed.';

CREATE TABLE raw_responses (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url          text        NOT NULL,
    final_url    text        NOT NULL,
    status_code  integer     NOT NULL,
    headers      jsonb       NOT NULL DEFAULT '{}'::jsonb,
    fetched_at   timestamptz NOT NULL,
    body_gzip    bytea       NOT NULL,
    body_sha256  text        NOT NULL,
    body_bytes   integer     NOT NULL
);
CREATE INDEX raw_responses_url_idx ON raw_responses (url, fetched_at DESC);

COMMENT ON TABLE raw_responses IS
    'Every HTTP response an article fetch received, body gzip-compressed: the source of truth '
    'for re-parsing without the network.';
COMMENT ON COLUMN raw_responses.body_sha256 IS 'SHA-256 of the uncompressed body.';
COMMENT ON COLUMN raw_responses.headers IS 'Selected response headers (content type, caching, dates).';

CREATE TABLE run_articles (
    ingest_run_id      bigint NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    source             text   NOT NULL,
    external_id        bigint NOT NULL,
    url                text   NOT NULL,
    section            text   NOT NULL,
    feed_published_at  timestamptz,
    feed_modified_at   timestamptz,
    found_in           text   NOT NULL,
    status             text   NOT NULL DEFAULT 'discovered'
                       CHECK (status IN ('discovered', 'fetched', 'fetch_failed', 'gone',
                                         'parsed', 'parse_failed', 'loaded')),
    raw_response_id    bigint REFERENCES raw_responses (id),
    error              text,
    PRIMARY KEY (ingest_run_id, source, external_id)
);

COMMENT ON TABLE run_articles IS
    'The work list of each run: every article discovered in its window and how far it got.';

CREATE TABLE staged_articles (
    ingest_run_id      bigint NOT NULL REFERENCES ingest_runs (id) ON DELETE CASCADE,
    source             text   NOT NULL,
    external_id        bigint NOT NULL,
    url                text   NOT NULL,
    section            text   NOT NULL,
    headline           text   NOT NULL,
    lead               text   NOT NULL,
    dateline           text,
    published_at       timestamptz NOT NULL,
    modified_at        timestamptz,
    body               text   NOT NULL,
    language           text   NOT NULL,
    content_hash       text   NOT NULL,
    extraction_method  text   NOT NULL,
    parser_version     text   NOT NULL,
    raw_response_id    bigint REFERENCES raw_responses (id),
    fetched_at         timestamptz NOT NULL,
    PRIMARY KEY (ingest_run_id, source, external_id)
);

COMMENT ON TABLE staged_articles IS
    'Parsed articles of a run waiting to be merged into articles (pipeline-internal).';

CREATE TABLE articles (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source             text   NOT NULL,
    external_id        bigint NOT NULL,
    url                text   NOT NULL,
    section            text   NOT NULL,
    headline           text   NOT NULL CHECK (headline <> ''),
    lead               text   NOT NULL,
    dateline           text,
    published_at       timestamptz NOT NULL,
    modified_at        timestamptz,
    body               text   NOT NULL CHECK (body <> ''),
    language           text   NOT NULL CHECK (language IN ('en', 'ru')),
    content_hash       text   NOT NULL,
    extraction_method  text   NOT NULL,
    parser_version     text   NOT NULL,
    raw_response_id    bigint REFERENCES raw_responses (id),
    first_seen_at      timestamptz NOT NULL,
    last_fetched_at    timestamptz NOT NULL,
    UNIQUE (source, external_id)
);
CREATE INDEX articles_published_at_idx ON articles (published_at DESC);
CREATE INDEX articles_section_idx ON articles (section, published_at DESC);

COMMENT ON TABLE articles IS 'One row per TASS article: its current version as last fetched.';
COMMENT ON COLUMN articles.source IS 'Site the article came from, e.g. tass.com.';
COMMENT ON COLUMN articles.external_id IS 'The numeric id in the article URL; unique per source.';
COMMENT ON COLUMN articles.url IS 'Canonical URL on the source site.';
COMMENT ON COLUMN articles.section IS 'Section slug from the URL, e.g. politics, world.';
COMMENT ON COLUMN articles.headline IS 'Headline as printed, without the site suffix.';
COMMENT ON COLUMN articles.lead IS 'The standfirst printed under the headline.';
COMMENT ON COLUMN articles.dateline IS
    'Place of the dateline as printed, e.g. MOSCOW or IGORA /Leningrad Region/.';
COMMENT ON COLUMN articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN articles.modified_at IS 'Last modification time the site reported, UTC.';
COMMENT ON COLUMN articles.body IS
    'Body paragraphs joined by blank lines; the first keeps its dateline text.';
COMMENT ON COLUMN articles.language IS 'en or ru.';
COMMENT ON COLUMN articles.content_hash IS
    'SHA-256 over headline, lead, dateline and body: changes exactly when the text changes.';
COMMENT ON COLUMN articles.extraction_method IS 'Which page layout parser produced the row.';
COMMENT ON COLUMN articles.parser_version IS 'Version of that parser.';
COMMENT ON COLUMN articles.raw_response_id IS 'The archived response this version was parsed from.';
COMMENT ON COLUMN articles.first_seen_at IS 'When the pipeline first stored the article.';
COMMENT ON COLUMN articles.last_fetched_at IS
    'Fetch time of the response the stored version came from; re-fetches with identical '
    'content leave the row untouched (see raw_responses for every fetch).';

CREATE TABLE quarantine (
    source           text   NOT NULL,
    external_id      bigint NOT NULL,
    url              text   NOT NULL,
    reason           text   NOT NULL,
    detail           text,
    raw_response_id  bigint REFERENCES raw_responses (id),
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    times_seen       integer NOT NULL DEFAULT 1,
    PRIMARY KEY (source, external_id)
);

COMMENT ON TABLE quarantine IS
    'Articles whose latest fetch could not be turned into an article, with the reason code; '
    'a later good fetch removes the row.';
