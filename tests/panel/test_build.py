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


def test_fsva_editions_are_filed_under_their_data_year(built):
    """The IKP/FSVA edition of year N describes year N − 1 (see the notes of those rows)."""
    table = indicators.load_indicators().table
    edition = table[(table["indicator"] == "ikp_score") & (table["bps_code"] == "5321")]
    edition_2024 = float(edition.loc[edition["year"] == 2024, "value"].iloc[0])
    malaka_2023 = built[(built["bps_code"] == "5321") & (built["year"] == 2023)].iloc[0]
    assert malaka_2023["ikp_score"] == edition_2024
    assert malaka_2023["ikp_score_year"] == 2023
    # stunting (SSGI 2021) is carried to every year, with the year it is from
    assert built["stunting_prevalence_ssgi_pct"].notna().all()
    assert set(built["stunting_prevalence_ssgi_pct_year"].dropna()) == {2021}


def test_legal_placements_2013_per_100k_and_the_ratio_to_events(built):
    placements = built.drop_duplicates("bps_code").set_index("bps_code")
    # Disnakertrans NTT list of 2013: Kabupaten Kupang 1,931, Malaka 2 (newly split)
    assert placements.loc["5303", "legal_placements_2013"] == 1931
    assert placements.loc["5321", "legal_placements_2013"] == 2
    assert placements["legal_placements_per_100k_2013"].notna().sum() == 22
    ratio = panel.per_legal_placements(built, "pmi_deaths_abroad")
    assert "different years" in ratio.attrs["caveat"]
    assert ratio["per_100_legal"].is_monotonic_decreasing
    malaka = ratio.set_index("bps_code").loc["5321"]
    assert malaka["per_100_legal"] == pytest.approx(100 * malaka["events_per_year"] / 2)
    # nothing left out without a word: every regency not shown is named, with the reason
    deportees = panel.per_legal_placements(built, "pmi_deportees")
    note = deportees.attrs["left_out"]
    assert note.startswith(f"{len(deportees)} of 22 regencies have both numbers")
    names = built.drop_duplicates("bps_code").set_index("bps_code")["name"]
    for code in set(names.index) - set(deportees["bps_code"]):
        assert names[code].removeprefix("Kabupaten ") in note


def test_programme_columns_and_enforcement_rates_are_in_the_panel(built):
    assert set(built.attrs["programmes"]) >= {"ltsa", "task_force", "desmigratif", "church"}
    for programme in built.attrs["programmes"]:
        assert built[f"{programme}_active"].isin([0, 1]).all()
    assert "desmigratif_per_100_villages" in built.columns
    rates = built[built["tppo_suspects"].notna() & built["tppo_suspects_coverage"].notna()]
    expected = (
        1e5 * rates["tppo_suspects"] / (rates["population"] * rates["tppo_suspects_coverage"])
    )
    assert rates["tppo_suspects_per_100k"].to_numpy() == pytest.approx(
        expected.to_numpy(), abs=1e-3
    )
    no_programmes = panel.build_panel(write=False, programmes=False)
    assert not [c for c in no_programmes.columns if c.endswith("_active")]


def test_observed_counts_apply_each_reports_completeness(built):
    seen = panel.observed_counts(built, "pmi_deaths_abroad").set_index(["year", "bps_code"])
    statuses = seen["status"].groupby(level="year").agg(lambda s: set(s))
    # 2024: the by-regency list sums to the stated 122: a regency not named had none.
    assert statuses[2024] == {"named", "zero_complete"}
    assert seen.loc[2024].query("status == 'zero_complete'")["observed"].eq(0).all()
    # 2023: four regencies named out of a stated 100: the others are censored, not zero.
    assert "censored" in statuses[2023]
    censored = seen.loc[2023].query("status == 'censored'")
    assert censored["observed"].isna().all()
    assert (censored["unnamed_max"] > 0).all()
    # 2022: the list leaves 27 of 95 unplaced: the unnamed are missing.
    assert statuses[2022] == {"named", "missing"}
    assert (seen["person_years"] > 0).all()
