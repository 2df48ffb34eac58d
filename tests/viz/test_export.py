"""Figure export: every format, with source and version in the metadata."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from PIL import Image

from migration_ntt.viz import export, maps


def test_export_writes_png_and_pdf_and_svg_on_request_with_metadata(gdf, tmp_path):
    fig = maps.choropleth(gdf, "rate", lang="en", title="Deaths", source="BP3MI", period="2024")
    default = export.export_figure(fig, "default", "en", out_dir=tmp_path, dpi=60)
    assert [p.name for p in default] == ["default_en.png", "default_en.pdf"]
    paths = export.export_figure(
        fig, "deaths", "en", formats=("png", "pdf", "svg"), out_dir=tmp_path, dpi=60
    )
    assert [p.name for p in paths] == ["deaths_en.png", "deaths_en.pdf", "deaths_en.svg"]
    with Image.open(paths[0]) as image:
        info = dict(image.info)
    assert info["Source"] == "BP3MI"
    assert info["Title"] == "Deaths"
    assert "migration-ntt" in info["Software"]
    assert b"BP3MI" in paths[1].read_bytes()
    assert "BP3MI" in paths[2].read_text()
    with pytest.raises(ValueError, match="unknown format"):
        export.export_figure(fig, "deaths", "en", formats=("jpg",), out_dir=tmp_path)
    with pytest.raises(ValueError, match="unknown language"):
        export.export_figure(fig, "deaths", "fr", out_dir=tmp_path)
    plt.close(fig)


def _savefig_pixels(fig, path, dpi, **kwargs):
    fig.savefig(path, dpi=dpi, bbox_inches="tight", **kwargs)
    with Image.open(path) as image:
        return image.convert("RGBA").tobytes(), image.size


@pytest.mark.parametrize("height", [4.8, 4.61])
def test_png_holds_the_pixels_savefig_tight_draws(height, tmp_path):
    fig, ax = plt.subplots(figsize=(7.5, height))
    ax.plot([0, 1, 2], [2, 0, 1])
    ax.set_title("Kematian PMI per 100.000")
    fig.text(0.01, 0.01, "Sumber: BP3MI NTT", fontsize=7)
    expected = _savefig_pixels(fig, tmp_path / "matplotlib.png", 97)
    export.write_png(fig, tmp_path / "ours.png", 97, {"Title": "t"})
    with Image.open(tmp_path / "ours.png") as image:
        assert image.mode == "RGB"  # opaque: written without the alpha channel
        assert (image.convert("RGBA").tobytes(), image.size) == expected
    plt.close(fig)


def test_transparent_figure_png_keeps_its_alpha(tmp_path):
    fig, ax = plt.subplots(figsize=(3, 2))
    fig.patch.set_alpha(0)
    ax.patch.set_alpha(0)
    ax.plot([0, 1], [0, 1])
    expected = _savefig_pixels(fig, tmp_path / "matplotlib.png", 50)
    export.write_png(fig, tmp_path / "ours.png", 50, {"Title": "t"})
    with Image.open(tmp_path / "ours.png") as image:
        assert image.mode == "RGBA"
        assert (image.convert("RGBA").tobytes(), image.size) == expected
    plt.close(fig)


def test_raster_size_takes_the_side_matplotlib_rounded_up():
    # 1382.9999999 pixels high in our arithmetic, 1383 in matplotlib's
    assert export._raster_size(2575.53, 1382.9999999, 2575 * 1383) == (2575, 1383)
    assert export._raster_size(2575.53, 1322.25, 2575 * 1322) == (2575, 1322)
    assert export._raster_size(2575.53, 1322.25, 17) is None


def test_pdf_page_is_cut_to_the_png_box(gdf, tmp_path):
    fig = maps.choropleth(gdf, "rate", lang="en", title="Deaths", source="BP3MI", period="2024")
    png, pdf = export.export_figure(fig, "deaths", "en", out_dir=tmp_path, dpi=100)
    plt.close(fig)
    page = re.search(rb"/MediaBox \[ ?([\d. ]+)\]", pdf.read_bytes()).group(1).split()
    width_pt, height_pt = float(page[2]), float(page[3])
    with Image.open(png) as image:
        width_px, height_px = image.size
    # one box for both: the page is the PNG's size in points (to a pixel)
    assert abs(width_pt - width_px * 72 / 100) < 0.72
    assert abs(height_pt - height_px * 72 / 100) < 0.72


def test_export_figures_names_each_by_its_key_and_closes_it(tmp_path, monkeypatch):
    monkeypatch.setattr(export.config, "figures_dir", lambda: tmp_path)
    figures = {"a": plt.figure(), "b": plt.figure()}
    numbers = [figure.number for figure in figures.values()]
    paths = export.export_figures(figures, "stem_{}".format, "en", formats=("png",))
    assert [p.name for p in paths] == ["stem_a_en.png", "stem_b_en.png"]
    assert all(p.exists() for p in paths)
    assert not set(numbers) & set(plt.get_fignums())  # closed once written
