"""Published indicators by regency: the long indicator table as its sources give it.

The raw table (``migration_ntt/data/indicators/ntt_indicators_long.csv``, in the package)
holds figures exactly as their sources give them: regency names as written ("TTS", "Polres
Malaka", "Provinsi NTT"), years as written ("2024", "2019-2021", blank) and a free-text
``note`` that states the period a count covers ("period 1 Jan-22 Aug 2024 (partial year)").

:func:`load_indicators` resolves the names with :func:`migration_ntt.regions.resolve` and
returns the unit rows and, **kept apart and never dropped**, the rows that are not one
unit (province totals, police HQ, island aggregates, places outside NTT).

Which report of a year to use, how complete it is and which figure wins for a covariate
is decided in :mod:`migration_ntt.ingest.tallies`; BPS web tables are read by
:mod:`migration_ntt.ingest.bps_tables`.

Examples
--------
>>> from migration_ntt.ingest import indicators
>>> data = indicators.load_indicators()
>>> int(data.table["bps_code"].nunique()), len(data.report()) > 0
(22, True)
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions

RAW_FILE = "ntt_indicators_long.csv"
LONG_COLUMNS = [
    "bps_code",
    "year",
    "indicator",
    "value",
    "unit",
    "period_start",
    "period_end",
    "source",
    "note",
]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS.update({"mei": 5, "agu": 8, "agt": 8, "okt": 10, "des": 12, "peb": 2, "ags": 8})
_MONTH = r"(?P<{name}>jan|feb|mar|apr|ma[iy]|jun|jul|aug|agu|agt|ags|sep|o[ck]t|nov|de[cs])[a-z]*"
_DAY = r"(?:(?P<{name}>\d{{1,2}})\s*)?"
_QUALIFIER = r"(?:mid\s+|early\s+|late\s+|~\s*|about\s+|end\s+|end-)?"
_RANGE = re.compile(
    _DAY.format(name="d1")
    + _MONTH.format(name="m1")
    + r"\s*(?P<y1>\d{4})?\s*(?:-|–|—|to|until|s/d)\s*"
    + _QUALIFIER
    + _DAY.format(name="d2")
    + _MONTH.format(name="m2")
    + r"\.?(?:\s+(?P<y2>\d{4}))?",
    re.IGNORECASE,
)
_UNTIL = re.compile(
    r"(?:up to|as of|to|until|per|status)\s+"
    + _QUALIFIER
    + _DAY.format(name="d2")
    + _MONTH.format(name="m2")
    + r"\.?(?:\s+(?P<y2>\d{4}))?",
    re.IGNORECASE,
)
_FULL_YEAR = re.compile(
    r"(?<!near-)(?<!near )full(?:\s+calendar)?\s+year|calendar\s+(?:year\s+)?\d{4}", re.IGNORECASE
)
_REFERENCE = re.compile(r"reference period (?P<y>\d{4})-(?P<m>\d{2})(?:-(?P<d>\d{2}))?")
_SEMESTER = re.compile(r"semester\s+(?P<s>I{1,2}|1|2)\b", re.IGNORECASE)


#: Notes marking a figure as one batch, incident or event ("single batch of 209 (25 Sep
#: 2025)", "one deportation batch", "Single deportation batch landed Maumere"): an event,
#: never the total of a period, so never selected as a year's count.
EVENT_ONLY = r"(?i)\b(?:single|one)\b[\w -]{0,25}?\b(?:batch|incident|event)\b"


class IndicatorError(ValueError):
    """A malformed indicator file: the message names the file, row and column."""


@dataclass
class IndicatorData:
    """Result of :func:`load_indicators`.

    Attributes
    ----------
    table : pandas.DataFrame
        Rows about one unit, in the long format of DESIGN.md plus ``regency`` (as
        written), ``match``, ``year_label``, ``year_start``, ``year_end``,
        ``period_stated``, ``event_only`` (the note calls it a single batch, incident or
        event: :data:`EVENT_ONLY`) and ``source_row``.
    non_units : pandas.DataFrame
        Every other row (province totals, police HQ, island aggregates, places outside
        NTT, unresolved strings) with the same columns, ``bps_code`` empty.
    source_file : pathlib.Path
    non_numeric : pandas.DataFrame
        Rows whose published value is words, not a number ("belasan ribu (10,000-19,999;
        not a precise count)"): kept apart with ``source_row``, ``regency``,
        ``indicator`` and the text as published, never turned into a number.
    """

    table: pd.DataFrame
    non_units: pd.DataFrame
    source_file: Path
    non_numeric: pd.DataFrame = field(default_factory=pd.DataFrame)

    def report(self) -> pd.DataFrame:
        """Rows that are not one unit, by string and match: nothing is dropped silently."""
        return (
            self.non_units.groupby(["regency", "match"], dropna=False)
            .agg(
                rows=("indicator", "size"),
                indicators=("indicator", lambda s: ", ".join(sorted(set(s)))),
            )
            .reset_index()
            .sort_values("rows", ascending=False, ignore_index=True)
        )


def indicator_file() -> Path:
    """Path of the indicator table shipped in the package (``migration_ntt/data/indicators``)."""
    return config.indicators_dir() / RAW_FILE


def parse_year(label: object) -> tuple[float, float, float]:
    """Parse a year label: ``"2024"`` → (2024, 2024, 2024); ``"2019-2021"`` → (nan, 2019, 2021).

    Returns ``(year, year_start, year_end)``; ``year`` is set only for a single year.

    Examples
    --------
    >>> parse_year("2019-2021")
    (nan, 2019.0, 2021.0)
    """
    if not isinstance(label, str) or not label.strip():
        return (np.nan, np.nan, np.nan)
    found = re.fullmatch(r"\s*(\d{4})\s*(?:[-–/]\s*(\d{4}))?\s*", label)
    if not found:
        return (np.nan, np.nan, np.nan)
    start = float(found.group(1))
    end = float(found.group(2)) if found.group(2) else start
    return (start if start == end else np.nan, start, end)


def _date(
    year: float, month: str, day: str | None, *, end: bool, qualifier: str = ""
) -> pd.Timestamp:
    month_number = _MONTHS[month.lower()[:3]]
    last = calendar.monthrange(int(year), month_number)[1]
    if day:
        day_number = min(int(day), last)
    elif "mid" in qualifier:
        day_number = 15
    else:
        day_number = last if end else 1
    return pd.Timestamp(int(year), month_number, day_number)


@lru_cache(maxsize=4_096)  # the indicator table repeats the same notes thousands of times
def parse_period(note: object, year: float) -> tuple[pd.Timestamp, pd.Timestamp, bool]:
    """Read the period a figure covers from its note.

    Understands "1 Jan-22 Aug 2024", "Jan-Sep 2021", "Jan-mid Jun 2021", "up to 21 Dec
    2019", "as of 11 Nov 2023", "full year 2018", "calendar 2024", "reference period
    2023-08-04" and "semester I 2023". Without a stated period, a single-year figure is
    taken to cover that whole year and ``stated`` is False.

    Returns
    -------
    (period_start, period_end, stated)

    Examples
    --------
    >>> parse_period("BP3MI NTT, period 1 Jan-22 Aug 2024 (partial year)", 2024)[1]
    Timestamp('2024-08-22 00:00:00')
    """
    if np.isnan(year):
        return (pd.NaT, pd.NaT, False)
    year_start = pd.Timestamp(int(year), 1, 1)
    year_end = pd.Timestamp(int(year), 12, 31)
    text = note if isinstance(note, str) else ""
    found = _RANGE.search(text)
    if found:
        y2 = float(found.group("y2") or year)
        y1 = float(found.group("y1") or y2)
        qualifier = text[found.start("m1") : found.start("m2")].lower()
        if y1 == year or y2 == year:
            return (
                _date(y1, found.group("m1"), found.group("d1"), end=False),
                _date(y2, found.group("m2"), found.group("d2"), end=True, qualifier=qualifier),
                True,
            )
    found = _UNTIL.search(text)
    if found and float(found.group("y2") or year) == year:
        qualifier = text[found.start() : found.start("m2")].lower()
        return (
            year_start,
            _date(year, found.group("m2"), found.group("d2"), end=True, qualifier=qualifier),
            True,
        )
    if _FULL_YEAR.search(text):
        return (year_start, year_end, True)
    found = _REFERENCE.search(text)
    if found and float(found.group("y")) == year:
        month = int(found.group("m"))
        if found.group("d"):
            day = pd.Timestamp(int(year), month, int(found.group("d")))
            return (day, day, True)
        last = calendar.monthrange(int(year), month)[1]
        return (pd.Timestamp(int(year), month, 1), pd.Timestamp(int(year), month, last), True)
    found = _SEMESTER.search(text)
    if found:
        first = found.group("s").upper() in {"I", "1"}
        return (
            (year_start, pd.Timestamp(int(year), 6, 30), True)
            if first
            else (pd.Timestamp(int(year), 7, 1), year_end, True)
        )
    return (year_start, year_end, False)


def load_indicators(path: str | Path | None = None) -> IndicatorData:
    """Load the long indicator table, resolving regency names and periods.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with columns ``regency, year, indicator, value, unit, source, note``;
        defaults to the committed ``src/migration_ntt/data/indicators/ntt_indicators_long.csv``.

    Returns
    -------
    IndicatorData
        ``.table`` (unit rows), ``.non_units`` (everything else, kept), ``.report()``.

    Raises
    ------
    IndicatorError
        A missing column, or an empty value (naming file, row and column). A value
        written in words (a verbal estimate) is not an error: it is kept apart in
        ``non_numeric``.

    Examples
    --------
    >>> from migration_ntt.ingest import indicators
    >>> data = indicators.load_indicators()
    >>> len(data.table) + len(data.non_units) + len(data.non_numeric) == 3195
    True
    """
    source_file = Path(path) if path is not None else indicator_file()
    raw = pd.read_csv(source_file, dtype=str, keep_default_na=False)
    required = ["regency", "year", "indicator", "value", "unit", "source", "note"]
    missing = [column for column in required if column not in raw.columns]
    if missing:
        raise IndicatorError(
            f"{source_file}: missing column(s) {', '.join(missing)}; expected {', '.join(required)}"
        )
    # Row numbers as a spreadsheet shows them: header is row 1.
    raw.insert(0, "source_row", np.arange(2, len(raw) + 2))
    value = pd.to_numeric(raw["value"].str.replace(",", "", regex=False), errors="coerce")
    empty = raw["value"].str.strip().eq("")
    if empty.any():
        first = raw[empty].iloc[0]
        raise IndicatorError(
            f"{source_file}, row {first['source_row']}, column 'value': expected a number, "
            f"got an empty cell ({int(empty.sum())} such row(s))"
        )
    # Published in words ("belasan ribu"): kept apart, listed, never given a number.
    words = value.isna()
    non_numeric = raw.loc[words, ["source_row", "regency", "year", "indicator", "value", "note"]]
    raw, value = raw[~words].reset_index(drop=True), value[~words].reset_index(drop=True)
    parsed_years = np.array([parse_year(label) for label in raw["year"]], dtype=float)
    periods = [
        parse_period(note, year) for note, year in zip(raw["note"], parsed_years[:, 0], strict=True)
    ]
    resolved = regions.resolve(raw["regency"])
    table = pd.DataFrame(
        {
            "bps_code": resolved["bps_code"].to_numpy(),
            "year": pd.array(parsed_years[:, 0], dtype="Int64"),
            "indicator": raw["indicator"],
            "value": value,
            "unit": raw["unit"],
            "period_start": pd.to_datetime([p[0] for p in periods]),
            "period_end": pd.to_datetime([p[1] for p in periods]),
            "source": raw["source"],
            "note": raw["note"],
            "regency": raw["regency"],
            "match": resolved["match"].to_numpy(),
            "year_label": raw["year"],
            "year_start": pd.array(parsed_years[:, 1], dtype="Int64"),
            "year_end": pd.array(parsed_years[:, 2], dtype="Int64"),
            "period_stated": [p[2] for p in periods],
            "event_only": raw["note"].fillna("").str.contains(EVENT_ONLY, regex=True).to_numpy(),
            "source_row": raw["source_row"],
        }
    )
    is_unit = table["bps_code"].notna()
    return IndicatorData(
        table=table[is_unit].reset_index(drop=True),
        non_units=table[~is_unit].reset_index(drop=True),
        source_file=source_file,
        non_numeric=non_numeric.reset_index(drop=True),
    )
