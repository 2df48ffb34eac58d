"""Kulldorff's spatial scan statistic: where do cases cluster, beyond chance?

With 22 regencies no cluster of migrant deaths is ever significant, while the decisions are
local: which *kecamatan* gets the task-force checks. The scan statistic looks at every
circle of neighbouring units and asks whether the cases inside are more than expected.
This module follows SaTScan (Kulldorff) and reproduces its numbers (the tests compare with
SaTScan 10.3.2 runs on its own sample data):

* **windows**: for each unit centroid, the circle holding its k nearest centroids (units at
  equal distance enter together), growing while it holds at most ``max_size`` of the
  population (Poisson), of all cases and controls (Bernoulli) or of all cases
  (space-time permutation);
* **high rates only**, at least ``min_cases`` (2) cases inside;
* **the log-likelihood ratio (LLR)** of each window, in closed form
  (:func:`poisson_llr`, :func:`bernoulli_llr`);
* **Monte Carlo p**: the LLR of the most likely cluster ranked among the maximum LLRs of
  ``permutations`` replicated data sets drawn under the null (cases spread by population;
  case and control labels reshuffled; case times reshuffled among cases), seeded;
* **secondary clusters** that do not overlap a cluster already reported, each with its p
  from the same replicated maxima.

Three models:

* ``"poisson"``: case counts against a population (or expected counts: give the
  indirectly standardised expected counts as ``population`` to adjust for covariates).
* ``"bernoulli"``: cases and controls, no denominator needed. For case records: **where is
  the share of non-procedural migrants among all migrants unusually high** (cases =
  non-procedural, controls = procedural).
* ``"space_time_permutation"``: cases with a time (``time``), no denominator: clusters in
  space *and* time beyond what the location totals and the time totals explain (a
  recruiting network active in a few kecamatan in one year). Cylinders: a window × a run of
  time units up to ``max_temporal`` of the study period (``prospective=True``: runs that
  end with the last time unit only).

Distances: great circle for points in longitude/latitude (as SaTScan), else planar in the
data's metric CRS; polygons are reduced to centroids computed in a metric projection
(UTM estimated from the data, EPSG:32751 for NTT).

The computation is vectorised over windows: each centre's neighbours are sorted once, the
window counts are cumulative sums along that order, and the LLR of every window of every
replicate is evaluated from precomputed ``x·ln x`` tables, without a Python loop per window.

Examples
--------
>>> import numpy as np, geopandas as gpd
>>> from shapely.geometry import Point
>>> from migration_ntt.spatial import scan
>>> grid = gpd.GeoDataFrame({"id": range(25), "pop": 1000.0,
...     "cases": [30 if i in (1, 5, 6, 7, 11) else 5 for i in range(25)]},
...     geometry=[Point(i % 5, i // 5) for i in range(25)], crs=None)
>>> result = scan.scan_statistic(grid, "cases", population="pop", id_col="id",
...                              permutations=99, seed=1)
>>> sorted(result.members[result.members["cluster_id"] == 1]["id"].tolist())
[1, 5, 6, 7, 11]
>>> bool(result.clusters["p_value"].iloc[0] <= 0.05)
True
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

MODELS = ("poisson", "bernoulli", "space_time_permutation")
PERMUTATIONS = 999
SEED = 20_240_824
EARTH_RADIUS_KM = 6367.0  # as SaTScan (its reported radii match)
MIN_CASES = 2
NTT_METRIC_CRS = "EPSG:32751"
_BYTES_PER_CHUNK = 512 * 2**10  # replicates per step sized for the L2 cache: 3 × faster than 64 MB


# --- the closed-form statistics -------------------------------------------------------------


def _xlogx(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, x * np.log(np.where(x > 0, x, 1.0)), 0.0)


def poisson_llr(observed: np.ndarray, expected: np.ndarray, total: float) -> np.ndarray:
    """Kulldorff's Poisson LLR of a window with ``observed`` cases where ``expected`` were
    expected, among ``total`` cases; 0 unless the rate inside is higher.

    Examples
    --------
    >>> round(float(poisson_llr(576, 512.6610495990094, 1175)), 6)
    6.890841
    """
    c = np.asarray(observed, dtype=float)
    e = np.asarray(expected, dtype=float)
    high = (c > e) & (e > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = _xlogx(c) - c * np.log(np.where(e > 0, e, 1.0))
        value += _xlogx(total - c) - (total - c) * np.log(np.where(total - e > 0, total - e, 1.0))
    return np.where(high, value, 0.0)


def bernoulli_llr(
    cases: np.ndarray, trials: np.ndarray, total_cases: float, total_trials: float
) -> np.ndarray:
    """Kulldorff's Bernoulli LLR of a window with ``cases`` among ``trials`` (cases +
    controls) inside, of ``total_cases`` among ``total_trials``; 0 unless the share inside
    is higher.

    Examples
    --------
    >>> round(float(bernoulli_llr(4, 8, 49, 320)), 6) > 0
    True
    """
    c = np.asarray(cases, dtype=float)
    n = np.asarray(trials, dtype=float)
    C, N = float(total_cases), float(total_trials)
    inside = _xlogx(c) + _xlogx(n - c) - _xlogx(n)
    outside = _xlogx(C - c) + _xlogx((N - n) - (C - c)) - _xlogx(N - n)
    null = _xlogx(C) + _xlogx(N - C) - _xlogx(N)
    with np.errstate(divide="ignore", invalid="ignore"):
        high = (n > 0) & (c / np.where(n > 0, n, 1) > (C - c) / np.where(N - n > 0, N - n, np.inf))
    return np.where(high, inside + outside - null, 0.0)


# --- geometry -----------------------------------------------------------------------------


def _coordinates(gdf, coordinates: str | None) -> tuple[np.ndarray, str]:
    """(N×2 coordinates, "latlong" | "metres" | "units")."""
    geometry = gdf.geometry
    points = bool((geometry.geom_type == "Point").all())
    crs = gdf.crs
    if coordinates == "latlong" or (
        coordinates is None and crs is not None and crs.is_geographic and points
    ):
        return np.column_stack([geometry.x.to_numpy(), geometry.y.to_numpy()]), "latlong"
    if crs is not None and crs.is_geographic:
        try:
            projected = gdf.to_crs(gdf.estimate_utm_crs())
        except Exception:  # pragma: no cover - unusual extents
            projected = gdf.to_crs(NTT_METRIC_CRS)
        centres = projected.geometry.centroid
        return np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()]), "metres"
    centres = geometry if points else geometry.centroid
    kind = "metres" if crs is not None else "units"
    return np.column_stack([centres.x.to_numpy(), centres.y.to_numpy()]), kind


def _distances(xy: np.ndarray, kind: str) -> np.ndarray:
    if kind == "latlong":
        lon, lat = np.radians(xy[:, 0]), np.radians(xy[:, 1])
        dlat = lat[:, None] - lat[None, :]
        dlon = lon[:, None] - lon[None, :]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        )
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    delta = xy[:, None, :] - xy[None, :, :]
    return np.sqrt((delta**2).sum(axis=2))


# --- windows ------------------------------------------------------------------------------


@dataclass
class _Windows:
    order: np.ndarray  # (N, K) neighbour indices, nearest first
    radius: np.ndarray  # (N, K) distance to the k-th neighbour
    flat: np.ndarray  # indices of the valid windows in the (N, K) grid, flattened
    centre: np.ndarray  # centre of each valid window
    size: np.ndarray  # number of units in each valid window


def _windows(
    distance: np.ndarray, weight: np.ndarray, limit: float, max_radius: float = np.inf
) -> _Windows:
    """Circular windows around each centre, k nearest with ties together, while the
    cumulative ``weight`` is at most ``limit`` (and the radius at most ``max_radius``)."""
    order = np.argsort(distance, axis=1, kind="stable")
    sorted_distance = np.take_along_axis(distance, order, axis=1)
    within = np.cumsum(weight[order], axis=1) <= limit * (1 + 1e-12)
    within &= sorted_distance <= max_radius * (1 + 1e-12)
    next_distance = np.empty_like(sorted_distance)
    next_distance[:, :-1] = sorted_distance[:, 1:]
    next_distance[:, -1] = np.inf
    valid = within & (sorted_distance < next_distance)  # never split units at one distance
    reach = valid[:, ::-1].argmax(axis=1)  # last valid column, counted from the end
    k = int(max(1, (valid.shape[1] - reach)[valid.any(axis=1)].max(initial=1)))
    valid = valid[:, :k]
    flat = np.flatnonzero(valid.ravel())
    return _Windows(
        order=order[:, :k],
        radius=sorted_distance[:, :k],
        flat=flat,
        centre=flat // k,
        size=flat % k + 1,
    )


def _window_sums(values: np.ndarray, windows: _Windows) -> np.ndarray:
    """Sum of ``values`` (…, N) in every valid window: (…, W)."""
    gathered = values.take(windows.order, axis=-1)
    cumulative = np.cumsum(gathered, axis=-1, dtype=gathered.dtype)
    shape = cumulative.shape
    return cumulative.reshape(*shape[:-2], shape[-2] * shape[-1])[..., windows.flat]


# --- the result ----------------------------------------------------------------------------


@dataclass
class ScanResult:
    """What :func:`scan_statistic` found.

    Attributes
    ----------
    clusters : pandas.DataFrame
        One row per reported cluster, most likely first: ``cluster_id, centre_id,
        radius_km`` (``radius`` in data units when the CRS is unknown), ``n_units,
        observed, expected, relative_risk, llr, p_value`` (and ``time_start, time_end``
        for space-time).
    members : pandas.DataFrame
        Unit id → ``cluster_id`` for every unit of a reported cluster.
    parameters : dict
        Model, sizes, permutations, seed, distance: every setting used (as SaTScan prints).
    totals : dict
        Units, cases, population / controls.
    replicate_maxima : numpy.ndarray
        The maximum LLR of each replicated data set. For the space-time permutation model
        a maximum below the smallest reported LLR is not computed (NaN): it cannot change
        any p-value.
    """

    clusters: pd.DataFrame
    members: pd.DataFrame
    parameters: dict[str, object]
    totals: dict[str, float]
    replicate_maxima: np.ndarray = field(repr=False)

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        """The clusters with ``p_value <= alpha``."""
        return self.clusters[self.clusters["p_value"] <= alpha]

    def summary(self) -> str:
        """A SaTScan-like text: data, settings, then each cluster."""
        p = self.parameters
        lines = [
            f"{p['model']} scan statistic, high rates, {p['permutations']:,} replications "
            f"(seed {p['seed']}), circular windows up to {p['max_size']:.0%} of the "
            f"{p['size_of']}, at least {p['min_cases']} cases, distances {p['distance']}",
            f"{self.totals['units']:,} units, {self.totals['cases']:,.0f} cases",
        ]
        decimals = len(str(int(p["permutations"]) + 1)) - 1  # p = 1/(R+1) at the least
        for row in self.clusters.itertuples():
            lines.append(
                f"{row.cluster_id}. centre {row.centre_id}, {row.n_units} unit(s): observed "
                f"{row.observed:,.0f}, expected {row.expected:,.2f}, RR {row.relative_risk:.2f}, "
                f"LLR {row.llr:.2f}, p = {row.p_value:.{decimals}f}"
            )
        return "\n".join(lines)


# --- the statistic ----------------------------------------------------------------------------


def _values(frame: pd.DataFrame, column: str, what: str) -> np.ndarray:
    if column not in frame.columns:
        raise KeyError(f"no column {column!r} for the {what}")
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    if np.isnan(values).any() or (values < 0).any():
        bad = frame.index[np.isnan(values) | (values < 0)][:5].tolist()
        raise ValueError(f"{what} column {column!r} must be numbers ≥ 0 (rows {bad})")
    return values


def _radius_limit(max_radius_km: float | None, kind: str) -> float:
    if max_radius_km is None:
        return np.inf
    return max_radius_km * 1000 if kind == "metres" else max_radius_km


def _time_axis(values: pd.Series, time_range) -> tuple[np.ndarray, np.ndarray]:
    """(time index of each row, label of each index): a contiguous axis, so that time units
    without cases still count (days for dates, units for whole numbers)."""
    if pd.api.types.is_datetime64_any_dtype(values) or (
        isinstance(values.iloc[0], str) and pd.to_datetime(values, errors="coerce").notna().all()
    ):
        days = pd.to_datetime(values).dt.normalize()
        first, last = (
            (pd.Timestamp(time_range[0]), pd.Timestamp(time_range[1]))
            if time_range
            else (days.min(), days.max())
        )
        labels = pd.date_range(first, last, freq="D")
        return ((days - first).dt.days).to_numpy(), labels.to_numpy()
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all() and (numbers == numbers.round()).all():
        first, last = (
            (int(time_range[0]), int(time_range[1]))
            if time_range
            else (
                int(numbers.min()),
                int(numbers.max()),
            )
        )
        return (numbers.astype(int) - first).to_numpy(), np.arange(first, last + 1)
    labels = np.sort(pd.unique(values))
    position = {label: i for i, label in enumerate(labels)}
    return values.map(position).to_numpy(), labels


def _counts(values: np.ndarray, what: str) -> np.ndarray:
    """Whole-number counts as int64 (the scan counts people, never fractions)."""
    whole = np.round(values)
    if not np.allclose(values, whole):
        raise ValueError(f"{what} must be whole numbers (counts of people)")
    return whole.astype(np.int64)


def _chunk(n_windows: int, width: int = 1) -> int:
    return int(max(1, _BYTES_PER_CHUNK // max(1, 8 * n_windows * width)))


def scan_statistic(
    gdf,
    cases: str,
    *,
    model: str = "poisson",
    population: str | None = None,
    controls: str | None = None,
    time: str | None = None,
    id_col: str = "district_code",
    max_size: float = 0.5,
    max_temporal: float = 0.5,
    prospective: bool = False,
    permutations: int = PERMUTATIONS,
    seed: int = SEED,
    min_cases: int = MIN_CASES,
    n_clusters: int = 10,
    coordinates: str | None = None,
    max_radius_km: float | None = None,
    time_range: tuple[object, object] | None = None,
) -> ScanResult:
    """Kulldorff's circular scan statistic (see the module docstring).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per unit (points or polygons, any id column); for the space-time model one
        row per unit and time unit (the same geometry repeated), or give ``time``.
    cases : str
        Column of case counts.
    model : {"poisson", "bernoulli", "space_time_permutation"}
    population : str, optional
        Poisson: the population (or expected counts) of each unit.
    controls : str, optional
        Bernoulli: the controls of each unit (cases + controls = all trials).
    time : str, optional
        Space-time: the time unit of each row (years, or any sortable values).
    id_col : str
        Unit id.
    max_size : float
        Largest window, as a share of the population / trials / cases (SaTScan: 0.5).
    max_temporal : float
        Space-time: longest time run, as a share of the study period.
    prospective : bool
        Space-time: only runs that end with the last time unit.
    permutations : int
        Replicated data sets for the Monte Carlo p-value.
    seed : int
    min_cases : int
        Fewest cases in a high-rate cluster.
    n_clusters : int
        Most clusters reported (the most likely and the non-overlapping ones after it).
    coordinates : {"latlong", "cartesian"}, optional
        Override the choice of distance (module docstring).
    max_radius_km : float, optional
        Largest window radius as well (km; data units when the CRS is unknown).
    time_range : (start, end), optional
        Space-time: the study period (default: first to last time in the data). Time
        units without cases still count: dates become days, whole numbers stay units.

    Returns
    -------
    ScanResult
    """
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    if not 0 < max_size <= 1:
        raise ValueError(f"max_size must be in (0, 1], got {max_size}")
    if permutations < 1:
        raise ValueError(f"permutations must be positive, got {permutations}")
    if id_col not in gdf.columns:
        raise KeyError(f"id column {id_col!r} not in the data")
    if model == "poisson" and population is None:
        raise ValueError("the Poisson model needs population= (a column of the data)")
    if model == "bernoulli" and controls is None:
        raise ValueError("the Bernoulli model needs controls= (a column of the data)")
    if model == "space_time_permutation" and time is None:
        raise ValueError("the space-time permutation model needs time= (a column of the data)")
    rng = np.random.default_rng(seed)
    if model == "space_time_permutation":
        return _space_time(
            gdf, cases, time, id_col, max_size, max_temporal, prospective, permutations, seed,
            rng, min_cases, n_clusters, coordinates, max_radius_km, time_range,
        )  # fmt: skip
    units = gdf.drop_duplicates(id_col) if gdf[id_col].duplicated().any() else gdf
    table = pd.DataFrame(gdf.drop(columns="geometry"))
    sums = table.groupby(id_col, sort=False).sum(numeric_only=True).reindex(units[id_col])
    case_counts = _counts(_values(sums, cases, "cases"), "cases")
    xy, kind = _coordinates(units, coordinates)
    distance = _distances(xy, kind)
    radius = _radius_limit(max_radius_km, kind)
    total_cases = float(case_counts.sum())
    if model == "poisson":
        weight = _values(sums, population, "population")
        total = float(weight.sum())
        if total <= 0:
            raise ValueError("the population sums to zero")
        windows = _windows(distance, weight, max_size * total, radius)
        expected = total_cases * _window_sums(weight, windows) / total
        size_of = "population"
    else:
        controls_counts = _counts(_values(sums, controls, "controls"), "controls")
        weight = case_counts + controls_counts
        total = float(weight.sum())
        windows = _windows(distance, weight, max_size * total, radius)
        trials = _window_sums(weight, windows)
        size_of = "cases and controls"
    observed = _window_sums(case_counts, windows)
    if model == "poisson":
        score: _Score = _PoissonScore(total_cases, expected, min_cases)
    else:
        score = _BernoulliScore(total_cases, total, trials, min_cases)
    llr = score(observed)
    reference = expected if model == "poisson" else trials * total_cases / total
    clusters, members = _report(
        units[id_col].to_numpy(), windows, observed, reference, llr, total_cases, n_clusters,
        kind,
    )  # fmt: skip

    # Every replicate drawn beforehand from the one seeded generator, then evaluated on
    # threads: the same numbers whatever the number of cores.
    if model == "poisson":
        replicates = rng.multinomial(int(total_cases), weight / total, size=permutations)
    else:
        replicates = rng.multivariate_hypergeometric(
            weight.astype(np.int64), int(total_cases), size=permutations, method="count"
        )
    maxima = _replicate_maxima(replicates.astype(np.int32), windows, score, _floor_llr(clusters))
    clusters["p_value"] = _p_values(clusters["llr"], maxima)
    members = members.rename(columns={"unit": id_col})
    parameters = {
        "model": model,
        "max_size": max_size,
        "size_of": size_of,
        "min_cases": min_cases,
        "permutations": permutations,
        "seed": seed,
        "distance": {"latlong": "great circle (km)", "metres": "planar (km)", "units": "planar"}[
            kind
        ],
        "windows": len(windows.flat),
    }
    totals = {"units": len(units), "cases": total_cases, size_of: total}
    return ScanResult(clusters, members, parameters, totals, maxima)


class _Score:
    """LLR of windows from their case counts, with the parts fixed per window computed
    once: ``score(c)`` for every window, ``score(c, where)`` for the windows ``where``."""

    threshold: np.ndarray  # least count of a high-rate window (c > expected, c >= min_cases)
    cap: np.ndarray  # greatest possible count of each window

    def __call__(self, c: np.ndarray, where: np.ndarray | slice = slice(None)) -> np.ndarray:
        raise NotImplementedError

    def least(self, level: float) -> np.ndarray:
        """Per window, the least count whose LLR reaches ``level`` (``cap + 1`` when none
        does): a vectorised bisection, the LLR of a high-rate window rising with its count."""
        low = np.minimum(self.threshold, self.cap + 1).astype(np.int64)
        high = self.cap.astype(np.int64) + 1
        while True:
            open_ = np.flatnonzero(low < high)
            if not open_.size:
                return low
            middle = (low[open_] + high[open_]) // 2
            reaches = self(middle, open_) >= level
            high[open_[reaches]] = middle[reaches]
            low[open_[~reaches]] = middle[~reaches] + 1


class _PoissonScore(_Score):
    """Poisson LLR ``c ln(c/E) + (C-c) ln((C-c)/(C-E)) = T[c] - c·a - b`` with the table
    ``T[c] = c ln c + (C-c) ln(C-c)`` and, per window, ``a = ln E - ln(C-E)``,
    ``b = C ln(C-E)``: one table lookup, one product and two subtractions per window and
    replicate, no logarithm."""

    def __init__(self, total: float, expected: np.ndarray, min_cases: int):
        grid = np.arange(int(total) + 1, dtype=float)
        self.table = _xlogx(grid) + _xlogx(total - grid)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.a = np.log(expected) - np.log(total - expected)
            self.b = total * np.log(total - expected)
        self.threshold = np.maximum(np.floor(expected) + 1, min_cases)
        self.cap = np.full(len(expected), int(total))

    def __call__(self, c: np.ndarray, where: np.ndarray | slice = slice(None)) -> np.ndarray:
        with np.errstate(invalid="ignore"):  # 0 · -inf where nothing is expected
            value = self.table.take(c) - c * self.a[where] - self.b[where]
        value[c < self.threshold[where]] = 0.0
        return value


class _BernoulliScore(_Score):
    """Bernoulli LLR from a window's case count ``c`` among its ``n`` trials: four
    ``x·ln x`` table lookups per window and replicate, the rest fixed per window."""

    def __init__(self, total_cases: float, total_trials: float, trials: np.ndarray, min_cases):
        big_c, big_n = int(total_cases), int(total_trials)
        self.big_c = big_c
        self.xlogx = _xlogx(np.arange(big_n + 1, dtype=float))
        self.n = trials.astype(np.int64)
        xlogx, n = self.xlogx, self.n
        self.fixed = (
            -xlogx[n] - xlogx[big_n - n] - (xlogx[big_c] + xlogx[big_n - big_c] - xlogx[big_n])
        )
        self.rest = big_n - n - big_c  # (N - n) - (C - c) = rest + c
        # c/n > (C - c)/(N - n)  ⇔  c > C·n/N; and c >= min_cases; never with n = 0
        threshold = np.maximum(np.floor(big_c * n / big_n) + 1, min_cases)
        self.threshold = np.where(n > 0, threshold, big_n + 1)
        self.cap = np.minimum(n, big_c)

    def __call__(self, c: np.ndarray, where: np.ndarray | slice = slice(None)) -> np.ndarray:
        xlogx = self.xlogx
        value = xlogx.take(c)
        value += xlogx.take(self.n[where] - c)
        value += xlogx.take(self.big_c - c)
        value += xlogx.take(self.rest[where] + c)
        value += self.fixed[where]
        value[c < self.threshold[where]] = 0.0
        return value


def _floor_llr(clusters: pd.DataFrame) -> float:
    """The least LLR a replicate's maximum must reach to change a reported p-value."""
    return float(clusters["llr"].min()) - 1e-9 if len(clusters) else np.inf


def _p_values(llr: pd.Series, maxima: np.ndarray) -> np.ndarray:
    """Monte Carlo p: (1 + replicates whose maximum reaches the LLR) / (replicates + 1)."""
    beaten = np.array([np.sum(maxima >= value - 1e-9) for value in llr], dtype=float)
    return (1 + beaten) / (len(maxima) + 1)


def _workers() -> int:
    """Threads for the replicates (numpy releases the GIL in their array loops)."""
    return max(1, min(4, os.cpu_count() or 1))


def _replicate_maxima(
    replicates: np.ndarray, windows: _Windows, score: _Score, floor: float
) -> np.ndarray:
    """The maximum LLR of each replicate (rows of ``replicates``: counts per unit).

    Only maxima at or above ``floor`` (the smallest reported LLR) can change a p-value,
    so each window gets the least count that reaches it (:meth:`_Score.least`) and a
    replicate evaluates only the windows at or above theirs; a replicate with none is
    recorded as NaN (its maximum is lower). Window sums are cumulative sums over each
    centre's sorted neighbours, several replicates at a time (sized for the L2 cache).
    """
    n_units, width = windows.order.shape
    reach = np.full(n_units * width, np.iinfo(np.int32).max, dtype=np.int32)
    reach[windows.flat] = np.minimum(score.least(floor), np.iinfo(np.int32).max)
    window_of = np.full(n_units * width, -1, dtype=np.int64)
    window_of[windows.flat] = np.arange(len(windows.flat))
    maxima = np.full(len(replicates), np.nan)
    chunk = _chunk(windows.order.size, 1)

    def run(start: int) -> None:
        block = replicates[start : start + chunk]
        sums = np.cumsum(block.take(windows.order, axis=-1), axis=-1, dtype=np.int32)
        sums = sums.reshape(len(block), -1)
        rows, cells = np.nonzero(sums >= reach)
        if rows.size:
            values = score(sums[rows, cells], window_of[cells])
            best = np.full(len(block), -np.inf)
            np.maximum.at(best, rows, values)
            maxima[start : start + len(block)] = np.where(np.isfinite(best), best, np.nan)

    starts = range(0, len(replicates), chunk)
    with ThreadPoolExecutor(_workers()) as pool:
        list(pool.map(run, starts))
    return maxima


def _non_overlapping(llr, windows, n_units, n_clusters, n_windows=None):
    """Windows by falling LLR, skipping any that shares a unit with one already taken:
    the most likely cluster, then the secondary ones (SaTScan's "no geographical
    overlap"). ``llr`` may be interval-major over ``n_windows`` spatial windows (space-time
    cylinders). Yields ``(cluster_id, index into llr, centre, size, units inside)``."""
    used = np.zeros(n_units, dtype=bool)
    taken = 0
    for flat in np.argsort(-llr, kind="stable"):
        if llr[flat] <= 0 or taken >= n_clusters:
            return
        w = int(flat) % n_windows if n_windows else int(flat)
        centre, size = windows.centre[w], windows.size[w]
        inside = windows.order[centre, :size]
        if used[inside].any():
            continue
        used[inside] = True
        taken += 1
        yield taken, int(flat), centre, size, inside


def _report(ids, windows, observed, expected, llr, total_cases, n_clusters, kind):
    """Most likely cluster, then non-overlapping ones (p-values are added later)."""
    rows, members = [], []
    scale = 1 / 1000 if kind == "metres" else 1.0
    for cluster_id, w, centre, size, inside in _non_overlapping(llr, windows, len(ids), n_clusters):
        c, e = observed[w], expected[w]
        with np.errstate(divide="ignore", invalid="ignore"):
            relative_risk = (c / e) / ((total_cases - c) / (total_cases - e))
        radius = windows.radius[centre, size - 1] * scale
        rows.append(
            {
                "cluster_id": cluster_id,
                "centre_id": ids[centre],
                "radius_km": radius if kind != "units" else np.nan,
                "radius": radius,
                "n_units": int(size),
                "observed": float(c),
                "expected": float(e),
                "relative_risk": float(relative_risk),
                "llr": float(llr[w]),
                "p_value": np.nan,
            }
        )
        members += [{"unit": ids[i], "cluster_id": cluster_id} for i in inside]
    clusters = pd.DataFrame(rows, columns=[
        "cluster_id", "centre_id", "radius_km", "radius", "n_units", "observed", "expected",
        "relative_risk", "llr", "p_value",
    ])  # fmt: skip
    return clusters, pd.DataFrame(members, columns=["unit", "cluster_id"])


# --- space-time permutation ----------------------------------------------------------------


def _space_time(
    gdf, cases, time, id_col, max_size, max_temporal, prospective, permutations, seed, rng,
    min_cases, n_clusters, coordinates, max_radius_km, time_range,
) -> ScanResult:  # fmt: skip
    table = pd.DataFrame(gdf.drop(columns="geometry"))
    counts = _counts(_values(table, cases, "cases"), "cases")
    units = gdf.drop_duplicates(id_col)
    ids = units[id_col].to_numpy()
    position = {unit: i for i, unit in enumerate(ids)}
    time_index, times = _time_axis(table[time], time_range)
    inside = (time_index >= 0) & (time_index < len(times))
    if not inside.all():
        raise ValueError(f"{int((~inside).sum())} row(s) fall outside time_range {time_range}")
    n_units, n_times = len(ids), len(times)
    matrix = np.zeros((n_units, n_times))
    np.add.at(matrix, (table[id_col].map(position).to_numpy(), time_index), counts)
    total = float(matrix.sum())
    xy, kind = _coordinates(units, coordinates)
    windows = _windows(
        _distances(xy, kind),
        matrix.sum(axis=1),
        max_size * total,
        _radius_limit(max_radius_km, kind),
    )
    longest = max(1, int(np.floor(max_temporal * n_times + 1e-9)))
    intervals = [
        (a, b)
        for a in range(n_times)
        for b in range(a, n_times)
        if b - a + 1 <= longest and (not prospective or b == n_times - 1)
    ]
    starts = np.array([a for a, _ in intervals])
    ends = np.array([b for _, b in intervals])

    # Under permutation of the event times every unit keeps its total and every time its
    # total, so the expected count of each cylinder (zone total × period total / total)
    # is the same in every replicate: only the observed count changes, and the LLR is a
    # table lookup as in the Poisson model.
    zone_total = _window_sums(matrix.sum(axis=1), windows)  # (W,)
    time_prefix = np.concatenate([[0.0], np.cumsum(matrix.sum(axis=0))])
    run = time_prefix[ends + 1] - time_prefix[starts]  # (I,)
    mu = (run[:, None] * zone_total[None, :] / total).reshape(-1)  # (I·W,)
    score = _PoissonScore(total, mu, min_cases)

    def cylinders(m: np.ndarray) -> np.ndarray:
        """Observed count of every cylinder, interval-major: (I·W,) integers."""
        zone_time = _window_sums(m.T, windows)  # (T, W)
        prefix = np.zeros((n_times + 1, zone_time.shape[1]), dtype=np.int32)
        for t in range(n_times):  # row by row: numpy's cumsum along axis 0 is slow here
            np.add(prefix[t], zone_time[t], out=prefix[t + 1])
        return (prefix[ends + 1] - prefix[starts]).reshape(-1)

    counts_matrix = matrix.astype(np.int32)
    c = cylinders(counts_matrix)
    llr = score(c)

    n_windows = len(windows.flat)
    rows, members = [], []
    scale = 1 / 1000 if kind == "metres" else 1.0
    for cluster_id, flat, centre, size, inside in _non_overlapping(
        llr, windows, n_units, n_clusters, n_windows=n_windows
    ):
        interval = flat // n_windows
        observed, expected = float(c[flat]), float(mu[flat])
        a, b = intervals[interval]
        rows.append(
            {
                "cluster_id": cluster_id,
                "centre_id": ids[centre],
                "radius_km": windows.radius[centre, size - 1] * scale
                if kind != "units"
                else np.nan,
                "radius": windows.radius[centre, size - 1] * scale,
                "n_units": int(size),
                "time_start": times[a],
                "time_end": times[b],
                "observed": observed,
                "expected": expected,
                "relative_risk": (observed / expected) / ((total - observed) / (total - expected)),
                "llr": float(llr[flat]),
            }
        )
        members += [{id_col: ids[i], "cluster_id": cluster_id} for i in inside]

    # Replicates: as in _replicate_maxima, only cylinders at or above the least count that
    # reaches the smallest reported LLR are evaluated (a replicate with none: NaN).
    clusters = pd.DataFrame(rows)
    reach = score.least(_floor_llr(clusters)) if rows else np.full(len(c), np.inf)
    events_unit = np.repeat(np.repeat(np.arange(n_units), n_times), counts_matrix.ravel())
    events_time = np.repeat(np.tile(np.arange(n_times), n_units), counts_matrix.ravel())
    shuffled = np.stack([rng.permutation(events_time) for _ in range(permutations)])
    maxima = np.full(permutations, np.nan)

    def replicate_maxima(part: range) -> None:
        for r in part:
            replicate = np.bincount(
                events_unit * n_times + shuffled[r], minlength=n_units * n_times
            ).reshape(n_units, n_times)
            counts = cylinders(replicate.astype(np.int32))
            hits = np.flatnonzero(counts >= reach)
            if hits.size:
                maxima[r] = score(counts[hits], hits).max()

    # each replicate's times drawn beforehand from the one seeded generator: the same
    # result whatever the number of threads
    workers = _workers()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(replicate_maxima, [range(i, permutations, workers) for i in range(workers)]))
    if rows:
        clusters["p_value"] = _p_values(clusters["llr"], maxima)
    parameters = {
        "model": "space_time_permutation",
        "max_size": max_size,
        "size_of": "cases",
        "max_temporal": max_temporal,
        "prospective": prospective,
        "min_cases": min_cases,
        "permutations": permutations,
        "seed": seed,
        "distance": {"latlong": "great circle (km)", "metres": "planar (km)", "units": "planar"}[
            kind
        ],
        "windows": n_windows * len(intervals),
    }
    totals = {"units": n_units, "cases": total, "time units": n_times}
    return ScanResult(
        clusters, pd.DataFrame(members, columns=[id_col, "cluster_id"]), parameters, totals, maxima
    )


def centroids(gdf) -> np.ndarray:
    """Unit centroids as the scan uses them (metric; lon/lat for points)."""
    return _coordinates(gdf, None)[0]


__all__ = [
    "MODELS",
    "ScanResult",
    "bernoulli_llr",
    "centroids",
    "poisson_llr",
    "scan_statistic",
]
