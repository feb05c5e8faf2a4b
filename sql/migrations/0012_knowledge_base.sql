-- depends: 0010_recent_revisions_index
-- The knowledge base behind entity matching: every name an entity goes by, the offices
-- people held and when, and the people articles name whom the base does not know yet.
-- Rows are written by the load step from the YAML kept in the repository
-- (plugins/newswire/analysis/data/knowledge/); analysts only read them.

ALTER TABLE entities
    ADD COLUMN name_ru  text,
    ADD COLUMN iso_code text,
    ADD COLUMN note     text;
COMMENT ON COLUMN entities.name IS 'Display name in English.';
COMMENT ON COLUMN entities.name_ru IS 'Display name in Russian (nominative).';
COMMENT ON COLUMN entities.iso_code IS 'ISO 3166-1 alpha-2 code of a country; NULL otherwise.';
COMMENT ON COLUMN entities.note IS
    'What the knowledge base says about the entry''s certainty or scope, if anything.';
COMMENT ON COLUMN entities.country IS
    'Key of the country the entity belongs to or lies in (a country: itself); NULL for '
    'international bodies and shared places (seas, the Korean Peninsula).';

CREATE TABLE entity_names (
    entity_id  integer NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    language   text    NOT NULL CHECK (language IN ('en', 'ru')),
    name       text    NOT NULL,
    PRIMARY KEY (entity_id, language, name)
);
CREATE INDEX entity_names_lower_idx ON entity_names (lower(name));
COMMENT ON TABLE entity_names IS
    'Every name, spelling and demonym an entity is matched by, per language. Russian names '
    'are in the nominative; the matcher finds their other case forms by morphology.';
COMMENT ON COLUMN entity_names.entity_id IS 'The entity (entities.id).';
COMMENT ON COLUMN entity_names.language IS 'en or ru.';
COMMENT ON COLUMN entity_names.name IS 'The name as written in the knowledge base.';

CREATE TABLE entity_roles (
    id              integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    entity_id       integer NOT NULL REFERENCES entities (id) ON DELETE CASCADE,
    role            text    NOT NULL,
    of_country      text,
    to_country      text,
    valid_from      date,
    from_precision  text CHECK (from_precision IN ('day', 'month')),
    valid_to        date,
    to_precision    text CHECK (to_precision IN ('day', 'month')),
    note            text,
    CHECK ((valid_from IS NULL) = (from_precision IS NULL)),
    CHECK ((valid_to IS NULL) = (to_precision IS NULL)),
    CHECK (valid_from IS NULL OR valid_to IS NULL OR valid_from <= valid_to)
);
CREATE INDEX entity_roles_role_idx ON entity_roles (role, of_country);
CREATE INDEX entity_roles_entity_idx ON entity_roles (entity_id);
COMMENT ON TABLE entity_roles IS
    'Offices people held and when (Russia''s defence minister: Shoigu until 2024-05-12, '
    'Belousov from 2024-05-14), so a title in a text resolves to its holder on the day.';
COMMENT ON COLUMN entity_roles.entity_id IS 'The person (entities.id).';
COMMENT ON COLUMN entity_roles.role IS
    'Office, e.g. foreign_minister, defence_minister, leader, ambassador, prime_minister.';
COMMENT ON COLUMN entity_roles.of_country IS 'Key of the country the office belongs to.';
COMMENT ON COLUMN entity_roles.to_country IS
    'For an ambassador: key of the country of the posting; NULL otherwise.';
COMMENT ON COLUMN entity_roles.valid_from IS
    'First day the office may have been held (month precision: the first of the month); '
    'NULL when the start is not known.';
COMMENT ON COLUMN entity_roles.from_precision IS 'day or month: how exact valid_from is.';
COMMENT ON COLUMN entity_roles.valid_to IS
    'Last day the office may have been held (month precision: the last of the month); '
    'NULL while held or when the end is not known (see note).';
COMMENT ON COLUMN entity_roles.to_precision IS 'day or month: how exact valid_to is.';
COMMENT ON COLUMN entity_roles.note IS 'Source of doubt or scope of the entry, if any.';

CREATE TABLE unresolved_mentions (
    article_id     bigint  NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    normalised     text    NOT NULL,
    language       text    NOT NULL CHECK (language IN ('en', 'ru')),
    surface        text    NOT NULL,
    mention_count  integer NOT NULL CHECK (mention_count > 0),
    PRIMARY KEY (article_id, normalised)
);
CREATE INDEX unresolved_mentions_name_idx ON unresolved_mentions (normalised);
COMMENT ON TABLE unresolved_mentions IS
    'People the current version of an article names whom the knowledge base does not '
    'know: candidates for it (newswire entities unknown lists them by frequency).';
COMMENT ON COLUMN unresolved_mentions.article_id IS 'The article (articles.id).';
COMMENT ON COLUMN unresolved_mentions.normalised IS
    'The name normalised: Russian in the nominative, hyphenated parts split and capitalised.';
COMMENT ON COLUMN unresolved_mentions.language IS 'Language of the article: en or ru.';
COMMENT ON COLUMN unresolved_mentions.surface IS 'The name as first printed in the article.';
COMMENT ON COLUMN unresolved_mentions.mention_count IS 'Times the article names the person.';

CREATE TABLE knowledge_sync (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    digest     text        NOT NULL,
    version    text        NOT NULL,
    synced_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE knowledge_sync IS
    'Which knowledge base the entity tables hold (one row), so a load re-syncs only after '
    'the YAML changed.';
COMMENT ON COLUMN knowledge_sync.singleton IS 'Always true: the table has one row.';
COMMENT ON COLUMN knowledge_sync.digest IS 'SHA-256 of the knowledge base files.';
COMMENT ON COLUMN knowledge_sync.version IS 'The files'' version fields, joined by dots.';
COMMENT ON COLUMN knowledge_sync.synced_at IS 'When the tables were last rewritten.';
