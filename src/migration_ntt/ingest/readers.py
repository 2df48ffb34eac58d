"""Read spreadsheets as users export them: any common delimiter or encoding, title rows.

Both the case-record cleaner and the BPS table reader start from a grid of text cells
with no header assumed: :func:`read_grid`. Encodings are tried in order (UTF-8 with or
without BOM, then cp1252, then latin-1, which never fails); the delimiter is the one of
``, ; TAB |`` that splits the first lines most consistently.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> _ = path.write_text("Judul\\na;b\\n1;2\\n")
>>> read_grid(path).shape
(3, 2)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

ENCODINGS = ("utf-8-sig", "cp1252", "latin-1")
DELIMITERS = (",", ";", "\t", "|")


class ReadError(ValueError):
    """A file that cannot be read as a table; the message names the file."""


def decode(path: Path) -> tuple[str, str]:
    """Return the text of ``path`` and the encoding that read it."""
    raw = path.read_bytes()
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ReadError(f"{path}: cannot decode as {', '.join(ENCODINGS)}")  # pragma: no cover


def sniff_delimiter(text: str) -> str:
    """The delimiter that gives the most cells, consistently, over the first 30 lines."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not widths:
            continue
        modal = max(set(widths), key=widths.count)
        score = (modal - 1) * widths.count(modal)
        if modal > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def sheet_names(path: str | Path) -> list[str]:
    """The worksheet names of an XLSX workbook, in order (empty for a file that is not one)."""
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
    except Exception:  # not a workbook: the caller reports the read error itself
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_grid(path: str | Path, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a CSV/TXT/XLSX file into a DataFrame of stripped strings, no header assumed.

    Ragged rows are padded with empty strings. The frame's ``attrs`` record the
    ``encoding`` and ``delimiter`` used (XLSX: the ``sheet``).

    Raises
    ------
    ReadError
        Missing file, unreadable workbook, or an empty file.
    """
    path = Path(path)
    if not path.is_file():
        raise ReadError(f"{path}: file not found")
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls"}:
        names = sheet_names(path)
        if (
            names
            and sheet is not None
            and sheet not in names
            and not (isinstance(sheet, int) and 0 <= sheet < len(names))
        ):
            raise ReadError(f"{path}: no worksheet {sheet!r}; the workbook has: {', '.join(names)}")
        try:
            grid = pd.read_excel(path, header=None, dtype=object, sheet_name=sheet or 0)
        except Exception as error:  # openpyxl raises many types for a bad workbook
            raise ReadError(f"{path}: not a readable Excel workbook ({error})") from error
        grid = grid.map(cell_text)
        grid.attrs.update({"sheet": sheet or 0})
    else:
        text, encoding = decode(path)
        if not text.strip():
            raise ReadError(f"{path}: the file is empty")
        delimiter = sniff_delimiter(text)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        width = max((len(row) for row in rows), default=0)
        grid = pd.DataFrame(
            [[cell.strip() for cell in row] + [""] * (width - len(row)) for row in rows],
            dtype=object,
        )
        grid.attrs.update({"encoding": encoding, "delimiter": delimiter})
    if grid.empty:
        raise ReadError(f"{path}: the file is empty")
    return grid


def cell_text(value: object) -> str:
    """One spreadsheet cell as text: blanks and NaN → ``""``, whole floats without
    ``.0``, booleans as ``True``/``False``, dates as ``YYYY-MM-DD``, the rest stripped.

    Examples
    --------
    >>> [cell_text(v) for v in [None, 3.0, 2.5, True, pd.Timestamp("2024-01-02"), " x "]]
    ['', '3', '2.5', 'True', '2024-01-02', 'x']
    """
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "isoformat") and hasattr(value, "year"):  # datetime / date
        return value.isoformat()[:10]
    return str(value).strip()
