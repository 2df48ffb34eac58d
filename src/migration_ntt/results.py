"""The results the methods hand to presentation and the pipeline.

* :class:`HotspotResult`: the hotspot analysis of one count column (rates by year and
  pooled, LISA, Gi*, global statistics, weights sensitivity and connectivity, the names,
  credit line and synthetic flag of the count, and the polygons it was computed on);
* :class:`DistrictScan`: a scan statistic of case records over the kecamatan;
* :func:`pooled_summary`: the pooled rates of a hotspot result, highest first.

Maps and briefs take these objects and nothing else: they load no data of their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY

if TYPE_CHECKING:
    import geopandas as gpd


@dataclass
class HotspotResult:
    """Tables of the hotspot analysis of one count column.

    ``labels`` names the count (``{"id", "en", "unit_id", "unit_en"}``); ``source_kind``
    is ``"records"`` (the user's case file) or ``"published"`` (press-quoted tallies);
    ``credit`` is the source line printed on every figure, per language.
    """

    count: str
    labels: dict[str, str]
    source_kind: str
    credit: dict[str, str]
    synthetic: bool
    rates: pd.DataFrame  # long: one row per unit and period ("2018", …, "pooled")
    lisa: pd.DataFrame
    gi: pd.DataFrame
    global_stats: pd.DataFrame
    sensitivity: pd.DataFrame
    connectivity: pd.DataFrame
    connectivity_summary: str
    periods: dict[str, str]
    sources: list[str]
    permutations: int = 9_999
    island_policy: str = DEFAULT_ISLAND_POLICY
    record_accounting: dict[str, int] = field(default_factory=dict)
    years_not_mapped: list[str] = field(default_factory=list)  # too few units reported
    shapes: gpd.GeoDataFrame | None = None  # the regencies' polygons the maps are drawn on

    def label(self, lang: str) -> str:
        """The count's name in ``lang`` (title form)."""
        return self.labels[lang]


def pooled_summary(result: HotspotResult) -> pd.DataFrame:
    """Regencies by pooled rate, highest first, with CI and cluster label (for the brief).

    Parameters
    ----------
    result : HotspotResult

    Returns
    -------
    pandas.DataFrame
        ``bps_code, name, count, count_named, method, rate, ci_low, ci_high, eb_spatial,
        label, unreliable``.
    """
    pooled = result.rates[(result.rates["period"] == "pooled") & result.rates["rate"].notna()]
    merged = pooled.merge(result.lisa[["bps_code", "label"]], on="bps_code", how="left")
    if "count_named" not in merged.columns:  # results written before censoring existed
        merged = merged.assign(count_named=merged["count"], method="exact")
    columns = ["bps_code", "name", "count", "count_named", "method", "rate", "ci_low"]
    columns += ["ci_high", "eb_spatial", "label", "unreliable"]
    return merged.sort_values("rate", ascending=False)[columns].reset_index(drop=True)


@dataclass
class DistrictScan:
    """A scan statistic of case records over the 315 kecamatan
    (:func:`migration_ntt.spatial.district_clusters.district_clusters`).

    ``districts`` holds the kecamatan polygons with ``cases`` (and ``controls`` or
    ``population``, and ``share_pct`` for Bernoulli); ``clusters`` is the scan's cluster
    table with the kecamatan and regency names of each cluster; ``regencies`` the regency
    polygons the maps outline.
    """

    result: object
    model: str
    districts: object
    clusters: pd.DataFrame
    labels: dict[str, str]
    credit: dict[str, str]
    synthetic: bool
    period: str
    accounting: dict[str, int] = field(default_factory=dict)
    regencies: gpd.GeoDataFrame | None = None

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        """The clusters with p ≤ ``alpha``."""
        return self.clusters[self.clusters["p_value"] <= alpha]
