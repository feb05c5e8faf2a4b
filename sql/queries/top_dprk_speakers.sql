-- Who is quoted most in DPRK articles?
SELECT speaker_name, speaker_role, entity_kind, entity_country, quotes, articles, last_quoted_at
FROM dprk_speakers
ORDER BY quotes DESC, speaker_name
LIMIT 20;
