-- Casework schema, version 12 (sqlite): published results (issue 18), what published inspection
-- reports state, as researchers compare them. `body` is the result's JSON (casework_core::published,
-- with each figure's provenance); the columns beside it are copies for filtering and sorting.
-- `body_sha256` keeps one copy of an identical result however often a file is imported.
CREATE TABLE published_results (
    id INTEGER PRIMARY KEY,
    body_sha256 TEXT NOT NULL UNIQUE,
    unit TEXT,
    region TEXT,
    kind TEXT,
    programme TEXT,
    year INTEGER,
    score INTEGER,
    overall_rating TEXT,
    body TEXT NOT NULL,
    imported_by TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE INDEX published_results_programme ON published_results (programme, kind);
