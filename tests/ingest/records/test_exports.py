"""Exports of the intake form (KoboToolbox, ODK Central) clean with no mapping, and the
counts by regency × year are what was entered."""

from __future__ import annotations

import pytest

from migration_ntt.ingest import records
from migration_ntt.ingest.records import exports

from ..intake.entered import (
    entered_cases,
    expected_counts,
    kobo_export,
    kobo_label_export,
    odk_export,
)


@pytest.fixture(scope="module")
def cases():
    return entered_cases(80, seed=7)


@pytest.mark.parametrize(
    ("tool", "make", "separator"),
    [(exports.KOBO, kobo_export, ";"), (exports.ODK, odk_export, ",")],
)
def test_an_export_cleans_with_no_mapping_and_counts_what_was_entered(
    cases, tool, make, separator, tmp_path
):
    path = tmp_path / "export.csv"
    make(cases).to_csv(path, index=False, sep=separator)
    result = records.clean_records(path, secret="test")
    report = result.report
    assert report.accounted
    assert report.n_clean == len(cases)  # nothing rejected, nothing taken for a duplicate
    assert report.details["export_tool"] == tool
    assert f"Read as: {exports.DESCRIPTIONS[tool]}" in report.summary()
    decided = report.decisions
    assert decided[decided["rule"] == "unrecognised"].empty, decided
    assert report.details["regency_corrected_by_place"] == 0  # codes read as written
    columns = report.columns
    assert "unused" not in set(columns["how"]), columns[columns["how"] == "unused"]
    mapped = dict(zip(columns["header"], columns["field"], strict=True))
    id_header = exports.KOBO_ID if tool == exports.KOBO else exports.ODK_ID
    assert mapped[id_header] == "record_id"
    clean = result.clean
    counts = clean.groupby(["bps_code", "year"], observed=True).size()
    expected = expected_counts(cases)
    assert counts.to_dict() == expected.to_dict()
    # codes are taken as they are: every kecamatan and desa entered is in the clean table
    assert list(clean["district_code"].astype(str)) == list(cases["district_code"])
    villages = clean["village_code"].astype(object).where(clean["village_code"].notna(), "")
    assert list(villages) == list(cases["village_code"])
    assert set(clean["record_id"].astype(str)) >= {str(x) for x in make(cases)[id_header]}
    # the precision of each date as entered, the non-procedural split kept
    assert list(clean["date_precision"].astype(str)) == list(cases["date_precision"])
    assert (clean["procedural"].astype(str) == cases["procedural"].to_numpy()).all()
    assert (clean["event_type"].astype(str) == cases["event_type"].to_numpy()).all()
    assert (clean["destination_iso3"].astype(str) == cases["destination_iso3"].to_numpy()).all()
    ages = clean["age"].astype(float).fillna(-1).astype(int).tolist()
    assert ages == cases["age"].replace("", "-1").astype(int).tolist()
    assert "nik" not in clean.columns


def test_other_files_are_not_taken_for_an_export():
    assert exports.recognise(["Kabupaten", "Tanggal", "Status"]) is None
    # one metadata-like column is not enough
    assert exports.recognise(["_index", "Kabupaten", "Tanggal"]) is None


def test_odk_group_prefix_and_kobo_labels_are_read():
    odk = exports.recognise(["SubmissionDate", "case-bps_code", "KEY", "ReviewState"])
    assert odk.fields["case-bps_code"] == "regency_code"
    kobo_labels = exports.recognise(["_uuid", "_index", "Jenis kejadian", "Kecamatan asal"])
    assert kobo_labels.fields["Jenis kejadian"] == "event_type"
    assert kobo_labels.fields["Kecamatan asal"] == "district"  # a name, not a code


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_kobo_xlsx_export_with_labels_cleans_with_no_mapping(cases, lang, tmp_path):
    path = tmp_path / "export.xlsx"
    kobo_label_export(cases, lang).to_excel(path, index=False)
    result = records.clean_records(path, secret="test")
    report = result.report
    assert report.n_clean == len(cases)
    assert report.details["export_tool"] == exports.KOBO
    decided = report.decisions
    assert decided[decided["rule"] == "unrecognised"].empty, decided
    assert "unused" not in set(report.columns["how"])
    counts = result.clean.groupby(["bps_code", "year"], observed=True).size()
    assert counts.to_dict() == expected_counts(cases).to_dict()
    assert list(result.clean["district_code"].astype(str)) == list(cases["district_code"])
    assert (result.clean["procedural"].astype(str) == cases["procedural"].to_numpy()).all()
