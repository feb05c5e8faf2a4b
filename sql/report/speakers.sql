-- Speakers most often quoted in DPRK articles.
SELECT speaker_name, quotes, articles
FROM dprk_speakers
ORDER BY quotes DESC, speaker_name
LIMIT %(top)s;
