-- People articles name whom the knowledge base does not know, most articles first:
-- the candidates for the next additions to plugins/newswire/analysis/data/knowledge/.
SELECT normalised AS name,
       language,
       count(*)::integer           AS articles,
       sum(mention_count)::integer AS mentions
FROM unresolved_mentions
GROUP BY normalised, language
ORDER BY articles DESC, mentions DESC, name
LIMIT %(limit)s;
