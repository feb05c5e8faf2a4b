-- One parsed article of a run, waiting in staged_articles for the load stage's merge.
-- A retried parse keeps the row staged first.
INSERT INTO staged_articles (
    ingest_run_id, source, external_id, url, section, headline, lead, dateline,
    published_at, modified_at, body, language, content_hash, extraction_method,
    parser_version, raw_response_id, fetched_at)
VALUES (
    %(run_id)s, %(source)s, %(external_id)s, %(url)s, %(section)s, %(headline)s, %(lead)s,
    %(dateline)s, %(published_at)s, %(modified_at)s, %(body)s, %(language)s,
    %(content_hash)s, %(extraction_method)s, %(parser_version)s, %(raw_response_id)s,
    %(fetched_at)s)
ON CONFLICT (ingest_run_id, source, external_id) DO NOTHING
