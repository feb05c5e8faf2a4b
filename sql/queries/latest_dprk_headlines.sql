-- The five newest articles about North Korea (naming the DPRK or its people), UTC times.
SELECT published_at, headline, url
FROM dprk_articles
ORDER BY published_at DESC, article_id DESC
LIMIT 5;
