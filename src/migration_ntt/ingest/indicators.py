"""Published indicators by regency: the long indicator table, report selection, BPS tables.

The raw table (``data/raw/indicators/ntt_indicators_long.csv``) holds figures exactly as
their sources give them: regency names as written ("TTS", "Polres Malaka", "Provinsi
NTT"), years as written ("2024", "2019-2021", blank) and a free-text ``note`` that states
the period a count covers ("period 1 Jan-22 Aug 2024 (partial year)").

:func:`load_indicators` resolves the names with :func:`migration_ntt.regions.resolve` and
returns the unit rows and, **kept apart and never dropped**, the rows that are not one
unit (province totals, police HQ, island aggregates, places outside NTT).

Cumulative reports are never added together. :func:`select_reports` picks, for each
indicator and year, the single most complete report (latest period end, then most units);
:func:`best_values` picks one value per indicator, year and unit for covariates whose
units come from many one-unit sources (population from Wikipedia infoboxes, say).

Examples
--------
>>> from migration_ntt.ingest import indicators
>>> data = indicators.load_indicators()
>>> deaths = indicators.select_reports(data.table, indicators=["pmi_deaths_abroad"])
>>> int(deaths.query("year == 2022")["period_end"].dt.month.iloc[0])
11
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
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
    """Path of the committed indicator table in ``data/raw/indicators``."""
    return config.raw_dir() / "indicators" / RAW_FILE


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
        defaults to the committed ``data/raw/indicators/ntt_indicators_long.csv``.

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


def _report_key(table: pd.DataFrame) -> list[str]:
    return ["indicator", "year", "source", "period_start", "period_end"]


def report_coverage(table: pd.DataFrame) -> pd.DataFrame:
    """One row per report (indicator, year, source, period): units reported, period, days.

    A *report* is a set of figures published together: same indicator, year, source and
    period. ``coverage`` is the fraction of the calendar year the period covers (NaN when
    the source states no period).
    """
    single = table[table["year"].notna()]
    coverage = (
        single.groupby(_report_key(single), dropna=False)
        .agg(
            units=("bps_code", "nunique"),
            rows=("bps_code", "size"),
            period_stated=("period_stated", "all"),
            total=("value", "sum"),
        )
        .reset_index()
    )
    days_in_year = np.where(pd.Series(coverage["year"].astype(int)).map(calendar.isleap), 366, 365)
    span = (coverage["period_end"] - coverage["period_start"]).dt.days + 1
    # Unknown when the source states no period: not silently "the whole year".
    coverage["coverage"] = (span / days_in_year).round(4).where(coverage["period_stated"])
    return coverage


def select_reports(
    table: pd.DataFrame, indicators: list[str] | None = None, *, min_units: int = 1
) -> pd.DataFrame:
    """For each indicator and year, keep the rows of the single most complete report.

    The most complete report has the latest period end, then the most units. Reports are
    **never added together**: a cumulative Jan–May count and a Jan–Nov count of the same
    series describe the same deaths. Multi-year figures ("2019-2021") and undated ones are
    not selected (they have no single ``year``), nor are single batches, incidents or
    events (``event_only``): they are not the total of any period.

    Parameters
    ----------
    table : pandas.DataFrame
        ``IndicatorData.table`` (or any long table with the same columns).
    indicators : list of str, optional
        Restrict to these indicators.
    min_units : int
        Prefer reports naming at least this many units: a press quote about one regency
        ("Ende had the most deaths") does not displace a by-regency list of the same year
        unless no such list exists. The default 1 applies the rule above as it stands.

    Returns
    -------
    pandas.DataFrame
        The selected rows, one per unit (a unit listed twice in one source keeps its first
        row, and ``duplicate_in_report`` marks it), plus the report's ``units`` and
        ``coverage`` (fraction of the year).

    Examples
    --------
    >>> from migration_ntt.ingest import indicators
    >>> table = indicators.load_indicators().table
    >>> chosen = indicators.select_reports(table, ["pmi_deaths_abroad"])
    >>> int(chosen.groupby("year")["source"].nunique().max())
    1
    """
    rows = table[table["year"].notna()]
    if "event_only" in rows.columns:
        rows = rows[~rows["event_only"].astype(bool)]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(indicators)]
    coverage = report_coverage(rows)
    largest = coverage.groupby(["indicator", "year"])["units"].transform("max")
    ranked = coverage.assign(
        _big_enough=coverage["units"] >= np.minimum(min_units, largest),
        _end=coverage["period_end"].fillna(pd.Timestamp.min),
    ).sort_values(
        ["indicator", "year", "_big_enough", "period_stated", "_end", "units"],
        ascending=[True, True, False, False, False, False],
    )
    best = ranked.drop_duplicates(["indicator", "year"]).drop(
        columns=["_big_enough", "_end", "total", "rows"]
    )
    chosen = rows.merge(best, on=_report_key(rows), how="inner")
    duplicate = chosen.duplicated(["indicator", "year", "bps_code"], keep="first")
    chosen = chosen.assign(
        duplicate_in_report=chosen.groupby(["indicator", "year", "bps_code"])["bps_code"]
        .transform("size")
        .gt(1)
    )[~duplicate]
    return chosen.sort_values(["indicator", "year", "bps_code"], ignore_index=True)


#: Province-total rows of a report: the total a by-regency list is checked against.
PROVINCE_TOTAL = r"^(?:Provinsi NTT|NTT \(province total\))$"
#: A list is complete when it accounts for its stated total up to this many records (or
#: 2 % of the total, whichever is larger): a person "of unknown origin" does not make the
#: other regencies' silence uninformative.
COMPLETE_TOLERANCE = 2
COMPLETENESS_KINDS = ("complete", "top_n", "partial")


def report_completeness(chosen: pd.DataFrame, non_units: pd.DataFrame) -> pd.DataFrame:
    """Whether each selected by-regency report is complete, a top-N list, or partial.

    A by-regency list is read against the province total **the same report** states
    (same indicator, year, source and period):

    * ``complete``: the named regencies account for the stated total (within
      :data:`COMPLETE_TOLERANCE`), so a regency it does not name had **zero**;
    * ``top_n``: they do not, but the remainder fits below the smallest named count (the
      unnamed regencies together hold ``remainder`` and none more than the smallest named
      count), so an unnamed regency is **censored**: between 0 and ``unnamed_max``
      = min(smallest named count, remainder);
    * ``partial``: no stated total, or a remainder too large for a top-N list (the excerpt
      was cut): an unnamed regency is **missing**.

    Parameters
    ----------
    chosen : pandas.DataFrame
        Rows from :func:`select_reports` (one report per indicator and year).
    non_units : pandas.DataFrame
        ``IndicatorData.non_units``: the province totals are found there.

    Returns
    -------
    pandas.DataFrame
        One row per indicator and year: ``named_units, named_total, stated_total,
        smallest_named, completeness, unnamed_max, completeness_reason``.

    Examples
    --------
    >>> data = load_indicators()
    >>> chosen = select_reports(data.table, ["pmi_deaths_abroad"], min_units=5)
    >>> table = report_completeness(chosen, data.non_units)
    >>> table.set_index("year").loc[2024, "completeness"]
    'complete'
    """
    key = _report_key(chosen)
    per_report = (
        chosen.groupby(key, dropna=False)
        .agg(
            named_units=("bps_code", "nunique"),
            named_total=("value", "sum"),
            smallest_named=("value", lambda v: v[v > 0].min() if (v > 0).any() else np.nan),
        )
        .reset_index()
    )
    totals = non_units[
        non_units["regency"].astype(str).str.match(PROVINCE_TOTAL) & non_units["year"].notna()
    ]
    totals = totals.groupby(key, dropna=False)["value"].max().rename("stated_total")
    table = per_report.merge(totals.reset_index(), on=key, how="left")
    n_units = 22
    rows = []
    for row in table.itertuples(index=False):
        remainder = row.stated_total - row.named_total
        unnamed = n_units - row.named_units
        tolerance = max(COMPLETE_TOLERANCE, 0.02 * row.stated_total)
        if pd.isna(row.stated_total):
            kind, bound = "partial", np.nan
            reason = "the report states no province total to check the list against"
        elif remainder <= tolerance or unnamed == 0:
            kind, bound = "complete", 0.0
            reason = (
                f"named regencies hold {row.named_total:g} of the stated {row.stated_total:g}"
                + (f" ({remainder:g} of unknown origin)" if remainder > 0 else "")
            )
        elif remainder <= unnamed * row.smallest_named:
            kind, bound = "top_n", float(min(row.smallest_named, remainder))
            reason = (
                f"{remainder:g} of {row.stated_total:g} not by regency; fits below the "
                f"smallest named count {row.smallest_named:g} in {unnamed} unnamed regencies"
            )
        else:
            kind, bound = "partial", np.nan
            reason = (
                f"{remainder:g} of {row.stated_total:g} not by regency, more than "
                f"{unnamed} unnamed regencies × smallest named count {row.smallest_named:g}"
            )
        rows.append({"completeness": kind, "unnamed_max": bound, "completeness_reason": reason})
    kinds = pd.DataFrame(
        rows, index=table.index, columns=["completeness", "unnamed_max", "completeness_reason"]
    )
    return pd.concat([table, kinds], axis=1)


def procedural_split(
    data: IndicatorData,
    indicator: str = "pmi_deaths_abroad",
    totals_from: tuple[str, ...] = ("pmi_deaths_abroad", "pmi_bodies_repatriated"),
) -> pd.DataFrame:
    """Province totals split into non-procedural and procedural, where a report gives both.

    For each year, the report (same source, year and period) stating both a province
    total (of any indicator in ``totals_from``: a press release on bodies repatriated
    counts the same deaths) and the ``<indicator>_nonprocedural`` count; when several
    do, the one with a stated period, then the latest period end, then the largest total.
    Years without such a report are absent: the split is never pieced together from
    different reports.

    Returns
    -------
    pandas.DataFrame
        ``year, total, nonprocedural, procedural, nonprocedural_share, period_start,
        period_end, source``.

    Examples
    --------
    >>> split = procedural_split(load_indicators())
    >>> bool((split["nonprocedural"] <= split["total"]).all())
    True
    """
    key = ["year", "source", "period_start", "period_end", "period_stated"]
    rows = pd.concat([data.table, data.non_units], ignore_index=True)
    province = rows[rows["regency"].astype(str).str.match(PROVINCE_TOTAL) & rows["year"].notna()]
    totals = (
        province[province["indicator"].isin(totals_from)].groupby(key, dropna=False)["value"].max()
    )
    non_procedural = (
        province[province["indicator"] == f"{indicator}_nonprocedural"]
        .groupby(key, dropna=False)["value"]
        .max()
    )
    both = pd.concat(
        {"total": totals, "nonprocedural": non_procedural}, axis=1, join="inner"
    ).reset_index()
    both = both[both["nonprocedural"] <= both["total"]]
    both = both.sort_values(["year", "period_stated", "period_end", "total"]).drop_duplicates(
        "year", keep="last"
    )
    both["procedural"] = both["total"] - both["nonprocedural"]
    both["nonprocedural_share"] = both["nonprocedural"] / both["total"]
    both["year"] = both["year"].astype(int)
    columns = ["year", "total", "nonprocedural", "procedural", "nonprocedural_share"]
    return both[[*columns, "period_start", "period_end", "source"]].reset_index(drop=True)


def best_values(table: pd.DataFrame, indicators: list[str] | None = None) -> pd.DataFrame:
    """One value per indicator, year and unit, for covariates compiled from many sources.

    Where several sources give a value for the same unit and year, the one from the
    largest report (most units; a consistent release) wins, then the latest period end.
    Use :func:`select_reports` for counts from cumulative reports instead.
    """
    rows = table[table["year"].notna()]
    if indicators is not None:
        rows = rows[rows["indicator"].isin(indicators)]
    sizes = report_coverage(rows)[[*_report_key(rows), "units"]]
    ranked = rows.merge(sizes, on=_report_key(rows), how="left").sort_values(
        ["indicator", "year", "bps_code", "units", "period_end"],
        ascending=[True, True, True, False, False],
    )
    return ranked.drop_duplicates(["indicator", "year", "bps_code"]).reset_index(drop=True)


# --- BPS web tables ------------------------------------------------------------------

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
    from migration_ntt.ingest.readers import ReadError, read_grid

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
