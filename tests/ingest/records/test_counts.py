"""Counts from case records: every regency-year cell equals the known truth, zeros included."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migration_ntt import panel, regions
from migration_ntt.ingest import records, synthetic
from migration_ntt.ingest.records import counts

SECRET = "counts-test"


@pytest.fixture(scope="module")
def tidy():
    """A tidy synthetic file (nothing rejected, no duplicates) and the truth behind it."""
    messy, truth = synthetic.generate_records(700, seed=21, messiness=0.0)
    result = records.clean_records(messy, secret=SECRET)
    assert result.report.n_clean == len(messy)  # the truth below is exact only if so
    return result, truth


def _truth_counts(truth: pd.DataFrame, keep: pd.Series | None = None) -> pd.Series:
    rows = truth if keep is None else truth[keep]
    years = range(2019, 2026)
    grid = pd.MultiIndex.from_product([regions.regencies()["bps_code"], years])
    tally = rows.groupby([rows["bps_code"], rows["event_date"].dt.year]).size()
    return tally.reindex(grid, fill_value=0).astype(float)


def _panel_counts(table: pd.DataFrame, column: str) -> pd.Series:
    return table.set_index(["bps_code", "year"])[column].sort_index()


def test_every_cell_equals_the_truth_zeros_included(tidy):
    result, truth = tidy
    table = panel.build_panel(records=result, name="all_cases", write=False)
    expected = _truth_counts(truth)
    got = _panel_counts(table, "all_cases")
    assert len(got) == 22 * 7
    assert got.index.equals(expected.index)
    assert (got == expected).all()
    assert (got == 0).any()  # a register has empty cells, and they are zero, not missing
    assert (table["all_cases_coverage"] == 1.0).all()  # whole calendar years


@pytest.mark.parametrize(
    ("select", "column", "values"),
    [
        ({"procedural": "non_prosedural"}, "procedural", ["non_prosedural"]),
        (
            {"event_type": ["death_abroad", "deportation"]},
            "event_type",
            ["death_abroad", "deportation"],
        ),
    ],
)
def test_select_counts_equal_the_truth(tidy, select, column, values):
    result, truth = tidy
    table = panel.build_panel(records=result, select=select, name="chosen", write=False)
    expected = _truth_counts(truth, truth[column].isin(values))
    assert (_panel_counts(table, "chosen") == expected).all()
    accounting = table.attrs["record_counts"]["chosen"]["accounting"]
    assert accounting["counted"] == int(truth[column].isin(values).sum())
    assert accounting["counted"] + accounting["excluded_by_select"] == len(truth)
    assert accounting["outside_period"] == 0


def test_several_count_columns_in_one_panel(tidy):
    result, _ = tidy
    table = panel.build_panel(
        records={
            "np_cases": {"records": result, "select": {"procedural": "non_prosedural"}},
            "deaths": {"records": result, "select": {"event_type": "death_abroad"}},
        },
        write=False,
    )
    assert {"np_cases", "deaths"} <= set(panel.count_columns(table))
    labels = table.attrs["count_labels"]
    assert labels["deaths"]["en"] == "Deaths abroad (case records)"
    assert labels["np_cases"]["id"] == "Kasus PMI non-prosedural (catatan kasus)"


def test_period_sets_coverage_and_accounts_for_records_outside(tidy):
    result, truth = tidy
    counted = counts.count_column(result, "c", period=("2021-07-01", "2023-12-31"))
    by_year = counted.table.groupby("year")["c_coverage"].first()
    assert by_year.loc[2021] == pytest.approx(184 / 365)
    assert by_year.loc[2022] == 1.0
    inside = truth["event_date"].between("2021-07-01", "2023-12-31")
    assert counted.accounting["counted"] == int(inside.sum())
    assert counted.accounting["outside_period"] == int((~inside).sum())
    assert counted.table["c"].sum() == inside.sum()


def test_one_event_cell_gets_the_files_period_not_a_day():
    clean = pd.DataFrame(
        {
            "record_id": ["f:2", "f:3"],
            "source_file": "f.csv",
            "bps_code": ["5321", "5304"],
            "event_date": pd.to_datetime(["2022-05-05", "2024-11-30"]),
            "year": [2022, 2024],
            "event_type": "death_abroad",
            "procedural": "non_prosedural",
        }
    )
    long = records.count_records(clean, by=("bps_code", "year"))
    malaka_2022 = long[(long["bps_code"] == "5321") & (long["year"] == 2022)].iloc[0]
    assert malaka_2022["value"] == 1
    assert malaka_2022["period_start"] == pd.Timestamp("2022-01-01")
    assert malaka_2022["period_end"] == pd.Timestamp("2022-12-31")
    assert len(long) == 22 * 3  # 2022–2024, every unit, zeros included
    assert (long["value"] == 0).sum() == 22 * 3 - 2


def test_incomplete_file_leaves_never_named_units_missing(tidy):
    result, _ = tidy
    only_timor = result.clean[result.clean["bps_code"].isin(["5321", "5306"])]
    counted = counts.count_column(only_timor, "c", complete=False)
    named = counted.table[counted.table["bps_code"].isin(["5321", "5306"])]
    assert named["c"].notna().all()
    assert counted.table.loc[~counted.table.index.isin(named.index), "c"].isna().all()


def test_unit_that_did_not_exist_yet_is_missing_not_zero():
    clean = pd.DataFrame(
        {
            "bps_code": ["5306", "5321"],
            "event_date": pd.to_datetime(["2011-03-01", "2014-03-01"]),
            "year": [2011, 2014],
        }
    )
    table = counts.count_column(clean, "c").table.set_index(["bps_code", "year"])
    assert np.isnan(table.loc[("5321", 2012), "c"])  # Malaka was established in 2013
    assert table.loc[("5321", 2013), "c"] == 0
    assert table.loc[("5306", 2011), "c"] == 1


def test_year_only_records_count_in_their_year():
    clean = pd.DataFrame(
        {"bps_code": ["5321", "5321"], "event_date": [pd.NaT, pd.NaT], "year": [2023, 2024]}
    )
    counted = counts.count_column(clean, "c")
    assert counted.accounting["year_only_counted"] == 2
    assert counted.table["c"].sum() == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"select": {"status": "x"}}, r"cannot select on 'status'.*procedural"),
        ({"select": {"procedural": "illegal"}}, r"unknown value.*non_prosedural"),
        ({"select": {"destination_iso3": "FRA"}}, r"unknown value.*MYS"),
        ({"period": ("2030-01-01", "2030-12-31")}, "holds none of the"),
        ({"period": ("2024-12-31", "2024-01-01")}, "before it starts"),
        ({"period": ("not a date", "2024-01-01")}, "is not two dates"),
    ],
)
def test_bad_requests_say_what_is_valid(tidy, kwargs, message):
    result, _ = tidy
    with pytest.raises(records.RecordsError, match=message):
        counts.count_column(result, "c", **kwargs)


def test_a_file_without_usable_dates_names_the_file_and_the_field(tmp_path):
    path = tmp_path / "kasus.csv"
    path.write_text("Kabupaten,Tanggal,Jenis Kasus\nMalaka,kemarin,deportasi\nBelu,?,deportasi\n")
    cleaned = records.clean_records(path, secret=SECRET)
    with pytest.raises(records.RecordsError, match=r"kasus\.csv.*event_date.*invalid_event_date 2"):
        panel.build_panel(records=cleaned, write=False)


def test_saved_clean_table_feeds_the_panel_and_a_raw_file_is_refused(tidy, tmp_path):
    result, truth = tidy
    saved = records.save_clean(result, tmp_path, "tidy_synthetic")
    for path in (saved["clean"], saved["clean_csv"]):
        table = panel.build_panel(records=path, name="c", write=False)
        assert (_panel_counts(table, "c") == _truth_counts(truth)).all()
        assert table["c_synthetic"].all()
    raw = tmp_path / "raw.csv"
    raw.write_text("Nama,Kabupaten\nA,Malaka\n")
    with pytest.raises(records.RecordsError, match=r"clean it first|clean a raw case file"):
        panel.build_panel(records=raw, write=False)


def test_manifest_names_the_case_file_and_accounts_for_every_record(project_home, tmp_path):
    import json

    path, _ = synthetic.write_synthetic_csv(tmp_path / "kasus_synthetic.csv", 300, seed=5)
    cleaned = records.clean_records(path, secret=SECRET)
    panel.build_panel(records=cleaned, select={"procedural": "non_prosedural"}, name="np")
    manifest = json.loads((project_home / "data" / "processed" / "panel.manifest.json").read_text())
    assert any(item.get("path", "").endswith("kasus_synthetic.csv") for item in manifest["inputs"])
    described = manifest["parameters"]["record_counts"][0]
    assert described["source"] == "case records: kasus_synthetic.csv (SYNTHETIC DATA)"
    accounting = described["accounting"]
    assert accounting["clean_records"] == cleaned.report.n_clean
    assert (
        accounting["counted"] + accounting["excluded_by_select"] + accounting["outside_period"]
        == accounting["clean_records"]
    )
