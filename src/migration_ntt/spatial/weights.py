"""Archipelago-aware spatial weights and a connectivity report.

Queen contiguity on NTT gives **7 components**: Timor, Flores, Sumba, and four island
regencies with no land neighbour (Alor, Lembata, Rote Ndao, Sabu Raijua). A statistic
computed on such weights silently treats the islands as unrelated to anything. The
``island_policy`` says what to do with units that have no neighbour:

* ``"none"``: leave them isolated; hotspot functions label them **"no neighbours"**.
* ``"knn"``: link each isolate to its ``k`` nearest units (centroid distance, in an
  equal-distance projection), both ways.
* ``"links"`` (the default, :data:`DEFAULT_ISLAND_POLICY`): add the pairs of a link table
  (default :func:`migration_ntt.regions.sea_links`: NTT's ferry routes and former-parent
  ties, each row with its reason, **documented as an assumption**). On other study areas
  the NTT table adds nothing and says nothing: their isolates stay isolated (and are
  labelled "no neighbours") unless a link table of their own is given.

One default for the whole package: every function that builds weights (hotspots, model
diagnostics, evaluations) takes :data:`DEFAULT_ISLAND_POLICY` unless told otherwise.

Contiguity uses ``strict=False`` (shared area or boundary within a small tolerance): the
source polygons were simplified one by one, so neighbours rarely share exact vertices.

The graph is row-standardised (``transform("r")``) and keyed by the id column.

Examples
--------
>>> from migration_ntt.ingest import boundaries
>>> from migration_ntt.spatial import weights
>>> gdf = boundaries.load_boundaries()
>>> graph, report = weights.build_weights(gdf, island_policy="none")
>>> report.n_components, sorted(report.isolates)
(7, ['Kabupaten Alor', 'Kabupaten Lembata', 'Kabupaten Rote Ndao', 'Kabupaten Sabu Raijua'])
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.spatial import hotspots

if TYPE_CHECKING:
    import geopandas as gpd
    from libpysal.graph import Graph

METHODS = ("queen", "rook", "knn", "distance")
ISLAND_POLICIES = ("knn", "links", "none")
DEFAULT_ISLAND_POLICY = "links"
# A metric CRS for distances: UTM 51S covers NTT (lon 118.9–125.2) acceptably; other
# study areas get their estimated UTM zone.
NTT_METRIC_CRS = "EPSG:32751"


@dataclass
class ConnectivityReport:
    """What the weights connect: components, isolates, neighbours, links added."""

    method: str
    island_policy: str
    n_units: int
    n_components: int
    isolates: list[str]
    neighbours: dict[str, list[str]]
    added_links: pd.DataFrame = field(default_factory=pd.DataFrame)
    isolates_before_policy: list[str] = field(default_factory=list)
    skipped_links: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """One row per unit: name, number of neighbours, their names."""
        return pd.DataFrame(
            {
                "unit": list(self.neighbours),
                "n_neighbours": [len(v) for v in self.neighbours.values()],
                "neighbours": ["; ".join(v) for v in self.neighbours.values()],
            }
        )

    def summary(self) -> str:
        """A short plain-text description."""
        lines = [
            f"{self.method} weights, island policy '{self.island_policy}': {self.n_units} units, "
            f"{self.n_components} connected component(s)",
        ]
        if self.isolates_before_policy:
            lines.append("No land neighbour: " + ", ".join(self.isolates_before_policy))
        lines.append("Isolated in these weights: " + (", ".join(self.isolates) or "none"))
        if len(self.added_links):
            lines.append(f"Links added: {len(self.added_links)}")
        if self.skipped_links:
            lines.append("Links skipped (unit not in the data): " + ", ".join(self.skipped_links))
        return "\n".join(lines)


def _metric(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if gdf.crs is None:
        return gdf
    if gdf.crs.is_projected:
        return gdf
    try:
        return gdf.to_crs(gdf.estimate_utm_crs())
    except Exception:  # pragma: no cover - unusual CRS
        return gdf.to_crs(NTT_METRIC_CRS)


def _names(gdf: gpd.GeoDataFrame, id_col: str, name_col: str | None) -> pd.Series:
    if name_col and name_col in gdf.columns:
        return pd.Series(gdf[name_col].astype(str).to_numpy(), index=gdf[id_col].to_numpy())
    return pd.Series(gdf[id_col].astype(str).to_numpy(), index=gdf[id_col].to_numpy())


# Base graphs already built, by polygons and relation: the chain builds weights on the
# same 22 polygons for every year, every weights scheme and every model's residuals.
_BASE_GRAPHS: dict[tuple, Graph] = {}
_BASE_GRAPHS_KEPT = 32


def _polygons_key(indexed: gpd.GeoDataFrame) -> str:
    """A digest of the ids, the CRS and every vertex of the polygons."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(str(indexed.crs).encode())
    for unit in indexed.index:
        digest.update(repr(unit).encode() + b"\0")
    for wkb in indexed.geometry.to_wkb():
        digest.update(wkb or b"\0")
    return digest.hexdigest()


def _base_graph(indexed: gpd.GeoDataFrame, method: str, k: int, threshold: float | None) -> Graph:
    """The relation ``method`` on these polygons, built once (libpysal graphs are
    immutable, so a graph built before serves as it is)."""
    key = (_polygons_key(indexed), method, k, threshold)
    if key not in _BASE_GRAPHS:
        if len(_BASE_GRAPHS) >= _BASE_GRAPHS_KEPT:
            _BASE_GRAPHS.pop(next(iter(_BASE_GRAPHS)))
        _BASE_GRAPHS[key] = _build_base_graph(indexed, method, k, threshold)
    return _BASE_GRAPHS[key]


def _build_base_graph(
    indexed: gpd.GeoDataFrame, method: str, k: int, threshold: float | None
) -> Graph:
    from libpysal import graph

    if method in {"queen", "rook"}:
        return graph.Graph.build_contiguity(indexed, rook=method == "rook", strict=False)
    points = _metric(indexed).geometry.representative_point()
    points = points.set_axis(indexed.index)
    if method == "knn":
        return graph.Graph.build_knn(points, k=k)
    if method == "distance":
        if threshold is None:  # the largest nearest-neighbour distance: nobody is alone
            pairs = graph.Graph.build_knn(points, k=1).adjacency.index.to_frame(index=False)
            gaps = points.loc[pairs["focal"]].to_numpy()
            others = points.loc[pairs["neighbor"]].to_numpy()
            threshold = 1.0001 * max(a.distance(b) for a, b in zip(gaps, others, strict=True))
        return graph.Graph.build_distance_band(points, threshold=threshold, binary=True)
    raise ValueError(f"method must be one of {METHODS}, got {method!r}")


def _edges(base: Graph) -> pd.DataFrame:
    adjacency = base.adjacency.reset_index()
    adjacency.columns = ["focal", "neighbor", "weight"]
    return adjacency[(adjacency["focal"] != adjacency["neighbor"]) & (adjacency["weight"] > 0)]


def build_weights(
    gdf: gpd.GeoDataFrame,
    method: str = "queen",
    island_policy: str = DEFAULT_ISLAND_POLICY,
    k: int = 1,
    links: pd.DataFrame | None = None,
    *,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    threshold: float | None = None,
) -> tuple[Graph, ConnectivityReport]:
    """Row-standardised spatial weights with an explicit policy for island units.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Any polygons with an id column (not only NTT).
    method : {"queen", "rook", "knn", "distance"}
        Base relation. ``knn`` uses ``k`` nearest centroids; ``distance`` a distance band
        (default threshold: the largest nearest-neighbour distance, so nobody is alone).
    island_policy : {"links", "knn", "none"}
        What to do with units that have no neighbour under ``method`` (module docstring).
    k : int
        Neighbours for ``method="knn"`` and for ``island_policy="knn"``.
    links : DataFrame, optional
        Pairs to add for ``island_policy="links"``: columns ``bps_code_a``, ``bps_code_b``
        (or ``a``/``b`` holding ids) and ``reason``. Default: the NTT sea-link table
        (:func:`migration_ntt.regions.sea_links`).
    id_col, name_col : str
        Unit id and the name used in the report.

    Returns
    -------
    (libpysal.graph.Graph, ConnectivityReport)
    """
    if island_policy not in ISLAND_POLICIES:
        raise ValueError(f"island_policy must be one of {ISLAND_POLICIES}, got {island_policy!r}")
    if id_col not in gdf.columns:
        raise KeyError(f"id column {id_col!r} not in the GeoDataFrame")
    indexed = gdf.set_index(id_col, drop=False)
    names = _names(gdf, id_col, name_col)
    base = _base_graph(indexed, method, k, threshold)
    edges = _edges(base)[["focal", "neighbor"]]
    isolated_before = sorted(set(indexed.index) - set(edges["focal"]))
    added = pd.DataFrame(columns=["focal", "neighbor", "reason"])
    skipped_links: list[str] = []

    if island_policy == "knn" and isolated_before:
        points = _metric(indexed).geometry.representative_point().set_axis(indexed.index)
        rows = []
        for unit in isolated_before:
            distances = points.distance(points.loc[unit]).drop(unit).sort_values()
            for other, distance in distances.head(k).items():
                rows.append(
                    {
                        "focal": unit,
                        "neighbor": other,
                        "reason": f"nearest unit ({distance / 1000:.0f} km between centroids)",
                    }
                )
        added = pd.DataFrame(rows)
    elif island_policy == "links":
        added = _read_links(links, set(indexed.index))
        skipped_links = added.attrs.get("skipped", [])

    if len(added):
        both = pd.concat([added, added.rename(columns={"focal": "neighbor", "neighbor": "focal"})])
        edges = pd.concat([edges, both[["focal", "neighbor"]]]).drop_duplicates()
    edges = edges.assign(weight=1.0)
    combined = _with_all_units(edges, indexed.index)
    row_standardised = combined.transform("r")

    by_focal = edges.groupby("focal", sort=False)["neighbor"].agg(list)
    neighbours = {
        names[unit]: sorted(names[n] for n in by_focal.get(unit, [])) for unit in indexed.index
    }
    report = ConnectivityReport(
        method=method,
        island_policy=island_policy,
        n_units=len(indexed),
        n_components=int(row_standardised.n_components),
        isolates=sorted(names[u] for u in row_standardised.isolates),
        neighbours=neighbours,
        added_links=added.assign(
            focal_name=added["focal"].map(names), neighbor_name=added["neighbor"].map(names)
        )
        if len(added)
        else added,
        isolates_before_policy=[names[u] for u in isolated_before],
        skipped_links=skipped_links,
    )
    return row_standardised, report


def _with_all_units(edges: pd.DataFrame, units: Iterable[object]) -> Graph:
    """A Graph over every unit (isolates kept as zero-weight self-loops, libpysal's way)."""
    from libpysal import graph

    units = list(units)
    present = set(edges["focal"])
    lonely = [u for u in units if u not in present]
    focal = np.concatenate([edges["focal"].to_numpy(dtype=object), np.array(lonely, dtype=object)])
    neighbor = np.concatenate(
        [edges["neighbor"].to_numpy(dtype=object), np.array(lonely, dtype=object)]
    )
    weight = np.concatenate([edges["weight"].to_numpy(dtype=float), np.zeros(len(lonely))])
    order = {u: i for i, u in enumerate(units)}
    sort = np.lexsort(([order[n] for n in neighbor], [order[f] for f in focal]))
    return graph.Graph.from_arrays(focal[sort], neighbor[sort], weight[sort])


def _read_links(links: pd.DataFrame | None, units: set) -> pd.DataFrame:
    table = links if links is not None else regions.sea_links()
    a_col = "bps_code_a" if "bps_code_a" in table.columns else "a"
    b_col = "bps_code_b" if "bps_code_b" in table.columns else "b"
    missing = [c for c in (a_col, b_col, "reason") if c not in table.columns]
    if missing:
        raise ValueError(
            f"links: missing column(s) {missing}; expected bps_code_a, bps_code_b, reason"
        )
    by_text = {str(u): u for u in units}
    if links is None and not (table[a_col].isin(by_text) | table[b_col].isin(by_text)).any():
        # another study area: the NTT table has nothing to add, and nothing to report
        return pd.DataFrame(columns=["focal", "neighbor", "reason"])
    # Pairs with a unit that is not in this analysis (e.g. dropped for missing data) are
    # skipped; the report lists them.
    usable = table[a_col].isin(by_text) & table[b_col].isin(by_text)
    out = pd.DataFrame(
        {
            "focal": table[a_col].map(by_text),
            "neighbor": table[b_col].map(by_text),
            "reason": table["reason"],
        }
    )[usable]
    out.attrs["skipped"] = [
        f"{a}–{b}"
        for a, b in zip(table.loc[~usable, a_col], table.loc[~usable, b_col], strict=True)
    ]
    return out.reset_index(drop=True)


def compare_weights(
    gdf: gpd.GeoDataFrame,
    column: str,
    schemes: Iterable[dict[str, object]] | None = None,
    statistic: Callable[..., dict[str, object]] | None = None,
    *,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    **statistic_kwargs: object,
) -> pd.DataFrame:
    """Run one statistic under several weight schemes: a sensitivity table.

    Parameters
    ----------
    schemes : iterable of dict, optional
        Keyword arguments for :func:`build_weights`; default: queen with each island
        policy, rook + links, knn k=4 and a distance band.
    statistic : callable, optional
        ``statistic(gdf, column, graph, id_col=..., **kwargs) -> dict``; default
        :func:`migration_ntt.spatial.hotspots.global_moran`.

    Returns
    -------
    pandas.DataFrame
        One row per scheme: the scheme, components, isolates and the statistic's fields.
    """

    statistic = statistic or hotspots.global_moran
    schemes = list(
        schemes
        or [
            {"method": "queen", "island_policy": "none"},
            {"method": "queen", "island_policy": "knn", "k": 1},
            {"method": "queen", "island_policy": "links"},
            {"method": "rook", "island_policy": "links"},
            {"method": "knn", "island_policy": "none", "k": 4},
            {"method": "distance", "island_policy": "none"},
        ]
    )
    rows = []
    for scheme in schemes:
        graph, report = build_weights(gdf, id_col=id_col, name_col=name_col, **scheme)
        result = statistic(gdf, column, graph, id_col=id_col, **statistic_kwargs)
        label = ", ".join(f"{key}={value}" for key, value in scheme.items())
        rows.append(
            {
                "scheme": label,
                "components": report.n_components,
                "isolates": len(report.isolates),
                **result,
            }
        )
    return pd.DataFrame(rows)
