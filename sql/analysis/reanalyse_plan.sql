-- Split the stored articles into batches of %(batch_size)s consecutive ids for job
-- %(job_id)s. Returns the number of batches.
WITH numbered AS (
    SELECT id, (row_number() OVER (ORDER BY id) - 1) / %(batch_size)s AS batch
    FROM articles
), planned AS (
    INSERT INTO reanalyse_batches (job_id, first_id, last_id, articles)
    SELECT %(job_id)s, min(id), max(id), count(*)
    FROM numbered
    GROUP BY batch
    RETURNING 1
)
SELECT count(*) FROM planned;
