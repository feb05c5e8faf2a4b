-- The five newest articles about North Korea, with their publication time (UTC).
-- A first, text-based notion of "about the DPRK"; the entity model refines it.
SELECT published_at, headline, url
FROM articles
WHERE concat_ws(' ', headline, lead, body)
      ~* '(\mDPRK\M|North Korea|Pyongyang|Kim Jong|КНДР|Северн\w* Коре|Пхеньян)'
ORDER BY published_at DESC, external_id DESC
LIMIT 5;
