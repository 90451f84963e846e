-- Casework schema, version 5 (PostgreSQL): a case's declared attributes (practitioner grade, risk of serious
-- harm level, ...; see the framework's [[attributes]]) as one JSON object of attribute id to value
-- id, NULL where none is recorded.
ALTER TABLE cases ADD COLUMN attributes TEXT;
