-- Split the articles of job %(job_id)s into batches of %(batch_size)s consecutive ids:
-- every stored article when %(everything)s, else the job's targets. Returns the number
-- of batches.
WITH chosen AS (
    SELECT id FROM articles WHERE %(everything)s
    UNION ALL
    SELECT article_id FROM reanalyse_targets WHERE NOT %(everything)s AND job_id = %(job_id)s
), numbered AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1) / %(batch_size)s AS batch
    FROM chosen
), planned AS (
    INSERT INTO reanalyse_batches (job_id, first_id, last_id, articles)
    SELECT %(job_id)s, min(id), max(id), count(*)
    FROM numbered
    GROUP BY batch
    RETURNING 1
)
SELECT count(*) FROM planned;
