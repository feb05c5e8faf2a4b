-- depends: 0010_recent_revisions_index
-- History before the sitemaps: windows older than the oldest sitemap entry are found by
-- paging a source's listing API back in time. Every page is a request to the site, so
-- the walk is checkpointed here (one row per source, section and window) in the same
-- transaction as the items it found: a stopped run resumes at its cursor instead of
-- paging from the top again. Runs also record their source, so a backfill can tell which
-- windows of which source are already done, and one source's block never looks like
-- another's.

CREATE TABLE listing_cursors (
    source        text        NOT NULL,
    section       text        NOT NULL,
    window_start  timestamptz NOT NULL,
    window_end    timestamptz NOT NULL,
    cursor_value  text,
    seen_ids      bigint[]    NOT NULL DEFAULT '{}',
    pages         integer     NOT NULL DEFAULT 0,
    items         integer     NOT NULL DEFAULT 0,
    done          boolean     NOT NULL DEFAULT false,
    stop_reason   text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, section, window_start, window_end),
    CHECK (window_end > window_start)
);

COMMENT ON TABLE listing_cursors IS
    'Checkpoint of a walk back through a listing API (one per source, section and window).';
COMMENT ON COLUMN listing_cursors.section IS
    'The section (tass.com sectionId) or rubric the walk lists.';
COMMENT ON COLUMN listing_cursors.cursor_value IS
    'Cursor of the next page to ask for (tass.com: a UNIX timestamp); NULL: start at the window end.';
COMMENT ON COLUMN listing_cursors.seen_ids IS
    'Ids already listed by the walk, sent back as excludeNewsIds so a page never repeats them.';
COMMENT ON COLUMN listing_cursors.pages IS 'Pages requested so far.';
COMMENT ON COLUMN listing_cursors.items IS 'Items listed inside the window so far.';
COMMENT ON COLUMN listing_cursors.done IS 'The walk reached the window start (or the end of the list).';
COMMENT ON COLUMN listing_cursors.stop_reason IS
    'Why the walk stopped: older_than_window, empty, cursor_stuck.';

CREATE TABLE listing_items (
    source        text        NOT NULL,
    external_id   bigint      NOT NULL,
    section       text        NOT NULL,
    url           text        NOT NULL,
    published_at  timestamptz,
    headline      text,
    listed_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, external_id)
);
CREATE INDEX listing_items_published_idx ON listing_items (source, published_at);

COMMENT ON TABLE listing_items IS
    'Articles a listing API named, written page by page with the walk''s checkpoint.';
COMMENT ON COLUMN listing_items.published_at IS 'Publication time (UTC) the listing gave.';
COMMENT ON COLUMN listing_items.url IS 'Canonical article URL on the source.';
COMMENT ON COLUMN listing_items.listed_at IS 'When the listing last named the article.';

ALTER TABLE ingest_runs ADD COLUMN source text;
COMMENT ON COLUMN ingest_runs.source IS
    'Source the run ingested (tass.com, tass.ru); NULL for runs from before sources existed.';
CREATE INDEX ingest_runs_source_window_idx
    ON ingest_runs (source, window_start, window_end) WHERE state = 'success';
