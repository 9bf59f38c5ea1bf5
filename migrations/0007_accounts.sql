-- Site administration, invitations and password resets.

-- A site administrator manages accounts (list, deactivate, reset links); project roles
-- are unchanged. A deactivated account cannot log in and holds no session or token.
ALTER TABLE users
    ADD COLUMN is_admin        boolean NOT NULL DEFAULT false,
    ADD COLUMN deactivated_at  timestamptz,
    ADD COLUMN last_login_at   timestamptz,
    -- A rising number gives the account list a stable order for cursor pagination.
    ADD COLUMN seq             bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX users_seq_key ON users (seq);

-- The first account on an empty database becomes an administrator; a database made
-- before administrators existed gets its oldest account that can log in, unless that is
-- a demo account (whose password the demo prints for all to see).
UPDATE users SET is_admin = true
WHERE id = (
    SELECT u.id FROM users u
    WHERE u.password_hash IS NOT NULL
      AND NOT EXISTS (
          SELECT 1 FROM project_members m JOIN demo_studies d ON d.project_id = m.project_id
          WHERE m.user_id = u.id
      )
    ORDER BY u.created_at, u.id LIMIT 1
);

-- A lead's invitation to join a project. Only a SHA-256 of the one-time link's token
-- is kept. It is accepted once, withdrawn by a lead, or runs out at expires_at.
CREATE TABLE invitations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project_id   uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    email        text NOT NULL CHECK (email <> ''),
    role         text NOT NULL CHECK (role IN ('LEAD', 'CODER', 'VIEWER')),
    token_hash   bytea NOT NULL UNIQUE,
    invited_by   uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    accepted_at  timestamptz,
    accepted_by  uuid REFERENCES users (id),
    revoked_at   timestamptz,
    revoked_by   uuid REFERENCES users (id),
    CHECK (accepted_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX invitations_project_idx ON invitations (project_id, created_at);
-- At most one open invitation per project and email: inviting again replaces it.
CREATE UNIQUE INDEX invitations_open_key ON invitations (project_id, lower(email))
    WHERE accepted_at IS NULL AND revoked_at IS NULL;

-- A one-time password-reset link an administrator issued. Only a hash of its token.
CREATE TABLE password_resets (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash  bytea NOT NULL UNIQUE,
    issued_by   uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz,
    revoked_at  timestamptz,
    CHECK (used_at IS NULL OR revoked_at IS NULL)
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id);
