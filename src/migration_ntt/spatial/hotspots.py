"""Global and local spatial autocorrelation with honest inference.

Wrappers around esda that return tidy tables with unit names and add what small,
fragmented study areas need:

* **Seeded conditional permutations** (default 9,999) so results reproduce.
* **Two-sided p-values**: esda reports the folded (smaller-tail) pseudo p-value
  ``p_sim``; here ``p_sim`` is twice that, capped at 1, so that clusters and outliers in
  either direction are tested at the stated level. (``p_sim_esda`` keeps esda's value.)
* **Benjamini–Hochberg q-values** (``q_fdr``) beside the raw p, computed over the units
  that have neighbours; ``q_fdr >= p_sim`` always. Labels use ``q_fdr <= alpha`` by
  default (``significance="raw"`` uses p).
* **"no neighbours"** for units without neighbours (island regencies under
  ``island_policy="none"``): they get no statistic, p or label other than that — never
  "not significant".
* Small-number caveat: every table has ``attrs["caveat"]``.

Every function takes any (Geo)DataFrame with an id column and a libpysal ``Graph`` keyed
by that id (from :func:`migration_ntt.spatial.weights.build_weights`).

Examples
--------
>>> from libpysal import examples
>>> import geopandas as gpd
>>> from migration_ntt.spatial import weights, hotspots
>>> columbus = gpd.read_file(examples.get_path("columbus.shp"))
>>> graph, _ = weights.build_weights(columbus, id_col="POLYID", name_col=None)
>>> table = hotspots.local_moran(columbus, "CRIME", graph, id_col="POLYID", name_col=None)
>>> bool(table["label"].isin(hotspots.LABELS).all()), bool((table["q_fdr"] >= table["p_sim"]).all())
(True, True)
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt.spatial.permutation_test import moran_with_permutations

if TYPE_CHECKING:
    from collections.abc import Iterator

    from libpysal.graph import Graph

PERMUTATIONS = 9_999
SEED = 20_240_824
ALPHA = 0.05
LABELS = ("High-High", "Low-Low", "High-Low", "Low-High", "not significant", "no neighbours")
HOTSPOT_LABELS = ("hot spot", "cold spot", "not significant", "no neighbours")
CAVEAT = (
    "n = {n} units: permutation tests have little power with so few units, and neighbouring "
    "rates share sampling noise. Treat clusters as leads to check, not as findings."
)


@contextmanager
def _quiet_esda() -> Iterator[None]:
    """Silence esda/libpysal warnings that this module handles itself (islands, 0/0 z)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        warnings.filterwarnings(
            "ignore", message=".*alternative hypothesis.*", category=DeprecationWarning
        )
        warnings.filterwarnings("ignore", message=".*row_stack.*", category=DeprecationWarning)
        warnings.filterwarnings("ignore", message=".*island.*", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*disconnected.*", category=UserWarning)
        warnings.filterwarnings("ignore", message=".*Gi\\* requested.*", category=UserWarning)
        yield


def bh_qvalues(p_values: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg adjusted p-values (q-values); NaN stays NaN.

    Examples
    --------
    >>> bh_qvalues(np.array([0.01, 0.04, np.nan, 0.03])).round(3).tolist()[:2]
    [0.03, 0.04]
    """
    p_values = np.asarray(p_values, dtype=float)
    q = np.full(p_values.shape, np.nan)
    ok = ~np.isnan(p_values)
    if ok.any():
        from scipy.stats import false_discovery_control

        q[ok] = false_discovery_control(p_values[ok], method="bh")
    return q


def _two_sided(p_folded: np.ndarray) -> np.ndarray:
    return np.minimum(1.0, 2.0 * np.asarray(p_folded, dtype=float))


def _values(gdf: pd.DataFrame, column: str, graph: Graph, id_col: str) -> tuple[np.ndarray, list]:
    ordered = gdf.set_index(id_col).loc[list(graph.unique_ids)]
    values = pd.to_numeric(ordered[column], errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any():
        missing = ordered.index[np.isnan(values)].tolist()
        raise ValueError(
            f"column {column!r} is missing for {len(missing)} unit(s) "
            f"({', '.join(map(str, missing[:8]))}{'…' if len(missing) > 8 else ''}): "
            "drop them first (and rebuild the weights) "
            "— a missing value is not a zero"
        )
    return values, list(graph.unique_ids)


def _names(gdf: pd.DataFrame, ids: list, id_col: str, name_col: str | None) -> list:
    if name_col and name_col in gdf.columns:
        return gdf.set_index(id_col).loc[ids, name_col].astype(str).tolist()
    return [str(i) for i in ids]


def global_moran(
    gdf: pd.DataFrame,
    column: str,
    graph: Graph,
    *,
    id_col: str = "bps_code",
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> dict[str, object]:
    """Global Moran's I with a seeded, two-sided permutation test.

    esda's test, its permutations computed at once
    (:func:`~migration_ntt.spatial.permutation_test.moran_with_permutations`).

    Parameters
    ----------
    gdf : DataFrame
        One row per unit with ``id_col`` and ``column``.
    column : str
    graph : libpysal.graph.Graph
    id_col : str
    permutations, seed : int

    Returns
    -------
    dict
        ``moran_i, expected_i, z_sim, p_sim`` (two-sided), ``p_sim_esda`` (folded),
        ``n``, ``n_no_neighbours``, ``permutations``.
    """
    values, _ = _values(gdf, column, graph, id_col)
    np.random.seed(seed)  # noqa: NPY002 - esda.Moran draws from numpy's global generator
    with _quiet_esda():
        result = moran_with_permutations(values, graph, permutations)
    return {
        "moran_i": float(result.I),
        "expected_i": float(result.EI),
        "z_sim": float(result.z_sim),
        "p_sim": float(_two_sided(result.p_sim)),
        "p_sim_esda": float(result.p_sim),
        "n": len(values),
        "n_no_neighbours": len(graph.isolates),
        "permutations": permutations,
    }


def moran_rate(
    gdf: pd.DataFrame,
    events_col: str,
    population_col: str,
    graph: Graph,
    *,
    id_col: str = "bps_code",
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
) -> dict[str, object]:
    """Global Moran's I of EB-standardised rates (Assunção–Reis 1999), for small counts."""
    events, _ = _values(gdf, events_col, graph, id_col)
    population, _ = _values(gdf, population_col, graph, id_col)
    np.random.seed(seed)  # noqa: NPY002 - esda.Moran_Rate uses the global generator
    with _quiet_esda():
        result = moran_with_permutations(events, graph.to_W(), permutations, population=population)
    return {
        "moran_i": float(result.I),
        "expected_i": float(result.EI),
        "z_sim": float(result.z_sim),
        "p_sim": float(_two_sided(result.p_sim)),
        "p_sim_esda": float(result.p_sim),
        "n": len(events),
        "n_no_neighbours": len(graph.isolates),
        "permutations": permutations,
    }


def _label_table(
    gdf: pd.DataFrame,
    graph: Graph,
    ids: list,
    values: np.ndarray,
    lag: np.ndarray,
    statistic: tuple[str, np.ndarray],
    p_folded: np.ndarray,
    labels_for,
    *,
    id_col: str,
    name_col: str | None,
    alpha: float,
    significance: str,
) -> pd.DataFrame:
    """The tidy local table shared by every local statistic (module docstring)."""
    if significance not in {"fdr", "raw"}:
        raise ValueError("significance must be 'fdr' or 'raw'")
    isolated = np.isin(
        np.asarray(ids, dtype=object), np.asarray(list(graph.isolates), dtype=object)
    )
    p_two = np.where(isolated, np.nan, _two_sided(p_folded))
    q = bh_qvalues(p_two)
    decisive = q if significance == "fdr" else p_two
    significant = ~isolated & (decisive <= alpha)
    statistic_name, statistic_values = statistic
    table = pd.DataFrame(
        {
            id_col: ids,
            "name": _names(gdf, ids, id_col, name_col),
            "value": values,
            "lag": np.where(isolated, np.nan, lag),
            statistic_name: np.where(isolated, np.nan, statistic_values),
            "p_sim": p_two,
            "q_fdr": q,
            "significant": significant,
            "label": np.where(isolated, "no neighbours", labels_for(significant)),
            "p_sim_esda": np.where(isolated, np.nan, p_folded),
        }
    )
    table.attrs["caveat"] = CAVEAT.format(n=len(ids))
    table.attrs["significance"] = f"{'BH q' if significance == 'fdr' else 'raw p'} <= {alpha}"
    return table


def _lisa_table(gdf, graph, ids, values, lag, result, **options) -> pd.DataFrame:
    """Local Moran table (plain or rate) with quadrant labels."""
    quadrants = np.asarray(result.q)
    table = _label_table(
        gdf,
        graph,
        ids,
        values,
        lag,
        ("local_i", result.Is),
        result.p_sim,
        _quadrant_labeller(quadrants),
        **options,
    )
    table["quadrant"] = quadrants
    return table


_QUADRANTS = {1: "High-High", 2: "Low-High", 3: "Low-Low", 4: "High-Low"}


def _quadrant_labeller(quadrants: np.ndarray):
    """Label significant units by their Moran scatterplot quadrant (esda's 1–4)."""
    named = np.array([_QUADRANTS.get(int(q), "not significant") for q in quadrants], dtype=object)

    def labels_for(significant: np.ndarray) -> np.ndarray:
        return np.where(significant, named, "not significant")

    return labels_for


def local_moran(
    gdf: pd.DataFrame,
    column: str,
    graph: Graph,
    *,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    alpha: float = ALPHA,
    significance: str = "fdr",
) -> pd.DataFrame:
    """Local Moran's I (LISA) with cluster labels.

    Parameters
    ----------
    gdf : DataFrame
        One row per unit with ``id_col`` and ``column``.
    column : str
        The values (e.g. smoothed rates).
    graph : libpysal.graph.Graph
        Spatial weights keyed by ``id_col`` (:func:`~migration_ntt.spatial.weights.build_weights`).
    id_col, name_col : str
        Unit id and name columns.
    permutations, seed : int
        Conditional permutations of the test, and their seed.
    alpha : float
        Significance level.
    significance : {"fdr", "raw"}
        Which p decides the label: BH q-values (default) or the raw p.

    Returns
    -------
    pandas.DataFrame
        ``id, name, value, lag, local_i, p_sim`` (two-sided), ``q_fdr``, ``significant``,
        ``label`` (High-High, Low-Low, High-Low, Low-High, not significant, no neighbours),
        ``quadrant`` (esda's 1–4), ``p_sim_esda``.
    """
    import esda

    values, ids = _values(gdf, column, graph, id_col)
    with _quiet_esda():
        result = esda.Moran_Local(values, graph, permutations=permutations, seed=seed, n_jobs=1)
    options = {"id_col": id_col, "name_col": name_col, "alpha": alpha, "significance": significance}
    return _lisa_table(gdf, graph, ids, values, np.asarray(graph.lag(values)), result, **options)


def local_g(
    gdf: pd.DataFrame,
    column: str,
    graph: Graph,
    *,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    alpha: float = ALPHA,
    significance: str = "fdr",
    star: bool = True,
) -> pd.DataFrame:
    """Getis–Ord Gi* (``star=True``) or Gi hot and cold spots.

    Gi* is computed on binary weights with the unit itself included (self-weight 1).

    Parameters
    ----------
    gdf : DataFrame
        One row per unit with ``id_col`` and ``column``.
    column : str
    graph : libpysal.graph.Graph
    id_col, name_col : str
    permutations, seed : int
    alpha : float
    significance : {"fdr", "raw"}
    star : bool
        Gi* (the unit itself included) rather than Gi.

    Returns
    -------
    pandas.DataFrame
        ``id, name, value, lag, g, z, p_sim`` (two-sided), ``q_fdr``, ``significant``,
        ``label`` (hot spot, cold spot, not significant, no neighbours), ``p_sim_esda``.
    """
    import esda

    values, ids = _values(gdf, column, graph, id_col)
    binary = graph.transform("b")
    with _quiet_esda():
        result = esda.G_Local(
            values,
            binary,
            star=1.0 if star else False,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
        )
    z = np.asarray(result.Zs)

    def labels_for(significant: np.ndarray) -> np.ndarray:
        return np.where(significant, np.where(z > 0, "hot spot", "cold spot"), "not significant")

    table = _label_table(
        gdf,
        graph,
        ids,
        values,
        np.asarray(graph.lag(values)),
        ("g", result.Gs),
        result.p_sim,
        labels_for,
        id_col=id_col,
        name_col=name_col,
        alpha=alpha,
        significance=significance,
    )
    table.insert(5, "z", np.where(table["label"] == "no neighbours", np.nan, z))
    return table


def local_moran_rate(
    gdf: pd.DataFrame,
    events_col: str,
    population_col: str,
    graph: Graph,
    *,
    id_col: str = "bps_code",
    name_col: str | None = "name",
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    alpha: float = ALPHA,
    significance: str = "fdr",
) -> pd.DataFrame:
    """Local Moran of EB-standardised rates (Assunção–Reis), labelled as :func:`local_moran`."""
    import esda

    events, ids = _values(gdf, events_col, graph, id_col)
    population, _ = _values(gdf, population_col, graph, id_col)
    with _quiet_esda():
        result = esda.Moran_Local_Rate(
            events,
            population,
            graph.to_W(),
            adjusted=True,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
        )
    options = {"id_col": id_col, "name_col": name_col, "alpha": alpha, "significance": significance}
    lag = np.asarray(graph.lag(result.y))
    return _lisa_table(gdf, graph, ids, events / population, lag, result, **options)
