"""The period case records cover: the file's whole calendar years or a given period, each
year's part of it, and which records fall inside (days, months or years, as precise as each
record's date)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from migration_ntt.ingest.records.errors import RecordsError


def resolve_period(clean: pd.DataFrame, period: Sequence[object] | None, where: str) -> tuple:
    """``(start, end)`` Timestamps: the given period, or the file's whole calendar years."""
    if period is None:
        years = pd.to_numeric(clean["year"], errors="coerce").dropna()
        dates = pd.to_datetime(clean["event_date"], errors="coerce").dropna()
        first = int(min(years.min(), dates.dt.year.min() if len(dates) else years.min()))
        last = int(max(years.max(), dates.dt.year.max() if len(dates) else years.max()))
        return pd.Timestamp(first, 1, 1), pd.Timestamp(last, 12, 31)
    if isinstance(period, str) or len(period) != 2:
        raise RecordsError(
            f"{where}: period must be two dates (start, end), e.g. ('2021-01-01', '2024-12-31')"
        )
    try:
        start, end = (pd.Timestamp(value).normalize() for value in period)
    except (ValueError, TypeError) as error:
        raise RecordsError(f"{where}: period {period!r} is not two dates ({error})") from error
    if end < start:
        raise RecordsError(
            f"{where}: period ends ({end:%Y-%m-%d}) before it starts ({start:%Y-%m-%d})"
        )
    return start, end


def year_coverage(start: pd.Timestamp, end: pd.Timestamp, years: Sequence[int]) -> pd.DataFrame:
    """Per year: the part of the period inside it (start, end) and its fraction of the year.

    Examples
    --------
    >>> year_coverage(pd.Timestamp("2021-07-01"), pd.Timestamp("2022-12-31"), [2021, 2022, 2023])[
    ...     "coverage"].round(3).tolist()
    [0.504, 1.0, nan]
    """
    rows = []
    for year in years:
        first, last = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
        inside_start, inside_end = max(start, first), min(end, last)
        days_in_year = (last - first).days + 1
        if inside_end < inside_start:
            rows.append({"year": year, "start": pd.NaT, "end": pd.NaT, "coverage": np.nan})
            continue
        days = (inside_end - inside_start).days + 1
        rows.append(
            {
                "year": year,
                "start": inside_start,
                "end": inside_end,
                "coverage": days / days_in_year,
            }
        )
    return pd.DataFrame(rows)


def in_period(clean: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> tuple:
    """Which records fall in the period, and which of them have no day (partial dates).

    A dated record is inside when its day is; a record known to the month when its month
    is (months are compared, not invented days); a record known to the year when its year
    is (the yearly counts are what partial dates serve).
    """
    dates = pd.to_datetime(clean["event_date"], errors="coerce")
    years = pd.to_numeric(clean["year"], errors="coerce")
    months = (
        pd.to_numeric(clean["event_month"], errors="coerce")
        if "event_month" in clean.columns
        else pd.Series(np.nan, index=clean.index)
    )
    dated = dates.notna().to_numpy()
    month_only = ~dated & months.notna().to_numpy()
    inside_dated = ((dates >= start) & (dates <= end)).to_numpy()
    month_number = (years * 12 + months - 1).to_numpy(dtype=float)
    inside_month = (month_number >= start.year * 12 + start.month - 1) & (
        month_number <= end.year * 12 + end.month - 1
    )
    inside_year = years.between(start.year, end.year).to_numpy()
    inside = np.where(dated, inside_dated, np.where(month_only, inside_month, inside_year))
    return inside, ~dated & inside
