-- depends: 0017_run_owner
-- Re-analysis after a knowledge base change need not touch every article: each article
-- records which knowledge base (and analyser code) its mentions, quotes and unknown
-- people were computed with, and the knowledge base itself is kept per version, so the
-- next re-analysis can tell what changed since and pick only the articles that change
-- could reach (analysis/incremental.py).

CREATE TABLE knowledge_snapshots (
    id          serial      PRIMARY KEY,
    digest      text        NOT NULL,
    analyser    text        NOT NULL,
    knowledge   jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (digest, analyser)
);
COMMENT ON TABLE knowledge_snapshots IS
    'Every knowledge base (and analyser) articles were analysed with, as the matcher reads it.';
COMMENT ON COLUMN knowledge_snapshots.id IS 'Referenced by article_analysis and reanalyse_jobs.';
COMMENT ON COLUMN knowledge_snapshots.created_at IS 'When the first article was analysed with it.';
COMMENT ON COLUMN knowledge_snapshots.digest IS 'The knowledge base digest (knowledge_sync.digest).';
COMMENT ON COLUMN knowledge_snapshots.analyser IS
    'Fingerprint of the analysis code and its language models: a change means everything.';
COMMENT ON COLUMN knowledge_snapshots.knowledge IS
    'Entities (kind, country, aliases, roles) in order, blockers, role titles, former words.';

CREATE TABLE article_analysis (
    article_id           bigint  PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    snapshot_id          integer NOT NULL REFERENCES knowledge_snapshots (id),
    unknown_snapshot_id  integer REFERENCES knowledge_snapshots (id)
);
CREATE INDEX article_analysis_snapshot_idx ON article_analysis (snapshot_id);
COMMENT ON TABLE article_analysis IS
    'What each article''s stored analysis was computed with; an article without a row '
    'is re-analysed by the next re-analysis whatever changed.';
COMMENT ON COLUMN article_analysis.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN article_analysis.snapshot_id IS
    'The knowledge base of its mentions and quotes (or one that finds the same in it).';
COMMENT ON COLUMN article_analysis.unknown_snapshot_id IS
    'The same for its unknown people; NULL when they were never computed with a record.';

ALTER TABLE reanalyse_jobs ADD COLUMN snapshot_id integer REFERENCES knowledge_snapshots (id);
ALTER TABLE reanalyse_jobs ADD COLUMN everything boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN reanalyse_jobs.snapshot_id IS
    'The knowledge base and analyser the job applies; a run resumes only a job of the same.';
COMMENT ON COLUMN reanalyse_jobs.everything IS
    'true: every article; false: only the articles listed in reanalyse_targets.';

CREATE TABLE reanalyse_targets (
    job_id      bigint NOT NULL REFERENCES reanalyse_jobs (id) ON DELETE CASCADE,
    article_id  bigint NOT NULL,
    PRIMARY KEY (job_id, article_id)
);
COMMENT ON TABLE reanalyse_targets IS
    'The articles an incremental job re-analyses: those the knowledge base change may affect.';
COMMENT ON COLUMN reanalyse_targets.job_id IS 'The job (reanalyse_jobs.id).';
COMMENT ON COLUMN reanalyse_targets.article_id IS 'An article (articles.id) the job re-analyses.';
