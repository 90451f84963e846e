"""The peers of casework_core::agreement: irrCAC (Gwet's AC1, Conger's kappa, Krippendorff's
alpha, with standard errors and intervals) and krippendorff (alpha), on the data sets the Rust
test hands over on standard input as JSON: [{"rows": [[int | null, ...], ...], "categories": q}].
Prints one JSON object per data set: each coefficient's value, standard error, interval and
percent agreement, null where the peer gives no number (NaN or infinity)."""

import json
import math
import sys
import warnings

import krippendorff
import numpy as np
import pandas as pd
from irrCAC.raw import CAC

warnings.simplefilter("ignore")


def number(x):
    x = float(x)
    return x if math.isfinite(x) else None


def coefficient(est):
    lo, hi = est["confidence_interval"]
    return {
        "value": number(est["coefficient_value"]),
        "se": number(est["se"]),
        "interval": [number(lo), number(hi)],
        "pa": number(est["pa"]),
        "pe": number(est["pe"]),
    }


out = []
for data in json.load(sys.stdin):
    q = data["categories"]
    rows = [[np.nan if c is None else float(c) for c in row] for row in data["rows"]]
    frame = pd.DataFrame(rows, columns=[f"m{i}" for i in range(len(rows[0]))])
    cac = CAC(frame, categories=[float(k) for k in range(q)], digits=12)
    result = {}
    for name, method in [("ac1", cac.gwet), ("kappa", cac.conger), ("alpha", cac.krippendorff)]:
        try:
            result[name] = coefficient(method()["est"])
        except (ZeroDivisionError, ValueError, FloatingPointError):
            result[name] = None
    reliability = np.array(rows, dtype=float).T
    try:
        result["krippendorff_alpha"] = number(
            krippendorff.alpha(
                reliability_data=reliability,
                level_of_measurement="nominal",
                value_domain=[float(k) for k in range(q)],
            )
        )
    except (ZeroDivisionError, ValueError):
        result["krippendorff_alpha"] = None
    out.append(result)
print(json.dumps(out))
