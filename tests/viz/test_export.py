"""Figure export: every format, with source and version in the metadata."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from migration_ntt.viz import export, maps


def test_export_writes_three_formats_with_metadata(gdf, tmp_path):
    fig = maps.choropleth(gdf, "rate", lang="en", title="Deaths", source="BP3MI", period="2024")
    paths = export.export_figure(fig, "deaths", "en", out_dir=tmp_path, dpi=60)
    assert [p.name for p in paths] == ["deaths_en.png", "deaths_en.pdf", "deaths_en.svg"]
    with Image.open(paths[0]) as image:
        info = dict(image.info)
    assert info["Source"] == "BP3MI"
    assert info["Title"] == "Deaths"
    assert "migration-ntt" in info["Software"]
    assert b"BP3MI" in paths[1].read_bytes()
    assert "BP3MI" in paths[2].read_text()
    with pytest.raises(ValueError, match="unknown language"):
        export.export_figure(fig, "deaths", "fr", out_dir=tmp_path)
    plt.close(fig)
