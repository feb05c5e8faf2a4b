-- The Moscow days the warehouse covers: the report's default window.
SELECT min(day), max(day) FROM daily_coverage;
