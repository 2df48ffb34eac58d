"""Readable views: open intervals said so, schemes in words, nothing cut off."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_ntt.viz import result_tables, tables


def test_an_interval_without_a_bound_is_shown_open_and_explained():
    event_time = pd.DataFrame(
        {
            "event_time": [-2, -1, 0, 1],
            "label": ["-2", "-1", "0", "1"],
            "irr": [np.nan, 1.0, 0.63, 0.45],
            "ci_low": [np.nan, 1.0, 0.26, 0.08],
            "ci_high": [np.nan, 1.0, 59_843_851.66, 1.51],
            "regencies": [0, 2, 2, 2],
        }
    )
    view = tables.event_time_view(event_time, "en")
    assert view.loc["0", "95% CI"] == "0.26–>100"
    assert view.loc["0", "Note"] == "interval not bounded: only 2 regencies in this year"
    assert view.loc["1", "95% CI"] == "0.08–1.51"
    assert view.loc["1", "Note"] == ""
    assert view.loc["-2", "Note"] == "no regency observed in this year"
    assert view.loc["-1", "Note"] == "reference year (IRR 1)"
    assert "59" not in " ".join(view["95% CI"])


def test_weight_schemes_read_as_words_in_both_languages():
    assert tables.scheme_text("method=queen, island_policy=links", "en") == (
        "shared borders (queen); islands: sea links"
    )
    assert tables.scheme_text("method=knn, island_policy=none, k=4", "id") == (
        "4 tetangga terdekat"
    )
    sensitivity = pd.DataFrame(
        {
            "scheme": ["method=queen, island_policy=none"],
            "components": [7],
            "isolates": [4],
            "moran_i": [0.214],
            "p_sim": [0.03],
        }
    )
    view = tables.sensitivity_view(sensitivity, "en")
    assert view.index[0] == "shared borders (queen); islands left without neighbours"


def test_the_ranking_says_nothing_is_below_the_last_strategy():
    ranking = pd.DataFrame(
        {
            "strategy": ["A", "B"],
            "tas": [4.388889, 3.9],
            "tas_low": [4.068808, 3.69],
            "tas_high": [4.835431, 4.31],
            "p_first": [0.586667, 0.003333],
            "p_above_next": [0.706667, np.nan],
            "verdict": ["x", "y"],
        }
    )
    view = result_tables.ranking_view(ranking, "id")
    assert view.iloc[0].tolist() == ["A", "4,39", "4,07–4,84", "59 %", "71 %", "x"]
    assert view.iloc[1, 4] == "–"


def test_untruncated_keeps_long_text_and_a_named_index():
    long = "Malaka, Belu, Timor Tengah Selatan, Lembata, Nagekeo, Ende, Flores Timur, Sikka"
    view = pd.DataFrame({"Kecamatan": [long]}, index=pd.Index([1], name="Cluster"))
    html = result_tables.untruncated(view).to_html()
    assert long in html
    assert "Cluster" in html
    assert long not in view._repr_html_()  # what a notebook shows of the DataFrame: cut


def test_diagnostics_and_accounting_read_as_rows_of_words():
    view = result_tables.diagnostics_view(
        {"alpha": 0.25634325583828627, "p_value": 0.0126, "pearson_dispersion": 4.0859},
        {"moran_i": -0.016981233, "p_sim": 0.818, "n": 22, "permutations": 9999},
        "en",
    )
    assert view.set_index("Statistic")["Value"].to_dict() == {
        "α (overdispersion, NB2)": "0.256",
        "Cameron–Trivedi test p": "0.013",
        "Pearson χ²/df": "4.09",
        "Residual Moran's I": "-0.017",
        "p (permutations, two-sided)": "0.818",
        "Regencies": "22",
        "Permutations": "9,999",
    }
    accounting = result_tables.accounting_view({"clean_records": 1979, "counted": 1541}, "id")
    assert accounting.to_numpy().tolist() == [["Catatan bersih", "1.979"], ["Dihitung", "1.541"]]


def test_untruncated_writes_years_as_years_and_counts_with_separators():
    table = pd.DataFrame({"year": [2017.0], "rows": [1972.0], "share": [99.6], "x": [np.nan]})
    html = result_tables.untruncated(table).to_html()
    assert ">2017<" in html
    assert ">1,972<" in html
    assert ">99.6<" in html
    assert ">–<" in html


def test_untruncated_gives_the_packages_column_names_as_headings():
    cohorts = pd.DataFrame({"adoption_year": [2019], "regencies": [2], "status": ["evaluated"]})
    html = result_tables.untruncated(cohorts, "id").to_html()
    assert "Tahun mulai" in html
    assert "adoption_year" not in html
