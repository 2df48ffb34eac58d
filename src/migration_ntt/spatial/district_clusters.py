"""Clusters of case records among the 315 kecamatan: the scan statistic on a district panel.

* ``"bernoulli"`` (default): where is the share of non-procedural migrants among all
  migrants in the records unusually high? Cases are the selected records, controls the same
  records of the other status (:func:`cases_and_controls`).
* ``"poisson"``: the selected records against the kecamatan population.
* ``"space_time_permutation"``: the selected records by kecamatan and year: emerging local
  clusters, no denominator needed.

The kecamatan panel and polygons come in as arguments; a
:class:`~migration_ntt.results.DistrictScan` goes out, with each cluster's kecamatan and
regency names, and a share shown only where at least :data:`~migration_ntt.privacy.SMALL_CELL`
records stand behind it. :func:`migration_ntt.pipeline.scan.district_scan` builds the panel
from a case file, loads the polygons and writes the tables.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.labels import count_labels
from migration_ntt.panel import records_credit
from migration_ntt.privacy import SMALL_CELL
from migration_ntt.results import DistrictScan
from migration_ntt.spatial import scan

if TYPE_CHECKING:
    import geopandas as gpd


def cases_and_controls(select: Mapping[str, object] | None) -> tuple[dict, dict]:
    """The Bernoulli comparison: the selected records against the same records of the
    other status ("non-procedural cases, procedural controls").

    Examples
    --------
    >>> cases_and_controls({"procedural": "non_prosedural", "sex": "female"})[1]
    {'procedural': 'prosedural', 'sex': 'female'}
    """
    chosen = dict(select or {"procedural": "non_prosedural"})
    status = chosen.get("procedural")
    values = [status] if isinstance(status, str) else list(status or [])
    if values not in (["non_prosedural"], ["prosedural"]):
        raise ValueError(
            "the Bernoulli scan compares the share of one procedural status among all "
            "records: select procedural=non_prosedural (or prosedural), with any other "
            "condition you like"
        )
    other = "prosedural" if values == ["non_prosedural"] else "non_prosedural"
    return chosen, {**chosen, "procedural": other}


def district_clusters(
    table: pd.DataFrame,
    shapes: gpd.GeoDataFrame,
    *,
    model: str = "bernoulli",
    case_select: Mapping[str, object] | None = None,
    regencies: gpd.GeoDataFrame | None = None,
    permutations: int = 999,
    seed: int | None = None,
    max_size: float = 0.5,
    max_temporal: float = 0.5,
    label: Mapping[str, str] | None = None,
) -> DistrictScan:
    """Scan the kecamatan for clusters of case records (:mod:`migration_ntt.spatial.scan`).

    Parameters
    ----------
    table : DataFrame
        The kecamatan × year panel of the records
        (:func:`migration_ntt.panel.build_district_panel`) with ``cases`` (and
        ``controls`` for Bernoulli, ``population`` for Poisson).
    shapes : GeoDataFrame
        The kecamatan polygons (``district_code``, ``geometry``).
    model : {"bernoulli", "poisson", "space_time_permutation"}
    case_select : dict, optional
        The selection the cases were counted with (names the count).
    regencies : GeoDataFrame, optional
        Regency polygons the maps outline (kept on the result).
    permutations, seed, max_size, max_temporal
        See :func:`migration_ntt.spatial.scan.scan_statistic`.
    label : dict, optional
        ``{"id", "en"}`` naming the cases.

    Returns
    -------
    DistrictScan
    """
    if model not in scan.MODELS:
        raise ValueError(f"model must be one of {scan.MODELS}, got {model!r}")
    made = table.attrs["record_counts"]["cases"]
    shapes = shapes[["district_code", "geometry"]]
    names = table.drop_duplicates("district_code")[
        ["district_code", "district_name", "bps_code", "regency"]
    ]
    synthetic = bool(table["cases_synthetic"].any())
    options = {
        "id_col": "district_code",
        "permutations": permutations,
        "seed": seed if seed is not None else scan.SEED,
        "max_size": max_size,
    }
    if model == "space_time_permutation":
        data = shapes.merge(table[["district_code", "year", "cases"]], on="district_code")
        result = scan.scan_statistic(
            data, "cases", model=model, time="year", max_temporal=max_temporal, **options
        )
    else:
        totals = table.groupby("district_code", as_index=False)[
            [c for c in ("cases", "controls") if c in table.columns]
        ].sum()
        totals = totals.merge(
            table.groupby("district_code", as_index=False)["population"].first(),
            on="district_code",
        )
        data = shapes.merge(totals, on="district_code")
        if model == "poisson":
            if data["population"].isna().any():
                missing = data.loc[data["population"].isna(), "district_code"].head(5).tolist()
                raise ValueError(f"population missing for kecamatan {missing} …")
            result = scan.scan_statistic(data, "cases", population="population", **options)
        else:
            result = scan.scan_statistic(
                data, "cases", model="bernoulli", controls="controls", **options
            )
    districts = shapes.merge(names, on="district_code")
    if model == "space_time_permutation":
        districts = districts.merge(
            table.groupby("district_code", as_index=False)["cases"].sum(), on="district_code"
        )
    else:
        districts = districts.merge(data.drop(columns="geometry"), on="district_code")
    if model == "bernoulli":
        trials = districts["cases"] + districts["controls"]
        # a share of 1 or 2 records says nothing and may reveal a person's status
        districts["share_pct"] = 100 * districts["cases"] / trials.where(trials >= SMALL_CELL)
    if synthetic:
        districts.attrs["synthetic"] = True
    clusters = _name_clusters(result, names)
    labels = count_labels("cases", dict(label) if label else None, select=case_select)
    credit = records_credit(made["source"], synthetic, population=model == "poisson")
    out = DistrictScan(
        result=result,
        model=model,
        districts=districts,
        clusters=clusters,
        labels=labels,
        credit=credit,
        synthetic=synthetic,
        period=f"{made['period'][0]} – {made['period'][1]}",
        accounting=dict(made["accounting"]),
        regencies=regencies,
    )
    return out


def _name_clusters(result, names: pd.DataFrame) -> pd.DataFrame:
    """The cluster table with the kecamatan and regency names of each cluster."""
    members = result.members.merge(names, on="district_code", how="left")
    listed = members.groupby("cluster_id").agg(
        kecamatan=("district_name", lambda s: ", ".join(s.astype(str))),
        regencies=("regency", lambda s: ", ".join(dict.fromkeys(s.astype(str)))),
    )
    clusters = result.clusters.merge(listed, left_on="cluster_id", right_index=True, how="left")
    centre = names.set_index("district_code")["district_name"]
    clusters.insert(2, "centre_name", clusters["centre_id"].map(centre))
    return clusters
