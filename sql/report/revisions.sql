-- The most recently revised articles, with their first and current headline.
SELECT revised_at, first_headline, headline, url
FROM revised_articles
ORDER BY revised_at DESC
LIMIT %(top)s;
