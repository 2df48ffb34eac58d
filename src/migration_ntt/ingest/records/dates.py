"""Event and birth dates as offices and the press write them, with their precision.

A date is read into a year, a month and a day, and says how much of it is known:
``date_precision`` is ``day`` (``2024-08-12``, ``12/08/2024``, ``12 Agt 2024``, Excel serial
``45516``), ``month`` (``2014-12``, ``12/2014``, ``Des 2014``, ``Desember 2014``) or ``year``
(``2014``, ``tahun 2014``, ``akhir 2014``). A partial date is **kept**: the year counts
wherever years are counted; the clean table's ``event_date`` is only filled when the day is
known (a month or year is never turned into an invented first day), and ``event_month``
holds the month when it is known.

Decisions written down here:

* Numeric dates are day first (``05/04/2024`` is 5 April), as Indonesian offices write them.
* Two-digit years 00–40 are 2000–2040, others 1941–1999; month-year forms need four digits
  (``12/14`` is not read: it could be a day and a month).
* Words that only soften a year ("sekitar 2014", "awal 2014", "late 2014") give that year.
* Impossible dates (31 February, month 13) give nothing; whether a date is *plausible* (not
  in the future, not before 1950) is the cleaner's decision, which rejects such rows with a
  reason.

Every layout is one anchored regular expression run over all texts at once (Arrow, in
C++), then calendar checks in numpy.

Examples
--------
>>> from migration_ntt.ingest.records import dates
>>> parts = dates.parse_date_parts(["2014-12", "Des 2014", "12 Agt 2024", "2016", "x"])
>>> parts.precision.tolist()
['month', 'month', 'day', 'year', '']
>>> parts.months.tolist()[:3], parts.years.tolist()[3]
([12.0, 12.0, 8.0], 2016.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt.ingest.records import vocabulary as vocab

PRECISIONS = ("day", "month", "year")

# One anchored pattern per layout, with named groups (RE2 syntax, run by Arrow in C++).
_DAY_LAYOUTS = (
    r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})$",
    r"^(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4}|\d{2})$",
    r"^(?P<d>\d{1,2})\s*[\s\-./]\s*(?P<M>[a-z]+)\.?\s*[\s\-./,]\s*(?P<y>\d{4}|\d{2})$",
    r"^(?P<M>[a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$",
)
_MONTH_LAYOUTS = (
    r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})$",
    r"^(?P<m>\d{1,2})[/\-.](?P<y>\d{4})$",
    r"^(?P<M>[a-z]+)\.?\s*[\s\-./,]?\s*(?P<y>\d{4})$",
)
_YEAR_WORDS = (
    "tahun",
    "thn",
    "th",
    "sekitar",
    "kira kira",
    "awal",
    "akhir",
    "pertengahan",
    "early",
    "late",
    "mid",
    "around",
    "circa",
    "ca",
    "year",
)
_YEAR_LAYOUT = r"^(?:(?:" + "|".join(_YEAR_WORDS) + r")\.?[\s\-]+)?(?P<y>\d{4})$"
_TIME_SUFFIX = r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"
_EXCEL_EPOCH_DAY = -25569  # 1899-12-30 as days since 1970-01-01
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_MONTH_KEYS = pa.array(list(vocab.MONTH_NAMES))
_MONTH_VALUES = np.array(list(vocab.MONTH_NAMES.values()), dtype=float)


@dataclass
class DateParts:
    """Parsed dates, one entry per text: ``dates`` (datetime64[ns], NaT unless the day is
    known), ``years`` and ``months`` (float, NaN when unknown) and ``precision`` (``day``,
    ``month``, ``year`` or ``""`` when nothing was read)."""

    dates: np.ndarray
    years: np.ndarray
    months: np.ndarray
    precision: np.ndarray


def _numbers(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _matched(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False))


def _extract(cleaned: pa.Array, hit: np.ndarray, layout: str) -> dict[str, pa.Array]:
    found = pc.extract_regex(cleaned.filter(pa.array(hit)), layout)
    names = [found.type.field(i).name for i in range(found.type.num_fields)]
    return dict(zip(names, found.flatten(), strict=True))


def _month_numbers(groups: dict[str, pa.Array]) -> np.ndarray:
    if "M" in groups:
        at = pc.index_in(groups["M"], value_set=_MONTH_KEYS)
        position = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False))
        return np.where(position >= 0, np.append(_MONTH_VALUES, np.nan)[position], np.nan)
    return _numbers(groups["m"])


def _full_years(years: np.ndarray) -> np.ndarray:
    return np.where(years >= 100, years, np.where(years <= 40, 2000 + years, 1900 + years))


def parse_date_parts(texts: Sequence[object]) -> DateParts:
    """Year, month, day and precision of each text (see the module docstring)."""
    n = len(texts)
    array = pa.array([t if isinstance(t, str) else None for t in texts], type=pa.string())
    cleaned = pc.utf8_trim_whitespace(pc.utf8_lower(array))
    cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(cleaned, _TIME_SUFFIX, ""))
    year, month, day = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    tried = np.zeros(n, dtype=bool)  # a day layout matched (valid or not): no month reading
    for layout in _DAY_LAYOUTS:
        hit = ~tried & _matched(cleaned, layout)
        if not hit.any():
            continue
        groups = _extract(cleaned, hit, layout)
        year[hit] = _full_years(_numbers(groups["y"]))
        day[hit] = _numbers(groups["d"])
        month[hit] = _month_numbers(groups)
        tried |= hit
    complete = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day)
    whole = np.where(complete, year, 1970).astype(np.int64)
    month_index = np.clip(np.where(complete, month, 1), 1, 12).astype(np.int64) - 1
    leap = (whole % 4 == 0) & ((whole % 100 != 0) | (whole % 400 == 0))
    days_in_month = _DAYS_IN_MONTH[month_index] + ((month_index == 1) & leap)
    with np.errstate(invalid="ignore"):
        valid = complete & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days_in_month)
    start_of_month = (whole - 1970).astype("datetime64[Y]").astype("datetime64[M]") + month_index
    days = start_of_month.astype("datetime64[D]") + np.where(valid, day, 1).astype(np.int64) - 1
    dates = np.where(valid, days.astype("datetime64[ns]"), np.datetime64("NaT", "ns"))
    years = np.where(valid, year, np.nan)
    months = np.where(valid, month, np.nan)
    precision = np.where(valid, "day", "").astype(object)

    # Excel serial day numbers (1954–2064).
    serial = np.full(n, np.nan)
    is_serial = _matched(cleaned, r"^\d{5}(\.0+)?$")
    if is_serial.any():
        serial[is_serial] = _numbers(
            pc.utf8_slice_codeunits(cleaned.filter(pa.array(is_serial)), 0, 5)
        )
    in_excel_range = (serial >= 20000) & (serial <= 60000)
    if in_excel_range.any():
        from_serial = np.where(in_excel_range, serial, 0).astype(np.int64) + _EXCEL_EPOCH_DAY
        serial_dates = from_serial.astype("datetime64[D]").astype("datetime64[ns]")
        dates = np.where(in_excel_range, serial_dates, dates)
        serial_months = serial_dates.astype("datetime64[M]").astype(np.int64)
        years = np.where(in_excel_range, serial_months // 12 + 1970, years)
        months = np.where(in_excel_range, serial_months % 12 + 1, months)
        precision[in_excel_range] = "day"

    # Month and year (2014-12, 12/2014, Des 2014), then a year alone.
    for layout in _MONTH_LAYOUTS:
        hit = (precision == "") & ~tried & _matched(cleaned, layout)
        if not hit.any():
            continue
        groups = _extract(cleaned, hit, layout)
        found_month = _month_numbers(groups)
        found_year = _numbers(groups["y"])
        with np.errstate(invalid="ignore"):
            good = (found_month >= 1) & (found_month <= 12)
        rows = np.flatnonzero(hit)[good]
        years[rows], months[rows] = found_year[good], found_month[good]
        precision[rows] = "month"
    hit = (precision == "") & ~tried & _matched(cleaned, _YEAR_LAYOUT)
    if hit.any():
        found_year = _numbers(_extract(cleaned, hit, _YEAR_LAYOUT)["y"])
        good = (found_year >= 1000) & (found_year <= 2999)
        rows = np.flatnonzero(hit)[good]
        years[rows] = found_year[good]
        precision[rows] = "year"
    return DateParts(
        dates=dates.astype("datetime64[ns]"),
        years=years.astype(float),
        months=months.astype(float),
        precision=precision,
    )


def parse_dates(texts: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_date`: ``(datetime64[ns] array, year array)``."""
    parts = parse_date_parts(texts)
    return parts.dates, parts.years


def parse_date(text: object) -> tuple[pd.Timestamp, float]:
    """Parse one date as Indonesian offices write it; returns ``(date, year)``.

    Understands ISO (``2024-08-12``, with or without a time), day-first numeric dates
    (``12/08/2024``, ``12-08-24``, ``12.08.2024``), Indonesian and English month names
    and abbreviations (``12 Agustus 2024``, ``12 Agt 2024``, ``Aug 12, 2024``), Excel
    serial day numbers (``45516``), and partial dates (``Des 2014``, ``2014``: no date,
    but a year; :func:`parse_date_parts` gives the month and the precision too).

    Examples
    --------
    >>> parse_date("12 Agt 2024")
    (Timestamp('2024-08-12 00:00:00'), 2024.0)
    >>> parse_date("Desember 2014")
    (NaT, 2014.0)
    """
    dates, years = parse_dates([text])
    return (pd.Timestamp(dates[0]), float(years[0]))
