"""Dump an XLSX workbook as JSON with openpyxl: every sheet's cell values and number formats and its
frozen panes. Used by crates/cli/tests/it/report.rs to check the data workbook with a second, real
reader (the first is calamine, in Rust). Usage: python3 dump_workbook.py FILE.xlsx"""
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    rows = []
    for row in sheet.iter_rows():
        rows.append([{"value": c.value, "format": c.number_format} for c in row])
    out[sheet.title] = {"freeze": sheet.freeze_panes, "rows": rows}
json.dump(out, sys.stdout)
