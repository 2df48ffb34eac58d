"""Kulldorff's scan statistic (:mod:`migration_ntt.spatial.scan`) with 999 replications.

* the 315 kecamatan of NTT: Poisson (synthetic population and cases), Bernoulli and the
  space-time permutation model (7 years): median of 5 runs each;
* all 3,442 desa/kelurahan as points, Poisson: median of 3 runs. Village locations are
  not in the shipped data, so each village is a **synthetic** point drawn uniformly inside
  its kecamatan polygon (seeded); the time depends on the number of units and windows,
  not on where exactly the points lie.

Target (issue 12): the 315-kecamatan Poisson scan under 1 s (SaTScan v10.3.2 takes
2.2–3.1 s for it on the 2-core CI machine).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from benchmarks.timing import median_seconds
from migration_ntt.ingest import boundaries
from migration_ntt.regions import places
from migration_ntt.spatial import scan


def _report(label: str, function, repeats: int) -> None:
    result = function()
    median, runs = median_seconds(function, repeats=repeats)
    top = result.clusters.iloc[0]
    print(
        f"{label}: {result.totals['units']:,} units, {result.parameters['windows']:,} windows; "
        f"median {median:.3f} s ({', '.join(f'{t:.3f}' for t in runs)}); "
        f"most likely cluster LLR {top.llr:.6f}, p = {top.p_value:.3f}"
    )


def village_points(seed: int = 0) -> gpd.GeoDataFrame:
    """One synthetic point per village, uniform inside its kecamatan (metric CRS)."""
    rng = np.random.default_rng(seed)
    districts = boundaries.load_boundaries("district")[["district_code", "geometry"]]
    districts = districts.to_crs(32751)
    villages = places.places("village")[["kemendagri_code", "district_code"]]
    shapes = districts.set_index("district_code").geometry
    points = []
    for code, group in villages.groupby("district_code", sort=False):
        polygon = shapes[code]
        shapely.prepare(polygon)
        x0, y0, x1, y1 = polygon.bounds
        found: list[shapely.Point] = []
        while len(found) < len(group):
            candidates = shapely.points(rng.uniform(x0, x1, 64), rng.uniform(y0, y1, 64))
            found += list(candidates[shapely.contains(polygon, candidates)])
        points += found[: len(group)]
    return gpd.GeoDataFrame(
        {"village_code": villages.groupby("district_code", sort=False)["kemendagri_code"]
         .apply(list).explode().to_numpy()},
        geometry=points,
        crs=districts.crs,
    )  # fmt: skip


def main() -> None:
    rng = np.random.default_rng(1)
    districts = boundaries.load_boundaries("district")[["district_code", "geometry"]]
    population = rng.gamma(4, 5_000, len(districts)).round()
    data = districts.assign(
        population=population,
        cases=rng.poisson(population * 2_000 / population.sum()),
        controls=rng.poisson(population * 500 / population.sum()),
    )
    _report(
        "kecamatan, Poisson",
        lambda: scan.scan_statistic(data, "cases", population="population", seed=1),
        5,
    )
    _report(
        "kecamatan, Bernoulli",
        lambda: scan.scan_statistic(data, "cases", model="bernoulli", controls="controls", seed=1),
        5,
    )
    years = pd.concat(
        [
            districts.assign(year=year, cases=rng.poisson(0.9, len(districts)))
            for year in range(2019, 2026)
        ],
        ignore_index=True,
    )
    years = gpd.GeoDataFrame(years, geometry="geometry", crs=districts.crs)
    _report(
        "kecamatan × 7 years, space-time permutation",
        lambda: scan.scan_statistic(
            years, "cases", model="space_time_permutation", time="year", seed=1
        ),
        5,
    )
    villages = village_points()
    village_population = rng.gamma(2, 600, len(villages)).round() + 50
    villages = villages.assign(
        population=village_population,
        cases=rng.poisson(village_population * 3_000 / village_population.sum()),
    )
    _report(
        "3,442 villages as points (synthetic locations), Poisson",
        lambda: scan.scan_statistic(
            villages, "cases", population="population", id_col="village_code", seed=1
        ),
        3,
    )
