"""Kecamatan maps: a value by kecamatan inside the regency outlines, and the clusters of a
scan statistic with their relative risk and p."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt import labels
from migration_ntt.labels import format_number, label
from migration_ntt.viz import style
from migration_ntt.viz.map_layers import plot_layer, project, regency_outlines
from migration_ntt.viz.maps import choropleth, decorate, is_synthetic

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure


def district_choropleth(
    districts: gpd.GeoDataFrame,
    column: str,
    regencies: gpd.GeoDataFrame,
    *,
    lang: str = "id",
    title: str,
    legend_title: str,
    source: str = "",
    period: str = "",
    notes: Sequence[str] = (),
    scheme: str = "fisherjenks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    decimals: int = 0,
    synthetic: bool | None = None,
    missing_label: str | None = None,
) -> Figure:
    """A kecamatan choropleth with the regency boundaries and names drawn over it."""
    fig = choropleth(
        districts,
        column,
        lang=lang,
        title=title,
        scheme=scheme,
        k=k,
        bins=bins,
        missing_label=missing_label,
        decimals=decimals,
        source=source,
        period=period,
        legend_title=legend_title,
        synthetic=synthetic,
        notes=notes,
        size="a4_half",
    )
    regency_outlines(fig.axes[0], regencies)
    return fig


CLUSTER_COLOURS = ("#b2182b", "#ef8a62", "#762a83", "#1b7837", "#e08214")


def _cluster_names(inside: pd.Series, names: pd.Series, lang: str, first: int = 3) -> str:
    """The first kecamatan of a cluster, nearest the centre first, and how many more."""
    listed = [str(names.get(unit, unit)) for unit in inside]
    text = ", ".join(listed[:first])
    if len(listed) > first:
        text += " " + label("and_more", lang, n=len(listed) - first)
    return text


def scan_map(
    districts: gpd.GeoDataFrame,
    clusters: pd.DataFrame,
    members: pd.DataFrame,
    regencies: gpd.GeoDataFrame,
    *,
    id_col: str = "district_code",
    name_col: str = "district_name",
    lang: str = "id",
    title: str,
    source: str = "",
    period: str = "",
    notes: Sequence[str] = (),
    alpha: float = 0.05,
    shown: int = 5,
    synthetic: bool | None = None,
) -> Figure:
    """Clusters of a scan statistic on the kecamatan map: significant clusters filled,
    others outlined with a dashed line, each with its kecamatan, RR and p in the legend.
    With no significant cluster, the map says so in one sentence."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    labels.check_language(lang)
    style.apply()
    fig, ax = plt.subplots(figsize=(style.FIGURE_SIZES["a4"][0], 6.4))
    fig.subplots_adjust(left=0.02, right=0.98, top=0.9, bottom=0.3)  # the legend goes below
    shapes = project(districts)
    plot_layer(shapes, ax, facecolor="#f0f0f0", edgecolor="#bdbdbd", linewidth=0.3)
    handles = [Patch(facecolor="#f0f0f0", edgecolor="#bdbdbd", label=label("other_units", lang))]
    for position, row in enumerate(clusters.head(shown).itertuples()):
        inside = members.loc[members["cluster_id"] == row.cluster_id, id_col]
        part = shapes[shapes[id_col].isin(inside)]
        colour = CLUSTER_COLOURS[position % len(CLUSTER_COLOURS)]
        significant = row.p_value <= alpha
        names = _cluster_names(inside, shapes.set_index(id_col)[name_col], lang)
        text = label(
            "scan_cluster",
            lang,
            id=row.cluster_id,
            names=names,
            rr=format_number(row.relative_risk, lang, 1),
            p=labels.format_p(row.p_value, lang),
        )
        if significant:
            plot_layer(part, ax, facecolor=colour, edgecolor="#404040", linewidth=0.4, alpha=0.85)
            handles.append(Patch(facecolor=colour, edgecolor="#404040", label=text))
        else:
            plot_layer(part, ax, facecolor="none", edgecolor=colour, linewidth=1.2, linestyle="--")
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=colour,
                    linestyle="--",
                    label=f"{text} ({label('scan_not_significant', lang)})",
                )
            )
    regency_outlines(ax, regencies)
    fig.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.02, 0.29),
        frameon=False,
        fontsize=style.FONT_SIZES["legend"] - 1,
        ncol=1,
    )
    if not (clusters["p_value"] <= alpha).any() if len(clusters) else True:
        ax.text(
            0.5,
            1.0,
            label("scan_none", lang),
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=style.FONT_SIZES["label"],
            color="#404040",
            gid="no_cluster_sentence",
        )
    decorate(
        fig,
        ax,
        shapes,
        title=title,
        lang=lang,
        source=source,
        period=period,
        synthetic=is_synthetic(districts, synthetic),
        notes=notes,
    )
    return fig
