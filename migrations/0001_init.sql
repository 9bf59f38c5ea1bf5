-- Accord foundation: accounts, sessions, projects, members, documents, units, events.

CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email          text NOT NULL CHECK (email <> ''),
    name           text NOT NULL,
    -- NULL for placeholder accounts (made by an import), which cannot log in.
    password_hash  text,
    created_at     timestamptz NOT NULL DEFAULT now()
);
-- Email is unique regardless of case.
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));

CREATE TABLE api_tokens (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL,
    -- Only a SHA-256 of the token is kept; the token itself is shown once.
    token_hash    bytea NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash     bytea PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

-- Failed logins, kept in the database so every server process shares the limits.
CREATE TABLE login_failures (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL,
    address     text NOT NULL,
    failed_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_failures_email_idx ON login_failures (email, failed_at);
CREATE INDEX login_failures_address_idx ON login_failures (address, failed_at);

CREATE TABLE projects (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL CHECK (name <> ''),
    description  text NOT NULL DEFAULT '',
    settings     jsonb NOT NULL DEFAULT '{}'::jsonb,
    status       text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'FINAL')),
    version      integer NOT NULL DEFAULT 1,
    created_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_members (
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role        text NOT NULL CHECK (role IN ('LEAD', 'CODER', 'VIEWER')),
    added_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_user_idx ON project_members (user_id);

CREATE TABLE documents (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    -- A rising number gives documents a stable order for cursor pagination.
    seq         bigint GENERATED ALWAYS AS IDENTITY,
    title       text NOT NULL CHECK (title <> ''),
    body        text NOT NULL CHECK (body <> ''),
    -- Unicode code points, the unit of every offset in Accord.
    length      integer NOT NULL CHECK (length > 0),
    attributes  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(attributes) = 'object'),
    version     integer NOT NULL DEFAULT 1,
    created_by  uuid NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX documents_project_seq_idx ON documents (project_id, seq);

CREATE TABLE document_units (
    document_id   uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('PARAGRAPH', 'SPEAKER_TURN', 'SENTENCE')),
    ordinal       integer NOT NULL,
    start_offset  integer NOT NULL,
    end_offset    integer NOT NULL,
    speaker       text,
    -- Extra facts about a unit, such as a transcript cue's start and end time.
    data          jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (document_id, kind, ordinal),
    CHECK (0 <= start_offset AND start_offset < end_offset)
);

-- The audit log. Rows are appended and never changed: a trigger refuses it.
CREATE TABLE events (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id     uuid REFERENCES projects (id),
    actor_id       uuid REFERENCES users (id),
    kind           text NOT NULL,
    subject_type   text NOT NULL,
    subject_id     text,
    -- Set when the event belongs to one coder's layer on one document; blinding
    -- filters on these so a coder never learns of another coder's unrevealed work.
    document_id    uuid,
    layer_user_id  uuid,
    round_id       uuid,
    before         jsonb,
    after          jsonb,
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_project_idx ON events (project_id, id);

CREATE FUNCTION events_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: events cannot be changed or deleted';
END;
$$;

CREATE TRIGGER events_append_only
    BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_append_only();
