-- Who is quoted most in DPRK articles, and in what role?
-- The report reads speakers only through this file.
SELECT speaker_name, speaker_role, entity_kind, entity_country, quotes, articles,
       last_quoted_at
FROM (
    SELECT speaker_key,
           speaker AS speaker_name, NULL::text AS speaker_role,  -- SPEAKER SWITCH: once dprk_speakers has them, read `speaker_name, speaker_role,` here
           entity_kind, entity_country, quotes, articles, first_quoted_at, last_quoted_at
    FROM dprk_speakers
) s
ORDER BY quotes DESC, speaker_name
LIMIT 20;
