-- Casework schema, version 9 (postgres): the case sample (issue 16). An inspection's caseload extract
-- (only the fields Casework reads, as CSV; deleted with its reason recorded when the inspection is
-- published, data minimisation), its draw (the specification, seed and algorithm, the population
-- and size), and each drawn case's place: drawn or reserve, its stratum and order, whether it is
-- in the sample, excluded at fieldwork (with the reason) or still a reserve, and the case record a
-- reserve becomes when it replaces an excluded case.
CREATE TABLE caseload_extracts (
    inspection_id BIGINT PRIMARY KEY REFERENCES inspections (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    mapping TEXT NOT NULL,
    cases BIGINT NOT NULL,
    body TEXT,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    deleted_at TEXT,
    deleted_reason TEXT
);

CREATE TABLE sample_draws (
    inspection_id BIGINT PRIMARY KEY REFERENCES inspections (id) ON DELETE CASCADE,
    instrument TEXT NOT NULL,
    specification TEXT NOT NULL,
    seed BIGINT NOT NULL,
    algorithm TEXT NOT NULL,
    population BIGINT NOT NULL,
    size BIGINT NOT NULL,
    confidence TEXT NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL
);

CREATE TABLE sample_cases (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    case_ref TEXT NOT NULL,
    stratum TEXT NOT NULL,
    role TEXT NOT NULL,
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    replaces TEXT,
    sentence TEXT NOT NULL,
    reset_weeks BIGINT,
    attributes TEXT,
    PRIMARY KEY (inspection_id, case_ref)
);
