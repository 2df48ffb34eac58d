"""The Excel case log: validations in place, dependent lists from the gazetteer, and a
filled log that cleans with no mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from migration_ntt import regions
from migration_ntt.ingest import records
from migration_ntt.ingest.intake import template, write_template
from migration_ntt.ingest.records import countries, fields


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    return write_template(tmp_path_factory.mktemp("log") / "log.xlsx")


def _list(workbook, name):
    sheet_name, cells = next(iter(workbook.defined_names[name].destinations))
    return [row[0].value for row in workbook[sheet_name][cells.replace("$", "")]]


def test_the_log_opens_with_its_validations_and_frozen_header(log):
    workbook = load_workbook(log)
    cases = workbook["Kasus"]
    assert cases.freeze_panes == "A2"
    headers = [cell.value for cell in cases[1]]
    assert headers == [column.header for column in template.COLUMNS]
    rules = {str(rule.sqref).split(":")[0]: rule for rule in cases.data_validations.dataValidation}
    letter = {column.header: chr(ord("A") + i) for i, column in enumerate(template.COLUMNS)}
    assert rules[f"{letter['Kabupaten/Kota']}2"].formula1 == "=kabupaten"
    assert "INDIRECT" in rules[f"{letter['Kecamatan']}2"].formula1
    assert "INDIRECT" in rules[f"{letter['Desa/Kelurahan']}2"].formula1
    assert rules[f"{letter['Tanggal kejadian']}2"].type == "date"
    assert rules[f"{letter['Umur']}2"].type == "whole"
    assert cases[f"{letter['Tanggal kejadian']}2"].number_format == "DD/MM/YYYY"
    assert workbook["Daftar"].sheet_state == "hidden"
    assert workbook["Petunjuk"]["B1"].value == "How to fill in this log"


def test_dependent_lists_hold_each_parents_places(log):
    workbook = load_workbook(log)
    districts = regions.places.places("district")
    for code, group in districts.groupby("bps_code"):
        assert sorted(_list(workbook, f"kec_{code}")) == sorted(group["name"])
    villages = regions.places.places("village")
    some = villages["district_code"].drop_duplicates().iloc[::40]
    for code in some:
        expected = villages.loc[villages["district_code"] == code, "name"]
        assert sorted(_list(workbook, f"desa_{code.replace('.', '')}")) == sorted(expected)
    assert len(_list(workbook, "kabupaten")) == 22


def test_every_drop_down_value_reads_as_the_cleaners_vocabulary(log):
    workbook = load_workbook(log)
    wanted = {
        "Penempatan (berangkat bekerja)": "placement",
        "Keberangkatan dicegah": "prevented_departure",
        "Dideportasi": "deportation",
        "Dipulangkan bermasalah": "repatriation_troubled",
        "Meninggal di luar negeri": "death_abroad",
        "Korban TPPO (perdagangan orang)": "trafficking_victim",
    }
    assert {v: fields.parse_event_type(v) for v in _list(workbook, "jenis_kejadian")} == wanted
    statuses = [fields.parse_status(v) for v in _list(workbook, "status")]
    assert statuses == ["prosedural", "non_prosedural", "unknown"]
    assert [fields.parse_sex(v) for v in _list(workbook, "jenis_kelamin")] == ["male", "female"]
    assert all(countries.parse_destination(v)[0] for v in _list(workbook, "negara"))
    assert all(countries.parse_destination(v)[1] for v in _list(workbook, "wilayah"))


def test_a_filled_log_cleans_with_no_mapping(log, tmp_path):
    workbook = load_workbook(log)
    cases = workbook["Kasus"]
    units = regions.regencies().set_index("bps_code")["name"]
    villages = regions.places.places("village").iloc[::300]
    entered = []
    for row, village in enumerate(villages.itertuples(), start=2):
        year = 2019 + row % 6
        date = dt.datetime(year, 1 + row % 12, 1 + row % 27) if row % 3 else None
        values = {
            "ID kasus": f"K-{row:03d}",
            "Jenis kejadian": "Meninggal di luar negeri" if row % 2 else "Dideportasi",
            "Tanggal kejadian": date,
            "Bulan kejadian": None if date else 1 + row % 12,
            "Tahun kejadian": None if date else year,
            "Kabupaten/Kota": units[village.bps_code],
            "Kecamatan": village.district_name,
            "Desa/Kelurahan": village.name,
            "Status keberangkatan": "Non-prosedural",
            "Negara tujuan": "Malaysia",
            "Wilayah tujuan": "Sabah",
            "Jenis kelamin": "Perempuan",
            "Umur": 30,
            "Sumber informasi": "Keluarga",
        }
        for col, column in enumerate(template.COLUMNS, start=1):
            cases.cell(row=row, column=col, value=values.get(column.header))
        entered.append((village.bps_code, year))
    path = tmp_path / "filled.xlsx"
    workbook.save(path)
    result = records.clean_records(path, secret="test")
    assert result.report.n_clean == len(entered)
    decided = result.report.decisions
    assert decided[decided["rule"] == "unrecognised"].empty, decided
    assert "Read as: the package's Excel case log" in result.report.summary()
    how = dict(zip(result.report.columns["header"], result.report.columns["how"], strict=True))
    assert "unused" not in how.values(), how
    assert how["Sumber informasi"] == "form field"
    counts = result.clean.groupby(["bps_code", "year"], observed=True).size().to_dict()
    expected: dict = {}
    for key in entered:
        expected[key] = expected.get(key, 0) + 1
    assert counts == expected
    assert (result.clean["village_code"].notna()).all()  # every desa found in its kecamatan
    assert (result.clean["procedural"].astype(str) == "non_prosedural").all()
