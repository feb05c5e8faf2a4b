-- Speakers most often quoted in DPRK articles.
SELECT speaker, quotes, articles
FROM dprk_speakers
ORDER BY quotes DESC, speaker
LIMIT %(top)s;
