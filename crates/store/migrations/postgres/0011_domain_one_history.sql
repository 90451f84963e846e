-- Casework schema, version 11 (postgres): the earlier versions of domain one's evidence (issue 17).
-- Recording a file again for the same kind and name moves the version it replaces here, in the
-- same transaction, so an earlier survey's counts or key question's rationale can still be read;
-- aggregates only, as in domain_one_evidence. Deleted with the inspection.
CREATE TABLE domain_one_history (
    inspection_id BIGINT NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    version BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    body TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (inspection_id, kind, name, version)
);
