"""Kecamatan maps of a scan statistic: the counts (1–4 as one class), the share of the
selected status (hidden below :data:`~migration_ntt.privacy.SMALL_CELL` records) and the
clusters with their relative risk and p; the regency outlines come with the result."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.labels import check_language, format_number, label
from migration_ntt.privacy import SMALL_CELL
from migration_ntt.results import DistrictScan
from migration_ntt.viz import district_maps, maps
from migration_ntt.viz.export import DEFAULT_FORMATS, export_figures

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _count_bins(counts: pd.Series, k: int = 3) -> list[float]:
    """Class bounds 0 | 1–4 | ``k`` Fisher–Jenks classes of the counts of 5 or more."""
    larger = counts[counts >= SMALL_CELL]
    upper = maps.classify(larger, "fisherjenks", k).tolist() if len(larger) else []
    return [0, SMALL_CELL - 1, *upper]


def scan_maps(scan_result: DistrictScan, lang: str) -> dict[str, Figure]:
    """Kecamatan maps of a scan: the counts (and the share for Bernoulli) and the clusters."""
    check_language(lang)
    regencies = scan_result.regencies
    name = scan_result.labels[lang]
    source = scan_result.credit[lang]
    parameters = scan_result.result.parameters
    figures = {
        "counts": district_maps.district_choropleth(
            scan_result.districts,
            "cases",
            regencies,
            lang=lang,
            title=label("district_count_title", lang, count=name),
            legend_title=scan_result.labels[f"unit_{lang}"],
            scheme="user",
            bins=_count_bins(scan_result.districts["cases"]),
            source=source,
            period=scan_result.period,
            synthetic=scan_result.synthetic,
        )
    }
    if scan_result.model == "bernoulli":
        figures["share"] = district_maps.district_choropleth(
            scan_result.districts,
            "share_pct",
            regencies,
            lang=lang,
            title=label("district_share_title", lang, count=name),
            legend_title="%",
            missing_label=label("few_records", lang, n=SMALL_CELL),
            source=source,
            period=scan_result.period,
            synthetic=scan_result.synthetic,
        )
    note = label(
        "scan_note",
        lang,
        size=f"{format_number(100 * parameters['max_size'], lang)}%",
        of={"population": {"id": "penduduk", "en": "population"},
            "cases and controls": {"id": "semua catatan", "en": "records"},
            "cases": {"id": "kasus", "en": "cases"}}[parameters["size_of"]][lang],
        permutations=format_number(parameters["permutations"], lang),
    )  # fmt: skip
    figures["clusters"] = district_maps.scan_map(
        scan_result.districts,
        scan_result.clusters,
        scan_result.result.members,
        regencies,
        lang=lang,
        title=label("scan_title", lang, count=name),
        source=source,
        period=scan_result.period,
        notes=[note],
        synthetic=scan_result.synthetic,
    )
    return figures


def scan_figures(
    scan_result: DistrictScan, lang: str, formats: Sequence[str] = DEFAULT_FORMATS
) -> list[Path]:
    """Export :func:`scan_maps` to ``figures/scan_<model>_<map>_<lang>.*``."""
    stem = f"scan_{scan_result.model}_{{}}".format
    return export_figures(scan_maps(scan_result, lang), stem, lang, formats)
