-- Newest articles whose headline names the DPRK and that also mention Russia.
SELECT published_at, headline, url
FROM dprk_russia_articles
WHERE dprk_in_headline
ORDER BY published_at DESC, article_id DESC
LIMIT 20;
