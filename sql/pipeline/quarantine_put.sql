-- Record (or refresh) an article's quarantine row: the latest reason and response win,
-- the first sighting stays, and each sighting is counted. Stored articles are untouched.
INSERT INTO quarantine (source, external_id, url, reason, detail, raw_response_id,
                        first_seen_at, last_seen_at)
VALUES (%(source)s, %(external_id)s, %(url)s, %(reason)s, %(detail)s, %(raw_response_id)s,
        %(seen_at)s, %(seen_at)s)
ON CONFLICT (source, external_id) DO UPDATE
SET reason = EXCLUDED.reason,
    detail = EXCLUDED.detail,
    raw_response_id = COALESCE(EXCLUDED.raw_response_id, quarantine.raw_response_id),
    last_seen_at = GREATEST(EXCLUDED.last_seen_at, quarantine.last_seen_at),
    times_seen = quarantine.times_seen + 1
