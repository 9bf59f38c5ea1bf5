-- Claimable placeholder accounts. An imported REFI-QDA user whose id is an email address
-- becomes a placeholder account (no password, an address of its own on a domain that
-- receives no mail); claim_email keeps the file's address, so that the person who holds
-- it can take the placeholder over, codings and all, when they get an account for it (an
-- accepted invitation to the placeholder's project, or `accord user create`).
--
-- Not unique: several imports, by leads who know nothing of each other, may name the same
-- person. Only an account that cannot log in may carry one.

ALTER TABLE users ADD COLUMN claim_email text;
ALTER TABLE users ADD CONSTRAINT users_claim_email_placeholder_only
    CHECK (claim_email IS NULL OR password_hash IS NULL);
CREATE INDEX users_claim_email_idx ON users (lower(claim_email)) WHERE claim_email IS NOT NULL;
