"""Layers drawn on the static maps: the map projection, a layer added without drawing the
figure, regency outlines and short regency names (crowded ones offset with a leader line).

Examples
--------
>>> from migration_ntt.viz.map_layers import short_regency_name
>>> short_regency_name("Kabupaten Timor Tengah Selatan", "5304")
'TTS'
>>> short_regency_name("Kabupaten Ende")
'Ende'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

MAP_CRS = "EPSG:32751"


def project(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``gdf`` in the map projection (UTM zone 51S, metres); unchanged without a CRS."""
    if gdf.crs is None:
        return gdf
    return gdf.to_crs(MAP_CRS)


def _no_draw(*_args: object, **_kwargs: object) -> None:
    """Stands in for ``canvas.draw_idle`` while a layer is added (:func:`plot_layer`)."""


def plot_layer(shapes: gpd.GeoDataFrame | gpd.GeoSeries, ax: Axes, **style_options) -> Axes:
    """``shapes.plot(ax=ax, **style_options)`` without drawing the whole figure.

    geopandas ends every ``plot`` with ``canvas.draw_idle()``, which on a non-interactive
    canvas (the Agg canvas of scripts, the CLI and the inline backend of notebooks) draws the
    whole unfinished figure, text layout included: a fifth of the figure step went into these
    drawings, which nothing shows. While the layer is added, the canvas's ``draw_idle`` is
    a no-op; the figure is drawn once, when it is shown or saved.

    Parameters
    ----------
    shapes : GeoDataFrame or GeoSeries
    ax : matplotlib.axes.Axes
    **style_options
        Passed to ``shapes.plot`` (``color``, ``edgecolor``, ``hatch``, …).

    Returns
    -------
    matplotlib.axes.Axes
    """
    canvas = ax.figure.canvas
    canvas.draw_idle = _no_draw  # an instance attribute shadows the method
    try:
        return shapes.plot(ax=ax, **style_options)
    finally:
        del canvas.draw_idle


_SHORT_NAMES = {
    "5304": "TTS",
    "5305": "TTU",
    "5317": "SBD",
    "5315": "Mabar",
    "5319": "Matim",
    "5301": "Sumba Barat",
    "5316": "Sumba Tengah",
    "5309": "Flotim",
}


def short_regency_name(name: str, bps_code: str | None = None) -> str:
    """A short map label: the standard abbreviation where names crowd (TTS, Mabar,
    Flotim…), else the name without "Kabupaten"; "Kota Kupang" stays."""
    if bps_code in _SHORT_NAMES:
        return _SHORT_NAMES[bps_code]
    return name.removeprefix("Kabupaten ")


#: Label offsets (km east, km north) for regencies whose names crowd their neighbours';
#: an offset label gets a thin leader line to its regency.
_LABEL_OFFSETS_KM = {
    "5313": (0, 14),  # Manggarai, between Manggarai Barat and Manggarai Timur
    "5319": (6, -14),  # Manggarai Timur
    "5312": (-4, -16),  # Ngada
    "5318": (4, 14),  # Nagekeo
    "5317": (-6, -18),  # Sumba Barat Daya
    "5301": (6, 16),  # Sumba Barat
    "5308": (10, 22),  # Lembata
    "5309": (-8, 16),  # Flores Timur
    "5371": (-30, -18),  # Kota Kupang, a small city
}


def _leader_start(name: str, fontsize: float, dx: float, dy: float) -> float:
    """Where a leader line leaves its label: points from the label's centre to 2 pt past
    the edge of its box (padded by 2 pt), along the line to the place.

    matplotlib finds that edge itself (``patchA``) by bisecting the line against the box at
    every drawing, a tenth of the time of a map; the box of a one-line label is known from
    the font, so the distance is computed once."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()
    font = FontProperties(size=fontsize, weight="bold")
    width, height, _ = measure.get_text_width_height_descent(name, font, ismath=False)
    _, line_height, _ = measure.get_text_width_height_descent("lp", font, ismath=False)
    half_width, half_height = width / 2 + 2, max(height, line_height) / 2 + 2
    length = float(np.hypot(dx, dy))
    cos, sin = abs(dx) / length, abs(dy) / length
    edge = min(
        half_width / cos if cos else np.inf,
        half_height / sin if sin else np.inf,
    )
    return edge + 2


def label_regencies(ax: Axes, regencies: gpd.GeoDataFrame, fontsize: float = 6.5) -> None:
    """Short regency names on a map (projected like the map), crowded ones offset with a
    leader line."""
    shapes = project(regencies)
    for row in shapes.itertuples():
        point = row.geometry.representative_point()
        code = getattr(row, "bps_code", None)
        dx, dy = _LABEL_OFFSETS_KM.get(code, (0, 0))
        name = short_regency_name(row.name, code)
        leader = None
        if dx or dy:
            leader = {
                "arrowstyle": "-",
                "color": "#404040",
                "lw": 0.5,
                "shrinkB": 0,
                "patchA": None,
                "shrinkA": _leader_start(name, fontsize, dx, dy),
            }
        text = ax.annotate(
            name,
            (point.x, point.y),
            xytext=(point.x + dx * 1000, point.y + dy * 1000),
            ha="center",
            va="center",
            fontsize=fontsize,
            color="#1a1a1a",
            weight="bold",
            arrowprops=leader,
            zorder=6,
        )
        text.set_path_effects(halo())
        text.set_gid("regency_name")


def regency_outlines(ax: Axes, regencies: gpd.GeoDataFrame, *, names: bool = True) -> None:
    """Draw regency boundaries over a kecamatan map, and their short names."""
    shapes = project(regencies)
    plot_layer(shapes.boundary, ax, color="#1a1a1a", linewidth=0.9, gid="regency_outline")
    if names:
        label_regencies(ax, regencies)


def halo() -> list:
    """A white outline around text, so that names stay legible over any fill."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=2.2, foreground="white")]
