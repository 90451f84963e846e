-- Casework schema, version 3: a case's answers are one code per question of its instrument, in
-- the order of the framework the inspection is pinned to (Y yes, N no, - not applicable, . not
-- answered), no longer a JSON object keyed by question id; and an index for a case's history.
-- Rewriting stored JSON needs each framework's question order, which SQL does not have, so this
-- records the step and the store carries it out in one transaction when it next opens the
-- database (src/upgrade.rs).
CREATE TABLE pending_upgrades (
    name TEXT PRIMARY KEY
);
INSERT INTO pending_upgrades (name) SELECT 'answer-codes' WHERE EXISTS (SELECT 1 FROM cases);

-- A case's history and a conflict's "changes since" read the log of one inspection. Keyed by
-- inspection and sequence, every new entry goes at the end of its inspection's range: an index by
-- entity took writes all over the index on every commit (15% fewer answer saves a second, measured).
CREATE INDEX audit_log_by_inspection ON audit_log (inspection, seq);
