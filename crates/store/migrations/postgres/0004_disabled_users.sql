-- Casework schema, version 4 (PostgreSQL): a user can be disabled (cannot sign in; sessions ended)
-- without losing the name every audit entry they made refers to.
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
