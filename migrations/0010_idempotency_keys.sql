-- Idempotency keys for a coder's changes to their layer (applyCode, updateCoding,
-- deleteCoding). The browser queues each change with a key it made and may send it again
-- after a lost response or a reload; the second call returns what the first returned.
--
-- A key belongs to one user: the primary key starts with user_id, so the same key sent
-- by two people names two different entries and neither can read or block the other's.

CREATE TABLE idempotency_keys (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key         text NOT NULL CHECK (key ~ '^[A-Za-z0-9_.:-]{8,128}$'),
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- The mutation and its arguments, to refuse a key reused for a different change.
    operation   text NOT NULL,
    request     jsonb NOT NULL,
    -- What the first call returned; NULL only inside the transaction that claims the key.
    response    jsonb,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
