-- Casework schema, version 7 (PostgreSQL): publication as the Inspectorate does it. An inspection's
-- stage (draft, factual-accuracy, published, correction); `published` stays the frozen flag every
-- edit checks (set exactly when the stage is `published`). The inspected organisation's
-- factual-accuracy comments, each against a section and resolved by a lead. Each published
-- version's files, stored as published with their SHA-256, never recomputed.
ALTER TABLE inspections ADD COLUMN stage TEXT NOT NULL DEFAULT 'draft';
UPDATE inspections SET stage = 'published' WHERE published = 1;

CREATE TABLE factual_accuracy_comments (
    id BIGSERIAL PRIMARY KEY,
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    section TEXT NOT NULL,
    comment TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    resolution TEXT,
    resolved_by TEXT,
    resolved_at TEXT
);

CREATE TABLE publications (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    published_at TEXT NOT NULL,
    published_by TEXT NOT NULL,
    reason TEXT,
    revision BIGINT NOT NULL,
    html TEXT NOT NULL,
    pdf BYTEA NOT NULL,
    workbook BYTEA NOT NULL,
    ratings TEXT NOT NULL,
    html_sha256 TEXT NOT NULL,
    pdf_sha256 TEXT NOT NULL,
    workbook_sha256 TEXT NOT NULL,
    ratings_sha256 TEXT NOT NULL,
    PRIMARY KEY (inspection_id, version)
);
