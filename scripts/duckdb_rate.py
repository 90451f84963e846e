#!/usr/bin/env python3
"""The DuckDB peer for `cargo xtask bench`: the same computation, as SQL, on the same CSVs.

Usage: duckdb_rate.py DATA_DIR [--repeat N]

DATA_DIR is a `cargo xtask bench` data set: `pdu-NNN/sentence-management.csv` (one per PDU) and
`region-NN/inspection.toml` whose `units = ["../pdu-NNN", ...]` list the region's PDUs.

One SQL statement does all the work:
- one `read_csv` over every PDU's CSV (all_varchar, filename=true, union_by_name);
- each row's PDU and region from a small mapping table (file -> PDU -> region, read from the region
  manifests with tomllib), joined on the file name;
- one aggregation pass with GROUPING SETS ((region, pdu), (region)): for every question column (12
  key questions and 42 prompts) SUM(CASE ...) of Yes and of relevant (Yes or No) answers, per PDU
  and per region (a region pools its PDUs' answers: sum of yes / sum of relevant);
- the whole-number percentage, rounded half up in integer arithmetic: (200*yes + rel) // (2*rel),
  NULL when nothing is relevant;
- per PDU, P2.1-P2.4 rated from the lowest key question's printed percentage (80+ outstanding 3,
  65-79 good 2, 50-64 requires-improvement 1, below 50 inadequate 0) and the sum of points; per
  region, R2.1 (P2.x.3) and R2.2 (P2.x.2) rated the same way from the pooled key questions.

Timed inside Python from before the region manifests and `read_csv` are read to every result row
fetched (interpreter start, `import duckdb` and `duckdb.connect()` excluded). Each of --repeat runs
uses a fresh in-memory connection; the best is printed as `duckdb_seconds=<float>`, after a short
summary (PDUs, regions, total cases, region-01's R2.1 key questions) and a checksum of all counts.
"""

import argparse
import glob
import os
import sys
import time
import tomllib

import duckdb

# Columns of sentence-management.csv that are case attributes, not questions.
ATTRIBUTES = {"case_id", "sentence", "probation_reset", "weeks_before_suspension",
              "management_oversight", "notes"}
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
KEY_QUESTIONS = sorted({k for kqs in PDU_STANDARDS.values() for k in kqs})


def ident(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def question_columns(csv_path):
    with open(csv_path, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    return [c for c in header if c not in ATTRIBUTES]


def unit_map(data):
    """(csv file, pdu, region) for every PDU listed in a region manifest's `units`."""
    rows = []
    for manifest in sorted(glob.glob(os.path.join(data, "region-*", "inspection.toml"))):
        region_dir = os.path.dirname(manifest)
        with open(manifest, "rb") as f:
            units = tomllib.load(f).get("units", [])
        for unit in units:
            pdu_dir = os.path.normpath(os.path.join(region_dir, unit))
            csv = os.path.join(pdu_dir, "sentence-management.csv")
            rows.append((csv, os.path.basename(pdu_dir), os.path.basename(region_dir)))
    return rows


def band_sql(pct):
    return (f"CASE WHEN {pct} IS NULL THEN NULL WHEN {pct} >= 80 THEN 'outstanding' "
            f"WHEN {pct} >= 65 THEN 'good' WHEN {pct} >= 50 THEN 'requires-improvement' "
            "ELSE 'inadequate' END")


def points_sql(pct):
    return (f"CASE WHEN {pct} IS NULL THEN NULL WHEN {pct} >= 80 THEN 3 WHEN {pct} >= 65 THEN 2 "
            f"WHEN {pct} >= 50 THEN 1 ELSE 0 END")


def build_query(questions, files):
    """The single statement: scan, map, aggregate (PDU and region), percentages, ratings."""
    sums = ",\n    ".join(
        f"SUM(CASE WHEN {ident(q)} = 'Y' THEN 1 ELSE 0 END) AS {ident(q + '|yes')}, "
        f"SUM(CASE WHEN {ident(q)} = 'Y' OR {ident(q)} = 'N' THEN 1 ELSE 0 END) AS {ident(q + '|rel')}"
        for q in questions)
    pcts = ",\n    ".join(
        f"{ident(q + '|yes')}, {ident(q + '|rel')}, "
        f"CASE WHEN {ident(q + '|rel')} > 0 THEN (200 * {ident(q + '|yes')} + {ident(q + '|rel')}) "
        f"// (2 * {ident(q + '|rel')}) END AS {ident(q + '|pct')}"
        for q in questions)

    def lowest(kqs):
        return "LEAST(" + ", ".join(ident(k + "|pct") for k in kqs) + ")"

    def rate(code, kqs, scope):
        low = lowest(kqs)
        return (f"CASE WHEN {scope} THEN {band_sql(low)} END AS {ident(code)}, "
                f"CASE WHEN {scope} THEN {points_sql(low)} END AS {ident(code + '|points')}")

    is_pdu = "pdu IS NOT NULL"
    is_region = "pdu IS NULL"
    ratings = ",\n    ".join(
        [rate(c, k, is_pdu) for c, k in PDU_STANDARDS.items()]
        + [rate(c, k, is_region) for c, k in REGION_STANDARDS.items()])
    score = " + ".join(ident(c + "|points") for c in PDU_STANDARDS)
    file_list = "[" + ", ".join(literal(f) for f in files) + "]"
    return f"""
WITH answers AS (
  SELECT m.region, m.pdu, a.*
  FROM read_csv({file_list}, all_varchar = true, filename = true, union_by_name = true,
                header = true) AS a
  JOIN units AS m ON m.file = a.filename
),
counts AS (
  SELECT region, pdu, COUNT(*) AS cases,
    {sums}
  FROM answers
  GROUP BY GROUPING SETS ((region, pdu), (region))
),
percents AS (
  SELECT region, pdu, cases,
    {pcts}
  FROM counts
),
rated AS (
  SELECT *,
    {ratings}
  FROM percents
)
SELECT *, CASE WHEN pdu IS NOT NULL THEN {score} END AS "score"
FROM rated
ORDER BY pdu IS NULL, region, pdu
"""


def run_once(data):
    con = duckdb.connect()
    start = time.perf_counter()
    units = unit_map(data)
    if not units:
        sys.exit(f"no region-*/inspection.toml with units under {data}")
    questions = question_columns(units[0][0])
    con.execute("CREATE TEMP TABLE units(file VARCHAR, pdu VARCHAR, region VARCHAR)")
    con.executemany("INSERT INTO units VALUES (?, ?, ?)", units)
    cur = con.execute(build_query(questions, [u[0] for u in units]))
    rows = cur.fetchall()
    names = [d[0] for d in cur.description]
    elapsed = time.perf_counter() - start
    con.close()
    return elapsed, questions, names, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--show-sql", action="store_true", help="print the statement and exit")
    args = parser.parse_args()
    if args.show_sql:
        units = unit_map(args.data)
        print(build_query(question_columns(units[0][0]), [u[0] for u in units]))
        return
    best = None
    for _ in range(max(1, args.repeat)):
        result = run_once(args.data)
        if best is None or result[0] < best[0]:
            best = result
    elapsed, questions, names, rows = best
    rows = [dict(zip(names, r)) for r in rows]
    pdus = [r for r in rows if r["pdu"] is not None]
    regions = [r for r in rows if r["pdu"] is None]
    total = sum(r["cases"] for r in pdus)
    checksum = 0
    for r in rows:
        for q in questions:
            checksum = (checksum * 1_000_003 + r[q + "|yes"] * 7 + r[q + "|rel"]) % (1 << 61)
    print(f"duckdb {duckdb.__version__}: {len(pdus)} PDUs, {len(regions)} regions, {total} cases, "
          f"{len(questions)} questions ({sum(q in KEY_QUESTIONS for q in questions)} key questions)")
    if pdus:
        p = pdus[0]
        print(f"{p['pdu']} ({p['region']}): " + ", ".join(
            f"{c} {p[c]} ({p[c + '|points']})" for c in PDU_STANDARDS) + f"; score {p['score']}")
    if regions:
        r = regions[0]
        for code, kqs in REGION_STANDARDS.items():
            print(f"{r['region']} {code} {r[code]}: " + ", ".join(
                f"{k} {r[k + '|pct']}% ({r[k + '|yes']}/{r[k + '|rel']})" for k in kqs))
    print(f"checksum={checksum}")
    print(f"duckdb_seconds={elapsed:.6f}")


if __name__ == "__main__":
    main()
