#!/usr/bin/env python3
"""The DuckDB peer for `casework bench`: the same computation, as SQL, on the same CSVs.

Reads every `pdu-*/sentence-management.csv` under DATA_DIR, maps PDUs to regions from each region's
`inspection.toml` `units`, and computes for every PDU and every region, for every question column
(key questions and prompts): Yes count, relevant (Yes + No) count and the whole-number percentage
(half up); then each PDU's P2.1-P2.4 ratings and points from the lowest key question, and each
region's R2.1 / R2.2 ratings from the pooled key questions.

Timed inside Python from before the CSV read to all results fetched (interpreter start and
`import duckdb` excluded); the best of --repeat runs, each on a fresh connection, is printed as
`duckdb_seconds=<float>`.
"""

import argparse
import glob
import os
import time
import tomllib

import duckdb

PDU_STANDARDS = {
    "P2.1": ["P2.1.1", "P2.1.2", "P2.1.3"],
    "P2.2": ["P2.2.1", "P2.2.2", "P2.2.3"],
    "P2.3": ["P2.3.1", "P2.3.2", "P2.3.3"],
    "P2.4": ["P2.4.1", "P2.4.2", "P2.4.3"],
}
REGION_STANDARDS = {
    "R2.1": ["P2.1.3", "P2.2.3", "P2.3.3", "P2.4.3"],
    "R2.2": ["P2.1.2", "P2.2.2", "P2.3.2", "P2.4.2"],
}
ATTRIBUTES = {"case_id", "sentence", "probation_reset", "weeks_before_suspension",
              "management_oversight", "notes", "filename"}


def band(percent):
    if percent is None:
        return None, None
    if percent >= 80:
        return "outstanding", 3
    if percent >= 65:
        return "good", 2
    if percent >= 50:
        return "requires-improvement", 1
    return "inadequate", 0


def region_map(data):
    mapping = []
    for manifest in sorted(glob.glob(os.path.join(data, "region-*", "inspection.toml"))):
        with open(manifest, "rb") as f:
            region = tomllib.load(f)
        for unit in region.get("units", []):
            mapping.append((os.path.basename(os.path.normpath(unit)), os.path.basename(os.path.dirname(manifest))))
    return mapping


def run_once(data):
    con = duckdb.connect()
    start = time.perf_counter()
    files = sorted(glob.glob(os.path.join(data, "pdu-*", "sentence-management.csv")))
    with open(files[0], encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    questions = [c for c in header if c not in ATTRIBUTES]
    con.execute("CREATE TEMP TABLE regions(pdu VARCHAR, region VARCHAR)")
    con.executemany("INSERT INTO regions VALUES (?, ?)", region_map(data))
    # count_if without union_by_name was the fastest formulation measured (1.7 s against 4.4 s
    # for SUM(CASE ...) with union_by_name on the 1M-case set); every file has the same header.
    sums = ", ".join(
        f"count_if(\"{q}\" = 'Y') AS \"{q}|yes\", "
        f"count_if(\"{q}\" = 'Y' OR \"{q}\" = 'N') AS \"{q}|rel\""
        for q in questions
    )
    pattern = os.path.join(data, "pdu-*", "sentence-management.csv")
    # One streaming pass over every CSV: the per-PDU aggregates.
    con.execute(
        f"CREATE TEMP TABLE per_file AS SELECT filename, COUNT(*) AS n, {sums} "
        f"FROM read_csv('{pattern}', all_varchar=true, filename=true, header=true) GROUP BY filename"
    )
    con.execute(
        "CREATE TEMP TABLE per_pdu AS SELECT regexp_extract(filename, '(pdu-[0-9]+)', 1) AS pdu, "
        "* EXCLUDE (filename) FROM per_file"
    )
    pdu_rows = con.execute("SELECT * FROM per_pdu ORDER BY pdu").fetchall()
    sum_again = ", ".join(f"SUM(\"{q}|yes\"), SUM(\"{q}|rel\")" for q in questions)
    region_rows = con.execute(
        f"SELECT r.region, SUM(p.n), {sum_again} FROM per_pdu p JOIN regions r ON r.pdu = p.pdu "
        "GROUP BY r.region ORDER BY r.region"
    ).fetchall()
    # The rules on the aggregates, inside the timing like casework's.
    for row in pdu_rows:
        rate(questions, row, PDU_STANDARDS)
    for row in region_rows:
        rate(questions, row, REGION_STANDARDS)
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed, questions, pdu_rows, region_rows


def percent(yes, rel):
    return None if not rel else (200 * yes + rel) // (2 * rel)


def rate(questions, row, standards):
    counts = {q: (row[2 + 2 * i], row[3 + 2 * i]) for i, q in enumerate(questions)}
    out = {}
    for code, kqs in standards.items():
        pcts = [percent(*counts[k]) for k in kqs]
        present = [p for p in pcts if p is not None]
        out[code] = (band(min(present)) if present else (None, None), dict(zip(kqs, pcts)))
    return out, counts


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    best = None
    for _ in range(max(1, args.repeat)):
        result = run_once(args.data)
        if best is None or result[0] < best[0]:
            best = result
    elapsed, questions, pdu_rows, region_rows = best
    # The rules on the aggregates (a few hundred numbers): the same in any language.
    # The pdu/region rows carry the PDU or region name at index 0 and the case count at 1.
    checksum = 0
    for row in pdu_rows:
        ratings, _ = rate(questions, row, PDU_STANDARDS)
        checksum = (checksum * 31 + sum(p or 0 for (_, p), _ in ratings.values())) % (1 << 61)
    total = sum(r[1] for r in pdu_rows)
    print(f"duckdb {duckdb.__version__}: {len(pdu_rows)} PDUs, {len(region_rows)} regions, "
          f"{total} cases, {len(questions)} questions")
    if region_rows:
        ratings, counts = rate(questions, region_rows[0], REGION_STANDARDS)
        (rating, _), pcts = ratings["R2.1"]
        print(f"{region_rows[0][0]} R2.1 {rating}: " + ", ".join(
            f"{k} {pcts[k]}% ({counts[k][0]}/{counts[k][1]})" for k in REGION_STANDARDS["R2.1"]))
    print(f"checksum={checksum}")
    print(f"duckdb_seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
