"""Map layers: the projection, layers added without drawing, regency names and leaders."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.text import Text

from migration_ntt.viz import map_layers


def test_project_puts_the_map_in_metres(gdf):
    projected = map_layers.project(gdf)
    assert projected.crs.to_epsg() == 32751
    xmin, _, xmax, _ = projected.total_bounds
    assert 400_000 < xmax - xmin < 1_200_000  # NTT spans some 700 km east to west


def test_plot_layer_adds_the_layer_without_drawing_the_figure(gdf):
    fig, ax = plt.subplots()
    draws = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    map_layers.plot_layer(map_layers.project(gdf), ax, color="grey")
    assert len(ax.collections) == 1
    assert draws == []
    assert "draw_idle" not in vars(fig.canvas)  # the canvas's own method is back
    fig.canvas.draw()
    assert len(draws) == 1
    plt.close(fig)


def test_leader_lines_start_just_outside_their_label(gdf):
    fig, ax = plt.subplots(figsize=(15, 9.6))  # leaders long enough to measure
    map_layers.plot_layer(map_layers.project(gdf), ax, color="white", edgecolor="grey")
    map_layers.label_regencies(ax, gdf)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    names = [t for t in ax.texts if t.get_gid() == "regency_name"]
    assert len(names) == 22
    with_leader = [t for t in names if t.arrow_patch is not None]
    assert len(with_leader) == len(map_layers._LABEL_OFFSETS_KM)
    points_to_pixels = fig.dpi / 72
    for text in with_leader:
        box = Text.get_window_extent(text, renderer)  # the name alone, not its arrow
        start = text.arrow_patch.get_path().transformed(text.arrow_patch.get_transform())
        x, y = start.vertices[0]
        # outside the box of the name, at most the 2 pt padding plus 2 pt beyond it
        assert not box.contains(x, y), text.get_text()
        gap = max(box.x0 - x, x - box.x1, box.y0 - y, y - box.y1)
        assert 0 < gap <= 4.5 * points_to_pixels, (text.get_text(), gap)
    plt.close(fig)


def test_crowded_names_are_shortened():
    assert map_layers.short_regency_name("Kabupaten Manggarai Barat", "5315") == "Mabar"
    assert map_layers.short_regency_name("Kota Kupang", "5371") == "Kota Kupang"
    assert np.all([not name.startswith("Kabupaten") for name in map_layers._SHORT_NAMES.values()])
