-- Casework schema, version 8 (sqlite): quality assurance of case assessments (issue 19). Each case's
-- review state (in-progress, submitted, returned, qa-reviewed, locked) and the inspector who
-- submitted it. An inspection's QA sample (its seed and share), each drawn case's blind second
-- marking (the reviewer's answers, and the case's answers as they were when it was submitted, so
-- agreement is measured on what each marker said), the QA reviewer's comments on a returned case,
-- and each reconciled disagreement (one per case and question: the first lead to reconcile wins).
ALTER TABLE cases ADD COLUMN review_state TEXT NOT NULL DEFAULT 'in-progress';
ALTER TABLE cases ADD COLUMN inspector TEXT;

CREATE TABLE qa_samples (
    inspection_id INTEGER PRIMARY KEY REFERENCES inspections (id) ON DELETE CASCADE,
    seed INTEGER NOT NULL,
    share_percent INTEGER NOT NULL,
    drawn_by TEXT NOT NULL,
    drawn_at TEXT NOT NULL
);

CREATE TABLE qa_marks (
    case_id INTEGER PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    inspection_id INTEGER NOT NULL REFERENCES inspections (id) ON DELETE CASCADE,
    reviewer TEXT,
    answers TEXT,
    original TEXT,
    submitted_at TEXT
);

CREATE TABLE qa_returns (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    comment TEXT NOT NULL,
    returned_by TEXT NOT NULL,
    returned_at TEXT NOT NULL
);

CREATE TABLE qa_reconciliations (
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    original TEXT NOT NULL,
    second TEXT NOT NULL,
    answer TEXT NOT NULL,
    reason TEXT NOT NULL,
    reconciled_by TEXT NOT NULL,
    reconciled_at TEXT NOT NULL,
    PRIMARY KEY (case_id, question)
);
