"""Tests for the regency × year panel."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from migration_ntt import panel
from migration_ntt.ingest import indicators


@pytest.fixture(scope="module")
def built() -> pd.DataFrame:
    return panel.build_panel(write=False)


def test_exactly_22_rows_per_year(built):
    assert built.groupby("year").size().eq(22).all()
    assert not built.duplicated(["bps_code", "year"]).any()
    assert built["kemendagri_code"].notna().all()
    assert built["name"].notna().all()


def test_counts_come_from_one_report_with_coverage(built):
    deaths = built[built["year"] == 2024]
    assert deaths["pmi_deaths_abroad_source"].eq(deaths["pmi_deaths_abroad_source"].iloc[0]).all()
    assert deaths["pmi_deaths_abroad_period_end"].iloc[0] == pd.Timestamp("2024-12-06")
    assert deaths["pmi_deaths_abroad_coverage"].iloc[0] == pytest.approx(341 / 366, abs=1e-3)
    # a unit the report does not name stays missing, it is not a zero
    table = indicators.load_indicators().table
    named = table[(table["source"] == deaths["pmi_deaths_abroad_source"].iloc[0])]["bps_code"]
    assert deaths.loc[~deaths["bps_code"].isin(named), "pmi_deaths_abroad"].isna().all()


def test_exposure_and_covariates_state_their_year(built):
    assert built["population"].notna().all()
    assert built["population_series"].str.match(r"population_(bps|sp2020|sp2010) \d{4}").all()
    row = built[(built["year"] == 2024) & (built["bps_code"] == "5321")].iloc[0]
    assert row["population_series"] == "population_bps 2024"
    assert row["poverty_rate_pct_year"] == 2024
    assert built["density_per_km2"].eq(built["population"] / built["area_km2"]).all()


def test_harmonise_to_2012_merges_malaka_into_belu(built):
    merged = panel.build_panel(write=False, harmonise_to=2012)
    assert merged.groupby("year").size().eq(21).all()
    assert "5321" not in set(merged["bps_code"])
    for year in (2024, 2021):
        parts = built[(built["year"] == year) & built["bps_code"].isin(["5306", "5321"])]
        belu = merged[(merged["year"] == year) & (merged["bps_code"] == "5306")].iloc[0]
        assert belu["population"] == parts["population"].sum()
        assert belu["pmi_deaths_abroad"] == parts["pmi_deaths_abroad"].sum()
        weighted = (parts["poverty_rate_pct"] * parts["population"]).sum() / parts[
            "population"
        ].sum()
        assert belu["poverty_rate_pct"] == pytest.approx(weighted)


def test_written_files_and_manifest(project_home):
    built = panel.build_panel(years=[2023, 2024])
    processed = project_home / "data" / "processed"
    assert {"panel.parquet", "panel.csv", "regencies.gpkg", "panel.manifest.json"} <= {
        p.name for p in processed.iterdir()
    }
    again = pd.read_parquet(processed / "panel.parquet")
    assert len(again) == len(built) == 44
    manifest = json.loads((processed / "panel.manifest.json").read_text())
    assert manifest["parameters"]["years"] == [2023, 2024]
    assert any(
        "sha256" in item and item["path"].endswith("ntt_indicators_long.csv")
        for item in manifest["inputs"]
    )
    assert manifest["sources"]


def test_coverage_summary_lists_each_count_year(built):
    summary = panel.coverage_summary(built)
    deaths = summary[summary["count"] == "pmi_deaths_abroad"]
    assert set(deaths["year"]) == {2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025}
    assert (deaths["units_with_value"] <= 22).all()
