-- Casework schema, version 10 (postgres): domain one's organisational evidence (issue 17). Only the
-- aggregates are kept, never a respondent's answers: each survey's counts per question, the
-- interviews' counts per role and topic, the measures with value, unit, date and source; one row
-- per survey (kind 'survey', name its id), per interviews table and per measures table, as JSON in
-- core's shapes, versioned (a new file for the same name replaces it, version + 1), audited.
CREATE TABLE domain_one_evidence (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    file_name TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, name)
);
