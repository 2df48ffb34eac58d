"""Interactive map: one HTML file that works **offline**, a layer per indicator, legend,
tooltips.

``interactive_map(gdf, layers={"rate": "Deaths per 100,000", ...}, tooltip_columns=...)``
returns a ``folium.Map``; :func:`save_map` writes it as a single HTML file. By default the
file loads nothing from the network: folium's CDN scripts and stylesheets (jQuery,
Bootstrap, Font Awesome, awesome-markers, none of which this map uses) are dropped, and
Leaflet 1.9.4 itself (BSD-2-Clause, ``viz/assets/leaflet/LICENSE``; the copy from its npm
package) is written into the file. The regency shapes are simplified to about 100 m and
their coordinates rounded to 4 decimals (about 11 m): what a screen shows. Background
tiles from OpenStreetMap are an option (``tiles="OpenStreetMap"``), labelled as needing a
connection.

Each indicator is a base layer (one shown at a time, switched in the layer control) with
its own legend of classes, the same Fisher–Jenks classes as the printed maps.

Examples
--------
>>> from migration_ntt.ingest import boundaries
>>> from migration_ntt.viz import interactive
>>> gdf = boundaries.load_boundaries().assign(rate=range(22))
>>> fmap = interactive.interactive_map(gdf, {"rate": "Rate"}, lang="en")
>>> html = fmap.get_root().render()
>>> "<script src=" in html or "<link " in html  # every script and stylesheet inline
False
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import labels
from migration_ntt.labels import format_number, label
from migration_ntt.viz.map_layers import short_regency_name
from migration_ntt.viz.maps import classify, legend_labels

if TYPE_CHECKING:
    import folium
    import geopandas as gpd


def _tooltip_frame(gdf: gpd.GeoDataFrame, columns: Mapping[str, str], lang: str) -> pd.DataFrame:
    out = pd.DataFrame(index=gdf.index)
    for column, title in columns.items():
        values = gdf[column]
        if pd.api.types.is_numeric_dtype(values):
            out[title] = [
                format_number(v, lang, 1) if pd.notna(v) else label("no_data", lang) for v in values
            ]
        else:
            out[title] = values.astype(str).where(values.notna(), label("no_data", lang))
    return out


ASSETS = Path(__file__).parent / "assets" / "leaflet"
SIMPLIFY_DEGREES = 0.001  # about 100 m
DECIMALS = 4  # about 11 m
CLASS_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")


def _classes(values: pd.Series, k: int = 5) -> np.ndarray:

    present = values.dropna()
    if present.empty:
        return np.array([])
    return classify(present, "fisherjenks" if present.nunique() > k else "quantiles", k)


def _legend_html(title: str, bounds: np.ndarray, minimum: float, lang: str, key: str) -> str:

    rows = "".join(
        f'<div><span style="background:{CLASS_COLOURS[i]}"></span>{text}</div>'
        for i, text in enumerate(legend_labels(bounds, minimum, lang, 1))
    )
    missing = '<span style="background:#ffffff;border-style:dashed"></span>'
    rows += f"<div>{missing}{label('no_data', lang)}</div>"
    return f'<div class="mntt-legend" data-layer="{key}"><strong>{title}</strong>{rows}</div>'


_LEGEND_CSS = """<style>
.mntt-legend{position:absolute;bottom:28px;right:10px;z-index:1000;background:#fff;
padding:6px 8px;font:12px/1.4 Arial,sans-serif;border:1px solid #999;display:none;max-width:260px}
.mntt-legend span{display:inline-block;width:14px;height:10px;margin-right:6px;
border:1px solid #4d4d4d}
.mntt-title{position:absolute;top:8px;left:50px;z-index:1000;background:#ffffffdd;
padding:4px 8px;font:bold 14px Arial,sans-serif}
.mntt-name{transform:translate(-50%,-50%);white-space:nowrap;font:bold 11px Arial,sans-serif;
color:#222;text-shadow:0 0 3px #fff,0 0 3px #fff;pointer-events:none}
</style>"""


def interactive_map(
    gdf: gpd.GeoDataFrame,
    layers: Mapping[str, str],
    *,
    lang: str = "id",
    name_col: str = "name",
    tooltip_columns: Mapping[str, str] | None = None,
    tiles: str | None = None,
    synthetic: bool | None = None,
    title: str | None = None,
    offline: bool = True,
    layer_tooltips: Mapping[str, Mapping[str, str]] | None = None,
    names: bool = True,
    legend_titles: Mapping[str, str] | None = None,
) -> folium.Map:
    """A folium map with one layer per entry of ``layers`` (column → title).

    ``layers`` titles are the short names in the layer control; ``legend_titles`` (layer
    column → title, default the same) head each layer's legend. ``layer_tooltips`` (layer
    column → {column: title}) puts a layer's own fields (a
    year's value, interval and period) at the top of its tooltip. With ``names`` the
    regency names are drawn on the map (an overlay that can be switched off), as plain
    text: no marker images to fetch.

    Each unit's tooltip shows its name and ``tooltip_columns`` (column → title; default:
    every layer column). Layers are switched in the layer control; the legend follows the
    layer shown. ``offline=True`` (default) writes Leaflet into the file and loads nothing
    from the network; ``tiles="OpenStreetMap"`` adds a background that needs a connection.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Polygons with the layer columns.
    layers : mapping of str to str
        Column → short layer name.
    lang : {"id", "en"}
    name_col : str
    tooltip_columns : mapping, optional
    tiles : str, optional
        An online background (needs a connection).
    synthetic : bool, optional
    title : str, optional
    offline : bool
    layer_tooltips : mapping, optional
    names : bool
    legend_titles : mapping, optional

    Returns
    -------
    folium.Map
    """
    import folium

    labels.check_language(lang)
    shapes = gdf.to_crs(4326).copy()
    shapes["geometry"] = shapes.geometry.simplify(
        SIMPLIFY_DEGREES, preserve_topology=True
    ).set_precision(10.0**-DECIMALS)
    minx, miny, maxx, maxy = shapes.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=7,
        tiles=None,
        control_scale=True,
    )
    if offline:
        fmap.default_js = []
        fmap.default_css = []
        header = fmap.get_root().header
        leaflet_css = (ASSETS / "leaflet.css").read_text(encoding="utf-8")
        leaflet_js = (ASSETS / "leaflet.js").read_text(encoding="utf-8")
        header.add_child(folium.Element(f"<style>{leaflet_css}</style>"), name="leaflet_css")
        header.add_child(folium.Element(f"<script>{leaflet_js}</script>"), name="leaflet_js")
    fmap.get_root().header.add_child(folium.Element(_LEGEND_CSS), name="mntt_css")
    if tiles:
        folium.TileLayer(
            tiles, name=label("online_tiles", lang), overlay=True, control=True, show=False
        ).add_to(fmap)
    tooltip_columns = dict(tooltip_columns or layers)
    tips = _tooltip_frame(shapes, {name_col: name_col, **tooltip_columns}, lang)
    tips = tips.rename(columns={name_col: "•"})
    legends = []
    for position, (column, layer_title) in enumerate(layers.items()):
        values = pd.to_numeric(shapes[column], errors="coerce")
        bounds = _classes(values)
        # A layer of one year shows that year's value, interval and period first.
        own = {c: t for c, t in (layer_tooltips or {}).get(column, {}).items() if c in shapes}
        if own:
            extra = _tooltip_frame(shapes, own, lang)
            rest = tips.iloc[:, 1:].drop(columns=list(extra.columns), errors="ignore")
            layer_tips = pd.concat([tips.iloc[:, :1], extra, rest], axis=1)
        else:
            layer_tips = tips
        frame = shapes[["geometry"]].join(layer_tips)
        klass = np.searchsorted(bounds, values.to_numpy(), side="left") if len(bounds) else None
        frame["_fill"] = [
            "#ffffff" if pd.isna(v) else CLASS_COLOURS[min(int(c), len(CLASS_COLOURS) - 1)]
            for v, c in zip(values, klass if klass is not None else [0] * len(values), strict=True)
        ]
        layer = folium.FeatureGroup(name=layer_title, overlay=False, show=position == 0)
        folium.GeoJson(
            frame.__geo_interface__,
            style_function=lambda feature: {
                "fillColor": feature["properties"]["_fill"],
                "color": "#4d4d4d",
                "weight": 0.6,
                "fillOpacity": 0.8 if feature["properties"]["_fill"] != "#ffffff" else 0.3,
            },
            tooltip=folium.GeoJsonTooltip(
                fields=list(layer_tips.columns), aliases=list(layer_tips.columns)
            ),
            name=layer_title,
        ).add_to(layer)
        layer.add_to(fmap)
        if len(bounds):
            legend_title = (legend_titles or {}).get(column, layer_title)
            legends.append(
                _legend_html(legend_title, bounds, float(values.min()), lang, layer_title)
            )
    shown = next(iter(layers.values()), "")
    switch = (
        "<script>document.addEventListener('DOMContentLoaded',function(){"
        "var show=function(name){document.querySelectorAll('.mntt-legend').forEach("
        "function(e){e.style.display=e.dataset.layer===name?'block':'none';});};"
        f"show({shown!r});"
        "setTimeout(function(){for(var k in window){if(k.indexOf('map_')===0&&window[k]"
        "&&window[k].on){window[k].on('baselayerchange',function(e){show(e.name);});}}},0);"
        "});</script>"
    )
    title_html = f'<div class="mntt-title">{title}</div>' if title else ""
    synthetic_html = (
        f'<div class="mntt-title" style="top:40px;color:#c00000">'
        f"{label('synthetic_mark', lang)}</div>"
        if synthetic or (synthetic is None and gdf.attrs.get("synthetic"))
        else ""
    )
    fmap.get_root().html.add_child(
        folium.Element(title_html + synthetic_html + "".join(legends) + switch)
    )
    if names:
        group = folium.FeatureGroup(name=label("regency_names", lang), overlay=True, show=True)
        points = shapes.to_crs(32751).representative_point().to_crs(4326)
        codes = shapes["bps_code"] if "bps_code" in shapes else [None] * len(shapes)
        for name, code, point in zip(shapes[name_col], codes, points, strict=True):
            folium.Marker(
                [round(point.y, DECIMALS), round(point.x, DECIMALS)],
                icon=folium.DivIcon(
                    html=f'<div class="mntt-name">{short_regency_name(name, code)}</div>',
                    icon_size=(0, 0),
                ),
            ).add_to(group)
        group.add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def save_map(fmap: folium.Map, path: str | Path) -> Path:
    """Write the map as one HTML file (data and, offline, Leaflet inline); return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmap.save(str(path))
    return path


def feature_count(html: str) -> int:
    """Number of GeoJSON features written in a saved map (all layers together)."""
    return html.count('"type": "Feature"')
