"""The cleaning report lists every field's unrecognised strings, never a personal value."""

from __future__ import annotations

import pandas as pd

from migration_ntt.ingest import records

SECRET = "report-test"


def _frame() -> pd.DataFrame:
    rows = [
        ["Maria", "5321014501900001", "P", "Malaka", "Malaysia", "status?", "??", "2024-01-02"],
        ["Yosef", "5321014501900002", "X", "Atlantis", "Mars", "resmi", "deportasi", "kemarin"],
        ["Ana", "5321014501900003", "L", "Atlantis", "Malaysia", "status?", "deportasi",
         "2024-01-05"],
    ]  # fmt: skip
    header = ["Nama", "NIK", "JK", "Kabupaten", "Negara Tujuan", "Status", "Jenis Kasus", "Tanggal"]
    return pd.DataFrame(rows, columns=header)


def test_every_field_lists_its_unrecognised_strings_with_row_counts():
    report = records.clean_records(_frame(), secret=SECRET).report
    listed = report.unrecognised.set_index(["field", "value"])["rows"]
    assert listed[("status", "status?")] == 2
    assert listed[("event_type", "??")] == 1
    assert listed[("sex", "X")] == 1
    assert listed[("destination", "Mars")] == 1
    assert listed[("regency", "Atlantis")] == 2
    assert listed[("event_date", "kemarin")] == 1
    assert report.unresolved_regencies["value"].tolist() == ["Atlantis"]
    text = report.summary()
    assert "Unrecognised status: 'status?' (2)" in text
    assert "Unrecognised regency: 'Atlantis' (2)" in text
    assert "status?" in report._repr_html_()
    assert (report.to_frame()["section"] == "unrecognised:status").any()


def test_personal_values_are_never_listed():
    frame = _frame()
    frame.loc[0, "NIK"] = "53210145019"  # invalid NIK: counted, never shown
    report = records.clean_records(frame, secret=SECRET).report
    everything = report.full_text() + report._repr_html_() + report.to_frame().to_csv()
    assert "53210145019" not in everything
    assert "Maria" not in everything
    quality = report.field_quality.set_index("field")
    assert quality.loc["nik", "invalid"] == 1


def test_summary_is_short_and_the_full_text_lists_all():
    frame = pd.concat([_frame()] * 4, ignore_index=True)
    frame["Negara Tujuan"] = [f"Planet {i}" for i in range(len(frame))]
    report = records.clean_records(frame, secret=SECRET).report
    assert "… 7 more" in report.summary()
    assert all(f"Planet {i}" in report.full_text() for i in range(len(frame)))
