-- What a decided disagreement item wrote to the consensus layer: each coding's id, code
-- and extent. Reopening an item removes exactly these, so it is refused when a later
-- change (a merge that re-pointed or joined them, a split) altered or removed any of them.

ALTER TABLE consensus_items ADD COLUMN written jsonb NOT NULL DEFAULT '[]'::jsonb;
