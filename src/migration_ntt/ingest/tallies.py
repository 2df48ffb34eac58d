"""Published tallies: which report of a year to use, how complete it is, what it says.

A *report* is a set of figures published together: the same indicator, year, source and
period. Cumulative reports are never added together. :func:`select_reports` picks, for
each indicator and year, the single most complete report (latest period end, then most
units); :func:`report_completeness` reads each chosen report against the province total
the same report states (complete, top-N, partial); :func:`procedural_split` gives the
procedural and non-procedural totals of one report per year; :func:`best_values` picks
one value per indicator, year and unit for covariates whose units come from many one-unit
sources (population from Wikipedia infoboxes, say).

Examples
--------
>>> from migration_ntt.ingest import indicators, tallies
>>> data = indicators.load_indicators()
>>> deaths = tallies.select_reports(data.table, indicators=["pmi_deaths_abroad"])
>>> int(deaths.query("year == 2022")["period_end"].dt.month.iloc[0])
11
"""

from __future__ import annotations

import calendar

import numpy as np
import pandas as pd

from migration_ntt.ingest.indicators import IndicatorData


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
    >>> chosen = select_reports(table, ["pmi_deaths_abroad"])
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
    >>> from migration_ntt.ingest.indicators import load_indicators
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
    >>> from migration_ntt.ingest.indicators import load_indicators
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
