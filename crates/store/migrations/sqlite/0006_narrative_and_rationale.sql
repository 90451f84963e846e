-- Casework schema, version 6 (SQLite): the inspection held whole. The inspectors'
-- rationale beside each judged rating (versioned), and the report's narrative files (a section's Markdown or
-- the previous recommendations table), each versioned like a case so a stale save is refused.
ALTER TABLE judged_ratings ADD COLUMN rationale TEXT;
ALTER TABLE judged_ratings ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

CREATE TABLE narrative (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (inspection_id, name)
);
