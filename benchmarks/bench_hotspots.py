"""LISA (local Moran) with 9,999 seeded permutations: the 22 NTT units and all 514 regencies
of Indonesia (queen contiguity, island policy "knn"). Prints medians of 3 runs."""

from __future__ import annotations

import numpy as np

from benchmarks.timing import median_seconds
from migration_ntt.ingest import boundaries
from migration_ntt.spatial import hotspots, weights


def _run(gdf, id_col: str, label: str) -> None:
    build_median, _ = median_seconds(
        lambda: weights.build_weights(gdf, id_col=id_col, name_col=None, island_policy="knn"),
        repeats=3,
    )
    graph, report = weights.build_weights(gdf, id_col=id_col, name_col=None, island_policy="knn")
    lisa_median, runs = median_seconds(
        lambda: hotspots.local_moran(
            gdf, "value", graph, id_col=id_col, name_col=None, permutations=9_999
        ),
        repeats=3,
    )
    print(
        f"{label}: {len(gdf)} units, {report.n_components} components; weights "
        f"{build_median:.3f} s; LISA 9,999 permutations median {lisa_median:.3f} s "
        f"({', '.join(f'{t:.3f}' for t in runs)})"
    )


def main() -> None:
    rng = np.random.default_rng(0)
    ntt = boundaries.load_boundaries()
    _run(ntt.assign(value=rng.gamma(2, 2, len(ntt))), "bps_code", "NTT")
    national = boundaries.load_national_regencies()
    _run(national.assign(value=rng.gamma(2, 2, len(national))), "kode", "Indonesia")
