#!/usr/bin/env python3
"""The Python `re` peer for `cargo xtask bench-extract`: the same report extraction Casework's Rust
extractor does, written with the standard library's regular expressions.

Usage: python3 scripts/extract_re.py DIR OUT.jsonl

Reads every *.txt file in DIR (sorted by name): published HM Inspectorate of Probation reports
(2023 programme) as plain text, whether converted from the web page or from the PDF (Markdown-ish
`**bold**`, `<b>`, `<sup>1</sup>`, `#` headings, tab-separated tables, a ratings panel that may be
one scrambled line). For each it extracts the score and its maximum, the overall rating, every
standard's rating and key-question percentages, and the sample sizes the methodology paragraph
states; checks them against the programme's rules; and writes one JSON object per line, keys
sorted:

    {"file", "score", "score_max", "overall_rating",
     "standards": {"P1.1": {"rating", "percent_yes": [...]}, ...},
     "samples": {"cases", "community", "licence", ...}, "findings": [...]}

A standard's rating is read from its section in the body (the heading "P 1.1. Leadership", then
the first rating label ending a line), and from the ratings panel only where the section gives
none. Findings: the score against the standards' points (Outstanding 3, Good 2, Requires
improvement 1, Inadequate 0), the maximum against 3 per standard, each rating against the band of
its lowest key-question percentage, and the overall rating against the score's band.

Prints `files=N` and `python_seconds=S`: reading, extraction, checks and writing, timed with
time.perf_counter (interpreter start and imports excluded).
"""

import json
import os
import re
import sys
import time

LABELS = ("Outstanding", "Good", "Requires improvement", "Inadequate")
POINTS = {"Outstanding": 3, "Good": 2, "Requires improvement": 1, "Inadequate": 0}
LABEL = r"(Outstanding|Good|Requires [Ii]mprovement|Inadequate)"
NUMBER = r"(\d[\d,]*)"

# "Score 4/24" (glued to "Fieldwork started February 2025"), "Score **5/24**".
SCORE_RE = re.compile(r"Score\s*(?:\*\*|<b>)?\s*(\d+)\s*/\s*(\d+)")
# The label on the same line ("Overall ratingInadequate", "**Overall rating Requires improvement**")
# or the next non-empty line ("### Overall rating" / "" / "**Inadequate**").
OVERALL_RE = re.compile(r"Overall rating(?:[\s#*:]|</?b>)*" + LABEL)
# Any standard code: "P 1.1", "R 2.6", "R1.1".
CODE_RE = re.compile(r"\b([PR]) ?([12]\.\d)\b")
# A standard's section heading: "P 1.1. Leadership", "## R 2.2. Desistance", "## 1.2. Staffing"
# (no letter), "R 1.2 StaffingRating" (no dot, but the web page's "Rating" column header).
HEADING_RE = re.compile(
    r"^[#* \t]*(?:([PR]) ?)?([12]\.\d)(?:\.[ \t]|[ \t].*Rating[*]*[ \t]*$)", re.MULTILINE
)
# A ratings panel entry: the code and the standard's name, then the label on the same line or the
# next non-empty one ("R 2.6 Victim workGood", "P 1.1 Leadership Requires improvement",
# "R 1.1 Leadership" / "" / "Requires improvement"); never a code with no label right after it.
PANEL_RE = re.compile(
    r"\b([PR]) ?([12]\.\d)\b(?![.\d])[ \t]*[A-Za-z ,]*?(?:[ \t]*\n)*[ \t*]*(?:<b>)?" + LABEL
)
# Headings that close a standard's section without opening another.
SECTION_END_RE = re.compile(
    r"^[#* \t]*(?:\d\.?[ \t]+)?(?:\*\*)?(?:Diversity and inclusion|Progress on previous recommendations"
    r"|Learning from Serious Further Offences|Feedback from people on probation|Annexe"
    r"|Further information|Organisational arrangements|Service delivery)",
    re.MULTILINE | re.IGNORECASE,
)
# Where a section's statement-and-rating part stops.
SECTION_BODY_RE = re.compile(
    r"^[#* \t]*(?:Strengths|Areas for improvement|Our rating|Key question)", re.MULTILINE
)
# A rating label ending a line: own line, "**Inadequate**", or glued ("...the public.Inadequate").
LINE_LABEL_RE = re.compile(LABEL + r"(?:\*\*|</b>)?[ \t]*$", re.MULTILINE)
KEY_QUESTION_RE = re.compile(r"^[#* \t]*Key question", re.MULTILINE)
# A table row: the question, then a whole percentage after a tab or glued to the "?".
ROW_RE = re.compile(
    r"^[ \t]*(?:<b>|\*\*)?(.+?\?)(?:</b>|\*\*)?(?:\t[ \t]*|)(?:<b>|\*\*)?(\d{1,3})%(?:</b>|\*\*)?[ \t]*$"
)
# The methodology/background paragraph, hard-wrapped lines joined.
METHOD_RE = re.compile(r"^[^\n]*\bWe conducted fieldwork\b[^\n]*(?:\n[^\n]*\S[^\n]*)*", re.MULTILINE)
REVIEWED_RE = re.compile(r"\bWe reviewed " + NUMBER + r" cases")
INSPECTED_RE = re.compile(
    r"\bWe inspected " + NUMBER + r" community orders and " + NUMBER + r" releases on licence"
)
COMMUNITY_RE = re.compile(r"\bof which " + NUMBER + r" were subject to a community sentence")
LICENCE_RE = re.compile(NUMBER + r" were subject to release on licence")
COURT_RE = re.compile(NUMBER + r" court reports")
RESETTLEMENT_RE = re.compile(NUMBER + r" cases subject to resettlement provision")
UNPAID_WORK_RE = re.compile(NUMBER + r" unpaid work cases")
VICTIMS_RE = re.compile(NUMBER + r" statutory victim cases")
INTERVIEWS_RE = re.compile(
    NUMBER + r" interviews with probation practitioners|interviews with " + NUMBER
    + r" probation practitioners"
)
WHITESPACE_RE = re.compile(r"\s+")

# The overall rating's score bands (lowest score of each band), by kind of unit.
OVERALL_BANDS = {
    "P": ((18, "Outstanding"), (11, "Good"), (4, "Requires improvement"), (0, "Inadequate")),
    "R": ((21, "Outstanding"), (13, "Good"), (5, "Requires improvement"), (0, "Inadequate")),
}
PERCENT_BANDS = ((80, "Outstanding"), (65, "Good"), (50, "Requires improvement"), (0, "Inadequate"))


def label_of(text):
    """The canonical label for a matched rating ("Requires Improvement" → "Requires improvement")."""
    return text[0] + text[1:].lower() if text.lower() == "requires improvement" else text


def band(value, bands):
    return next(name for floor, name in bands if value >= floor)


def number(text):
    return int(text.replace(",", ""))


def extract_score(text):
    m = SCORE_RE.search(text)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def extract_overall(text):
    m = OVERALL_RE.search(text)
    return label_of(m.group(1)) if m else None


def sections(text, letter):
    """(code, section text) for each standard heading in the body, in order."""
    headings = list(HEADING_RE.finditer(text))
    ends = [m.start() for m in SECTION_END_RE.finditer(text)]
    for i, m in enumerate(headings):
        code = (m.group(1) or letter) + m.group(2)
        stop = headings[i + 1].start() if i + 1 < len(headings) else len(text)
        stop = min([stop] + [e for e in ends if e > m.end()])
        start = text.find("\n", m.start())
        yield code, text[start if 0 <= start < stop else m.end():stop]


def section_rating(body):
    cut = SECTION_BODY_RE.search(body)
    m = LINE_LABEL_RE.search(body, 0, cut.start() if cut else len(body))
    return label_of(m.group(1)) if m else None


def section_percentages(body):
    m = KEY_QUESTION_RE.search(body)
    if not m:
        return []
    rows = []
    for line in body[m.end():].split("\n")[1:]:
        row = ROW_RE.match(line)
        if not row:
            break
        rows.append(int(row.group(2)))
    return rows


def panel_ratings(text):
    """The ratings panel's label per code, where it can be read (first reading of each code)."""
    ratings = {}
    for m in PANEL_RE.finditer(text):
        ratings.setdefault(m.group(1) + m.group(2), label_of(m.group(3)))
    return ratings


def extract_standards(text):
    mentions = [m.group(1) + m.group(2) for m in CODE_RE.finditer(text)]
    codes = set(mentions)
    # P for a PDU, R for a region: the letter most of the report's code mentions carry.
    letter = max("PR", key=[c[0] for c in mentions].count) if mentions else None
    found = {}
    for code, body in sections(text, letter or "?"):
        codes.add(code)
        entry = found.setdefault(code, {"rating": None, "percent_yes": []})
        if entry["rating"] is None:
            entry["rating"] = section_rating(body)
        if not entry["percent_yes"]:
            entry["percent_yes"] = section_percentages(body)
    standards = {code: found.get(code, {"rating": None, "percent_yes": []}) for code in sorted(codes)}
    if any(s["rating"] is None for s in standards.values()):
        panel = panel_ratings(text)
        for code, entry in standards.items():
            if entry["rating"] is None:
                entry["rating"] = panel.get(code)
    return letter, standards


def extract_samples(text):
    m = METHOD_RE.search(text)
    if not m:
        return {}
    para = WHITESPACE_RE.sub(" ", m.group(0))
    samples = {}
    inspected = INSPECTED_RE.search(para)
    reviewed = REVIEWED_RE.search(para)
    if reviewed:
        samples["cases"] = number(reviewed.group(1))
    elif inspected:
        samples["cases"] = number(inspected.group(1)) + number(inspected.group(2))
    community = COMMUNITY_RE.search(para)
    if community or inspected:
        samples["community"] = number(community.group(1) if community else inspected.group(1))
    licence = LICENCE_RE.search(para)
    if licence or inspected:
        samples["licence"] = number(licence.group(1) if licence else inspected.group(2))
    for name, regex in (
        ("court_reports", COURT_RE),
        ("resettlement", RESETTLEMENT_RE),
        ("unpaid_work", UNPAID_WORK_RE),
        ("victims", VICTIMS_RE),
        ("interviews", INTERVIEWS_RE),
    ):
        found = regex.search(para)
        if found:
            samples[name] = number(next(g for g in found.groups() if g))
    return samples


def check(letter, score, score_max, overall, standards):
    """The 2023 programme's arithmetic, as findings (empty when the report is consistent)."""
    findings = []
    ratings = [s["rating"] for s in standards.values()]
    if score is not None and ratings and None not in ratings:
        total = sum(POINTS[r] for r in ratings)
        if total != score:
            findings.append(f"score: stated {score}, the {len(ratings)} standards' ratings sum to {total}")
    if score_max is not None and standards and score_max != 3 * len(standards):
        findings.append(
            f"score_max: stated {score_max}, 3 x {len(standards)} standards is {3 * len(standards)}"
        )
    for code, s in standards.items():
        if s["percent_yes"] and s["rating"] is not None:
            lowest = min(s["percent_yes"])
            expected = band(lowest, PERCENT_BANDS)
            if expected != s["rating"]:
                findings.append(
                    f"{code}: rated {s['rating']}, but its lowest key question ({lowest}%) is in the "
                    f"{expected} band"
                )
    kind = letter or {21: "P", 24: "R"}.get(score_max)
    if overall is not None and score is not None and kind in OVERALL_BANDS:
        expected = band(score, OVERALL_BANDS[kind])
        if expected != overall:
            unit = "PDU" if kind == "P" else "region"
            findings.append(
                f"overall: rated {overall}, but a {unit} score of {score} is in the {expected} band"
            )
    return findings


def extract(name, text):
    score, score_max = extract_score(text)
    overall = extract_overall(text)
    letter, standards = extract_standards(text)
    return {
        "file": name,
        "score": score,
        "score_max": score_max,
        "overall_rating": overall,
        "standards": standards,
        "samples": extract_samples(text),
        "findings": check(letter, score, score_max, overall, standards),
    }


def run(directory, out_path):
    names = sorted(n for n in os.listdir(directory) if n.endswith(".txt"))
    with open(out_path, "w", encoding="utf-8") as out:
        for name in names:
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                text = f.read()
            out.write(json.dumps(extract(name, text), sort_keys=True) + "\n")
    return len(names)


def main(argv):
    if len(argv) != 3:
        print(f"usage: {argv[0]} DIR OUT.jsonl", file=sys.stderr)
        return 2
    start = time.perf_counter()
    files = run(argv[1], argv[2])
    elapsed = time.perf_counter() - start
    print(f"files={files}")
    print(f"python_seconds={elapsed:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
