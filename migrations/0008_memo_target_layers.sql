-- A memo on a coding or on a proposed code takes its target's blinding: the coder whose
-- layer the target belongs to (a coding's coder, the consensus layer as the all-zero id,
-- or a proposed code's owner). A lead's memo on a coder's unrevealed coding is then as
-- hidden from the other coders as the coding itself.

ALTER TABLE memos ADD COLUMN target_layer_user_id uuid;

UPDATE memos m
SET target_layer_user_id = coalesce(c.coder_id, '00000000-0000-0000-0000-000000000000'::uuid),
    document_id = c.document_id,
    round_id = c.round_id
FROM codings c
WHERE m.target_type = 'CODING' AND c.id = m.target_id;

UPDATE memos m SET target_layer_user_id = k.owner_id
FROM codes k
WHERE m.target_type = 'CODE' AND k.id = m.target_id AND k.owner_id IS NOT NULL;

-- A memo whose coding is gone no longer says whose it was: coders read it only once its
-- document is revealed for its round, as they would consensus-layer work.
UPDATE memos SET target_layer_user_id = '00000000-0000-0000-0000-000000000000'::uuid
WHERE target_type = 'CODING' AND target_layer_user_id IS NULL;
