"""Shared fixtures of the figure tests: the NTT regencies with a rate (two missing) and
their LISA."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from migration_ntt import labels
from migration_ntt.ingest import boundaries
from migration_ntt.spatial import hotspots, weights


@pytest.fixture(scope="module")
def gdf():
    shapes = boundaries.load_boundaries()
    rng = np.random.default_rng(0)
    values = rng.gamma(2, 2, 22)
    values[[2, 9]] = np.nan
    return shapes.assign(rate=values)


@pytest.fixture(scope="module")
def lisa(gdf):
    present = gdf[gdf["rate"].notna()]
    graph, _ = weights.build_weights(present, island_policy="none")
    return hotspots.local_moran(present, "rate", graph, permutations=99)


def check_figure(fig, lang: str, title: str) -> None:
    """A map has this title, a legend with entries and a credit line in ``lang``."""
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == title or fig._suptitle.get_text() == title
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    assert legend is not None
    assert len(legend.get_texts()) > 0
    credit = [t for t in fig.texts if t.get_gid() == "credit"]
    assert credit
    assert labels.label("source", lang) in credit[0].get_text()
    plt.close(fig)
