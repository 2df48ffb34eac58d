"""Where the programmes are, against where the rate is high: coverage and its gaps.

:func:`programme_overview` lists, for each programme of the panel (task forces, one-stop
centres, Desmigratif villages, church collaboration …), the regencies that have it in the
latest year; with a hotspot result, also the regencies in the top third of the smoothed
rate without it (:func:`coverage_gaps`): where the next effort would meet the most risk.
A description, not an evaluation (see :mod:`migration_ntt.evaluation`).

Examples
--------
>>> import pandas as pd
>>> panel = pd.DataFrame({"bps_code": ["a", "b", "c"], "year": 2024,
...                       "ltsa_active": [1, 0, 0]})
>>> rates = pd.DataFrame({"bps_code": ["a", "b", "c"], "name": ["A", "B", "C"],
...                       "eb_spatial": [3.0, 2.0, 1.0]})
>>> coverage_gaps(panel, "ltsa", rates)["name"].tolist()
[]
>>> coverage_gaps(panel.assign(ltsa_active=[0, 0, 1]), "ltsa", rates)["name"].tolist()
['A']
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_ntt.ingest.programmes import programme_kind, programme_label
from migration_ntt.labels import check_language
from migration_ntt.labels import regency_name_in_text as _short_name
from migration_ntt.results import HotspotResult, pooled_summary


def coverage_gaps(
    panel: pd.DataFrame, programme: str, rates: pd.DataFrame, *, value: str = "eb_spatial"
) -> pd.DataFrame:
    """Regencies in the top third of the smoothed rate that do not have ``programme``.

    ``rates`` has one row per regency with ``bps_code``, ``name`` and ``value`` (e.g.
    :func:`migration_ntt.results.pooled_summary`). Returns those regencies with their
    rate and the rank, highest first.

    Parameters
    ----------
    panel : DataFrame
        The panel with ``<programme>_active``.
    programme : str
    rates : DataFrame
    value : str
        The rate column ranked.

    Returns
    -------
    DataFrame
    """
    active = f"{programme.removesuffix('_active')}_active"
    if active not in panel.columns:
        raise ValueError(f"panel has no column {active!r}")
    latest = panel[panel["year"] == panel["year"].max()].set_index("bps_code")[active]
    table = rates[["bps_code", "name", value]].dropna().sort_values(value, ascending=False)
    table = table.assign(rank=np.arange(1, len(table) + 1))
    top = table[table["rank"] <= int(np.ceil(len(table) / 3))]
    gaps = top[top["bps_code"].map(latest).fillna(0) == 0]
    return gaps.reset_index(drop=True)


def programme_overview(
    table: pd.DataFrame, hotspots: HotspotResult | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Each programme of the panel: how many regencies have it in the latest year, and
    (with ``hotspots``) the regencies in the top third of the smoothed rate without it
    (the coverage gap).

    Parameters
    ----------
    table : DataFrame
        The panel with ``<programme>_active`` columns.
    hotspots : HotspotResult, optional
        The hotspot result of a count: gives the coverage gaps.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
        ``programme, label, kind, year, regencies_with_it, names, top_third_without_it``.
    """
    check_language(lang)
    latest = table[table["year"] == table["year"].max()]
    rates = pooled_summary(hotspots) if hotspots is not None else None
    rows = []
    for column in [c for c in table.columns if c.endswith("_active")]:
        programme = column.removesuffix("_active")
        having = latest.loc[latest[column] == 1, "name"].tolist()
        gaps = coverage_gaps(table, programme, rates)["name"].tolist() if rates is not None else []
        rows.append(
            {
                "programme": programme,
                "label": programme_label(programme, lang),
                "kind": programme_kind(programme),
                "year": int(latest["year"].max()),
                "regencies_with_it": len(having),
                "names": ", ".join(_short_name(n) for n in having),
                "top_third_without_it": ", ".join(_short_name(n) for n in gaps),
            }
        )
    return pd.DataFrame(rows)
