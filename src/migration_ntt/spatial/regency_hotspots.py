"""Where a count is high and whether it clusters: the hotspot analysis of a regency panel.

Question: which regencies have disproportionately many cases of the count at hand (PMI
deaths abroad in the published tallies, or the non-procedural cases of the user's own case
file), and do they cluster?

1. Rates per 100,000 person-years for each year and **pooled** over all years
   (person-years = population × the fraction of the year the count covers), each year's
   report read with its completeness (:func:`rate_table`).
2. Empirical-Bayes smoothing (global and spatial; islands fall back to global).
3. Weights: queen contiguity with the documented NTT sea links for the island regencies
   (``island_policy="links"``); the sensitivity table repeats the global statistic under
   other schemes.
4. Global Moran's I of EB-standardised rates (Assunção–Reis), local Moran of
   EB-standardised rates (LISA) and Gi* of the spatially smoothed rates, seeded, with
   BH q-values.

Data in as arguments (the panel and the polygons), a :class:`~migration_ntt.results.HotspotResult`
out; :func:`migration_ntt.pipeline.hotspots.run_hotspots` loads the defaults and writes
the tables.

Examples
--------
>>> from migration_ntt import panel
>>> from migration_ntt.ingest import boundaries
>>> from migration_ntt.spatial import regency_hotspots
>>> result = regency_hotspots.hotspot_analysis(panel.build_panel(write=False),
...     boundaries.load_boundaries(), count="pmi_deaths_abroad", permutations=99)
>>> result.count, result.labels["en"]
('pmi_deaths_abroad', 'PMI deaths abroad')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.labels import year_ranges
from migration_ntt.panel import count_metadata, observed_counts
from migration_ntt.results import HotspotResult
from migration_ntt.spatial import hotspots, rates, weights
from migration_ntt.spatial import pooled as pooled_module
from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY

if TYPE_CHECKING:
    import geopandas as gpd

#: A year gets its own rate map when its report names at least this many regencies.
MIN_UNITS_PER_YEAR_MAP = 5


def _period_text(frame: pd.DataFrame, count: str) -> str:
    start, end = frame[f"{count}_period_start"].iloc[0], frame[f"{count}_period_end"].iloc[0]
    return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}"


def _year_span(years: Sequence[str]) -> str:
    return year_ranges(int(y) for y in years)


def rate_table(
    panel: pd.DataFrame,
    shapes,
    count: str = "pmi_deaths_abroad",
    *,
    island_policy: str = DEFAULT_ISLAND_POLICY,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Crude and EB rates of ``count`` for every year with at least 5 units, and pooled.

    Each year's report is read with its completeness
    (:func:`migration_ntt.panel.observed_counts`): a regency a complete list does not name
    has zero that year; the pooled rate is the censored-Poisson estimate of
    :func:`migration_ntt.spatial.pooled.pooled_rates` (zeros where a list is complete,
    censored below the smallest named count where it is a top-N list, nothing where it is
    partial). The pooled rows say which (``method``, ``years``, ``years_censored``).

    Parameters
    ----------
    panel : DataFrame
        A regency × year panel with ``count``, its coverage and completeness columns.
    shapes : GeoDataFrame
        The regencies' polygons (``bps_code``, ``name``, ``geometry``).
    count : str
    island_policy : str

    Returns
    -------
    (DataFrame, dict)
        Long table (one row per regency and period: each year, then ``pooled``) and the
        period text of each; ``attrs["years_not_mapped"]`` lists the years with fewer than
        ``MIN_UNITS_PER_YEAR_MAP`` units reported (no rate of their own).
    """
    coverage = f"{count}_coverage"
    reported = panel[panel[count].notna() & panel[coverage].notna()]
    if reported.empty:
        raise ValueError(f"count {count!r} has no value with a known period in the panel")
    seen = observed_counts(panel, count)
    known = seen[seen["status"].isin(["named", "zero_complete"])]
    frames, periods = [], {}
    geometry = shapes[["bps_code", "name", "geometry"]]
    not_mapped = []
    for year, part in known.groupby("year"):
        if part["observed"].notna().sum() < MIN_UNITS_PER_YEAR_MAP:
            not_mapped.append(str(year))
            continue
        units = geometry.merge(part[["bps_code", "observed", "person_years"]], on="bps_code")
        graph, _ = weights.build_weights(units, island_policy=island_policy)
        table = rates.smoothed_rates(units, "observed", "person_years", graph)
        periods[str(year)] = _period_text(panel[panel["year"] == year], count)
        frames.append(table.assign(period=str(year)))
    pooled = pooled_module.pooled_rates(seen)
    units = geometry.merge(pooled, on="bps_code")
    graph, _ = weights.build_weights(units, island_policy=island_policy)
    table = rates.smoothed_rates(units, "count", "person_years", graph)
    # The interval of a censored estimate is its profile interval, not Garwood's.
    for column in ("ci_low", "ci_high", "count_named", "years", "years_censored", "method"):
        table[column] = units[column].to_numpy()
    table["unreliable"] = rates.flag_unreliable(
        table["count_named"], table["rate"], table["ci_low"], table["ci_high"]
    )
    frames.append(table.assign(period="pooled"))
    periods["pooled"] = _year_span(sorted({str(y) for y in known["year"]}))
    long = pd.concat(frames, ignore_index=True)
    # the years in the pooled span without a map of their own (too few units reported)
    long.attrs["years_not_mapped"] = not_mapped
    return long, periods


def hotspot_analysis(
    panel: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    *,
    count: str | None = "pmi_deaths_abroad",
    label: Mapping[str, str] | None = None,
    permutations: int = 9_999,
    island_policy: str = DEFAULT_ISLAND_POLICY,
) -> HotspotResult:
    """The hotspot analysis (module docstring) of one count column.

    Parameters
    ----------
    panel : pandas.DataFrame
        From :func:`migration_ntt.panel.build_panel`.
    shapes : geopandas.GeoDataFrame
        The regencies' polygons (:func:`migration_ntt.ingest.boundaries.load_boundaries`).
    count : str, optional
        Any count column of the panel (``None``: the panel's case-record count if it has
        one, else ``pmi_deaths_abroad``).
    label : dict, optional
        ``{"id": …, "en": …}`` naming the count (default: the panel's label for it).
    permutations : int
        Conditional permutations for every local and global statistic (seeded).
    island_policy : {"links", "knn", "none"}
        See :mod:`migration_ntt.spatial.weights`.

    Returns
    -------
    HotspotResult
    """
    if permutations < 1:
        raise ValueError(f"permutations must be a positive number, got {permutations}")
    table = panel
    meta = count_metadata(table, count, label)
    count = str(meta["count"])
    rates_long, periods = rate_table(table, shapes, count, island_policy=island_policy)
    pooled = rates_long[(rates_long["period"] == "pooled") & rates_long["count"].notna()]
    units = shapes[["bps_code", "name", "geometry"]].merge(
        pooled[["bps_code", "count", "person_years", "rate", "eb_spatial"]], on="bps_code"
    )
    graph, report = weights.build_weights(units, island_policy=island_policy)
    lisa = hotspots.local_moran_rate(
        units, "count", "person_years", graph, permutations=permutations
    )
    gi = hotspots.local_g(units, "eb_spatial", graph, permutations=permutations)
    global_rows = [
        {
            "statistic": "Moran's I, EB-standardised rates (Assunção–Reis)",
            **hotspots.moran_rate(units, "count", "person_years", graph, permutations=permutations),
        },
        {
            "statistic": "Moran's I, spatial-EB rates",
            **hotspots.global_moran(units, "eb_spatial", graph, permutations=permutations),
        },
    ]
    sensitivity = weights.compare_weights(units, "eb_spatial", permutations=permutations)
    sources = sorted(set(table[f"{count}_source"].dropna().astype(str)))
    result = HotspotResult(
        count=count,
        labels=dict(meta["labels"]),
        source_kind=str(meta["source_kind"]),
        credit=dict(meta["credit"]),
        synthetic=bool(meta["synthetic"]),
        rates=rates_long,
        lisa=lisa,
        gi=gi,
        global_stats=pd.DataFrame(global_rows),
        sensitivity=sensitivity,
        connectivity=report.to_frame(),
        connectivity_summary=report.summary(),
        periods=periods,
        years_not_mapped=list(rates_long.attrs.get("years_not_mapped", [])),
        sources=sources,
        permutations=permutations,
        island_policy=island_policy,
        record_accounting=dict(meta["accounting"]),
        shapes=shapes,
    )
    return result
