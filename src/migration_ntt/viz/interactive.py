"""Interactive map for researchers: one HTML file, a layer per indicator, tooltips, legend.

``interactive_map(gdf, layers={"rate": "Deaths per 100,000", ...}, tooltip_columns=...)``
returns a ``folium.Map``; :func:`save_map` writes it as a single HTML file with the data
inline. The Leaflet library and the (optional) background tiles are loaded from their
public CDNs when the file is opened, so viewing needs an internet connection; the data
never leave the file.

Examples
--------
>>> from migration_ntt.ingest import boundaries
>>> from migration_ntt.viz import interactive
>>> gdf = boundaries.load_boundaries().assign(rate=range(22))
>>> fmap = interactive.interactive_map(gdf, {"rate": "Rate"}, lang="en")
>>> type(fmap).__name__
'Map'
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt.viz import labels
from migration_ntt.viz.labels import format_number, label

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


def interactive_map(
    gdf: gpd.GeoDataFrame,
    layers: Mapping[str, str],
    *,
    lang: str = "id",
    name_col: str = "name",
    tooltip_columns: Mapping[str, str] | None = None,
    tiles: str | None = "OpenStreetMap",
    synthetic: bool | None = None,
) -> folium.Map:
    """A folium map with one choropleth layer per entry of ``layers`` (column → title).

    Each unit's tooltip shows its name and ``tooltip_columns`` (column → title; default:
    every layer column). Layers can be switched in the layer control; each has a legend.
    """
    import branca.colormap as cm
    import folium

    labels.check_language(lang)
    shapes = gdf.to_crs(4326)
    minx, miny, maxx, maxy = shapes.total_bounds
    fmap = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=7,
        tiles=tiles,
        control_scale=True,
    )
    tooltip_columns = dict(tooltip_columns or layers)
    tips = _tooltip_frame(shapes, {name_col: name_col, **tooltip_columns}, lang)
    tips = tips.rename(columns={name_col: "•"})
    for position, (column, title) in enumerate(layers.items()):
        values = pd.to_numeric(shapes[column], errors="coerce")
        present = values.dropna()
        low, high = (float(present.min()), float(present.max())) if len(present) else (0.0, 1.0)
        colours = cm.linear.YlGnBu_09.scale(low, high if high > low else low + 1)
        colours.caption = title
        frame = shapes[["geometry"]].join(tips).assign(_value=values)
        layer = folium.FeatureGroup(name=title, show=position == 0)

        def style_function(feature, colours=colours):
            value = feature["properties"]["_value"]
            missing = value is None or (isinstance(value, float) and np.isnan(value))
            return {
                "fillColor": "#ffffff" if missing else colours(value),
                "color": "#4d4d4d",
                "weight": 0.6,
                "fillOpacity": 0.3 if missing else 0.8,
                "dashArray": "4" if missing else None,
            }

        folium.GeoJson(
            frame.__geo_interface__,
            style_function=style_function,
            tooltip=folium.GeoJsonTooltip(fields=list(tips.columns), aliases=list(tips.columns)),
            name=title,
        ).add_to(layer)
        layer.add_to(fmap)
        colours.add_to(fmap)
    if synthetic or (synthetic is None and gdf.attrs.get("synthetic")):
        folium.map.Marker(
            [maxy, minx],
            icon=folium.DivIcon(
                html=f'<div style="color:#c00000;font-size:20px;font-weight:bold">'
                f"{label('synthetic_mark', lang)}</div>"
            ),
        ).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    return fmap


def save_map(fmap: folium.Map, path: str | Path) -> Path:
    """Write the map as one HTML file (data inline) and return its path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmap.save(str(path))
    return path


def feature_count(html: str) -> int:
    """Number of GeoJSON features written in a saved map (all layers together)."""
    return html.count('"type": "Feature"')
