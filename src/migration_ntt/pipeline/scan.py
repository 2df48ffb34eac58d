"""The kecamatan step of the chain: the user's records counted by kecamatan, scanned for
clusters on the kecamatan polygons, and the cluster tables written."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from migration_ntt import config
from migration_ntt.ingest import boundaries
from migration_ntt.manifest import write_manifest
from migration_ntt.panel import build_district_panel
from migration_ntt.results import DistrictScan
from migration_ntt.spatial import scan
from migration_ntt.spatial.district_clusters import cases_and_controls, district_clusters


def district_scan(
    records: object,
    *,
    model: str = "bernoulli",
    select: Mapping[str, object] | None = None,
    population: object = None,
    period: Sequence[object] | None = None,
    permutations: int = 999,
    seed: int | None = None,
    max_size: float = 0.5,
    max_temporal: float = 0.5,
    label: Mapping[str, str] | None = None,
    write: bool = True,
    progress: Callable[[str], None] | None = None,
) -> DistrictScan:
    """Scan the kecamatan for clusters of case records (:mod:`migration_ntt.spatial.scan`).

    * ``"bernoulli"`` (default): where is the share of non-procedural migrants among all
      migrants in the records unusually high? Cases are the selected records (default
      ``{"procedural": "non_prosedural"}``), controls the same records of the other status.
    * ``"poisson"``: the selected records against the kecamatan ``population`` (a table or
      CSV with ``district_code, population``: not in the shipped data).
    * ``"space_time_permutation"``: the selected records by kecamatan and year: emerging
      local clusters, no denominator needed.

    Records without a kecamatan code are left out and counted (``accounting``).

    Parameters
    ----------
    records : CleanResult, DataFrame or path
        The cleaned case records.
    model : {"bernoulli", "poisson", "space_time_permutation"}
    select : dict, optional
        Which records are cases.
    population : DataFrame or path, optional
        ``district_code, population`` for the Poisson model.
    period : (start, end), optional
    permutations, seed, max_size, max_temporal
        See :func:`migration_ntt.spatial.scan.scan_statistic`.
    label : dict, optional
    write : bool
        Write ``data/processed/scan_<model>_*.csv``.
    progress : callable, optional
        Receives a line when the scan starts (with what it will do) and when it ends (with
        how long it took): the space-time scan of 9,999 replications takes about half a
        minute on 2 cores.

    Returns
    -------
    DistrictScan
    """
    if model not in scan.MODELS:
        raise ValueError(f"model must be one of {scan.MODELS}, got {model!r}")
    if model == "bernoulli":
        case_select, control_select = cases_and_controls(select)
        specs = {
            "cases": {"records": records, "select": case_select, "period": period},
            "controls": {"records": records, "select": control_select, "period": period},
        }
    else:
        case_select = dict(select or {})
        specs = {"cases": {"records": records, "select": case_select or None, "period": period}}
        if model == "poisson" and population is None:
            raise ValueError("the Poisson scan needs population= (kecamatan population table)")
    table = build_district_panel(specs, population=population, write=False)
    started = time.perf_counter()
    if progress is not None:
        progress(f"{model} scan of the kecamatan: {permutations:,} replications …")
    out = district_clusters(
        table,
        boundaries.load_boundaries("district"),
        model=model,
        case_select=case_select,
        regencies=boundaries.load_boundaries(),
        permutations=permutations,
        seed=seed,
        max_size=max_size,
        max_temporal=max_temporal,
        label=label,
    )
    if progress is not None:
        progress(f"  done in {time.perf_counter() - started:.1f} s")
    if write:
        write_scan(out)
    return out


def write_scan(scan_result: DistrictScan) -> dict[str, Path]:
    """Clusters and members of a kecamatan scan to ``data/processed/scan_<model>_*.csv``."""
    folder = config.processed_dir()
    stem = f"scan_{scan_result.model}"
    paths = {
        "clusters": folder / f"{stem}_clusters.csv",
        "members": folder / f"{stem}_members.csv",
    }
    synthetic = {"synthetic": True} if scan_result.synthetic else {}
    scan_result.clusters.assign(**synthetic).to_csv(paths["clusters"], index=False)
    scan_result.result.members.assign(**synthetic).to_csv(paths["members"], index=False)
    write_manifest(
        paths["clusters"],
        inputs=[config.reference_dir() / "places.csv"],
        parameters={**scan_result.result.parameters, "accounting": scan_result.accounting},
        outputs=[paths["members"]],
    )
    return paths
