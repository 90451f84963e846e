#!/usr/bin/env python3
"""The SQLite floor for `cargo xtask bench-store`: what SQLite itself needs to store a case CSV the way
the store does, with none of the reading or checking.

Untimed: read the CSV with the csv module, build every row as the store writes it (nine columns,
answers as one code per question), create the database with the store's own SQLite migrations and
pragmas (WAL, full sync, foreign keys), and bind every batch's values into flat lists. Timed: one
transaction of 500-row INSERT statements, the commit and the close, which is the store step of
`casework import` done by the same C library with the Python side reduced to handing over lists.
"""

import csv
import pathlib
import sqlite3
import sys
import time

BATCH = 500
CODES = {"Y": "Y", "N": "N", "NA": "-", "": "."}
FIXED = ["case_id", "sentence", "probation_reset", "weeks_before_suspension", "management_oversight"]


def rows_of(csv_path):
    with open(csv_path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        questions = [i for i, name in enumerate(header) if name not in FIXED]
        col = {name: header.index(name) for name in FIXED}
        for position, record in enumerate(reader):
            weeks = record[col["weeks_before_suspension"]]
            yield (
                1,
                "sentence-management",
                position,
                record[col["case_id"]],
                record[col["sentence"]] or None,
                int(weeks) if weeks else None,
                record[col["management_oversight"]] or None,
                None,
                "".join(CODES[record[i]] for i in questions),
            )


def main():
    csv_path, db_path, migrations = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    rows = list(rows_of(csv_path))
    batches = [[v for row in rows[k : k + BATCH] for v in row] for k in range(0, len(rows), BATCH)]
    insert = (
        "INSERT INTO cases (inspection_id, instrument, position, case_ref, sentence, reset_weeks, "
        "oversight, notes, answers) VALUES "
    )
    values = "(?, ?, ?, ?, ?, ?, ?, ?, ?)"

    con = sqlite3.connect(db_path, isolation_level=None)
    for pragma in ("foreign_keys = ON", "journal_mode = WAL", "synchronous = FULL"):
        con.execute(f"PRAGMA {pragma}")
    for migration in sorted(migrations.glob("*.sql")):
        con.executescript(migration.read_text())
    con.execute("INSERT INTO frameworks VALUES ('f', '1', 'h', 'body')")
    con.execute(
        "INSERT INTO inspections (slug, framework_id, framework_version, framework_hash, kind, unit) "
        "VALUES ('floor', 'f', '1', 'h', 'pdu', 'Floor')"
    )

    start = time.perf_counter()
    con.execute("BEGIN")
    full = insert + ", ".join([values] * BATCH)
    for batch in batches:
        n = len(batch) // 9
        con.execute(full if n == BATCH else insert + ", ".join([values] * n), batch)
    con.execute("COMMIT")
    con.close()
    print(f"rows={len(rows)}")
    print(f"floor_seconds={time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
