-- Consensus: one session per document and round, its disagreement items, and the
-- consensus-layer codings each item wrote.

CREATE TABLE consensus_sessions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    round_id      uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    -- The coders whose layers were aligned: those assigned when consensus started.
    coders        uuid[] NOT NULL,
    started_by    uuid NOT NULL REFERENCES users (id),
    started_at    timestamptz NOT NULL DEFAULT now(),
    -- Started before every assignment was submitted.
    forced        boolean NOT NULL DEFAULT false,
    status        text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'COMPLETED')),
    completed_by  uuid REFERENCES users (id),
    completed_at  timestamptz,
    UNIQUE (document_id, round_id)
);
CREATE INDEX consensus_sessions_project_idx ON consensus_sessions (project_id);

CREATE TABLE consensus_items (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id    uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    session_id    uuid NOT NULL REFERENCES consensus_sessions (id) ON DELETE CASCADE,
    document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    round_id      uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    -- Document order of the item within its session.
    ordinal       integer NOT NULL,
    -- Stable over re-alignment of the same layers (server.consensus.align.item_key).
    key           text NOT NULL,
    kind          text NOT NULL CHECK (kind IN (
                      'EXACT_AGREEMENT', 'BOUNDARY_DIFFERENCE', 'CODE_DIFFERENCE', 'OMISSION')),
    status        text NOT NULL DEFAULT 'OPEN'
                  CHECK (status IN ('OPEN', 'AUTO_ACCEPTED', 'RESOLVED')),
    start_offset  integer NOT NULL,
    end_offset    integer NOT NULL,
    -- Every coder's segments as they were when consensus started: a list of
    -- {codingId, coderId, codeId, start, end, text}. Later edits to a coder's layer do
    -- not move the item under the lead's feet.
    segments      jsonb NOT NULL,
    -- The lead's decision: {action, coderId, start, end, codeIds}; NULL while OPEN and
    -- for auto-accepted items.
    resolution    jsonb,
    rationale     text,
    -- Rises with every resolution or reopening; a stale version is a conflict.
    version       integer NOT NULL DEFAULT 1,
    resolved_by   uuid REFERENCES users (id),
    resolved_at   timestamptz,
    UNIQUE (session_id, key),
    UNIQUE (session_id, ordinal),
    CHECK (0 <= start_offset AND start_offset < end_offset)
);
CREATE INDEX consensus_items_document_idx ON consensus_items (document_id, round_id, ordinal);

-- The consensus codings an item wrote, so reopening the item removes exactly those.
-- A coding removed by other means (a codebook merge joining segments) drops its link.
CREATE TABLE consensus_item_codings (
    item_id    uuid NOT NULL REFERENCES consensus_items (id) ON DELETE CASCADE,
    coding_id  uuid NOT NULL REFERENCES codings (id) ON DELETE CASCADE,
    PRIMARY KEY (item_id, coding_id)
);
CREATE INDEX consensus_item_codings_coding_idx ON consensus_item_codings (coding_id);
