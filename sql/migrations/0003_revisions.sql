-- Every distinct version of an article, so analysts can see what changed after publication.
-- The pipeline's merge adds a revision whenever an article's content_hash changes;
-- `articles` keeps holding the current version.

CREATE TABLE article_revisions (
    article_id       bigint      NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    revision         integer     NOT NULL CHECK (revision >= 1),
    content_hash     text        NOT NULL,
    headline         text        NOT NULL,
    lead             text        NOT NULL,
    dateline         text,
    body             text        NOT NULL,
    modified_at      timestamptz,
    seen_at          timestamptz NOT NULL,
    raw_response_id  bigint REFERENCES raw_responses (id),
    PRIMARY KEY (article_id, revision)
);
CREATE INDEX article_revisions_changes_idx ON article_revisions (seen_at DESC) WHERE revision > 1;

COMMENT ON TABLE article_revisions IS
    'Every version of each article the pipeline has seen, oldest first; a re-fetch with '
    'unchanged text adds nothing.';
COMMENT ON COLUMN article_revisions.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN article_revisions.revision IS '1 for the first version seen, then 2, 3, ...';
COMMENT ON COLUMN article_revisions.content_hash IS 'SHA-256 of headline, lead, dateline and body.';
COMMENT ON COLUMN article_revisions.headline IS 'Headline of this version.';
COMMENT ON COLUMN article_revisions.lead IS 'Lead of this version.';
COMMENT ON COLUMN article_revisions.dateline IS 'Dateline place of this version.';
COMMENT ON COLUMN article_revisions.body IS 'Body of this version.';
COMMENT ON COLUMN article_revisions.modified_at IS 'Modification time the site reported for it.';
COMMENT ON COLUMN article_revisions.seen_at IS 'Fetch time of the response this version came from.';
COMMENT ON COLUMN article_revisions.raw_response_id IS 'The archived response it was parsed from.';

-- Articles stored before this migration start with their current text as revision 1.
INSERT INTO article_revisions (article_id, revision, content_hash, headline, lead, dateline,
                               body, modified_at, seen_at, raw_response_id)
SELECT id, 1, content_hash, headline, lead, dateline, body, modified_at, last_fetched_at,
       raw_response_id
FROM articles;
