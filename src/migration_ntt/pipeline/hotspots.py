"""The hotspot step of the chain: load the defaults, run the analysis, write its tables.

Examples
--------
>>> from migration_ntt import panel
>>> from migration_ntt.pipeline import hotspots
>>> result = hotspots.run_hotspots(panel.build_panel(write=False), permutations=99, write=False)
>>> result.count, len(result.shapes)
('pmi_deaths_abroad', 22)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from migration_ntt import config
from migration_ntt.ingest import boundaries
from migration_ntt.manifest import write_manifest
from migration_ntt.panel import build_panel
from migration_ntt.regions import units
from migration_ntt.results import HotspotResult
from migration_ntt.spatial.regency_hotspots import hotspot_analysis
from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY

COUNT = "pmi_deaths_abroad"


def run_hotspots(
    panel: pd.DataFrame | None = None,
    *,
    count: str | None = COUNT,
    label: Mapping[str, str] | None = None,
    permutations: int = 9_999,
    island_policy: str = DEFAULT_ISLAND_POLICY,
    write: bool = True,
) -> HotspotResult:
    """Run the hotspot analysis of one count column
    (:func:`migration_ntt.spatial.regency_hotspots.hotspot_analysis`) on the NTT
    boundaries and write its tables.

    Parameters
    ----------
    panel : pandas.DataFrame, optional
        From :func:`migration_ntt.panel.build_panel` (default: the published data).
    count : str, optional
        Any count column of the panel (``None``: the panel's case-record count if it has
        one, else ``pmi_deaths_abroad``).
    label : dict, optional
        ``{"id": …, "en": …}`` naming the count (default: the panel's label for it).
    permutations : int
        Conditional permutations for every local and global statistic (seeded).
    island_policy : {"links", "knn", "none"}
        See :mod:`migration_ntt.spatial.weights`.
    write : bool
        Write ``data/processed/hotspots_<count>_*.csv`` and a manifest.

    Returns
    -------
    HotspotResult
    """
    table = panel if panel is not None else build_panel(write=False)
    result = hotspot_analysis(
        table,
        boundaries.load_boundaries(),
        count=count,
        label=label,
        permutations=permutations,
        island_policy=island_policy,
    )
    if write:
        write_hotspots(
            result,
            {"count": result.count, "permutations": permutations, "island_policy": island_policy},
        )
    return result


def write_hotspots(result: HotspotResult, parameters: dict[str, object]) -> dict[str, Path]:
    """Write the hotspot tables (CSV) and one manifest to ``data/processed``."""
    folder = config.processed_dir()
    stem = f"hotspots_{result.count}"
    paths = {
        "rates": folder / f"{stem}_rates.csv",
        "lisa": folder / f"{stem}_lisa.csv",
        "gi": folder / f"{stem}_gi.csv",
        "global": folder / f"{stem}_global.csv",
        "sensitivity": folder / f"{stem}_weights_sensitivity.csv",
        "connectivity": folder / f"{stem}_connectivity.csv",
    }
    synthetic = {"synthetic": True} if result.synthetic else {}
    result.rates.assign(**synthetic).to_csv(paths["rates"], index=False)
    result.lisa.assign(**synthetic).to_csv(paths["lisa"], index=False)
    result.gi.assign(**synthetic).to_csv(paths["gi"], index=False)
    result.global_stats.assign(**synthetic).to_csv(paths["global"], index=False)
    result.sensitivity.assign(**synthetic).to_csv(paths["sensitivity"], index=False)
    result.connectivity.to_csv(paths["connectivity"], index=False)
    write_manifest(
        paths["rates"],
        inputs=[
            config.indicators_dir() / "ntt_indicators_long.csv",
            config.reference_dir() / units.SEA_LINKS_FILE,
        ],
        parameters={**parameters, "record_accounting": result.record_accounting},
        outputs=list(paths.values())[1:],
        sources=result.sources,
    )
    return paths
