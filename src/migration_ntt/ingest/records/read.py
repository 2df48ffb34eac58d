"""Read a case file as it comes, in batches: format, encoding, delimiter, header row.

What users actually have: CSV or TXT in any common encoding (UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode Text" saves it, cp1252, latin-1) and delimiter (``, ; TAB |``),
title rows above the header, ``.gz`` or ``.zip`` holding one CSV, XLSX workbooks, old
binary ``.xls``, and the ``.xls`` files government systems export that are really an HTML
table or SpreadsheetML (Excel 2003 XML). :func:`open_source` looks at the bytes, not the
file name, and returns a :class:`Source` whose :meth:`~Source.batches` yields the needed
columns as Arrow string arrays with each row's number **as the file shows it** (the line of
a text file, the row of a sheet).

Text files are read by :mod:`.read_text` (a fast, checked pyarrow reader and an exact
line reader), workbooks and tables by :mod:`.read_sheets`, DataFrames here; all yield the
:class:`~.source.Batch` es of :class:`~.source.Source`.

Memory stays flat: at most one batch of rows is held at a time.

Examples
--------
>>> import tempfile, pathlib
>>> from migration_ntt.ingest.records import read
>>> path = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
>>> _ = path.write_text("LAPORAN\\nKabupaten;Tanggal\\nMalaka;2024-01-02\\n")
>>> source = read.open_source(path)
>>> source.header_row, source.details["delimiter"]
(2, ';')
>>> [batch.rows.tolist() for batch in source.batches(["Kabupaten"])]
[[3]]
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import pandas as pd

from migration_ntt.ingest.readers import cell_text
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.read_sheets import (
    grid_source,
    html_rows,
    spreadsheetml_rows,
    xls_rows,
    xlsx_rows,
)
from migration_ntt.ingest.records.read_text import text_source
from migration_ntt.ingest.records.source import (
    BATCH_ROWS,
    Batch,
    FastPathFailed,
    Problem,
    RowBuilder,
    Source,
    detect_encoding,
    find_header,
    unique_headers,
)

__all__ = [
    "BATCH_ROWS",
    "Batch",
    "FastPathFailed",
    "Problem",
    "Source",
    "detect_encoding",
    "find_header",
    "open_source",
    "unique_headers",
]


# Workbook names: a binary file so named that is neither a zip, an OLE2 file,
# SpreadsheetML nor an HTML table is refused as such (read as text it would only fail
# later as "no header row"); a text file so named (a renamed CSV) is read as text.
WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})


def open_source(
    source: object,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
) -> Source:
    """Open a case file or DataFrame for batched reading (see the module docstring).

    Raises
    ------
    RecordsError
        Missing or empty file, unreadable workbook, a zip that does not hold exactly one
        table, no header row (naming the file and, for workbooks, the sheets).
    """
    if isinstance(source, pd.DataFrame):
        return _frame_source(source)
    if not isinstance(source, str | Path):
        raise TypeError(f"source must be a path or a DataFrame, got {type(source).__name__}")
    path = Path(source)
    if not path.exists():
        raise RecordsError(f"{path}: file not found")
    if path.is_dir():
        raise RecordsError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise RecordsError(f"{path}: the file is empty")
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _zip_source(path, columns, sheet)
    if magic.startswith(b"\x1f\x8b"):
        return text_source(path, lambda: gzip.open(path, "rb"), columns, {"compression": "gzip"})
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return grid_source(path, xls_rows(path, sheet), columns, {"format": "xls", "sheet": sheet})
    head = _decoded_head(path)
    lowered = head[:4096].lower().lstrip("\ufeff \r\n\t")
    if "urn:schemas-microsoft-com:office:spreadsheet" in head[:8192]:
        rows = spreadsheetml_rows(path, sheet)
        return grid_source(path, rows, columns, {"format": "spreadsheetml", "sheet": sheet})
    if (
        lowered.startswith(("<html", "<!doctype html", "<table", "<?xml"))
        and "<table" in head.lower()
    ):
        return grid_source(path, html_rows(path), columns, {"format": "html"})
    if path.suffix.lower() in WORKBOOK_SUFFIXES and _looks_binary(path):
        raise RecordsError(
            f"{path}: named {path.suffix} but not an Excel workbook (an .xlsx file is a zip "
            f"archive, an old .xls an OLE2 file; this one starts with the bytes "
            f"{magic[:4].hex(' ')}). Open it in Excel and save it again, or export it as CSV."
        )
    return text_source(path, lambda: open(path, "rb"), columns, {})


def _looks_binary(path: Path, size: int = 4096) -> bool:
    """Control bytes (other than tab, line breaks, form feed) in more than 5 % of the
    first bytes: not a text file. (A CSV renamed to .xlsx is text and is read as one.)"""
    with open(path, "rb") as handle:
        raw = handle.read(size)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 text holds NUL bytes
        return False
    control = sum(byte < 32 and byte not in b"\t\n\r\x0c" for byte in raw)
    return control > 0.05 * max(len(raw), 1)


def _decoded_head(path: Path, size: int = 1 << 16) -> str:
    with open(path, "rb") as handle:
        raw = handle.read(size)
    encoding = detect_encoding(raw)
    return raw.decode(encoding, errors="ignore")


def _zip_source(path: Path, columns, sheet) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise RecordsError(f"{path}: a damaged zip file ({error})") from error
    names = [
        name
        for name in archive.namelist()
        if not name.endswith("/") and not name.startswith("__MACOSX")
    ]
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        archive.close()
        return grid_source(
            path, xlsx_rows(path, sheet), columns, {"format": "xlsx", "sheet": sheet}
        )
    if len(names) != 1:
        archive.close()
        raise RecordsError(
            f"{path}: a zip file should hold exactly one table (CSV); it holds "
            f"{len(names)}: {', '.join(names[:10])}"
        )
    member = names[0]
    archive.close()

    def opener():
        return zipfile.ZipFile(path).open(member)

    return text_source(path, opener, columns, {"compression": "zip", "member": member})


# --- DataFrames ---------------------------------------------------------------------------


def _frame_source(frame: pd.DataFrame) -> Source:
    headers = unique_headers([str(c) for c in frame.columns])
    table = frame.copy()
    table.columns = headers

    def read(source: Source, wanted: list[str], batch_rows: int) -> Iterator[Batch]:
        positions = [headers.index(name) for name in wanted]
        builder = RowBuilder(wanted, positions)
        values = table.to_numpy(dtype=object)
        for number, cells in enumerate(values):
            if not any(cell_text(c) for c in cells):
                source.blank_rows += 1
                continue
            builder.add(number, list(cells))
            if builder.size >= batch_rows:
                yield builder.flush()
        if builder.size:
            yield builder.flush()

    return Source(
        source_file="<DataFrame>",
        headers=headers,
        header_row=None,
        details={"format": "DataFrame", "reader": "frame"},
        synthetic=bool(frame.attrs.get("synthetic")) or "synthetic" in frame.columns,
        _reader=read,
    )
