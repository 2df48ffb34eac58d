"""Workbooks and tables: XLSX, old binary XLS, HTML tables and SpreadsheetML (Excel 2003
XML) that government systems export as ``.xls``; each sheet read row by row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from migration_ntt.ingest.readers import cell_text
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.source import (
    HEAD_LINES,
    Batch,
    RowBuilder,
    Source,
    find_header,
    header_score,
    unique_headers,
)


def grid_source(path: Path, rows_factory, columns, details) -> Source:
    """A source over (row number, cells) tuples: workbooks, HTML and XML tables."""
    details = {**details, **getattr(rows_factory, "details", {})}
    head: list[tuple[int, list[object]]] = []
    try:
        for item in rows_factory():
            head.append(item)
            if len(head) >= HEAD_LINES:
                break
    except RecordsError:
        raise
    except Exception as error:  # the readers raise many types for a damaged file
        raise RecordsError(f"{path}: not a readable {details['format']} file ({error})") from error
    if not head:
        raise RecordsError(f"{path}: the file is empty")
    grid = [cells for _, cells in head]
    try:
        header_index = find_header(grid, str(path), columns)
    except RecordsError as error:
        names = details.get("sheets") or []
        if len(names) > 1:
            shown = details.get("sheet_name") or names[0]
            raise RecordsError(
                f"{error} This was worksheet {shown!r}; the workbook has: "
                f"{', '.join(names)}. Choose one with sheet= (or --sheet NAME)."
            ) from None
        raise
    headers = unique_headers(grid[header_index])
    header_row = head[header_index][0]

    def read(source: Source, wanted: list[str], batch_rows: int) -> Iterator[Batch]:
        positions = [source.headers.index(name) for name in wanted]
        builder = RowBuilder(wanted, positions)
        for number, cells in rows_factory():
            if number <= header_row:
                continue
            if not any(cell_text(c) for c in cells):
                source.blank_rows += 1
                continue
            builder.add(number, cells)
            if builder.size >= batch_rows:
                yield builder.flush()
        if builder.size:
            yield builder.flush()

    source = Source(
        source_file=str(path),
        headers=headers,
        header_row=header_row,
        details={**details, "reader": "sheet"},
        synthetic="synthetic" in path.name.lower() or "synthetic" in headers,
        _reader=read,
    )
    return source


def _sheet_choice(path: Path, names: list[str], sheet: str | int | None, details: dict) -> str:
    details["sheets"] = names
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) and 0 <= sheet < len(names):
        chosen = names[sheet]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise RecordsError(f"{path}: no worksheet {sheet!r}; the workbook has: {', '.join(names)}")
    details["sheet_name"] = chosen
    return chosen


def xlsx_rows(path: Path, sheet):
    from openpyxl import load_workbook

    details: dict = {}
    workbook = load_workbook(path, read_only=True, data_only=True)
    names = list(workbook.sheetnames)
    workbook.close()
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for number, cells in enumerate(book[chosen].iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()

    return _with_details(rows, details)


def _with_details(rows, details):
    """Attach sheet details to a rows factory (read by :func:`grid_source`)."""

    class Rows:
        def __init__(self) -> None:
            self.details = details

        def __call__(self):
            return rows()

    return Rows()


def xls_rows(path: Path, sheet):
    try:
        import xlrd
    except ImportError as error:  # pragma: no cover - xlrd is a dependency
        raise RecordsError(f"{path}: reading old .xls files needs xlrd") from error
    details: dict = {}
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as error:
        raise RecordsError(f"{path}: not a readable .xls workbook ({error})") from error
    names = book.sheet_names()
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        work = book.sheet_by_name(chosen)
        for index in range(work.nrows):
            cells = []
            for cell in work.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(pd.Timestamp(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    cells.append(cell.value)
            yield index + 1, cells

    return _with_details(rows, details)


def html_rows(path: Path):
    """Rows of the table with the best header in an HTML file (header cells included)."""

    def tables() -> list[list[list[object]]]:
        try:
            found = pd.read_html(path, header=None, flavor="lxml")
        except ValueError as error:
            raise RecordsError(
                f"{path}: an HTML file without a readable table ({error})"
            ) from error
        grids = []
        for table in found:
            grid = table.astype(object).where(table.notna(), None).to_numpy().tolist()
            if not isinstance(table.columns, pd.RangeIndex):  # <th> cells became the columns
                grid.insert(0, [str(c) for c in table.columns])
            grids.append(grid)
        return grids

    def rows():
        grids = tables()

        def score(grid: list[list[object]]) -> int:
            return max((header_score(row) for row in grid[:HEAD_LINES]), default=0)

        yield from enumerate(max(grids, key=score), start=1)

    return _with_details(rows, {})


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def spreadsheetml_rows(path: Path, sheet):
    import xml.etree.ElementTree as ElementTree

    details: dict = {}
    names = [
        element.get(f"{_SS}Name") or f"Sheet{i + 1}"
        for i, (_, element) in enumerate(
            e
            for e in ElementTree.iterparse(path, events=("start",))
            if e[1].tag == f"{_SS}Worksheet"
        )
    ]
    if not names:
        raise RecordsError(f"{path}: an Excel XML file without a worksheet")
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        inside = False
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            if element.tag == f"{_SS}Worksheet" and event == "start":
                inside = element.get(f"{_SS}Name") == chosen
            if not inside or event != "end" or element.tag != f"{_SS}Row":
                continue
            cells: list[object] = []
            for cell in element.findall(f"{_SS}Cell"):
                index = cell.get(f"{_SS}Index")
                if index is not None:
                    cells.extend([None] * (int(index) - 1 - len(cells)))
                data = cell.find(f"{_SS}Data")
                cells.append(data.text if data is not None else None)
            row_index = element.get(f"{_SS}Index")
            yield (int(row_index) if row_index else None), cells
            element.clear()

    def numbered():
        last = 0
        for number, cells in rows():
            last = number if number is not None else last + 1
            yield last, cells

    return _with_details(numbered, details)
