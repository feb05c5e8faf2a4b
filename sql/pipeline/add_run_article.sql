-- An article joins a run's work list; discovery adds it as %(status)s = 'discovered' with no
-- response yet, the offline reparse as 'fetched' with its archived response. Adding an
-- article twice (a retried task) keeps the first row.
INSERT INTO run_articles (
    ingest_run_id, source, external_id, url, section, feed_published_at, feed_modified_at,
    found_in, status, raw_response_id, attempts)
VALUES (
    %(run_id)s, %(source)s, %(external_id)s, %(url)s, %(section)s, %(published_at)s,
    %(modified_at)s, %(found_in)s, %(status)s, %(raw_response_id)s, 0)
ON CONFLICT DO NOTHING
