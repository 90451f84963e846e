-- Casework schema, version 1 (SQLite). Ratings are never stored: they are computed from these rows.
CREATE TABLE frameworks (
    id TEXT NOT NULL,
    version TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (id, version, content_hash)
);

CREATE TABLE users (
    name TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);

CREATE TABLE inspections (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    parent_id INTEGER REFERENCES inspections (id) ON DELETE CASCADE,
    unit_path TEXT,
    unit_order INTEGER NOT NULL DEFAULT 0,
    framework_id TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    framework_hash TEXT NOT NULL,
    pinned_version INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    unit TEXT NOT NULL,
    region TEXT,
    fieldwork_start TEXT,
    fieldwork_end TEXT,
    FOREIGN KEY (framework_id, framework_version, framework_hash)
        REFERENCES frameworks (id, version, content_hash)
);

CREATE TABLE judged_ratings (
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    standard TEXT NOT NULL,
    rating TEXT NOT NULL,
    PRIMARY KEY (inspection_id, standard)
);

-- One row per case; its answers as a JSON object of question id -> "Y" | "N" | "NA" (blank omitted).
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    position INTEGER NOT NULL,
    case_ref TEXT NOT NULL,
    sentence TEXT,
    reset_weeks INTEGER,
    oversight TEXT,
    notes TEXT,
    answers TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (inspection_id, instrument, case_ref)
);

CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    inspection TEXT,
    entity TEXT NOT NULL,
    before TEXT,
    after TEXT,
    reason TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
