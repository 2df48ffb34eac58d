"""Cluster maps: the no-neighbours class of LISA, shared breaks of small multiples."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from migration_ntt import labels
from migration_ntt.viz import cluster_maps

from .conftest import check_figure


@pytest.mark.parametrize("lang", ["id", "en"])
def test_lisa_map_shows_the_no_neighbours_class(gdf, lisa, lang):
    fig = cluster_maps.lisa_map(gdf, lisa, lang=lang, source="S", period="P")
    legend_texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(labels.label("no neighbours", lang) in text for text in legend_texts)
    generic = labels.count_label("cases", lang)
    check_figure(fig, lang, labels.label("lisa_title", lang, count=generic))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_small_multiples_share_breaks(gdf, lang):
    long = pd.concat(
        [
            gdf[["bps_code"]].assign(year=2023, rate=gdf["rate"]),
            gdf[["bps_code"]].assign(year=2024, rate=gdf["rate"] * 3),
        ]
    )
    fig = cluster_maps.small_multiples(gdf, long, "rate", lang=lang, source="S", period="P")
    assert len([ax for ax in fig.axes if ax.get_title(loc="left")]) == 2
    assert fig.legends
    assert labels.label("no_data", lang) in [t.get_text() for t in fig.legends[0].get_texts()]
    generic = labels.count_label("cases", lang)
    check_figure(fig, lang, labels.label("small_multiples_title", lang, count=generic))
