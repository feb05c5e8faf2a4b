-- Full-text search: what has the DPRK's ambassador in Moscow said? Best match first.
-- search_articles() stems in each article's language: "ambassador" also finds "ambassadors".
SELECT published_at, headline, url, round(rank::numeric, 4) AS rank
FROM search_articles('Pyongyang ambassador Moscow', '-infinity', 'infinity', 20);
