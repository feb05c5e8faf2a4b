-- depends: 0005_search
-- The analyst views as they were defined when this migration was written, frozen here so
-- that replaying the migrations on a fresh database always gives the same schema. Every
-- later change to a view is a new numbered migration.

-- ---- 01_dprk_articles.sql ----
-- Articles that mention the DPRK or one of its people (materialised: refreshed after each load).
DROP MATERIALIZED VIEW IF EXISTS dprk_articles CASCADE;
CREATE MATERIALIZED VIEW dprk_articles AS
WITH dprk AS (
    SELECT m.article_id,
           sum(m.mention_count)::integer AS dprk_mentions,
           bool_or(m.in_headline)        AS dprk_in_headline,
           bool_or(m.in_lead)            AS dprk_in_lead
    FROM article_mentions m
    JOIN entities e ON e.id = m.entity_id
    WHERE e.country = 'dprk'
    GROUP BY m.article_id
)
SELECT a.id AS article_id, a.published_at, (a.published_at AT TIME ZONE 'Europe/Moscow')::date
       AS moscow_day, a.language, a.section, a.headline, a.lead, a.url,
       d.dprk_mentions, d.dprk_in_headline, d.dprk_in_lead,
       EXISTS (SELECT 1 FROM article_mentions r JOIN entities re ON re.id = r.entity_id
               WHERE r.article_id = a.id AND re.country = 'russia') AS russia_mentioned
FROM dprk d
JOIN articles a ON a.id = d.article_id;
CREATE UNIQUE INDEX dprk_articles_id_idx ON dprk_articles (article_id);
CREATE INDEX dprk_articles_published_idx ON dprk_articles (published_at DESC);

COMMENT ON MATERIALIZED VIEW dprk_articles IS
    'Articles naming the DPRK or one of its people (Kim Jong-un, Choe Son-hui, ...); '
    'refreshed after each load.';
COMMENT ON COLUMN dprk_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN dprk_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN dprk_articles.moscow_day IS 'Publication day in Moscow time, as TASS dates it.';
COMMENT ON COLUMN dprk_articles.language IS 'en or ru.';
COMMENT ON COLUMN dprk_articles.section IS 'Section slug.';
COMMENT ON COLUMN dprk_articles.headline IS 'Current headline.';
COMMENT ON COLUMN dprk_articles.lead IS 'Current lead.';
COMMENT ON COLUMN dprk_articles.url IS 'Article URL.';
COMMENT ON COLUMN dprk_articles.dprk_mentions IS 'Mentions of the DPRK and its people.';
COMMENT ON COLUMN dprk_articles.dprk_in_headline IS 'The headline names the DPRK or its people.';
COMMENT ON COLUMN dprk_articles.dprk_in_lead IS 'The lead names the DPRK or its people.';
COMMENT ON COLUMN dprk_articles.russia_mentioned IS 'The article also names Russia or its people.';

-- ---- 02_dprk_russia_articles.sql ----
-- DPRK articles that also mention Russia or its people.
CREATE OR REPLACE VIEW dprk_russia_articles AS
SELECT article_id, published_at, moscow_day, language, section, headline, lead, url,
       dprk_mentions, dprk_in_headline
FROM dprk_articles
WHERE russia_mentioned;

COMMENT ON VIEW dprk_russia_articles IS
    'Articles naming both the DPRK (or its people) and Russia (or its people).';
COMMENT ON COLUMN dprk_russia_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN dprk_russia_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN dprk_russia_articles.moscow_day IS 'Publication day in Moscow time.';
COMMENT ON COLUMN dprk_russia_articles.language IS 'en or ru.';
COMMENT ON COLUMN dprk_russia_articles.section IS 'Section slug.';
COMMENT ON COLUMN dprk_russia_articles.headline IS 'Current headline.';
COMMENT ON COLUMN dprk_russia_articles.lead IS 'Current lead.';
COMMENT ON COLUMN dprk_russia_articles.url IS 'Article URL.';
COMMENT ON COLUMN dprk_russia_articles.dprk_mentions IS 'Mentions of the DPRK and its people.';
COMMENT ON COLUMN dprk_russia_articles.dprk_in_headline IS 'The headline names the DPRK.';

-- ---- 03_daily_coverage.sql ----
-- Per Moscow day: all articles, DPRK articles, DPRK-Russia articles and the DPRK share.
DROP MATERIALIZED VIEW IF EXISTS daily_coverage CASCADE;
CREATE MATERIALIZED VIEW daily_coverage AS
WITH all_days AS (
    SELECT (published_at AT TIME ZONE 'Europe/Moscow')::date AS day, count(*) AS articles
    FROM articles GROUP BY 1
), dprk_days AS (
    SELECT moscow_day AS day, count(*) AS dprk_articles,
           count(*) FILTER (WHERE russia_mentioned) AS dprk_russia_articles
    FROM dprk_articles GROUP BY 1
)
SELECT a.day,
       a.articles::integer,
       COALESCE(d.dprk_articles, 0)::integer AS dprk_articles,
       COALESCE(d.dprk_russia_articles, 0)::integer AS dprk_russia_articles,
       round(COALESCE(d.dprk_articles, 0)::numeric / a.articles, 4) AS dprk_share
FROM all_days a
LEFT JOIN dprk_days d USING (day);
CREATE UNIQUE INDEX daily_coverage_day_idx ON daily_coverage (day);

COMMENT ON MATERIALIZED VIEW daily_coverage IS
    'Coverage per Moscow calendar day; refreshed after each load. Days without articles are absent.';
COMMENT ON COLUMN daily_coverage.day IS 'Publication day, Moscow time.';
COMMENT ON COLUMN daily_coverage.articles IS 'All articles published that day.';
COMMENT ON COLUMN daily_coverage.dprk_articles IS 'Articles naming the DPRK or its people.';
COMMENT ON COLUMN daily_coverage.dprk_russia_articles IS 'DPRK articles also naming Russia.';
COMMENT ON COLUMN daily_coverage.dprk_share IS 'dprk_articles / articles (0..1).';

-- ---- 04_weekly_coverage.sql ----
-- Per ISO week (Monday start, Moscow days).
CREATE OR REPLACE VIEW weekly_coverage AS
SELECT date_trunc('week', day)::date AS week_start,
       sum(articles)::integer AS articles,
       sum(dprk_articles)::integer AS dprk_articles,
       sum(dprk_russia_articles)::integer AS dprk_russia_articles,
       round(sum(dprk_articles)::numeric / sum(articles), 4) AS dprk_share
FROM daily_coverage
GROUP BY 1;

COMMENT ON VIEW weekly_coverage IS 'daily_coverage summed per ISO week (Monday to Sunday).';
COMMENT ON COLUMN weekly_coverage.week_start IS 'Monday of the week.';
COMMENT ON COLUMN weekly_coverage.articles IS 'All articles published that week.';
COMMENT ON COLUMN weekly_coverage.dprk_articles IS 'Articles naming the DPRK or its people.';
COMMENT ON COLUMN weekly_coverage.dprk_russia_articles IS 'DPRK articles also naming Russia.';
COMMENT ON COLUMN weekly_coverage.dprk_share IS 'dprk_articles / articles (0..1).';

-- ---- 05_dprk_co_mentions.sql ----
-- Entities named together with the DPRK, per month.
DROP MATERIALIZED VIEW IF EXISTS dprk_co_mentions CASCADE;
CREATE MATERIALIZED VIEW dprk_co_mentions AS
SELECT date_trunc('month', d.moscow_day)::date AS month,
       e.key AS entity_key,
       e.name AS entity_name,
       e.kind AS entity_kind,
       count(*)::integer AS articles,
       sum(m.mention_count)::integer AS mentions,
       round(count(*)::numeric / max(t.dprk_articles), 4) AS share_of_dprk_articles
FROM dprk_articles d
JOIN article_mentions m ON m.article_id = d.article_id
JOIN entities e ON e.id = m.entity_id AND e.country IS DISTINCT FROM 'dprk'
JOIN (SELECT date_trunc('month', moscow_day)::date AS month, count(*) AS dprk_articles
      FROM dprk_articles GROUP BY 1) t ON t.month = date_trunc('month', d.moscow_day)::date
GROUP BY 1, 2, 3, 4;
CREATE UNIQUE INDEX dprk_co_mentions_idx ON dprk_co_mentions (month, entity_key);

COMMENT ON MATERIALIZED VIEW dprk_co_mentions IS
    'Per month, each non-DPRK entity named in DPRK articles; refreshed after each load.';
COMMENT ON COLUMN dprk_co_mentions.month IS 'First day of the month (Moscow days).';
COMMENT ON COLUMN dprk_co_mentions.entity_key IS 'entities.key of the co-mentioned entity.';
COMMENT ON COLUMN dprk_co_mentions.entity_name IS 'Its display name.';
COMMENT ON COLUMN dprk_co_mentions.entity_kind IS 'country, person, organisation or region.';
COMMENT ON COLUMN dprk_co_mentions.articles IS 'DPRK articles of the month naming it.';
COMMENT ON COLUMN dprk_co_mentions.mentions IS 'Its mentions in those articles.';
COMMENT ON COLUMN dprk_co_mentions.share_of_dprk_articles IS
    'articles / all DPRK articles of the month (0..1).';

-- ---- 06_dprk_speakers.sql ----
-- Who is quoted in DPRK articles.
DROP MATERIALIZED VIEW IF EXISTS dprk_speakers CASCADE;
CREATE MATERIALIZED VIEW dprk_speakers AS
SELECT COALESCE(e.key, lower(q.speaker)) AS speaker_key,
       COALESCE(e.name, min(q.speaker)) AS speaker,
       e.kind AS entity_kind,
       e.country AS entity_country,
       count(*)::integer AS quotes,
       count(DISTINCT q.article_id)::integer AS articles,
       min(d.published_at) AS first_quoted_at,
       max(d.published_at) AS last_quoted_at
FROM quotes q
JOIN dprk_articles d ON d.article_id = q.article_id
LEFT JOIN entities e ON e.id = q.entity_id
WHERE e.id IS NOT NULL
   OR lower(q.speaker) NOT IN ('he', 'she', 'they', 'it', 'он', 'она', 'они')
GROUP BY COALESCE(e.key, lower(q.speaker)), e.key, e.name, e.kind, e.country;
CREATE UNIQUE INDEX dprk_speakers_key_idx ON dprk_speakers (speaker_key);

COMMENT ON MATERIALIZED VIEW dprk_speakers IS
    'Speakers quoted in DPRK articles: resolved entities, else the speaker as printed '
    '(unresolved pronouns left out); refreshed after each load.';
COMMENT ON COLUMN dprk_speakers.speaker_key IS 'entities.key, or the printed speaker in lower case.';
COMMENT ON COLUMN dprk_speakers.speaker IS 'Display name.';
COMMENT ON COLUMN dprk_speakers.entity_kind IS 'Kind of the resolved entity, NULL if unresolved.';
COMMENT ON COLUMN dprk_speakers.entity_country IS 'Country of the resolved entity.';
COMMENT ON COLUMN dprk_speakers.quotes IS 'Quotations in DPRK articles.';
COMMENT ON COLUMN dprk_speakers.articles IS 'DPRK articles quoting the speaker.';
COMMENT ON COLUMN dprk_speakers.first_quoted_at IS 'Publication time of the first such article.';
COMMENT ON COLUMN dprk_speakers.last_quoted_at IS 'Publication time of the latest such article.';

-- ---- 07_revised_articles.sql ----
-- What changed after publication: articles with more than one stored version.
CREATE OR REPLACE VIEW revised_articles AS
SELECT r.article_id,
       a.url,
       a.published_at,
       first.seen_at AS first_seen_at,
       r.seen_at AS revised_at,
       r.revision,
       first.headline AS first_headline,
       r.headline AS headline,
       first.headline IS DISTINCT FROM r.headline AS headline_changed,
       first.lead IS DISTINCT FROM r.lead AS lead_changed,
       first.body IS DISTINCT FROM r.body AS body_changed,
       length(r.body) - length(first.body) AS body_chars_added
FROM article_revisions r
JOIN article_revisions first ON first.article_id = r.article_id AND first.revision = 1
JOIN articles a ON a.id = r.article_id
WHERE r.revision > 1;

COMMENT ON VIEW revised_articles IS
    'One row per later version of an article, compared with the first version seen.';
COMMENT ON COLUMN revised_articles.article_id IS 'articles.id.';
COMMENT ON COLUMN revised_articles.url IS 'Article URL.';
COMMENT ON COLUMN revised_articles.published_at IS 'First publication time, UTC.';
COMMENT ON COLUMN revised_articles.first_seen_at IS 'When the first version was fetched.';
COMMENT ON COLUMN revised_articles.revised_at IS 'When this version was fetched.';
COMMENT ON COLUMN revised_articles.revision IS 'Version number (2, 3, ...).';
COMMENT ON COLUMN revised_articles.first_headline IS 'Headline of the first version.';
COMMENT ON COLUMN revised_articles.headline IS 'Headline of this version.';
COMMENT ON COLUMN revised_articles.headline_changed IS 'Headline differs from the first version.';
COMMENT ON COLUMN revised_articles.lead_changed IS 'Lead differs from the first version.';
COMMENT ON COLUMN revised_articles.body_changed IS 'Body differs from the first version.';
COMMENT ON COLUMN revised_articles.body_chars_added IS
    'Body length of this version minus that of the first (negative: text removed).';

-- ---- 08_refresh.sql ----
-- Refreshes the materialised analyst views in dependency order. SECURITY DEFINER so the
-- pipeline's writer role can run it without owning the views; nobody else may.
-- Analysts keep reading the views during a refresh: CONCURRENTLY needs a populated view
-- with a unique index (each has one), so a view never populated gets a plain refresh.
-- Migration 0008 installs the same text in databases created before it; keep the two identical.
CREATE OR REPLACE FUNCTION refresh_analyst_views() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    view_name text;
BEGIN
    -- Dependency order: the later views read dprk_articles.
    FOREACH view_name IN ARRAY
        ARRAY['dprk_articles', 'daily_coverage', 'dprk_co_mentions', 'dprk_speakers']
    LOOP
        IF (SELECT ispopulated FROM pg_matviews
            WHERE schemaname = 'public' AND matviewname = view_name) THEN
            EXECUTE format('REFRESH MATERIALIZED VIEW CONCURRENTLY %I', view_name);
        ELSE
            EXECUTE format('REFRESH MATERIALIZED VIEW %I', view_name);
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION refresh_analyst_views() FROM PUBLIC;
COMMENT ON FUNCTION refresh_analyst_views() IS
    'Recomputes dprk_articles, daily_coverage, dprk_co_mentions and dprk_speakers; '
    'concurrently (readers are not blocked) once a view has been populated.';
