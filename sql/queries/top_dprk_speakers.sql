-- Who is quoted most in DPRK articles?
SELECT speaker, entity_kind, entity_country, quotes, articles, last_quoted_at
FROM dprk_speakers
ORDER BY quotes DESC, speaker
LIMIT 20;
