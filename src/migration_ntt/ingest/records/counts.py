"""Count clean case records into regency × year cells, zero-filled over the file's period.

A case file kept by an office (BP3MI's register, a task force's log) covers every regency:
a regency with no record in a year had **zero** cases there, not an unknown number. So the
counts are zero-filled over all 22 units and every year of the period (``complete=True``).
Press tallies are different (a regency a report does not name is missing), and
``complete=False`` gives that behaviour: a unit the file never names (in any row, before
``select``) is missing instead of zero.

**The period is the file's, not each cell's.** ``period=("2021-01-01", "2024-12-31")``, or
by default the whole calendar years from the first to the last event date in the file. Each
year's ``coverage`` is the part of that year inside the period (1.0 for a whole year), so
that person-years = population × coverage (a register kept from March covers 306/365 of
its first year). A cell is never given the span of its own first and last event: a regency
with one event in a year would get a one-day "period" and an absurd rate.

Year-only records (a bare year, no date) count when their year lies in the period.
A unit that did not exist yet in a year (Malaka before 2013) is missing that year, not
zero: the cleaner has already put such records into the parent regency.

Every clean record is accounted for: counted, excluded by ``select``, or outside the
period (:class:`RecordCount` ``.accounting``).

Examples
--------
>>> import pandas as pd
>>> from migration_ntt.ingest.records import counts
>>> clean = pd.DataFrame({
...     "record_id": ["a:2", "a:3"], "source_file": "a.csv", "bps_code": ["5321", "5321"],
...     "event_date": pd.to_datetime(["2023-03-01", "2024-07-01"]), "year": [2023, 2024],
...     "event_type": "deportation", "procedural": "non_prosedural"})
>>> counted = counts.count_column(clean, "cases")
>>> table = counted.table
>>> int(table["cases"].sum()), len(table), sorted(table["cases_coverage"].unique().tolist())
(2, 44, [1.0])
>>> counted.accounting["counted"], counted.accounting["outside_period"]
(2, 0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.indicators import LONG_COLUMNS
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.periods import in_period, resolve_period, year_coverage
from migration_ntt.ingest.records.vocabulary import EVENT_TYPES, PROCEDURAL
from migration_ntt.regions import places

# Columns of the clean table whose values come from a fixed vocabulary (select is checked
# against it, so a valid value that happens not to occur gives zeros, not an error).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "event_type": EVENT_TYPES,
    "procedural": PROCEDURAL,
    "sex": ("male", "female"),
}
# Columns a user may select on (the rest are keys, row numbers and quality flags).
SELECTABLE = (
    "event_type",
    "procedural",
    "sex",
    "destination_iso3",
    "year",
    "bps_code",
    "district_code",
    "regency_match",
)
REQUIRED = ("bps_code", "year", "event_date")


@dataclass
class RecordCount:
    """One count column made from case records (see :func:`count_column`).

    Attributes
    ----------
    name : str
        The column name in the panel.
    table : pandas.DataFrame
        One row per ``bps_code`` × year: ``<name>``, ``<name>_period_start``,
        ``<name>_period_end``, ``<name>_coverage``, ``<name>_units``, ``<name>_source``,
        ``<name>_synthetic``.
    accounting : dict
        ``clean_records``, ``excluded_by_select``, ``outside_period``, ``counted``,
        ``year_only_counted`` (records without a day, known to the month or the year only,
        counted by their year): every clean record in exactly one of the middle three.
    period : tuple of Timestamp
    select : dict
    source : str
        ``"case records: FILE"`` (with "(SYNTHETIC DATA)" for synthetic input).
    synthetic : bool
    complete : bool
    files : list of str
        The case files behind the clean table (paths as the cleaner saw them).
    """

    name: str
    table: pd.DataFrame
    accounting: dict[str, int]
    period: tuple[pd.Timestamp, pd.Timestamp]
    select: dict[str, list]
    source: str
    synthetic: bool
    complete: bool
    files: list[str] = field(default_factory=list)

    def describe(self) -> dict[str, object]:
        """Plain values for a manifest."""
        return {
            "name": self.name,
            "source": self.source,
            "period": [f"{self.period[0]:%Y-%m-%d}", f"{self.period[1]:%Y-%m-%d}"],
            "select": self.select,
            "complete": self.complete,
            "synthetic": self.synthetic,
            "accounting": self.accounting,
        }


def _error(message: str) -> Exception:
    return RecordsError(message)


def _district_units() -> pd.DataFrame:

    units = places.places("district")
    return units.rename(columns={"kemendagri_code": "district_code_", "name": "district_name"})[
        ["district_code_", "district_name", "bps_code"]
    ].rename(columns={"district_code_": "district_code"})


def _reject_reasons(source: object) -> str:
    report = getattr(source, "report", None)
    reasons = getattr(report, "reject_reasons", None)
    if reasons is None or not len(reasons):
        return ""
    listed = ", ".join(f"{r.reason} {r.rows:,}" for r in reasons.itertuples())
    return f" Rejected rows: {listed}."


def read_clean(source: object) -> tuple[pd.DataFrame, str]:
    """The clean table from a ``CleanResult``, a DataFrame or a saved file; and its name.

    A saved file is the ``*_clean.parquet`` or ``*_clean.csv`` that ``migration-ntt clean``
    (or notebook 01) writes. A raw case file is refused with a message saying to clean it
    first.
    """
    if hasattr(source, "clean") and isinstance(source.clean, pd.DataFrame):
        return source.clean, str(getattr(source.report, "source_file", "<CleanResult>"))
    if isinstance(source, pd.DataFrame):
        return source, "<DataFrame>"
    if not isinstance(source, str | Path):
        raise TypeError(
            "records must be a CleanResult, a clean DataFrame or the path of a saved clean "
            f"table, got {type(source).__name__}"
        )
    path = Path(source)
    if not path.is_file():
        raise _error(f"{path}: file not found")
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        table = pd.read_parquet(path)
    elif suffix == ".csv":
        table = pd.read_csv(path, dtype={"bps_code": str, "district_code": str}, low_memory=False)
        if "event_date" in table.columns:
            table["event_date"] = pd.to_datetime(table["event_date"], errors="coerce")
    else:
        raise _error(
            f"{path}: expected a clean table (*_clean.parquet or *_clean.csv written by "
            "`migration-ntt clean`); clean a raw case file first with clean_records()"
        )
    missing = [column for column in REQUIRED if column not in table.columns]
    if missing:
        raise _error(
            f"{path}: not a clean case table (no column(s) {', '.join(missing)}). If this is "
            "a raw case file, clean it first: `migration-ntt clean FILE` or clean_records()."
        )
    return table, str(path)


def _check_columns(clean: pd.DataFrame, where: str, why: str = "") -> None:
    missing = [column for column in REQUIRED if column not in clean.columns]
    if missing:
        raise _error(
            f"{where}: the clean table has no column(s) {', '.join(missing)}; "
            "expected the output of clean_records()"
        )
    if len(clean) == 0:
        raise _error(
            f"{where}: no clean record to count: no row has both a usable event date "
            f"(field event_date) and a regency (field regency or NIK).{why}"
        )
    if clean["bps_code"].isna().all():
        raise _error(f"{where}: no record has a regency (field regency): nothing to count")
    if clean["year"].isna().all():
        raise _error(f"{where}: no record has an event date or year (field event_date)")


def selection_mask(clean: pd.DataFrame, select: Mapping[str, object] | None, where: str) -> tuple:
    """Rows kept by ``select`` (column → value or list of values) and the normalised select.

    Raises
    ------
    RecordsError
        An unknown column (listing the columns one can select on) or an unknown value
        (listing the valid ones: the vocabulary, or the values present in the file).
    """
    keep = np.ones(len(clean), dtype=bool)
    normalised: dict[str, list] = {}
    for column, wanted in (select or {}).items():
        if column not in clean.columns:
            usable = [c for c in SELECTABLE if c in clean.columns]
            raise _error(
                f"{where}: cannot select on {column!r}: no such column. Columns to select on: "
                f"{', '.join(usable)}"
            )
        values = list(wanted) if isinstance(wanted, list | tuple | set) else [wanted]
        values = [int(v) if column == "year" else v for v in values]
        valid = VOCABULARIES.get(column)
        present = pd.unique(clean[column].dropna())
        allowed = set(valid) if valid is not None else set(present)
        unknown = [v for v in values if v not in allowed]
        if unknown:
            listing = valid if valid is not None else sorted(map(str, present))
            raise _error(
                f"{where}: select {column}={', '.join(map(str, unknown))}: unknown value. "
                f"Valid values of {column}: {', '.join(map(str, listing))}"
            )
        keep &= clean[column].isin(values).to_numpy()
        normalised[column] = values
    return keep, normalised


def period_years(records: object, period: Sequence[object] | None = None) -> list[int]:
    """The calendar years of the records' period (checked as :func:`count_column` does)."""
    clean, where = read_clean(records)
    _check_columns(clean, where, _reject_reasons(records))
    start, end = resolve_period(clean, period, where)
    return list(range(start.year, end.year + 1))


def _synthetic(clean: pd.DataFrame) -> bool:
    return bool(clean.attrs.get("synthetic")) or (
        "synthetic" in clean.columns and bool(clean["synthetic"].fillna(False).any())
    )


def _files(clean: pd.DataFrame, fallback: str) -> list[str]:
    if "source_file" in clean.columns:
        files = sorted(set(clean["source_file"].dropna().astype(str)))
        if files:
            return files
    return [fallback]


def count_column(
    records: object,
    name: str = "cases",
    *,
    select: Mapping[str, object] | None = None,
    period: Sequence[object] | None = None,
    complete: bool = True,
    years: Sequence[int] | None = None,
    level: str = "regency",
) -> RecordCount:
    """Count clean records into one regency × year column (see the module docstring).

    With ``level="district"`` the units are the 315 kecamatan (``district_code``, from the
    records' ``district_code``); records without a kecamatan are counted in
    ``accounting["no_district"]`` and left out, never guessed.

    Parameters
    ----------
    records : CleanResult, DataFrame or path
        The clean table (:func:`read_clean`).
    name : str
        Column name of the count.
    select : mapping, optional
        Column → value or list of values kept before counting, e.g.
        ``{"procedural": "non_prosedural"}`` or
        ``{"event_type": ["death_abroad", "deportation"]}``.
    period : (start, end), optional
        Default: the whole calendar years from the file's first to last event date.
    complete : bool
        Zero for a unit without records (a register); ``False``: a unit the file never
        names is missing.
    years : sequence of int, optional
        The years of the table (default: the years of the period). Years outside the
        period get a missing count and coverage.
    level : {"regency", "district"}
        The units counted.

    Returns
    -------
    RecordCount

    Raises
    ------
    RecordsError
        No usable dates or regencies, an unknown ``select`` column or value, a bad period,
        or a period that holds none of the selected records.
    """
    if not name or not str(name).isidentifier():
        raise ValueError(f"name must be a simple column name (letters, digits, _), got {name!r}")
    clean, where = read_clean(records)
    _check_columns(clean, where, _reject_reasons(records))
    selected, normalised = selection_mask(clean, select, where)
    start, end = resolve_period(clean, period, where)
    inside, year_only = in_period(clean, start, end)
    counted = selected & inside
    if selected.any() and not counted.any():
        raise _error(
            f"{where}: the period {start:%Y-%m-%d} to {end:%Y-%m-%d} holds none of the "
            f"{int(selected.sum()):,} selected records (their years: "
            f"{int(clean.loc[selected, 'year'].min())}–{int(clean.loc[selected, 'year'].max())})"
        )
    years = list(years) if years is not None else list(range(start.year, end.year + 1))
    if level not in {"regency", "district"}:
        raise ValueError(f"level must be 'regency' or 'district', got {level!r}")
    key = "bps_code" if level == "regency" else "district_code"
    no_district = 0
    if level == "district":
        if key not in clean.columns:
            raise _error(f"{where}: the clean table has no district_code: clean it again")
        placed = clean[key].notna().to_numpy()
        no_district = int((counted & ~placed).sum())
        counted = counted & placed
        units = _district_units()
    else:
        units = regions.regencies()
    grid = pd.MultiIndex.from_product([units[key], years], names=[key, "year"]).to_frame(
        index=False
    )
    tally = (
        pd.DataFrame(
            {
                key: clean.loc[counted, key].astype(str).to_numpy(),
                "year": pd.to_numeric(clean.loc[counted, "year"]).astype(int).to_numpy(),
            }
        )
        .value_counts()
        .rename(name)
        .reset_index()
    )
    table = grid.merge(tally, on=[key, "year"], how="left")
    table[name] = table[name].fillna(0).astype(float)
    covered = year_coverage(start, end, years).set_index("year")
    table[f"{name}_period_start"] = table["year"].map(covered["start"])
    table[f"{name}_period_end"] = table["year"].map(covered["end"])
    table[f"{name}_coverage"] = table["year"].map(covered["coverage"])
    outside = table[f"{name}_coverage"].isna()
    not_yet = pd.Series(False, index=table.index)
    if level == "regency":
        established = table["bps_code"].map(units.set_index("bps_code")["year_established"])
        not_yet = table["year"] < established
    else:
        table.insert(1, "bps_code", table[key].map(units.set_index(key)["bps_code"]))
    never_named = pd.Series(False, index=table.index)
    if not complete:
        named = set(clean[key].dropna().astype(str))
        never_named = ~table[key].isin(named)
    table.loc[outside | not_yet | never_named, name] = np.nan
    synthetic = _synthetic(clean)
    files = _files(clean, where)
    source = "case records: " + "; ".join(Path(f).name for f in files)
    if synthetic:
        source += " (SYNTHETIC DATA)"
    per_year_units = table.groupby("year")[name].transform(lambda s: int(s.notna().sum()))
    table[f"{name}_units"] = per_year_units.astype("Int64")
    table[f"{name}_source"] = source
    table[f"{name}_synthetic"] = synthetic
    accounting = {
        "clean_records": len(clean),
        "excluded_by_select": int((~selected).sum()),
        "outside_period": int((selected & ~inside).sum()),
        "counted": int(counted.sum()),
        "year_only_counted": int((counted & year_only).sum()),
    }
    if level == "district":
        accounting["no_district"] = no_district
    return RecordCount(
        name=name,
        table=table,
        accounting=accounting,
        period=(start, end),
        select=normalised,
        source=source,
        synthetic=synthetic,
        complete=complete,
        files=files,
    )


def count_records(
    records: object,
    by: Sequence[str] = ("bps_code", "year", "event_type", "procedural"),
    *,
    select: Mapping[str, object] | None = None,
    period: Sequence[object] | None = None,
    complete: bool = True,
) -> pd.DataFrame:
    """Counts of clean records in the long indicator format, zero-filled, over the file's period.

    Every combination of the 22 units, the period's years and the categories of the other
    ``by`` columns (those that occur in the file) gets a row; zero where nothing was
    recorded. The indicator name is ``records_<event_type>`` (plus ``_<procedural>`` when
    grouped by it). ``period_start`` / ``period_end`` / ``coverage`` are the year's part of
    the **file's** period (never the span of one cell's events); ``source`` says "case
    records: FILE"; synthetic input says so in ``note``. ``attrs["accounting"]`` holds the
    row accounting.

    Parameters
    ----------
    records : CleanResult, DataFrame or path
        Cleaned records, or a saved ``*_clean.parquet`` / ``.csv``.
    by : sequence of str
        ``bps_code``, ``year`` and any categorical columns of the clean table.
    select : dict, optional
        Count only these records (column → value or values).
    period : (start, end), optional
        The period the records cover (default: the file's whole calendar years).
    complete : bool
        The file is a register of every regency (zero where none is named).

    Returns
    -------
    pandas.DataFrame
        Long indicator table: ``bps_code, year, indicator, value, unit, period_start,
        period_end, coverage, source, note``.

    Examples
    --------
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(300, seed=2)
    >>> long = records.count_records(records.clean_records(messy, secret="x"))
    >>> {"bps_code", "year", "indicator", "value", "coverage"} <= set(long.columns)
    True
    >>> bool((long["value"] == 0).any())
    True
    """
    clean, where = read_clean(records)
    by = list(by)
    if by[:2] != ["bps_code", "year"]:
        raise ValueError("by must start with 'bps_code', 'year'")
    extra = by[2:]
    missing = [column for column in extra if column not in clean.columns]
    if missing:
        raise _error(f"{where}: the clean table has no column(s) {', '.join(missing)}")
    base = count_column(clean, "value", select=select, period=period, complete=complete)
    keep, _ = selection_mask(clean, select, where)
    start, end = base.period
    inside, _ = in_period(clean, start, end)
    rows = clean[keep & inside]
    categories = [sorted(pd.unique(clean[column].dropna().astype(str))) for column in extra]
    if extra:
        combos = pd.MultiIndex.from_product(categories, names=extra).to_frame(index=False)
        grid = base.table[["bps_code", "year"]].merge(combos, how="cross")
        tally = (
            rows.assign(
                bps_code=rows["bps_code"].astype(str),
                year=pd.to_numeric(rows["year"]).astype(int),
                **{column: rows[column].astype(str) for column in extra},
            )[by]
            .value_counts()
            .rename("value")
            .reset_index()
        )
        long = grid.merge(tally, on=by, how="left")
        long["value"] = long["value"].fillna(0).astype(float)
        missing_cell = base.table.set_index(["bps_code", "year"])["value"].isna()
        blank = long.set_index(["bps_code", "year"]).index.isin(missing_cell[missing_cell].index)
        long.loc[blank, "value"] = np.nan
    else:
        long = base.table[["bps_code", "year", "value"]].copy()
    covered = base.table.drop_duplicates("year").set_index("year")
    long["period_start"] = long["year"].map(covered["value_period_start"])
    long["period_end"] = long["year"].map(covered["value_period_end"])
    long["coverage"] = long["year"].map(covered["value_coverage"])
    name = pd.Series("records", index=long.index)
    if "event_type" in extra:
        name = name + "_" + long["event_type"].astype(str)
    if "procedural" in extra:
        name = name + "_" + long["procedural"].astype(str)
    long["indicator"] = name
    long["unit"] = "records"
    long["source"] = base.source
    long["note"] = (
        f"counted from cleaned case records, period {start:%Y-%m-%d} to {end:%Y-%m-%d}"
        + ("; zero-filled (register)" if complete else "; units never named are missing")
        + (" (SYNTHETIC DATA)" if base.synthetic else "")
    )
    long.attrs["accounting"] = base.accounting

    first = [c for c in LONG_COLUMNS if c in long.columns]
    return long[first + [c for c in long.columns if c not in first]].reset_index(drop=True)


def count_table(
    clean: object,
    *,
    select: Mapping[str, object] | None = None,
    period: object = None,
    complete: bool = True,
) -> pd.DataFrame:
    """Counts as a regency × year table for reading (regency names as rows, zero-filled).

    Examples
    --------
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(200, seed=1)
    >>> table = records.count_table(records.clean_records(messy, secret="s"))
    >>> table.shape[0]
    22
    """
    counted = count_column(clean, "n", select=select, period=period, complete=complete)
    names = regions.regencies().set_index("bps_code")["name"]
    wide = counted.table.pivot_table(
        index="bps_code", columns="year", values="n", aggfunc="first", dropna=False
    )
    wide.index = [str(names[code]).removeprefix("Kabupaten ") for code in wide.index]
    wide.index.name = "regency"
    return wide.astype("Int64")
