-- A batch of articles of one source that now parsed or answered again: out of quarantine.
DELETE FROM quarantine
WHERE source = %(source)s AND external_id = ANY(%(external_ids)s::bigint[])
