-- Casework schema, version 2 (PostgreSQL): who may sign in and see what, and per-question evidence.
ALTER TABLE users ADD COLUMN role TEXT NOT NULL DEFAULT 'viewer';
-- An argon2id PHC string; NULL for names that only appear as audit actors.
ALTER TABLE users ADD COLUMN password_hash TEXT;

-- Which users work on which inspection (a region's membership covers its PDUs).
CREATE TABLE memberships (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    PRIMARY KEY (inspection_id, user_name)
);

-- 1 once the findings are published: viewers may see it, and its cases are read-only.
ALTER TABLE inspections ADD COLUMN published BIGINT NOT NULL DEFAULT 0;

-- Server-side sessions, found by the SHA-256 of the cookie's token (the token itself is not stored).
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- An inspector's evidence note on one question of one case: personal data.
CREATE TABLE evidence (
    case_id BIGINT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    note TEXT NOT NULL,
    PRIMARY KEY (case_id, question)
);
