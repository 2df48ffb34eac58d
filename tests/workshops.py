"""A hand-worked strategy workshop for the tests of the workshop reader, the matrices, the
Monte Carlo, the evidence links and the figures."""

from __future__ import annotations

import yaml

# A hand-worked example (numbers chosen here, totals computed on paper):
# IFE = .30×4 + .20×3 + .25×1 + .25×2 = 1.20 + 0.60 + 0.25 + 0.50 = 2.55
# EFE = .40×3 + .10×2 + .30×1 + .20×4 = 1.20 + 0.20 + 0.30 + 0.80 = 2.50
FACTORS = [
    ("S1", "strength", 0.30, 4),
    ("S2", "strength", 0.20, 3),
    ("W1", "weakness", 0.25, 1),
    ("W2", "weakness", 0.25, 2),
    ("O1", "opportunity", 0.40, 3),
    ("O2", "opportunity", 0.10, 2),
    ("T1", "threat", 0.30, 1),
    ("T2", "threat", 0.20, 4),
]
# QSPM: A = .30×4 + .25×2 + .40×3 + .10×1 + .30×4 = 4.20; B = .30×2 + .25×3 + .40×1 + .10×4
# + .30×2 = 2.75 ("–": S2, W2 and T2 do not bear on the choice).
AS = {
    "A": {"S1": 4, "S2": "–", "W1": 2, "W2": "–", "O1": 3, "O2": 1, "T1": 4, "T2": "–"},
    "B": {"S1": 2, "S2": "–", "W1": 3, "W2": "–", "O1": 1, "O2": 4, "T1": 2, "T2": "–"},
}


def workshop_content(respondent: str = "R1", factors=FACTORS, scores=AS) -> dict:
    return {
        "factors": [
            {"factor": f, "kind": k, "respondent": respondent, "weight": w, "rating": r}
            for f, k, w, r in factors
        ],
        "qspm": [
            {"strategy": s, "factor": f, "respondent": respondent, "as": v, "tows": "SO"}
            for s, row in scores.items()
            for f, v in row.items()
        ],
        "space": [
            {"dimension": d, "item": f"{d}1", "respondent": respondent, "score": v}
            for d, v in {"FS": 4, "CA": -2, "ES": -3, "IS": 5}.items()
        ],
    }


def write_workshop(tmp_path, content: dict, name: str = "workshop.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path
