"""BPS web tables read into the long format: title rows, footnotes, missing marks, thousands."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt.ingest import bps_tables, indicators

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
    long = bps_tables.read_bps_table(path, "poverty_rate_pct", unit="percent")
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
        bps_tables.read_bps_table(path, "population_bps")
    path.write_text(
        'Jumlah Penduduk (Jiwa)\nKabupaten/Kota,2023,2024\nMalaka,"192.015","193.510"\n'
    )
    long = bps_tables.read_bps_table(path, "population_bps")
    assert long["value"].tolist() == [192015.0, 193510.0]
    no_years = tmp_path / "no_years.csv"
    no_years.write_text("a,b\nc,d\n")
    with pytest.raises(indicators.IndicatorError, match="no header row of years"):
        bps_tables.read_bps_table(no_years, "x")
