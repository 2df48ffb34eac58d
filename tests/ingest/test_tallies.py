"""Published tallies: one report a year, never summed; coverage; completeness vs the total."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migration_ntt.ingest import tallies


def test_select_reports_never_sums_cumulative_reports(data):
    chosen = tallies.select_reports(data.table, ["pmi_deaths_abroad"])
    # one report per year, and one row per unit within it
    assert chosen.groupby("year")["source"].nunique().eq(1).all()
    assert not chosen.duplicated(["year", "bps_code"]).any()
    # each selected value is a value published in the raw table for that unit and year
    raw = data.table[data.table["indicator"] == "pmi_deaths_abroad"]
    published = set(zip(raw["year"], raw["bps_code"], raw["value"], strict=True))
    assert set(zip(chosen["year"], chosen["bps_code"], chosen["value"], strict=True)) <= published
    # 2022 has cumulative reports to May, June, Oct and Nov: the latest wins, not their sum
    deaths_2022 = chosen[chosen["year"] == 2022]
    assert deaths_2022["period_end"].iloc[0] == pd.Timestamp("2022-11-09")
    malaka_2022 = raw[(raw["year"] == 2022) & (raw["bps_code"] == "5321")]["value"]
    assert deaths_2022.set_index("bps_code").loc["5321", "value"] == malaka_2022.max()
    assert deaths_2022.set_index("bps_code").loc["5321", "value"] < malaka_2022.sum()


def test_select_reports_prefers_lists_over_single_quotes(data):
    plain = tallies.select_reports(data.table, ["pmi_deaths_abroad"])
    listed = tallies.select_reports(data.table, ["pmi_deaths_abroad"], min_units=5)
    assert plain.query("year == 2019")["units"].iloc[0] == 1  # a one-regency quote, to 21 Dec
    assert listed.query("year == 2019")["units"].iloc[0] >= 5


def test_report_coverage_fraction():
    table = pd.DataFrame(
        {
            "indicator": ["x", "x", "x"],
            "year": pd.array([2024, 2024, 2023], dtype="Int64"),
            "source": ["a", "a", "b"],
            "period_start": pd.to_datetime(["2024-01-01"] * 2 + ["2023-01-01"]),
            "period_end": pd.to_datetime(["2024-06-30"] * 2 + ["2023-12-31"]),
            "period_stated": [True, True, False],
            "bps_code": ["5301", "5302", "5301"],
            "value": [1.0, 2.0, 3.0],
        }
    )
    coverage = tallies.report_coverage(table).set_index("year")
    assert coverage.loc[2024, "coverage"] == pytest.approx(182 / 366, abs=1e-4)
    assert coverage.loc[2024, "units"] == 2
    assert pd.isna(coverage.loc[2023, "coverage"])  # no stated period: unknown


def _report(values: list[float], total: float | None, source: str = "s") -> tuple:
    codes = [f"53{n:02d}" for n in range(1, len(values) + 1)]
    key = {
        "indicator": "pmi_deaths_abroad",
        "year": 2024,
        "source": source,
        "period_start": pd.Timestamp("2024-01-01"),
        "period_end": pd.Timestamp("2024-06-30"),
    }
    chosen = pd.DataFrame(
        [{**key, "bps_code": code, "value": v} for code, v in zip(codes, values, strict=True)]
    )
    totals = pd.DataFrame(
        [] if total is None else [{**key, "regency": "Provinsi NTT", "value": total}],
        columns=[*key, "regency", "value"],
    )
    return chosen, totals


@pytest.mark.parametrize(
    ("values", "total", "kind", "bound"),
    [
        ([10, 5, 3], 19, "complete", 0.0),  # 1 of unknown origin is within the tolerance
        ([10, 5, 3], 18, "complete", 0.0),
        ([10, 5, 3], 40, "top_n", 3.0),  # 22 left over 19 unnamed regencies, each <= 3
        ([10, 5, 3, 1], 60, "partial", np.nan),  # 41 left cannot fit 18 regencies below 1
        ([10, 5, 3], None, "partial", np.nan),  # nothing to check against
    ],
)
def test_report_completeness_reads_the_list_against_the_stated_total(values, total, kind, bound):
    chosen, totals = _report(values, total)
    table = tallies.report_completeness(chosen, totals)
    assert table["completeness"].tolist() == [kind]
    assert table["unnamed_max"].iloc[0] == pytest.approx(bound, nan_ok=True)
    assert table["completeness_reason"].iloc[0]


def test_report_completeness_bounds_by_the_remainder_when_it_is_smaller():
    chosen, totals = _report([10, 8, 6], 26)  # 2 left: nobody unnamed can have 6
    table = tallies.report_completeness(chosen, totals)
    assert table["completeness"].iloc[0] == "complete"  # 2 is within the tolerance
    chosen, totals = _report([10, 8, 6], 28)
    table = tallies.report_completeness(chosen, totals)
    assert (table["completeness"].iloc[0], table["unnamed_max"].iloc[0]) == ("top_n", 4.0)


def test_report_completeness_of_no_report_is_an_empty_table():
    chosen, totals = _report([10.0], 10)
    table = tallies.report_completeness(chosen.iloc[:0], totals)
    assert table.empty
    assert {"completeness", "unnamed_max"} <= set(table.columns)
