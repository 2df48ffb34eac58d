"""Tests for the indicator table, report selection and the BPS table reader."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migration_ntt.ingest import indicators

from ..conftest import ROOT


@pytest.fixture(scope="module")
def data() -> indicators.IndicatorData:
    return indicators.load_indicators()


def test_committed_copy_is_the_shared_file(shared_data):
    committed = (ROOT / "data" / "raw" / "indicators" / "ntt_indicators_long.csv").read_bytes()
    assert committed == (shared_data / "indicators" / "ntt_indicators_long.csv").read_bytes()


def test_every_row_is_a_unit_or_listed_as_non_unit(data):
    raw = pd.read_csv(data.source_file, dtype=str)
    assert len(data.table) + len(data.non_units) + len(data.non_numeric) == len(raw)
    rows = sorted(
        [*data.table["source_row"], *data.non_units["source_row"], *data.non_numeric["source_row"]]
    )
    assert rows == list(range(2, len(raw) + 2))
    assert data.table["bps_code"].notna().all()
    assert data.non_units["bps_code"].isna().all()
    report = data.report()
    assert report["rows"].sum() == len(data.non_units)
    assert {"Provinsi NTT", "Polda NTT", "Sumba island (4 regencies)"} <= set(report["regency"])
    assert set(data.non_units["match"]) <= {"province", "ambiguous", "unmatched"}


def test_values_in_words_are_kept_apart_not_numbers(data, tmp_path):
    # the shared file has one verbal estimate ("belasan ribu", row 1605)
    assert data.non_numeric["value"].str.contains("belasan ribu").any()
    assert not data.table["source_row"].isin(data.non_numeric["source_row"]).any()
    path = tmp_path / "ind.csv"
    path.write_text("regency,year,indicator,value,unit,source,note\nMalaka,2024,x,,persons,s,n\n")
    with pytest.raises(indicators.IndicatorError, match=r"row 2, column .value.*empty"):
        indicators.load_indicators(path)


def test_year_labels_are_parsed(data):
    both = pd.concat([data.table, data.non_units])
    ranges = both[both["year_label"] == "2019-2021"]
    assert ranges["year"].isna().all()
    assert (ranges["year_start"] == 2019).all()
    assert (ranges["year_end"] == 2021).all()
    blank = both[both["year_label"] == ""]
    assert blank[["year", "year_start", "year_end"]].isna().all().all()
    assert indicators.parse_year("2024") == (2024.0, 2024.0, 2024.0)


@pytest.mark.parametrize(
    ("note", "year", "start", "end", "stated"),
    [
        (
            "BP3MI NTT data, period 1 Jan-22 Aug 2024 (partial year)",
            2024,
            "2024-01-01",
            "2024-08-22",
            True,
        ),
        (
            "UPT BP2MI Kupang (Siwa), Jan-Sep 2021 (partial year)",
            2021,
            "2021-01-01",
            "2021-09-30",
            True,
        ),
        (
            "via Kompas 16 Jun 2021: died abroad Jan-mid Jun 2021",
            2021,
            "2021-01-01",
            "2021-06-15",
            True,
        ),
        ("in 2019 up to 21 Dec 2019 (near-full year)", 2019, "2019-01-01", "2019-12-21", True),
        ("FULL YEAR 2018; 102 in Malaysia", 2018, "2018-01-01", "2018-12-31", True),
        (
            "single batch of 167 (4 Aug 2023); reference period 2023-08-04",
            2023,
            "2023-08-04",
            "2023-08-04",
            True,
        ),
        ("reference period 2024-12", 2024, "2024-12-01", "2024-12-31", True),
        ("TPPO victims semester I 2023 (partial year)", 2023, "2023-01-01", "2023-06-30", True),
        ("BPS Susenas March", 2022, "2022-01-01", "2022-12-31", False),
    ],
)
def test_periods_are_read_from_notes(note, year, start, end, stated):
    got = indicators.parse_period(note, float(year))
    assert got == (pd.Timestamp(start), pd.Timestamp(end), stated)


def test_select_reports_never_sums_cumulative_reports(data):
    chosen = indicators.select_reports(data.table, ["pmi_deaths_abroad"])
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
    plain = indicators.select_reports(data.table, ["pmi_deaths_abroad"])
    listed = indicators.select_reports(data.table, ["pmi_deaths_abroad"], min_units=5)
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
    coverage = indicators.report_coverage(table).set_index("year")
    assert coverage.loc[2024, "coverage"] == pytest.approx(182 / 366, abs=1e-4)
    assert coverage.loc[2024, "units"] == 2
    assert pd.isna(coverage.loc[2023, "coverage"])  # no stated period: unknown


def test_words_kept_apart_and_missing_column_named(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "regency,year,indicator,value,unit,source,note\nTTS,2024,x,12,p,s,n\n"
        "Malaka,2024,x,lots,p,s,n\n"
    )
    words = indicators.load_indicators(bad)
    assert words.non_numeric[["source_row", "value"]].to_numpy().tolist() == [[3, "lots"]]
    assert words.table["source_row"].tolist() == [2]
    missing = tmp_path / "missing.csv"
    missing.write_text("regency,year,value\nTTS,2024,1\n")
    with pytest.raises(indicators.IndicatorError, match="missing column"):
        indicators.load_indicators(missing)


BPS_EXPORT = """\
Persentase Penduduk Miskin Menurut Kabupaten/Kota di Provinsi Nusa Tenggara Timur (Persen);;;
;;;
Kabupaten/Kota;Persentase Penduduk Miskin (Persen);;
;2022;2023;2024
Sumba Barat;28,24;27,82;26,52
Sumba Timur;28,08;27,65;27,04
Kupang;22,88;22,29;21,37
Timor Tengah Selatan;26,71;-;24,68
Kota Kupang;8,61;…;8,24
Nusa Tenggara Timur;20,23;19,96;19,48
;;;
Sumber: Badan Pusat Statistik;;;
Catatan: angka 2024 sementara;;;
"""


def test_read_bps_table_on_a_bps_export(tmp_path):
    path = tmp_path / "bps_export.csv"
    path.write_text(BPS_EXPORT, encoding="utf-8-sig")
    long = indicators.read_bps_table(path, "poverty_rate_pct", unit="percent")
    assert list(long.columns[:9]) == indicators.LONG_COLUMNS
    assert len(long) == 6 * 3  # five units and the province row, three years; footnotes gone
    by_key = long.set_index(["regency", "year"])["value"]
    assert by_key[("Sumba Barat", 2022)] == pytest.approx(28.24)
    assert pd.isna(by_key[("Timor Tengah Selatan", 2023)])
    assert pd.isna(by_key[("Kota Kupang", 2023)])
    province = long[long["regency"] == "Nusa Tenggara Timur"]
    assert province["bps_code"].isna().all()
    assert (province["match"] == "province").all()
    kupang = long[long["regency"] == "Kupang"]["bps_code"].unique().tolist()
    assert kupang == ["5303"]


def test_read_bps_table_thousands_and_errors(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text(
        "Jumlah Penduduk (Jiwa)\nKabupaten/Kota,2023,2024\n"
        'Malaka,"192.015","193.510"\nAlor,"224.171",abc\n'
    )
    with pytest.raises(indicators.IndicatorError, match=r"population.csv, row 4, column 3"):
        indicators.read_bps_table(path, "population_bps")
    path.write_text(
        'Jumlah Penduduk (Jiwa)\nKabupaten/Kota,2023,2024\nMalaka,"192.015","193.510"\n'
    )
    long = indicators.read_bps_table(path, "population_bps")
    assert long["value"].tolist() == [192015.0, 193510.0]
    no_years = tmp_path / "no_years.csv"
    no_years.write_text("a,b\nc,d\n")
    with pytest.raises(indicators.IndicatorError, match="no header row of years"):
        indicators.read_bps_table(no_years, "x")


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
    table = indicators.report_completeness(chosen, totals)
    assert table["completeness"].tolist() == [kind]
    assert table["unnamed_max"].iloc[0] == pytest.approx(bound, nan_ok=True)
    assert table["completeness_reason"].iloc[0]


def test_report_completeness_bounds_by_the_remainder_when_it_is_smaller():
    chosen, totals = _report([10, 8, 6], 26)  # 2 left: nobody unnamed can have 6
    table = indicators.report_completeness(chosen, totals)
    assert table["completeness"].iloc[0] == "complete"  # 2 is within the tolerance
    chosen, totals = _report([10, 8, 6], 28)
    table = indicators.report_completeness(chosen, totals)
    assert (table["completeness"].iloc[0], table["unnamed_max"].iloc[0]) == ("top_n", 4.0)


def test_report_completeness_of_no_report_is_an_empty_table():
    chosen, totals = _report([10.0], 10)
    table = indicators.report_completeness(chosen.iloc[:0], totals)
    assert table.empty
    assert {"completeness", "unnamed_max"} <= set(table.columns)
