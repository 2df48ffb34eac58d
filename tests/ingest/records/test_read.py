"""Reading case files as they come: encodings, delimiters, containers, sheets, broken rows.

Every file goes through ``clean_records`` and must give the same two clean rows (or say
clearly what it could not read, with the line number), never a traceback.
"""

from __future__ import annotations

import gzip
import zipfile

import pandas as pd
import pytest

from migration_ntt.ingest import records
from migration_ntt.ingest.records import read

SECRET = "read-test"
HEADER = ["Nama", "NIK", "JK", "Kabupaten/Kota Asal", "Negara Tujuan", "Status", "Jenis Kasus",
          "Tanggal Kejadian"]  # fmt: skip
ROWS = [
    ["Maria Tefa", "5321014501900001", "P", "Malaká", "Malaysia", "ilegal", "meninggal",
     "12 Agustus 2024"],
    ["Yohanes Bria", "5304014501900001", "L", "TTS", "Sabah", "resmi", "deportasi", "2024-02-01"],
]  # fmt: skip


def _text(delimiter=";", title=("LAPORAN KASUS PMI 2024", "BP3MI NTT", "")) -> str:
    lines = [*title, delimiter.join(HEADER), *(delimiter.join(row) for row in ROWS)]
    return "\n".join(lines) + "\n"


def _clean(path, **kwargs) -> records.CleanResult:
    return records.clean_records(path, secret=SECRET, **kwargs)


def _two_rows(out: records.CleanResult, rows=(5, 6)) -> None:
    assert out.clean["bps_code"].tolist() == ["5321", "5304"]
    assert out.clean["source_row"].tolist() == list(rows)
    assert out.report.accounted


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_encodings_and_delimiters(tmp_path, encoding, delimiter):
    path = tmp_path / "kasus.csv"
    path.write_bytes(_text(delimiter).encode(encoding))
    out = _clean(path)
    _two_rows(out)
    assert out.report.details["delimiter"] == delimiter


def test_excel_unicode_text_is_utf16_tab_without_bom(tmp_path):
    path = tmp_path / "kasus.txt"
    path.write_bytes(_text("\t").replace("\n", "\r\n").encode("utf-16-le"))
    out = _clean(path)
    _two_rows(out)
    assert out.report.details["encoding"] == "utf-16-le"


def test_gzip_and_zip_holding_one_csv(tmp_path):
    gz = tmp_path / "kasus.csv.gz"
    gz.write_bytes(gzip.compress(_text().encode()))
    _two_rows(_clean(gz))
    archive = tmp_path / "kasus.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("export/kasus.csv", _text())
    _two_rows(_clean(archive))
    two = tmp_path / "two.zip"
    with zipfile.ZipFile(two, "w") as handle:
        handle.writestr("a.csv", _text())
        handle.writestr("b.csv", _text())
    with pytest.raises(records.RecordsError, match=r"two\.zip.*exactly one table.*a\.csv"):
        _clean(two)


def test_xlsx_with_title_rows_and_sheets(tmp_path):
    frame = pd.DataFrame(ROWS, columns=HEADER)
    path = tmp_path / "kasus.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["Catatan: data di sheet Kasus"]]).to_excel(
            writer, sheet_name="Catatan", header=False, index=False
        )
        pd.DataFrame([["DATA PMI BERMASALAH"], [""]]).to_excel(
            writer, sheet_name="Kasus", header=False, index=False
        )
        frame.to_excel(writer, sheet_name="Kasus", startrow=3, index=False)
    with pytest.raises(records.RecordsError, match=r"'Catatan'.*Catatan, Kasus.*sheet="):
        _clean(path)
    _two_rows(_clean(path, sheet="Kasus"))
    _two_rows(_clean(path, sheet=1))
    with pytest.raises(records.RecordsError, match="no worksheet 'Nope'"):
        _clean(path, sheet="Nope")


def test_xls_that_is_an_html_table(tmp_path):
    cells = "".join(f"<th>{h}</th>" for h in HEADER)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in ROWS)
    html = (
        "<html><head><meta charset='utf-8'></head><body><p>Laporan</p>"
        f"<table><tr>{cells}</tr>{body}</table></body></html>"
    )
    path = tmp_path / "export.xls"
    path.write_text(html, encoding="utf-8")
    out = _clean(path)
    assert out.clean["bps_code"].tolist() == ["5321", "5304"]
    assert out.report.details["format"] == "html"


def test_xls_that_is_spreadsheetml(tmp_path):
    def row(cells, index=None):
        attribute = f' ss:Index="{index}"' if index else ""
        data = "".join(f'<Cell><Data ss:Type="String">{c}</Data></Cell>' for c in cells)
        return f"<Row{attribute}>{data}</Row>"

    xml = (
        '<?xml version="1.0"?>\n'
        '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" '
        'xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">'
        '<Worksheet ss:Name="Data"><Table>'
        + row(["LAPORAN"])
        + row(HEADER, index=3)
        + "".join(row(r) for r in ROWS)
        + "</Table></Worksheet></Workbook>"
    )
    path = tmp_path / "export.xls"
    path.write_text(xml, encoding="utf-8")
    out = _clean(path)
    assert out.clean["source_row"].tolist() == [4, 5]
    assert out.report.details["format"] == "spreadsheetml"


def test_ragged_rows_are_rejected_with_their_line_and_the_rest_kept(tmp_path):
    lines = _text(",").splitlines()
    lines.insert(5, "A,5321014501900003,L,Belu")  # too few cells: line 6
    lines.insert(6, ",".join([*ROWS[0], "extra", "more"]))  # too many: line 7
    path = tmp_path / "ragged.csv"
    path.write_text("\n".join(lines) + "\n")
    out = _clean(path)
    assert out.clean["source_row"].tolist() == [5, 8]
    rejects = out.rejects.set_index("source_row")
    assert rejects.loc[6, "reason"] == "field_count"
    assert rejects.loc[7, "reason"] == "field_count"
    assert "line 6: 4 cells where the header has 8" in rejects.loc[6, "detail"]
    assert out.report.accounted
    assert out.report.n_input == 4


def test_broken_quote_is_reported_with_its_line_and_does_not_swallow_the_rest(tmp_path):
    lines = _text(",").splitlines()
    lines.insert(5, 'Budi,5321014501900009,L,"Malaka, Malaysia')
    path = tmp_path / "quote.csv"
    path.write_text("\n".join(lines) + "\n")
    out = _clean(path)
    assert out.clean["source_row"].tolist() == [5, 7]
    problem = out.rejects.set_index("source_row").loc[6]
    assert problem["reason"] == "broken_quote"
    assert "line 6" in problem["detail"]
    assert out.report.accounted


def test_a_stray_quote_in_a_line_that_splits_right_is_just_a_character(tmp_path):
    text = _text(",").replace("Maria Tefa", 'Maria "Tefa')
    path = tmp_path / "stray.csv"
    path.write_text(text)
    _two_rows(_clean(path))


def test_quoted_line_breaks_keep_true_line_numbers(tmp_path):
    text = _text(",").replace("Maria Tefa", '"Maria\nTefa"')
    path = tmp_path / "multiline.csv"
    path.write_text(text)
    out = _clean(path)
    assert out.clean["source_row"].tolist() == [5, 7]  # the first record spans lines 5–6
    assert "exact" in out.report.details["reader"]


def test_blank_lines_nul_bytes_and_a_giant_field_before_the_header(tmp_path):
    giant = "x" * 3_000_000
    text = f"{giant}\n\n" + _text(",", title=()).replace("\n", "\n\n", 1)
    path = tmp_path / "odd.csv"
    path.write_bytes(text.replace("Maria", "Ma\x00ria").encode())
    out = _clean(path)
    assert out.clean["bps_code"].tolist() == ["5321", "5304"]
    assert out.clean["source_row"].tolist() == [5, 6]
    assert out.report.blank_rows == 1


def test_thousands_of_columns(tmp_path):
    extra = [f"Kolom {i}" for i in range(3000)]
    header = ",".join(HEADER + extra)
    rows = [",".join(row + [""] * len(extra)) for row in ROWS]
    path = tmp_path / "wide.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    out = _clean(path)
    assert out.clean["source_row"].tolist() == [2, 3]


def test_fast_and_exact_readers_give_the_same_result(tmp_path):
    from migration_ntt.ingest import synthetic

    path, _ = synthetic.write_synthetic_csv(tmp_path / "k_synthetic.csv", 2500, seed=4)
    fast = _clean(path)
    assert fast.report.details["reader"] == "fast"
    opened = read.open_source(path)
    opened.force_exact = True
    exact_rows = [b.rows for b in opened.batches(opened.headers[:3], 700)]
    fast_rows = [b.rows for b in read.open_source(path).batches(opened.headers[:3], 700)]
    assert pd.Series(list(pd.core.common.flatten(exact_rows))).equals(
        pd.Series(list(pd.core.common.flatten(fast_rows)))
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"Nama;NIK;Kabupaten;Tanggal\n", "no data rows"),
        (b"just some text\nwithout any header\n", "no header row"),
        (b"PK\x03\x04 not really a zip", "damaged zip"),
    ],
)
def test_bad_files_name_the_file(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(records.RecordsError, match=message) as caught:
        _clean(path)
    assert "bad.csv" in str(caught.value)


@pytest.mark.parametrize("name", ["kasus.xlsx", "kasus.XLS", "kasus.xlsm"])
def test_a_file_named_as_a_workbook_that_is_none_says_so(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(bytes(range(7, 250)) * 20)  # binary garbage
    with pytest.raises(records.RecordsError, match="not an Excel workbook") as caught:
        _clean(path)
    assert name in str(caught.value)
    assert "starts with the bytes 07 08 09 0a" in str(caught.value)


def test_a_csv_renamed_to_xlsx_is_read_as_text(tmp_path):
    path = tmp_path / "kasus.xlsx"
    path.write_text("Kabupaten,Tanggal Kejadian,Jenis Kasus\nMalaka,2024-03-05,meninggal\n")
    assert _clean(path).report.n_clean == 1


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(records.RecordsError, match="file not found"):
        _clean("no/such/file.csv")
    with pytest.raises(records.RecordsError, match="is a folder"):
        _clean(tmp_path)


def test_a_different_kind_of_file_is_refused(shared_data):
    iom = next((shared_data / "indicators" / "raw" / "iom_missing_migrants").glob("*.csv"))
    with pytest.raises(records.RecordsError, match=r"no header row found.*Reported Date") as caught:
        _clean(iom)
    assert iom.name in str(caught.value)


def test_columns_mapping_for_unrecognised_headers(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Asal Kab,Kapan,Apa\nMalaka,2024-01-01,deportasi\n")
    with pytest.raises(records.RecordsError, match=r"no header row found.*pass columns="):
        _clean(path)
    out = _clean(path, columns={"regency": "Asal Kab", "event_date": "Kapan", "event_type": "Apa"})
    assert out.clean["event_type"].tolist() == ["deportation"]
    with pytest.raises(records.RecordsError, match="not in the file"):
        _clean(path, columns={"regency": "Nope", "event_date": "Kapan"})
