-- Job %(job_id)s re-analyses the articles analysed with snapshot %(old)s (their mentions
-- and quotes, or with %(discover)s their unknown people) that the change since may reach:
-- every one when %(everything)s; otherwise those whose text holds every word of one
-- changed name (%(en)s, %(ru)s: words joined by spaces, each word a lower-case substring
-- in any of its spellings joined by "|"), those in a language the names do not cover, and
-- those linked to a changed entity (%(entities)s) by a mention or a quote.
INSERT INTO reanalyse_targets (job_id, article_id)
SELECT %(job_id)s, a.id
FROM article_analysis s
JOIN articles a ON a.id = s.article_id
CROSS JOIN LATERAL (
    SELECT lower(concat_ws(' ', a.headline, a.lead, a.body)) AS low
    OFFSET 0
) t
WHERE (s.snapshot_id = %(old)s OR (%(discover)s AND s.unknown_snapshot_id = %(old)s))
  AND (
      %(everything)s
      OR a.language NOT IN ('en', 'ru')
      OR EXISTS (
          SELECT 1
          FROM unnest(CASE WHEN a.language = 'en' THEN %(en)s::text[] ELSE %(ru)s::text[] END)
               AS n (name)
          WHERE NOT EXISTS (
              SELECT 1 FROM unnest(string_to_array(n.name, ' ')) AS w (word)
              WHERE NOT EXISTS (
                  SELECT 1 FROM unnest(string_to_array(w.word, '|')) AS v (spelling)
                  WHERE strpos(t.low, v.spelling) > 0
              )
          )
      )
      OR EXISTS (
          SELECT 1 FROM article_mentions m
          WHERE m.article_id = a.id AND m.entity_id = ANY(%(entities)s::integer[])
      )
      OR EXISTS (
          SELECT 1 FROM quotes q
          WHERE q.article_id = a.id AND q.speaker_entity_id = ANY(%(entities)s::integer[])
      )
  )
ON CONFLICT DO NOTHING;
