"""Choropleths: title, legend, credit, classes apart, the synthetic and schematic marks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from migration_ntt import labels
from migration_ntt.ingest import boundaries
from migration_ntt.viz import maps

from .conftest import check_figure


def _texts(fig):
    return [t.get_text() for t in fig.texts]


@pytest.mark.parametrize("lang", ["id", "en"])
def test_choropleth_has_title_legend_credit_and_no_data(gdf, lang):
    fig = maps.choropleth(gdf, "rate", lang=lang, title="T", source="S", period="2024")
    legend_texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels.label("no_data", lang) in legend_texts
    decimal = "," if lang == "id" else "."
    assert any(decimal in text for text in legend_texts)
    assert any(line.get_gid() == "scale_bar" for line in fig.axes[0].lines)
    check_figure(fig, lang, "T")


@pytest.mark.parametrize("scheme", ["quantiles", "fisherjenks", "user"])
def test_legend_classes_do_not_overlap(gdf, scheme):
    bounds = maps.classify(gdf["rate"], scheme, k=4, bins=[1, 2, 4] if scheme == "user" else None)
    assert np.all(np.diff(bounds) > 0)
    names = maps.legend_labels(bounds, float(gdf["rate"].min()), "en")
    assert all(name.startswith(">") for name in names[1:])
    assert not names[0].startswith(">")


def test_synthetic_input_is_marked(gdf):
    synthetic = gdf.copy()
    synthetic.attrs["synthetic"] = True
    fig = maps.choropleth(synthetic, "rate", lang="en", title="T", source="S", period="P")
    assert "SYNTHETIC DATA" in _texts(fig)
    plt.close(fig)
    fig = maps.choropleth(gdf, "rate", lang="en", title="T", source="S", period="P")
    assert "SYNTHETIC DATA" not in _texts(fig)
    plt.close(fig)


def test_tile_grid_maps_say_schematic():
    grid = boundaries.tile_grid().assign(rate=range(22))
    fig = maps.choropleth(grid, "rate", lang="en", title="T", source="S", period="P")
    assert any("Schematic" in text for text in _texts(fig))
    plt.close(fig)
