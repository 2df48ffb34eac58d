"""Static maps for print: choropleths, LISA clusters, hot spots, small multiples.

Every map has a title, a legend whose classes do not overlap ("0,5–1,2", ">1,2–3,4"),
hatching and a legend entry for units without data, a scale bar, and a credit line with
the source and the period covered. Maps drawn from synthetic data carry a large
"SYNTHETIC DATA" mark; maps on the schematic tile grid say they are schematic.

Maps are drawn in UTM zone 51S (EPSG:32751) so that the scale bar is in kilometres.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from migration_ntt.ingest import boundaries
>>> from migration_ntt.viz import maps
>>> gdf = boundaries.load_boundaries().assign(value=range(22))
>>> fig = maps.choropleth(gdf, "value", lang="en", title="Demo", source="test", period="2024")
>>> fig.axes[0].get_title(loc="left")
'Demo'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import labels
from migration_ntt.labels import format_number, label
from migration_ntt.viz import style
from migration_ntt.viz.map_layers import label_regencies, plot_layer, project

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SCHEMES = ("quantiles", "fisherjenks", "equalinterval", "user")


def is_synthetic(gdf: pd.DataFrame, synthetic: bool | None) -> bool:
    if synthetic is not None:
        return synthetic
    return bool(gdf.attrs.get("synthetic")) or (
        "synthetic" in gdf.columns and bool(pd.Series(gdf["synthetic"]).fillna(False).any())
    )


def classify(
    values: pd.Series, scheme: str = "fisherjenks", k: int = 5, bins: Sequence[float] | None = None
) -> np.ndarray:
    """Upper class bounds with mapclassify (``quantiles``, ``fisherjenks``, ``equalinterval``)
    or the user's ``bins`` (``scheme="user"``)."""
    import mapclassify

    present = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if scheme == "user":
        if bins is None:
            raise ValueError("scheme='user' needs bins=[…]")
        bounds = np.asarray(sorted(bins), dtype=float)
        if len(present) and present.max() > bounds[-1]:
            bounds = np.append(bounds, present.max())
        return bounds
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {SCHEMES}, got {scheme!r}")
    k = max(1, min(k, len(np.unique(present))))
    if scheme == "quantiles":
        import warnings

        with warnings.catch_warnings():
            # Many equal values (zeros in a register) give fewer distinct quantiles than k;
            # mapclassify then uses fewer classes, which is what the legend shows.
            warnings.filterwarnings(
                "ignore", message="Not enough unique values", category=UserWarning
            )
            return np.asarray(mapclassify.Quantiles(present, k=k).bins)
    if scheme == "fisherjenks":
        import warnings

        with warnings.catch_warnings():
            # Pure-Python Fisher–Jenks is instant for a few hundred units; numba is not
            # installed on purpose (it would make esda compile for 20 s per process).
            warnings.filterwarnings("ignore", message="Numba not installed", category=UserWarning)
            return np.asarray(mapclassify.FisherJenks(present, k=k).bins)
    return np.asarray(mapclassify.EqualInterval(present, k=k).bins)


def legend_labels(
    bounds: Sequence[float], minimum: float, lang: str, decimals: int = 1, integers: bool = False
) -> list[str]:
    """Mutually exclusive class labels: ``"0,0–1,2"``, ``">1,2–3,4"``, …; for whole counts
    (``integers=True``) ``"0"``, ``"1–4"``, ``"5–9"``.

    Examples
    --------
    >>> legend_labels([1.2, 3.4], 0.0, "id")
    ['0,0–1,2', '>1,2–3,4']
    >>> legend_labels([0, 4, 9], 0, "en", 0, integers=True)
    ['0', '1–4', '5–9']

    Classes with a negative bound (residuals) read "−2,0 sampai −1,0" / "−2.0 to −1.0",
    with a true minus sign, never ">-2,0--1,0":

    >>> legend_labels([-1, 0, 1], -2.0, "id")
    ['−2,0 sampai −1,0', '>−1,0 sampai 0,0', '>0,0–1,0']
    >>> legend_labels([1.0, 1.02], 0.0, "en")[-1]
    '>1.0'
    """
    out = []
    lower = minimum
    to = " sampai " if lang == "id" else " to "
    for position, upper in enumerate(bounds):
        low_text = format_number(lower, lang, decimals).replace("-", "−")
        high_text = format_number(upper, lang, decimals).replace("-", "−")
        if lower < 0 or upper < 0:
            if position == 0 and lower > upper:
                out.append(f"≤{high_text}")
            else:
                out.append(f"{'' if position == 0 else '>'}{low_text}{to}{high_text}")
            lower = upper
            continue
        if integers:
            high_text = format_number(np.floor(upper), lang, 0)
        if integers and position > 0:
            first = format_number(np.floor(lower) + 1, lang, 0)
            out.append(first if first == high_text else f"{first}–{high_text}")
        elif position == 0:
            # user breaks below the data: an empty first class is shown as "≤ bound"
            if low_text == high_text:
                out.append(low_text)
            else:
                out.append(f"{low_text}–{high_text}" if lower <= upper else f"≤{high_text}")
        elif low_text == high_text:  # a top class barely above its lower break: "> 2,0"
            out.append(f">{low_text}")
        else:
            out.append(f">{low_text}–{high_text}")
        lower = upper
    return out


def new_axes(ax: Axes | None, size: str) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    style.apply()
    if ax is not None:
        return ax.figure, ax
    fig, ax = plt.subplots(figsize=style.FIGURE_SIZES[size])
    return fig, ax


def decorate(
    fig: Figure,
    ax: Axes,
    gdf: gpd.GeoDataFrame,
    *,
    title: str,
    lang: str,
    source: str,
    period: str,
    synthetic: bool,
    notes: Sequence[str] = (),
    names: bool = True,
) -> None:
    ax.set_title(title, fontsize=style.FONT_SIZES["title"], loc="left")
    ax.set_axis_off()
    schematic = gdf.crs is None or bool(gdf.attrs.get("schematic"))
    regency_level = {"bps_code", "name"} <= set(gdf.columns) and "district_code" not in gdf
    named = any(t.get_gid() == "regency_name" for t in ax.texts)
    if names and regency_level and not schematic and not named:
        label_regencies(ax, gdf.drop_duplicates("bps_code"))
    if not schematic:
        scale_bar(ax)
    parts = [f"{label('period', lang)}: {period}", *notes]
    if schematic:
        parts.append(label("schematic", lang))
    style.stamp(fig, lang, source=source, title=title, parts=parts, synthetic=synthetic)


def scale_bar(ax: Axes, length_km: float | None = None) -> None:
    """A plain scale bar in the lower left (the map is in metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    width_km = (x1 - x0) / 1000
    if length_km is None:
        candidates = [10, 20, 50, 100, 200, 500]
        length_km = max(c for c in candidates if c <= width_km / 4) if width_km >= 40 else 10
    x_start = x0 + 0.05 * (x1 - x0)
    y_start = y0 + 0.05 * (y1 - y0)
    ax.plot(
        [x_start, x_start + length_km * 1000],
        [y_start, y_start],
        color="black",
        lw=2,
        gid="scale_bar",
    )
    ax.text(
        x_start + length_km * 500,
        y_start + 0.015 * (y1 - y0),
        f"{length_km:g} km",
        ha="center",
        va="bottom",
        fontsize=style.FONT_SIZES["credit"],
    )


def choropleth(
    gdf: gpd.GeoDataFrame,
    column: str,
    *,
    lang: str = "id",
    title: str | None = None,
    scheme: str = "fisherjenks",
    k: int = 5,
    bins: Sequence[float] | None = None,
    decimals: int = 1,
    source: str = "",
    period: str = "",
    legend_title: str | None = None,
    synthetic: bool | None = None,
    cmap: str = style.SEQUENTIAL,
    ax: Axes | None = None,
    size: str = "a4_half",
    notes: Sequence[str] = (),
    missing_label: str | None = None,
    names: bool = True,
) -> Figure:
    """A classed choropleth of ``column`` (see the module docstring for what every map has).

    ``names=False`` leaves the regency names out (small multiples: too small to read 22).

    Missing values are hatched and labelled ``missing_label`` (default "no data").

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with ``column`` (and ``name`` for the labels).
    column : str
    lang : {"id", "en"}
    title, source, period, legend_title : str
        The texts every map carries.
    scheme : {"fisherjenks", "quantiles", "equalinterval", "user"}
    k : int
        Number of classes.
    bins : sequence of float, optional
        Upper bounds for ``scheme="user"``.
    decimals : int
    synthetic : bool, optional
        Mark the map SYNTHETIC DATA (default: from ``gdf.attrs``).
    cmap : str
    ax : matplotlib.axes.Axes, optional
    size : str
        A named figure size of :mod:`~migration_ntt.viz.style`.
    notes : sequence of str
        Lines under the legend.
    missing_label : str, optional
    names : bool
        Draw the regency names.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib import colormaps
    from matplotlib.patches import Patch

    labels.check_language(lang)
    fig, ax = new_axes(ax, size)
    shapes = project(gdf)
    values = pd.to_numeric(shapes[column], errors="coerce")
    missing = values.isna()
    handles = []
    if (~missing).any():
        bounds = classify(values, scheme, k, bins)
        classes = np.searchsorted(bounds, values[~missing].to_numpy(), side="left")
        classes = np.minimum(classes, len(bounds) - 1)
        palette = colormaps[cmap].resampled(len(bounds))
        colours = [palette(i) for i in range(len(bounds))]
        plot_layer(
            shapes[~missing],
            ax,
            color=[colours[c] for c in classes],
            edgecolor=style.EDGE_COLOUR,
            linewidth=0.4,
        )
        whole = decimals == 0 and bool((values.dropna() % 1 == 0).all())
        class_names = legend_labels(bounds, float(values.min()), lang, decimals, integers=whole)
        handles += [
            Patch(facecolor=colours[i], edgecolor=style.EDGE_COLOUR, label=class_names[i])
            for i in range(len(bounds))
        ]
    if missing.any():
        plot_layer(
            shapes[missing],
            ax,
            facecolor="white",
            edgecolor=style.EDGE_COLOUR,
            hatch=style.MISSING_HATCH,
            linewidth=0.4,
        )
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=style.EDGE_COLOUR,
                hatch=style.MISSING_HATCH,
                label=missing_label or label("no_data", lang),
            )
        )
    ax.legend(
        handles=handles,
        title=legend_title or label("rate_per_100k", lang),
        loc="upper left",
        bbox_to_anchor=(1.0, 0.95),
        frameon=False,
        fontsize=style.FONT_SIZES["legend"],
    )
    decorate(
        fig,
        ax,
        shapes,
        title=title or column,
        lang=lang,
        source=source,
        period=period,
        synthetic=is_synthetic(gdf, synthetic),
        notes=notes,
        names=names,
    )
    return fig


def category_map(
    gdf: gpd.GeoDataFrame,
    table: pd.DataFrame,
    colours: dict[str, str],
    *,
    id_col: str,
    lang: str,
    title: str,
    source: str,
    period: str,
    synthetic: bool | None,
    ax: Axes | None,
    size: str,
    notes: Sequence[str],
) -> Figure:
    from matplotlib.patches import Patch

    labels.check_language(lang)
    fig, ax = new_axes(ax, size)
    shapes = project(gdf).merge(table[[id_col, "label"]], on=id_col, how="left")
    shapes["label"] = shapes["label"].fillna("no data")
    handles = []
    for name, colour in colours.items():
        part = shapes[shapes["label"] == name]
        hatch = style.ISOLATE_HATCH if name == "no neighbours" else None
        if len(part):
            plot_layer(
                part, ax, facecolor=colour, edgecolor=style.EDGE_COLOUR, linewidth=0.4, hatch=hatch
            )
        handles.append(
            Patch(
                facecolor=colour,
                edgecolor=style.EDGE_COLOUR,
                hatch=hatch,
                label=f"{label(name, lang)} ({len(part)})",
            )
        )
    no_data = shapes[shapes["label"] == "no data"]
    if len(no_data):
        plot_layer(
            no_data,
            ax,
            facecolor="white",
            edgecolor=style.EDGE_COLOUR,
            hatch=style.MISSING_HATCH,
            linewidth=0.4,
        )
        handles.append(
            Patch(
                facecolor="white",
                edgecolor=style.EDGE_COLOUR,
                hatch=style.MISSING_HATCH,
                label=f"{label('no_data', lang)} ({len(no_data)})",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(1.0, 0.95),
        frameon=False,
        fontsize=style.FONT_SIZES["legend"],
    )
    quiet = {"not significant", "no neighbours", "no data"}
    if set(shapes["label"]) <= quiet:
        # An all-grey map says in words what it shows.
        ax.text(
            1.02,
            0.05,
            label("nothing_significant", lang),
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=style.FONT_SIZES["legend"],
            color="#333333",
        ).set_gid("nothing_significant")
    decorate(
        fig,
        ax,
        shapes,
        title=title,
        lang=lang,
        source=source,
        period=period,
        synthetic=is_synthetic(gdf, synthetic),
        notes=notes,
    )
    return fig


def mark_units(
    fig: Figure,
    gdf: gpd.GeoDataFrame,
    marked: Sequence[object],
    text: str,
    *,
    id_col: str = "bps_code",
    marker: str = "^",
) -> Figure:
    """Mark units of a map drawn by this module (a black ``marker`` inside each unit in
    ``marked``) and add ``text`` for the marker to its legend, e.g. "LTSA present (2025)"
    over a rate map."""
    from matplotlib.lines import Line2D

    ax = fig.axes[0]
    shapes = project(gdf)
    points = shapes[shapes[id_col].isin(list(marked))].representative_point()
    ax.scatter(
        points.x,
        points.y - 9000,  # below the regency's name
        marker=marker,
        s=55,
        color="black",
        edgecolor="white",
        linewidth=0.8,
        zorder=5,
        gid="marked_units",
    )
    legend = ax.get_legend()
    handles = list(legend.legend_handles) if legend is not None else []
    labels_ = [t.get_text() for t in legend.get_texts()] if legend is not None else []
    marker_handle = Line2D(
        [], [], marker=marker, color="black", markeredgecolor="white", linestyle="", markersize=8
    )
    ax.legend(
        handles=[*handles, marker_handle],
        labels=[*labels_, text],
        title=legend.get_title().get_text() if legend is not None else None,
        loc="upper left",
        bbox_to_anchor=(1.0, 0.95),
        frameon=False,
        fontsize=style.FONT_SIZES["legend"],
    )
    return fig
