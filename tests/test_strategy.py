"""Strategy matrices (Fred R. David): arithmetic by hand, IE bands, SPACE signs, AHP,
every validation rule with a bad file, and the Monte Carlo."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

from migration_ntt import strategy

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


def _records(respondent: str = "R1", factors=FACTORS, scores=AS) -> dict:
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


def _write_yaml(tmp_path, content: dict, name: str = "workshop.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def workshop(tmp_path) -> strategy.Workshop:
    return strategy.read_workshop(_write_yaml(tmp_path, _records()))


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
    content = _records("R1")
    content["factors"] += _records("R2", other)["factors"]
    loaded = strategy.read_workshop(_write_yaml(tmp_path, content))
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


def test_ahp_recovers_the_weights_of_a_consistent_matrix():
    weights = np.array([0.5, 0.3, 0.2])
    matrix = weights[:, None] / weights[None, :]
    found, ratio = strategy.ahp_weights(matrix)
    np.testing.assert_allclose(found, weights, atol=1e-9)
    assert ratio == pytest.approx(0.0, abs=1e-9)


def test_ahp_three_by_three_against_the_closed_form():
    # For a reciprocal 3×3 matrix (a12 = a, a13 = b, a23 = c), λmax = 1 + (b/ac)^(1/3) +
    # (ac/b)^(1/3) and the principal eigenvector is the normalised row geometric mean.
    a, b, c = 3.0, 5.0, 2.0
    matrix = np.array([[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]])
    lambda_max = 1 + (b / (a * c)) ** (1 / 3) + (a * c / b) ** (1 / 3)
    rows = np.prod(matrix, axis=1) ** (1 / 3)
    weights, ratio = strategy.ahp_weights(matrix)
    np.testing.assert_allclose(weights, rows / rows.sum(), atol=1e-9)
    assert ratio == pytest.approx((lambda_max - 3) / 2 / 0.58, rel=1e-6)  # Saaty RI(3) = 0.58
    assert ratio < strategy.CR_LIMIT


def test_ahp_flags_inconsistency_and_refuses_bad_matrices():
    # A > B (9), B > C (9) but C > A (9): as inconsistent as a 3×3 can be.
    circular = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    report = strategy.ahp_report({"R1": circular, "R2": circular}, ["A", "B", "C"])
    assert not report.loc["R1", "consistent"]
    assert report.loc["R1", "consistency_ratio"] > 1
    with pytest.raises(ValueError, match="not reciprocal"):
        strategy.ahp_weights([[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="tabled up to"):
        strategy.ahp_weights(np.ones((11, 11)))


def test_ahp_aggregate_is_the_geometric_mean_and_stays_reciprocal():
    first = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    second = np.array([[1, 1 / 3, 1], [3, 1, 4], [1, 1 / 4, 1]])
    combined = strategy.ahp_aggregate([first, second])
    assert combined[0, 1] == pytest.approx(1.0)  # √(3 × 1/3)
    assert combined[0, 2] == pytest.approx(np.sqrt(5))
    np.testing.assert_allclose(combined * combined.T, 1.0)


# --- every validation rule, with a bad file --------------------------------------------


def _break(content: dict, sheet: str, index: int, column: str, value) -> dict:
    content[sheet][index][column] = value
    return content


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "message"),
    [
        ("factors", 0, "weight", 1.5, "not in [0, 1]"),
        ("factors", 0, "weight", 0.35, "sum to 1.0500, not 1 ± 0.001"),
        ("factors", 0, "rating", 2, "strength must be a whole number from 3 to 4"),
        ("factors", 2, "rating", 3, "weakness must be a whole number from 1 to 2"),
        ("factors", 4, "rating", 5, "opportunity must be a whole number from 1 to 4"),
        ("factors", 4, "rating", 2.5, "whole number"),
        ("factors", 1, "kind", "kekuatan besar", "not strength, weakness"),
        ("qspm", 0, "as", 5, "whole number from 1 to 4, or '–'"),
        ("qspm", 0, "as", "tinggi", "whole number from 1 to 4, or '–'"),
        ("qspm", 0, "factor", "S9", "is not a factor of the factors sheet"),
        ("qspm", 0, "tows", "XY", "is not SO, WO, ST or WT"),
        ("space", 0, "score", 7, "must be from +1 to +6"),
        ("space", 1, "score", 2, "must be from -6 to -1"),
        ("space", 0, "dimension", "QQ", "is not FS, CA, ES or IS"),
    ],
)
def test_every_rule_names_file_sheet_row_and_column(tmp_path, sheet, index, column, value, message):
    path = tmp_path / "bad.xlsx"
    content = _break(_records(), sheet, index, column, value)
    with pd.ExcelWriter(path) as writer:
        for name, rows in content.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(strategy.WorkshopError) as caught:
        strategy.read_workshop(path)
    text = str(caught.value)
    assert str(path) in text
    assert f"sheet {sheet}" in text
    assert "row" in text
    assert f"column '{column}'" in text or ("sum to" in message and "column 'weight'" in text)
    assert message in text
    if "sum to" not in message:
        assert f"row {index + 2}," in text  # the spreadsheet row: header is row 1


def test_not_bearing_dash_is_accepted_and_counts_nothing(workshop):
    missing = workshop.qspm[workshop.qspm["factor"] == "S2"]["attractiveness"]
    assert missing.isna().all()


def test_indonesian_headers_and_kinds_are_read(tmp_path):
    content = _records()
    renamed = {
        "factor": "faktor",
        "kind": "jenis",
        "respondent": "responden",
        "weight": "bobot",
        "rating": "peringkat",
    }
    kinds = {
        "strength": "kekuatan",
        "weakness": "kelemahan",
        "opportunity": "peluang",
        "threat": "ancaman",
    }
    content["faktor"] = [
        {renamed[k]: (kinds[v] if k == "kind" else v) for k, v in row.items()}
        for row in content.pop("factors")
    ]
    loaded = strategy.read_workshop(_write_yaml(tmp_path, content))
    assert strategy.ife(loaded.factors).loc["pooled", "total"] == pytest.approx(2.55)


def test_csv_workshop_needs_a_sheet_column(tmp_path):
    path = tmp_path / "w.csv"
    pd.DataFrame(_records()["factors"]).to_csv(path, index=False)
    with pytest.raises(strategy.WorkshopError, match=r"w\.csv, column 'sheet'"):
        strategy.read_workshop(path)
    rows = [{"sheet": s, **r} for s, table in _records().items() for r in table]
    pd.DataFrame(rows).to_csv(path, index=False)
    loaded = strategy.read_workshop(path)
    assert strategy.efe(loaded.factors).loc["pooled", "total"] == pytest.approx(2.50)


def test_missing_column_and_missing_file(tmp_path):
    content = _records()
    for row in content["factors"]:
        del row["rating"]
    with pytest.raises(strategy.WorkshopError, match="sheet factors: missing column"):
        strategy.read_workshop(_write_yaml(tmp_path, content))
    with pytest.raises(strategy.WorkshopError, match="file not found"):
        strategy.read_workshop(tmp_path / "absent.xlsx")


def test_template_round_trips(tmp_path):
    for lang in ("id", "en"):
        loaded = strategy.read_workshop(strategy.write_template(tmp_path / f"t_{lang}.xlsx", lang))
        assert set(loaded.factors["kind"]) == {"strength", "weakness", "opportunity", "threat"}


# --- uncertainty -----------------------------------------------------------------------


def test_monte_carlo_is_seeded_and_its_probabilities_sum_to_one():
    workshop = strategy.read_workshop(strategy.ILLUSTRATIVE)
    first = strategy.monte_carlo(workshop, draws=500, seed=7)
    again = strategy.monte_carlo(workshop, draws=500, seed=7)
    other = strategy.monte_carlo(workshop, draws=500, seed=8)
    pd.testing.assert_frame_equal(first.ranking, again.ranking)
    assert not first.tas_draws.equals(other.tas_draws)
    assert first.ranking["p_first"].sum() == pytest.approx(1.0)
    assert first.ie_cells.sum() == pytest.approx(1.0)


def test_monte_carlo_without_noise_reproduces_the_pooled_matrices(workshop):
    result = strategy.monte_carlo(workshop, draws=50, seed=1, concentration=1e12, jitter=0.0)
    np.testing.assert_allclose(result.ie_points["ife"], 2.55, rtol=1e-5)
    np.testing.assert_allclose(result.ie_points["efe"], 2.50, rtol=1e-5)
    np.testing.assert_allclose(result.tas_draws["A"], 4.20, rtol=1e-5)
    assert result.ranking.set_index("strategy").loc["A", "p_first"] == 1.0
    assert result.ranking.set_index("strategy").loc["A", "verdict"] == "above B"


def test_close_strategies_are_not_distinguishable(tmp_path):
    close = {"A": dict(AS["A"]), "B": dict(AS["A"])}
    close["B"]["O2"] = 2  # B is 0.1 better on one small-weight factor
    content = _records(scores=close)
    result = strategy.monte_carlo(
        strategy.read_workshop(_write_yaml(tmp_path, content)), draws=1000, seed=3
    )
    top = result.ranking.iloc[0]
    assert top["verdict"].startswith("not distinguishable")
    assert 0.2 < top["p_first"] < 0.95


def test_evidence_table_links_what_it_can_and_says_what_it_cannot(tmp_path):
    content = _records()
    content["factors"][0]["evidence"] = "rate:pmi_deaths_abroad@Malaka"
    content["factors"][2]["evidence"] = "panel:poverty_rate_pct@Timor Tengah Selatan"
    content["factors"][4]["evidence"] = "panel:poverty_rate_pct@Atlantis"
    content["factors"][6]["evidence"] = "Kompas, 2024: brokers in every village"
    table = strategy.evidence_table(
        strategy.read_workshop(_write_yaml(tmp_path, content))
    ).set_index("factor")
    assert table.loc["S1", "status"] == "linked"
    assert "per 100,000" in table.loc["S1", "value"]
    assert table.loc["W1", "status"] == "linked"
    assert float(table.loc["W1", "value"]) > 0
    assert table.loc["O1", "status"].startswith("not found")
    assert table.loc["T1", "status"] == "text (not linked)"


def test_figures_of_an_illustrative_workshop_say_so_in_both_languages(workshop):
    import matplotlib.pyplot as plt

    from migration_ntt.viz import strategy_charts

    example = strategy.read_workshop(strategy.ILLUSTRATIVE)
    result = strategy.monte_carlo(example, draws=100, seed=1)
    for lang, word in (("en", "ILLUSTRATIVE"), ("id", "ILUSTRASI")):
        figures = [
            strategy_charts.ie_figure(2.3, 1.9, lang, points=result.ie_points, illustrative=True),
            strategy_charts.space_figure(strategy.space(example.space), lang, illustrative=True),
            strategy_charts.qspm_figure(result.ranking, lang, illustrative=True),
        ]
        for figure in figures:
            assert word in [t.get_text() for t in figure.texts if t.get_gid() == "mark"]
            plt.close(figure)
    own = strategy_charts.space_figure(strategy.space(workshop.space), "en")
    assert not [t for t in own.texts if t.get_gid() == "mark"]
    plt.close(own)


def test_csv_rows_of_one_sheet_under_both_names_are_checked_together(tmp_path):
    path = tmp_path / "mixed.csv"
    rows = [
        {"sheet": "factors" if i % 2 else "faktor", **r}
        for i, r in enumerate(_records()["factors"])
    ]
    rows[0]["rating"] = 9  # S1, a strength, on a "faktor" row
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(strategy.WorkshopError, match=r"row 2, column 'rating': 9 for a strength"):
        strategy.read_workshop(path)
    rows[0]["rating"] = 4
    pd.DataFrame(rows).to_csv(path, index=False)
    assert strategy.ife(strategy.read_workshop(path).factors).loc[
        "pooled", "total"
    ] == pytest.approx(2.55)
