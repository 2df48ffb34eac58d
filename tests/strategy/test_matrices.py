"""David's matrices by hand: IFE, EFE, QSPM totals, pooling, IE bands, SPACE signs, and the
rules they refuse to compute past."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt import strategy

from ..workshops import FACTORS, workshop_content, write_workshop


def test_ife_efe_and_qspm_match_the_hand_computation(workshop):
    assert strategy.ife(workshop.factors).loc["pooled", "total"] == pytest.approx(2.55)
    assert strategy.efe(workshop.factors).loc["pooled", "total"] == pytest.approx(2.50)
    table = strategy.qspm(workshop.factors, workshop.qspm).set_index("strategy")["pooled"]
    assert table["A"] == pytest.approx(4.20)
    assert table["B"] == pytest.approx(2.75)
    assert strategy.ie_cell(2.55, 2.50) == ("V", "hold and maintain")


def test_pooling_averages_weights_and_ratings(tmp_path):
    other = [(f, k, w, r) for f, k, w, r in FACTORS]
    other[0], other[1] = ("S1", "strength", 0.20, 3), ("S2", "strength", 0.30, 4)
    content = workshop_content("R1")
    content["factors"] += workshop_content("R2", other)["factors"]
    loaded = strategy.read_workshop(write_workshop(tmp_path, content))
    totals = strategy.ife(loaded.factors)
    # R2: .20×3 + .30×4 + .25×1 + .25×2 = 2.55; pooled: S1 .25×3.5 + S2 .25×3.5 + 0.75 = 2.50
    assert totals.loc["R2", "total"] == pytest.approx(2.55)
    assert totals.loc["pooled", "total"] == pytest.approx(2.50)


@pytest.mark.parametrize(
    ("ife_total", "efe_total", "cell", "reading"),
    [
        (3.0, 3.0, "I", "grow and build"),
        (2.99, 3.0, "II", "grow and build"),
        (1.99, 3.0, "III", "hold and maintain"),
        (3.0, 2.99, "IV", "grow and build"),
        (2.0, 2.0, "V", "hold and maintain"),
        (1.99, 2.0, "VI", "harvest or divest"),
        (3.0, 1.99, "VII", "hold and maintain"),
        (2.0, 1.99, "VIII", "harvest or divest"),
        (1.0, 1.0, "IX", "harvest or divest"),
    ],
)
def test_ie_cell_boundaries(ife_total, efe_total, cell, reading):
    assert strategy.ie_cell(ife_total, efe_total) == (cell, reading)


def test_ie_cell_rejects_totals_outside_one_to_four():
    with pytest.raises(ValueError, match="between 1 and 4"):
        strategy.ie_cell(4.2, 2.0)


@pytest.mark.parametrize(
    ("scores", "quadrant"),
    [
        ({"FS": 4, "ES": -3, "CA": -2, "IS": 5}, "aggressive"),  # x = 3, y = 1
        ({"FS": 4, "ES": -3, "CA": -5, "IS": 2}, "conservative"),  # x = -3, y = 1
        ({"FS": 2, "ES": -5, "CA": -5, "IS": 2}, "defensive"),  # x = -3, y = -3
        ({"FS": 2, "ES": -5, "CA": -1, "IS": 4}, "competitive"),  # x = 3, y = -3
    ],
)
def test_space_quadrant_follows_the_signs(scores, quadrant):
    table = pd.DataFrame({"dimension": list(scores), "score": list(scores.values())})
    result = strategy.space(table)
    assert result["x"] == scores["CA"] + scores["IS"]
    assert result["y"] == scores["FS"] + scores["ES"]
    assert result["quadrant"] == quadrant


def test_methods_refuse_what_breaks_davids_rules(workshop):
    factors = workshop.factors
    doubled = factors.assign(weight=factors["weight"] * 2)
    with pytest.raises(ValueError, match=r"IFE: .*sum to 2\.000 \(rule: they sum to 1"):
        strategy.ife(doubled)
    with pytest.raises(ValueError, match=r"EFE: .*sum to 2\.000"):
        strategy.efe(doubled)
    strong = factors.assign(rating=factors["rating"].where(factors["kind"] != "strength", 2))
    with pytest.raises(ValueError, match="strength ratings outside 3–4"):
        strategy.ife(strong)
    scores = workshop.qspm.assign(attractiveness=7)
    with pytest.raises(ValueError, match="QSPM: attractiveness scores outside 1–4"):
        strategy.qspm(factors, scores)
