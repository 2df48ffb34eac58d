"""Maps of clusters: LISA quadrants, Gi* hot and cold spots, and small multiples of a rate by
year with shared classes (so that a colour means the same number in every panel)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import labels
from migration_ntt.labels import label
from migration_ntt.viz import style
from migration_ntt.viz.maps import (
    category_map,
    choropleth,
    classify,
    is_synthetic,
    legend_labels,
)

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure


def lisa_map(
    gdf: gpd.GeoDataFrame,
    lisa_table: pd.DataFrame,
    *,
    id_col: str = "bps_code",
    lang: str = "id",
    title: str | None = None,
    source: str = "",
    period: str = "",
    synthetic: bool | None = None,
    ax: Axes | None = None,
    size: str = "a4_half",
    notes: Sequence[str] = (),
) -> Figure:
    """LISA cluster map from :func:`migration_ntt.spatial.hotspots.local_moran` output.

    Island units without neighbours get their own class ("no neighbours", dotted), never
    "not significant"; units left out of the analysis are hatched as "no data".
    """
    return category_map(
        gdf,
        lisa_table,
        style.LISA_COLOURS,
        id_col=id_col,
        lang=lang,
        title=title or label("lisa_title", lang, count=labels.count_label("cases", lang)),
        source=source,
        period=period,
        synthetic=synthetic,
        ax=ax,
        size=size,
        notes=notes,
    )


def hotspot_map(
    gdf: gpd.GeoDataFrame,
    g_table: pd.DataFrame,
    *,
    id_col: str = "bps_code",
    lang: str = "id",
    title: str | None = None,
    source: str = "",
    period: str = "",
    synthetic: bool | None = None,
    ax: Axes | None = None,
    size: str = "a4_half",
    notes: Sequence[str] = (),
) -> Figure:
    """Gi* hot/cold spot map from :func:`migration_ntt.spatial.hotspots.local_g` output."""
    return category_map(
        gdf,
        g_table,
        style.HOTSPOT_COLOURS,
        id_col=id_col,
        lang=lang,
        title=title or label("gi_title", lang, count=labels.count_label("cases", lang)),
        source=source,
        period=period,
        synthetic=synthetic,
        ax=ax,
        size=size,
        notes=notes,
    )


def small_multiples(
    gdf: gpd.GeoDataFrame,
    long_table: pd.DataFrame,
    column: str,
    *,
    facet: str = "year",
    id_col: str = "bps_code",
    lang: str = "id",
    title: str | None = None,
    scheme: str = "fisherjenks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    decimals: int = 1,
    source: str = "",
    period: str = "",
    synthetic: bool | None = None,
    ncols: int = 2,
) -> Figure:
    """One map per ``facet`` value (e.g. report year) with **shared** class breaks."""
    import matplotlib.pyplot as plt

    labels.check_language(lang)
    style.apply()
    facets = sorted(long_table[facet].dropna().unique())
    shared = classify(long_table[column], scheme, k, bins)
    nrows = int(np.ceil(len(facets) / ncols))
    width = style.FIGURE_SIZES["a4"][0]
    fig, axes = plt.subplots(nrows, ncols, figsize=(width, 0.55 * width / ncols * nrows + 1.4))
    axes = np.atleast_1d(axes).ravel()
    minimum = float(pd.to_numeric(long_table[column], errors="coerce").min())
    for ax, value in zip(axes, facets, strict=False):
        frame = gdf.drop(columns=[column], errors="ignore").merge(
            long_table[long_table[facet] == value][[id_col, column]], on=id_col, how="left"
        )
        frame.attrs.update(gdf.attrs)
        choropleth(
            frame,
            column,
            lang=lang,
            title=str(value),
            scheme="user",
            bins=list(shared),
            decimals=decimals,
            ax=ax,
            synthetic=False,
            names=False,
        )
        # shared legend below: drop per-panel legends and credits
        if ax.get_legend():
            ax.get_legend().remove()
        ax.set_title(str(value), fontsize=style.FONT_SIZES["label"] + 1, loc="left")
    for text in list(fig.texts):
        text.remove()
    for ax in axes[len(facets) :]:
        ax.set_axis_off()
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    palette = colormaps[style.SEQUENTIAL].resampled(len(shared))
    names = legend_labels(shared, minimum, lang, decimals)
    handles = [
        Patch(facecolor=palette(i), edgecolor=style.EDGE_COLOUR, label=names[i])
        for i in range(len(shared))
    ]
    handles.append(
        Patch(
            facecolor="white",
            edgecolor=style.EDGE_COLOUR,
            hatch=style.MISSING_HATCH,
            label=label("no_data", lang),
        )
    )
    fig.legend(
        handles=handles,
        loc="lower center",
        ncol=min(6, len(handles)),
        frameon=False,
        title=label("rate_per_100k", lang),
        bbox_to_anchor=(0.5, 0.2 / fig.get_figheight()),
    )
    title = title or label("small_multiples_title", lang, count=labels.count_label("cases", lang))
    fig.suptitle(
        title,
        x=0.01,
        ha="left",
        fontsize=style.FONT_SIZES["title"],
    )
    style.stamp(
        fig,
        lang,
        source=source,
        title=title,
        parts=[f"{label('period', lang)}: {period}"],
        synthetic=is_synthetic(gdf, synthetic),
        y=0.0,
    )
    fig.subplots_adjust(
        left=0.02,
        right=0.98,
        bottom=1.1 / fig.get_figheight(),
        top=1 - 0.9 / fig.get_figheight(),
        wspace=0.05,
        hspace=0.2,
    )
    return fig


# --- kecamatan -------------------------------------------------------------------------------


# Short labels where names crowd the map: the standard abbreviations of the alias table.
