-- The coverage model: tracked entities, where articles mention them, and who is quoted.
-- Rows are written by the pipeline's load step from the alias dictionary kept in the repo.

CREATE TABLE entities (
    id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key      text NOT NULL UNIQUE,
    name     text NOT NULL,
    kind     text NOT NULL CHECK (kind IN ('country', 'person', 'organisation', 'region')),
    country  text
);
COMMENT ON TABLE entities IS
    'Countries, leaders and bodies the coverage model tracks (from the alias dictionary).';
COMMENT ON COLUMN entities.key IS 'Stable identifier, e.g. dprk, russia, kim_jong_un.';
COMMENT ON COLUMN entities.name IS 'Display name.';
COMMENT ON COLUMN entities.kind IS 'country, person, organisation or region.';
COMMENT ON COLUMN entities.country IS
    'Key of the country the entity belongs to (a leader''s state); NULL for bodies and regions.';

CREATE TABLE article_mentions (
    article_id     bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    entity_id      integer NOT NULL REFERENCES entities (id),
    mention_count  integer NOT NULL CHECK (mention_count > 0),
    in_headline    boolean NOT NULL,
    in_lead        boolean NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE INDEX article_mentions_entity_idx ON article_mentions (entity_id, article_id);
COMMENT ON TABLE article_mentions IS
    'Which tracked entities the current version of each article names (dateline excluded).';
COMMENT ON COLUMN article_mentions.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN article_mentions.entity_id IS 'The entity (entities.id).';
COMMENT ON COLUMN article_mentions.mention_count IS 'Times named in headline, lead and body.';
COMMENT ON COLUMN article_mentions.in_headline IS 'Named in the headline.';
COMMENT ON COLUMN article_mentions.in_lead IS 'Named in the lead.';

CREATE TABLE quotes (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id  bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    position    integer NOT NULL,
    paragraph   integer NOT NULL,
    speaker     text    NOT NULL,
    entity_id   integer REFERENCES entities (id),
    text        text    NOT NULL,
    UNIQUE (article_id, position)
);
CREATE INDEX quotes_entity_idx ON quotes (entity_id);
COMMENT ON TABLE quotes IS
    'Direct quotations in the current version of each article, with the speaker as printed.';
COMMENT ON COLUMN quotes.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN quotes.position IS 'Order of the quotation in the article, from 1.';
COMMENT ON COLUMN quotes.paragraph IS 'Body paragraph it appears in, from 0.';
COMMENT ON COLUMN quotes.speaker IS
    'Speaker as printed: a name, a description (the Russian leader) or a pronoun.';
COMMENT ON COLUMN quotes.entity_id IS
    'Tracked entity the speaker was resolved to (pronouns: the person last named), if any.';
COMMENT ON COLUMN quotes.text IS 'The quoted words, without the quotation marks.';
