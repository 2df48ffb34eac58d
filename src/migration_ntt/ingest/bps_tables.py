r"""Regency tables as the BPS website exports them, read into the long indicator format.

Examples
--------
>>> import tempfile, pathlib
>>> from migration_ntt.ingest import bps_tables
>>> path = pathlib.Path(tempfile.mkdtemp()) / "kemiskinan.csv"
>>> _ = path.write_text("Kabupaten/Kota,2023\nSumba Barat,\"28,32\"\nMalaka,\"14,01\"\n")
>>> table = bps_tables.read_bps_table(path, "poverty_pct", "%")
>>> table[["bps_code", "year", "value"]].values.tolist()
[['5301', 2023, 28.32], ['5321', 2023, 14.01]]
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.indicators import LONG_COLUMNS, IndicatorError
from migration_ntt.ingest.readers import ReadError, read_grid

_MISSING_MARKS = {"-", "–", "—", "…", "...", "..", "", "NA", "n/a", "x"}


def read_bps_table(
    path: str | Path, indicator: str, unit: str = "", source: str | None = None
) -> pd.DataFrame:
    """Read a regency table as the BPS website exports it into the long format.

    Handles title rows above the header, one or two header rows of years (a second row of
    sub-headers such as "Maret" is folded into the note), a province total row (kept, with
    no code, ``match="province"``), footnotes below the table, ``-`` and ``…`` for missing
    values and the decimal comma.

    Parameters
    ----------
    path : str or Path
        A CSV (any delimiter) or XLSX file.
    indicator, unit : str
        What the numbers are.
    source : str, optional
        Defaults to the file name.

    Returns
    -------
    pandas.DataFrame
        Long table: ``bps_code, year, indicator, value, unit, period_start, period_end,
        source, note, regency, match, source_row``. Missing cells are kept with a NaN
        value and ``note="missing in source"``.

    Raises
    ------
    IndicatorError
        When no header row of years is found, or a cell is neither a number nor a
        missing mark (naming file, row and column).
    """

    path = Path(path)
    try:
        grid = read_grid(path)
    except ReadError as error:
        raise IndicatorError(str(error)) from error
    year_row = _find_year_row(grid)
    if year_row is None:
        raise IndicatorError(f"{path}: no header row of years (e.g. 2022, 2023) found")
    header = grid.iloc[year_row].tolist()
    # Years in merged header cells: carry the last year to the right.
    years: list[int | None] = []
    current = None
    for cell in header:
        found = re.search(r"(19|20)\d{2}", cell)
        if found:
            current = int(found.group(0))
        years.append(current if cell or current else None)
    sub_header = grid.iloc[year_row + 1].tolist() if year_row + 1 < len(grid) else []
    has_sub_header = bool(sub_header) and not sub_header[0] and any(sub_header[1:])
    first_data = year_row + (2 if has_sub_header else 1)
    records = []
    for row_number in range(first_data, len(grid)):
        cells = grid.iloc[row_number].tolist()
        name = cells[0]
        numeric_cells = cells[1:]
        if not name or (not any(numeric_cells) and row_number > first_data):
            continue  # blank separator row
        if _is_footnote(name, numeric_cells):
            break
        for column in range(1, len(cells)):
            year = years[column]
            if year is None:
                continue
            text = cells[column]
            value = _bps_number(text)
            if value is None:
                raise IndicatorError(
                    f"{path}, row {row_number + 1}, column {column + 1} ({header[column] or year}):"
                    f" expected a number or a missing mark ('-', '…'), got {text!r}"
                )
            sub = sub_header[column] if has_sub_header and column < len(sub_header) else ""
            records.append(
                {
                    "regency": name,
                    "year": year,
                    "value": value,
                    "note": "; ".join(
                        filter(None, [sub, "missing in source" if np.isnan(value) else ""])
                    ),
                    "source_row": row_number + 1,
                }
            )
    long = pd.DataFrame.from_records(records)
    resolved = regions.resolve(long["regency"])
    long["bps_code"] = resolved["bps_code"].to_numpy()
    long["match"] = resolved["match"].to_numpy()
    long["indicator"] = indicator
    long["unit"] = unit
    long["source"] = source or path.name
    long["period_start"] = pd.to_datetime(long["year"].astype(str) + "-01-01")
    long["period_end"] = pd.to_datetime(long["year"].astype(str) + "-12-31")
    long["year"] = long["year"].astype("Int64")
    return long[[*LONG_COLUMNS, "regency", "match", "source_row"]]


def _find_year_row(grid: pd.DataFrame) -> int | None:
    """The first of the top 15 rows with a bare year (1900–2099) in a value column."""
    for row_number in range(min(len(grid), 15)):
        cells = grid.iloc[row_number].tolist()[1:]
        if any(re.fullmatch(r"(19|20)\d{2}", cell) for cell in cells):
            return row_number
    return None


def _is_footnote(name: str, cells: list[str]) -> bool:
    lowered = name.lower()
    return (
        lowered.startswith(("sumber", "source", "catatan", "note", "keterangan", "*", "¹", "1)"))
        and not any(cells)
    ) or lowered.startswith(("sumber:", "source:", "catatan:", "note:"))


def _bps_number(text: str) -> float | None:
    """Parse a BPS cell: decimal comma, thousands point, missing marks; None if not a number."""
    cleaned = text.replace("\u00a0", " ").strip().rstrip("*").strip()
    if cleaned in _MISSING_MARKS:
        return np.nan
    cleaned = cleaned.replace(" ", "")
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", cleaned):  # 1.234.567,8
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", cleaned):  # 12,5
        cleaned = cleaned.replace(",", ".")
    elif re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", cleaned):  # 1,234.5 (English export)
        cleaned = cleaned.replace(",", "")
    try:
        return float(cleaned)
    except ValueError:
        return None
