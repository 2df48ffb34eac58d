"""The indicator table: every row a unit or listed apart, years and periods read from the notes."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt import config
from migration_ntt.ingest import indicators


def test_committed_copy_is_the_shared_file(shared_data):
    committed = (config.indicators_dir() / "ntt_indicators_long.csv").read_bytes()
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
