-- The articles %(ids)s were just analysed with snapshot %(snapshot_id)s: their mentions and
-- quotes always, their unknown people only when %(discover)s (otherwise those stay as
-- they were computed, and so does their record).
INSERT INTO article_analysis (article_id, snapshot_id, unknown_snapshot_id)
SELECT id, %(snapshot_id)s, CASE WHEN %(discover)s THEN %(snapshot_id)s END
FROM articles
WHERE id = ANY(%(ids)s::bigint[])
ON CONFLICT (article_id) DO UPDATE
SET snapshot_id = EXCLUDED.snapshot_id,
    unknown_snapshot_id = CASE
        WHEN %(discover)s THEN EXCLUDED.snapshot_id
        ELSE article_analysis.unknown_snapshot_id
    END;
