-- Who is quoted most in DPRK articles, and in what role?
-- The report reads speakers only through this file.
SELECT speaker_name, speaker_role, entity_kind, entity_country, quotes, articles,
       last_quoted_at
FROM dprk_speakers
ORDER BY quotes DESC, speaker_name
LIMIT 20;
