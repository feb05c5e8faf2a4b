-- depends: 0015_listing_cursors
-- Re-analysing every article (after the knowledge base changed) is split into batches of
-- consecutive article ids. Each batch's mentions and quotes are written and the batch is
-- marked done in one transaction, so a stopped job resumes at the first batch not done,
-- and readers never see an article half re-analysed.

CREATE TABLE reanalyse_jobs (
    id           bigserial   PRIMARY KEY,
    digest       text        NOT NULL,
    discover     boolean     NOT NULL,
    batch_size   integer     NOT NULL CHECK (batch_size > 0),
    articles     bigint      NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
COMMENT ON TABLE reanalyse_jobs IS
    'One re-analysis of every stored article; unfinished ones are resumed by the next run '
    'with the same knowledge base and discover setting.';
COMMENT ON COLUMN reanalyse_jobs.digest IS 'The knowledge base digest the job applies.';
COMMENT ON COLUMN reanalyse_jobs.discover IS 'Whether unknown people are recomputed too.';
COMMENT ON COLUMN reanalyse_jobs.articles IS 'Articles stored when the job was planned.';

CREATE TABLE reanalyse_batches (
    job_id    bigint      NOT NULL REFERENCES reanalyse_jobs (id) ON DELETE CASCADE,
    first_id  bigint      NOT NULL,
    last_id   bigint      NOT NULL CHECK (last_id >= first_id),
    articles  integer     NOT NULL,
    mentions  integer,
    quotes    integer,
    done_at   timestamptz,
    PRIMARY KEY (job_id, first_id)
);
COMMENT ON TABLE reanalyse_batches IS
    'A re-analysis job''s batches: articles with first_id <= id <= last_id; done_at is set '
    'in the transaction that wrote their mentions and quotes.';
