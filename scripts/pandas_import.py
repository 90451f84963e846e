#!/usr/bin/env python3
"""The pandas peer for `cargo xtask bench-store`: read a case CSV with pandas and write it to a SQLite
file with DataFrame.to_sql, timed inside Python (interpreter start and imports excluded)."""

import sqlite3
import sys
import time

import pandas as pd


def main():
    csv_path, db_path = sys.argv[1], sys.argv[2]
    start = time.perf_counter()
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    con = sqlite3.connect(db_path)
    frame.to_sql("cases", con, if_exists="replace", index=False)
    con.commit()
    con.close()
    print(f"rows={len(frame)}")
    print(f"pandas_seconds={time.perf_counter() - start:.6f}")


if __name__ == "__main__":
    main()
