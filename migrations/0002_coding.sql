-- Independent coding: rounds, the codebook, assignments, reveals, codings and memos.

CREATE TABLE rounds (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id  uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name        text NOT NULL CHECK (name <> ''),
    is_default  boolean NOT NULL DEFAULT false,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX rounds_name_key ON rounds (project_id, lower(name));
CREATE UNIQUE INDEX rounds_one_default_key ON rounds (project_id) WHERE is_default;
INSERT INTO rounds (project_id, name, is_default) SELECT id, 'Main', true FROM projects;

CREATE TABLE codes (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    parent_id    uuid REFERENCES codes (id),
    name         text NOT NULL CHECK (name <> ''),
    definition   text NOT NULL DEFAULT '',
    inclusion    text NOT NULL DEFAULT '',
    exclusion    text NOT NULL DEFAULT '',
    example      text NOT NULL DEFAULT '',
    color        text CHECK (color ~ '^#[0-9A-Fa-f]{6}$'),
    codable      boolean NOT NULL DEFAULT true,
    status       text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'MERGED', 'RETIRED')),
    merged_into  uuid REFERENCES codes (id),
    -- NULL: the shared codebook. Set: proposed by that coder in inductive mode, and
    -- part of their layer for blinding.
    owner_id     uuid REFERENCES users (id),
    seq          bigint GENERATED ALWAYS AS IDENTITY,
    version      integer NOT NULL DEFAULT 1,
    created_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (parent_id IS NULL OR parent_id <> id)
);
CREATE INDEX codes_project_idx ON codes (project_id, seq);
-- Sibling names are unique regardless of case within what one person can see: the
-- shared codebook, and each coder's own proposals (checked against the shared ones by
-- the service). Two coders' private proposals may share a name without either learning
-- of the other.
CREATE UNIQUE INDEX codes_sibling_name_key ON codes (
    project_id,
    coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid),
    coalesce(owner_id, '00000000-0000-0000-0000-000000000000'::uuid),
    lower(name)
) WHERE status <> 'MERGED';

CREATE TABLE assignments (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id        uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    document_id       uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    round_id          uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    user_id           uuid NOT NULL REFERENCES users (id),
    status            text NOT NULL DEFAULT 'ASSIGNED'
                      CHECK (status IN ('ASSIGNED', 'IN_PROGRESS', 'SUBMITTED', 'REOPENED')),
    reopen_reason     text,
    submitted_at      timestamptz,
    last_activity_at  timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (document_id, round_id, user_id)
);
CREATE INDEX assignments_user_idx ON assignments (user_id, project_id);
CREATE INDEX assignments_project_idx ON assignments (project_id, round_id);

-- A document whose layers are visible to every member for one round.
CREATE TABLE reveals (
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    round_id     uuid NOT NULL REFERENCES rounds (id) ON DELETE CASCADE,
    -- NULL when the reveal came automatically from the last submission.
    revealed_by  uuid REFERENCES users (id),
    revealed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (document_id, round_id)
);

CREATE TABLE codings (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq           bigint GENERATED ALWAYS AS IDENTITY,
    project_id    uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    document_id   uuid NOT NULL REFERENCES documents (id),
    round_id      uuid NOT NULL REFERENCES rounds (id),
    layer         text NOT NULL DEFAULT 'CODER' CHECK (layer IN ('CODER', 'CONSENSUS')),
    coder_id      uuid REFERENCES users (id),
    code_id       uuid NOT NULL REFERENCES codes (id),
    start_offset  integer NOT NULL,
    end_offset    integer NOT NULL,
    memo          text NOT NULL DEFAULT '',
    version       integer NOT NULL DEFAULT 1,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (0 <= start_offset AND start_offset < end_offset),
    CHECK ((layer = 'CODER') = (coder_id IS NOT NULL))
);
CREATE INDEX codings_document_idx ON codings (document_id, round_id, coder_id, start_offset);
CREATE INDEX codings_project_idx ON codings (project_id, seq);
CREATE INDEX codings_code_idx ON codings (code_id);

CREATE TABLE memos (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    seq            bigint GENERATED ALWAYS AS IDENTITY,
    project_id     uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    author_id      uuid NOT NULL REFERENCES users (id),
    target_type    text NOT NULL CHECK (target_type IN ('PROJECT', 'DOCUMENT', 'CODE', 'CODING')),
    target_id      uuid NOT NULL,
    -- The document a memo concerns (for document and coding memos): reveals apply.
    document_id    uuid,
    round_id       uuid,
    -- The coder whose layer the memo belongs to; NULL for a lead's or viewer's memo,
    -- which every member may read.
    layer_user_id  uuid REFERENCES users (id),
    body           text NOT NULL CHECK (body <> ''),
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX memos_target_idx ON memos (project_id, target_type, target_id);
