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
    cumulative = np.cumsum(gathered, axis=-1)
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
        The maximum LLR of each replicated data set.
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
        for row in self.clusters.itertuples():
            lines.append(
                f"{row.cluster_id}. centre {row.centre_id}, {row.n_units} unit(s): observed "
                f"{row.observed:,.0f}, expected {row.expected:,.2f}, RR {row.relative_risk:.2f}, "
                f"LLR {row.llr:.6f}, p = {row.p_value:.3f}"
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
        evaluate = _poisson_table(total_cases, expected, min_cases)
    else:
        evaluate = _bernoulli_table(total_cases, total, trials, min_cases)
    llr = evaluate(observed)

    maxima = np.empty(permutations)
    done = 0
    chunk = _chunk(windows.order.size)
    while done < permutations:
        size = min(chunk, permutations - done)
        if model == "poisson":
            replicate = rng.multinomial(int(total_cases), weight / total, size=size)
        else:
            replicate = rng.multivariate_hypergeometric(
                weight.astype(np.int64), int(total_cases), size=size, method="count"
            )
        values = evaluate(_window_sums(replicate, windows))
        maxima[done : done + size] = values.max(axis=-1) if values.shape[-1] else 0.0
        done += size

    reference = expected if model == "poisson" else trials * total_cases / total
    clusters, members = _report(
        units[id_col].to_numpy(), windows, observed, reference, llr, maxima, total_cases,
        n_clusters, kind,
    )  # fmt: skip
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


def _poisson_table(total: float, expected: np.ndarray, min_cases: int):
    """LLR of every window from its observed count ``c``.

    ``c ln(c/E) + (C-c) ln((C-c)/(C-E)) = T[c] - c·a - b`` with the table
    ``T[c] = c ln c + (C-c) ln(C-c)`` and, per window, ``a = ln E - ln(C-E)``,
    ``b = C ln(C-E)``: one table lookup, one product and two subtractions per window and
    replicate, no logarithm.
    """
    grid = np.arange(int(total) + 1, dtype=float)
    table = _xlogx(grid) + _xlogx(total - grid)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.log(expected) - np.log(total - expected)
        b = total * np.log(total - expected)
    threshold = np.maximum(np.floor(expected) + 1, min_cases)  # c > E and c >= min_cases

    def evaluate(observed: np.ndarray) -> np.ndarray:
        value = table.take(observed)
        value -= observed * a
        value -= b
        value[observed < threshold] = 0.0
        return value

    return evaluate


def _bernoulli_table(total_cases: float, total_trials: float, trials: np.ndarray, min_cases: int):
    """LLR of every window from its case count ``c``; the parts fixed by the window's
    trials ``n`` are computed once (``x·ln x`` table lookups per window and replicate)."""
    big_c, big_n = int(total_cases), int(total_trials)
    xlogx = _xlogx(np.arange(big_n + 1, dtype=float))
    n = trials.astype(np.int64)
    fixed = -xlogx[n] - xlogx[big_n - n] - (xlogx[big_c] + xlogx[big_n - big_c] - xlogx[big_n])
    rest = big_n - n - big_c  # (N - n) - (C - c) = rest + c
    # c/n > (C - c)/(N - n)  ⇔  c > C·n/N; and c >= min_cases
    threshold = np.maximum(np.floor(big_c * n / big_n) + 1, min_cases)

    def evaluate(observed: np.ndarray) -> np.ndarray:
        value = xlogx.take(observed)
        value += xlogx.take(n - observed)
        value += xlogx.take(big_c - observed)
        value += xlogx.take(rest + observed)
        value += fixed
        value[(observed < threshold) | (n == 0)] = 0.0
        return value

    return evaluate


def _report(ids, windows, observed, expected, llr, maxima, total_cases, n_clusters, kind):
    """Most likely cluster, then non-overlapping ones, with Monte Carlo p-values."""
    ranked = np.argsort(-llr, kind="stable")
    used = np.zeros(len(ids), dtype=bool)
    rows, members = [], []
    scale = 1 / 1000 if kind == "metres" else 1.0
    for w in ranked:
        if llr[w] <= 0 or len(rows) >= n_clusters:
            break
        centre, size = windows.centre[w], windows.size[w]
        inside = windows.order[centre, :size]
        if used[inside].any():
            continue
        used[inside] = True
        cluster_id = len(rows) + 1
        c, e = observed[w], expected[w]
        with np.errstate(divide="ignore", invalid="ignore"):
            relative_risk = (c / e) / ((total_cases - c) / (total_cases - e))
        p_value = (1 + np.sum(maxima >= llr[w] - 1e-9)) / (len(maxima) + 1)
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
                "p_value": float(p_value),
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

    def evaluate(c: np.ndarray, mu: np.ndarray, least: int) -> np.ndarray:
        keep = (c > mu) & (c >= least)
        return np.where(keep, poisson_llr(c, mu, total), 0.0)

    def cylinders(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Observed and expected counts of every cylinder: (…, W, I)."""
        zone_time = _window_sums(np.moveaxis(m, -1, -2), windows)  # (…, T, W)
        zone_time = np.moveaxis(zone_time, -2, -1)  # (…, W, T)
        prefix = np.concatenate(
            [np.zeros((*zone_time.shape[:-1], 1)), np.cumsum(zone_time, axis=-1)], axis=-1
        )
        c = prefix[..., ends + 1] - prefix[..., starts]
        zone_total = prefix[..., -1:]
        time_totals = np.concatenate([[0.0], np.cumsum(m.sum(axis=-2), axis=-1)[..., :]], axis=-1)
        run = time_totals[..., ends + 1] - time_totals[..., starts]
        mu = zone_total * run[..., None, :] / total
        return c, mu

    c, mu = cylinders(matrix)
    llr = evaluate(c, mu, min_cases).reshape(-1)
    events_unit = np.repeat(np.repeat(np.arange(n_units), n_times), matrix.ravel().astype(int))
    events_time = np.repeat(np.tile(np.arange(n_times), n_units), matrix.ravel().astype(int))
    maxima = np.empty(permutations)
    for r in range(permutations):
        shuffled = rng.permutation(events_time)
        replicate = (
            np.bincount(events_unit * n_times + shuffled, minlength=n_units * n_times)
            .reshape(n_units, n_times)
            .astype(float)
        )
        rc, rmu = cylinders(replicate)
        maxima[r] = evaluate(rc, rmu, min_cases).max(initial=0.0)

    n_intervals = len(intervals)
    observed_flat = c.reshape(-1)
    expected_flat = mu.reshape(-1)
    ranked = np.argsort(-llr, kind="stable")
    used = np.zeros(n_units, dtype=bool)
    rows, members = [], []
    scale = 1 / 1000 if kind == "metres" else 1.0
    for flat in ranked:
        if llr[flat] <= 0 or len(rows) >= n_clusters:
            break
        w, interval = divmod(int(flat), n_intervals)
        centre, size = windows.centre[w], windows.size[w]
        inside = windows.order[centre, :size]
        if used[inside].any():
            continue
        used[inside] = True
        cluster_id = len(rows) + 1
        observed, expected = observed_flat[flat], expected_flat[flat]
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
                "observed": float(observed),
                "expected": float(expected),
                "relative_risk": float(
                    (observed / expected) / ((total - observed) / (total - expected))
                ),
                "llr": float(llr[flat]),
                "p_value": float((1 + np.sum(maxima >= llr[flat] - 1e-9)) / (permutations + 1)),
            }
        )
        members += [{id_col: ids[i], "cluster_id": cluster_id} for i in inside]
    clusters = pd.DataFrame(rows)
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
        "windows": len(windows.flat) * n_intervals,
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
