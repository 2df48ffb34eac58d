"""Rates per 100,000 with exact Poisson intervals and empirical-Bayes smoothing.

With 22 units and counts often below 10, a crude rate can be large just because a
regency is small. Three views, side by side:

* **crude** rate per 100,000 person-years, with the exact (Garwood) Poisson 95% interval;
* **global empirical Bayes** (Marshall 1991): each rate shrunk towards the overall rate,
  the more so the smaller its population (``esda.smoothing.Empirical_Bayes``);
* **spatial empirical Bayes**: shrunk towards the rate of the unit and its neighbours
  (``esda.smoothing.Spatial_Empirical_Bayes``). esda leaves a unit with no neighbours
  unsmoothed; here such units take the **global** EB rate instead, and the column
  ``eb_spatial_method`` says so ("global EB: no neighbours").

A rate is flagged ``unreliable`` when its count is below 5 or its 95% interval is wider
than the rate itself.

Person-years: ``population × coverage``, where ``coverage`` is the fraction of the year
the count covers (a Jan–Jun report covers about half the year's person-years).

Examples
--------
>>> import pandas as pd
>>> from migration_ntt.spatial import rates
>>> table = rates.crude_rates(pd.Series([12, 3]), pd.Series([200_000, 50_000]))
>>> table["rate"].round(1).tolist()
[6.0, 6.0]
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import stats

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

PER = 100_000
MIN_RELIABLE_COUNT = 5


def exact_poisson_interval(
    counts: np.ndarray, level: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for Poisson counts: chi-square quantiles.

    Examples
    --------
    >>> low, high = exact_poisson_interval(np.array([0, 5]))
    >>> float(low[0]), round(float(high[1]), 2)
    (0.0, 11.67)
    """
    counts = np.asarray(counts, dtype=float)
    alpha = 1 - level
    low = np.where(counts > 0, stats.chi2.ppf(alpha / 2, 2 * counts) / 2, 0.0)
    high = stats.chi2.ppf(1 - alpha / 2, 2 * (counts + 1)) / 2
    return low, high


def crude_rates(
    counts: pd.Series, population: pd.Series, coverage: pd.Series | float = 1.0, per: int = PER
) -> pd.DataFrame:
    """Crude rates per ``per`` person-years with exact 95% intervals.

    Returns
    -------
    pandas.DataFrame
        ``count, person_years, rate, ci_low, ci_high, unreliable`` aligned with ``counts``.
        Missing counts give missing rates (a unit not reported is not a zero).
    """
    counts = pd.to_numeric(counts, errors="coerce").astype(float)
    person_years = pd.to_numeric(population, errors="coerce").astype(float) * coverage
    low, high = exact_poisson_interval(counts.fillna(0).to_numpy())
    scale = per / person_years.to_numpy()
    rate = counts.to_numpy() * scale
    out = pd.DataFrame(
        {
            "count": counts.to_numpy(),
            "person_years": person_years.to_numpy(),
            "rate": rate,
            "ci_low": np.where(counts.notna(), low * scale, np.nan),
            "ci_high": np.where(counts.notna(), high * scale, np.nan),
        },
        index=counts.index,
    )
    out["unreliable"] = flag_unreliable(counts, out["rate"], out["ci_low"], out["ci_high"])
    return out


def flag_unreliable(
    counts: pd.Series, rate: pd.Series, ci_low: pd.Series, ci_high: pd.Series
) -> pd.Series:
    """True where a rate rests on fewer than 5 cases or its 95% interval is wider than
    the rate itself (missing counts: False).

    Examples
    --------
    >>> flag_unreliable(pd.Series([3.0, 20.0]), pd.Series([1.0, 1.0]),
    ...                 pd.Series([0.2, 0.6]), pd.Series([2.9, 1.5])).tolist()
    [True, False]
    """
    return counts.notna() & ((counts < MIN_RELIABLE_COUNT) | (ci_high - ci_low > rate))


def smoothed_rates(
    gdf: gpd.GeoDataFrame,
    count_col: str,
    population_col: str,
    graph: Graph,
    *,
    coverage_col: str | None = None,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    per: int = PER,
) -> pd.DataFrame:
    """Crude, global-EB and spatial-EB rates for every unit with a count.

    Parameters
    ----------
    gdf : GeoDataFrame or DataFrame
        One row per unit: id, count, population (and coverage).
    graph : libpysal.graph.Graph
        Weights from :func:`migration_ntt.spatial.weights.build_weights`, keyed by ``id_col``.

    Returns
    -------
    pandas.DataFrame
        ``id, name, count, person_years, rate, ci_low, ci_high, unreliable, eb_global,
        eb_spatial, eb_spatial_method, reference_rate`` (rates per ``per``). Units with a
        missing count are kept with missing rates.
    """
    from esda.smoothing import Empirical_Bayes, Spatial_Empirical_Bayes

    coverage = gdf[coverage_col].fillna(1.0) if coverage_col else 1.0
    table = crude_rates(gdf[count_col], gdf[population_col], coverage, per)
    table.insert(0, id_col, gdf[id_col].to_numpy())
    if name_col and name_col in gdf.columns:
        table.insert(1, "name", gdf[name_col].to_numpy())
    has = table["count"].notna() & (table["person_years"] > 0)
    table["eb_global"] = np.nan
    table["eb_spatial"] = np.nan
    table["eb_spatial_method"] = None
    table["reference_rate"] = np.nan
    if has.sum() < 2:
        return table.reset_index(drop=True)
    events = table.loc[has, "count"].to_numpy()
    base = table.loc[has, "person_years"].to_numpy()
    global_eb = Empirical_Bayes(events, base).r.ravel() * per
    table.loc[has, "eb_global"] = global_eb
    table.loc[has, "reference_rate"] = events.sum() / base.sum() * per

    ids = table.loc[has, id_col].to_numpy()
    sub = graph.subgraph(ids) if hasattr(graph, "subgraph") else graph
    sub = sub.transform("r")
    no_neighbours = np.isin(ids, np.asarray(sub.isolates))
    with warnings.catch_warnings():
        # libpysal warns about islands when converting; handled below, per unit.
        warnings.filterwarnings("ignore", message=".*island.*", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*disconnected.*", category=UserWarning)
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        w = sub.to_W()
        spatial = Spatial_Empirical_Bayes(events, base, w).r.ravel() * per
    spatial = np.where(no_neighbours, global_eb, spatial)
    table.loc[has, "eb_spatial"] = spatial
    table.loc[has, "eb_spatial_method"] = np.where(
        no_neighbours, "global EB: no neighbours", "spatial EB"
    )
    return table.reset_index(drop=True)
