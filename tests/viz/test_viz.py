"""Maps, labels, export and the interactive map, in both languages."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from migration_ntt.ingest import boundaries
from migration_ntt.spatial import hotspots, weights
from migration_ntt.viz import export, interactive, labels, maps


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


def _texts(fig):
    return [t.get_text() for t in fig.texts]


def _check(fig, lang, title):
    ax = fig.axes[0]
    assert ax.get_title(loc="left") == title or fig._suptitle.get_text() == title
    legend = ax.get_legend() or (fig.legends[0] if fig.legends else None)
    assert legend is not None
    assert len(legend.get_texts()) > 0
    credit = [t for t in fig.texts if t.get_gid() == "credit"]
    assert credit
    assert labels.label("source", lang) in credit[0].get_text()
    plt.close(fig)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_choropleth_has_title_legend_credit_and_no_data(gdf, lang):
    fig = maps.choropleth(gdf, "rate", lang=lang, title="T", source="S", period="2024")
    legend_texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels.label("no_data", lang) in legend_texts
    decimal = "," if lang == "id" else "."
    assert any(decimal in text for text in legend_texts)
    assert any(line.get_gid() == "scale_bar" for line in fig.axes[0].lines)
    _check(fig, lang, "T")


@pytest.mark.parametrize("scheme", ["quantiles", "fisherjenks", "user"])
def test_legend_classes_do_not_overlap(gdf, scheme):
    bounds = maps.classify(gdf["rate"], scheme, k=4, bins=[1, 2, 4] if scheme == "user" else None)
    assert np.all(np.diff(bounds) > 0)
    names = maps.legend_labels(bounds, float(gdf["rate"].min()), "en")
    assert all(name.startswith(">") for name in names[1:])
    assert not names[0].startswith(">")


@pytest.mark.parametrize("lang", ["id", "en"])
def test_lisa_map_shows_the_no_neighbours_class(gdf, lisa, lang):
    fig = maps.lisa_map(gdf, lisa, lang=lang, source="S", period="P")
    legend_texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any(labels.label("no neighbours", lang) in text for text in legend_texts)
    generic = labels.count_label("cases", lang)
    _check(fig, lang, labels.label("lisa_title", lang, count=generic))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_small_multiples_share_breaks(gdf, lang):
    long = pd.concat(
        [
            gdf[["bps_code"]].assign(year=2023, rate=gdf["rate"]),
            gdf[["bps_code"]].assign(year=2024, rate=gdf["rate"] * 3),
        ]
    )
    fig = maps.small_multiples(gdf, long, "rate", lang=lang, source="S", period="P")
    assert len([ax for ax in fig.axes if ax.get_title(loc="left")]) == 2
    assert fig.legends
    assert labels.label("no_data", lang) in [t.get_text() for t in fig.legends[0].get_texts()]
    generic = labels.count_label("cases", lang)
    _check(fig, lang, labels.label("small_multiples_title", lang, count=generic))


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


def test_folium_map_has_one_feature_per_unit(gdf, lisa, tmp_path):
    frame = gdf.merge(lisa[["bps_code", "label"]], on="bps_code", how="left")
    fmap = interactive.interactive_map(
        frame, {"rate": "Rate"}, lang="en", tooltip_columns={"rate": "Rate", "label": "Cluster"}
    )
    html = interactive.save_map(fmap, tmp_path / "map.html").read_text()
    assert interactive.feature_count(html) == 22
    assert "Cluster" in html
    assert "Kabupaten Malaka" in html


def test_labels_cover_both_languages_and_format_numbers():
    for key, texts in labels.LABELS.items():
        assert set(texts) == {"id", "en"}, key
    assert labels.format_number(1234.5, "id", 1) == "1.234,5"
    assert labels.format_number(1234.5, "en", 1) == "1,234.5"
    assert labels.format_number(float("nan"), "en") == "–"
    with pytest.raises(ValueError, match="unknown language"):
        labels.label("no_data", "fr")


def _loads(html: str) -> list[str]:
    """Every src/href of the page's elements (what a browser would fetch or link)."""
    import lxml.html

    tree = lxml.html.fromstring(html)
    return [v for element in tree.iter() for k, v in element.attrib.items() if k in ("src", "href")]


def test_interactive_map_works_offline_and_is_small(project_home):
    from migration_ntt import analysis

    result = analysis.run_hotspots(permutations=99)
    paths = analysis.hotspot_figures(result, "id", formats=("png",))
    html_path = next(p for p in paths if p.suffix == ".html")
    html = html_path.read_text()
    assert not [v for v in _loads(html) if v.startswith(("http://", "https://", "//"))]
    assert "<script src" not in html
    assert "<link " not in html
    assert html_path.stat().st_size <= 1.5e6
    assert "Leaflet 1.9.4" in html  # the inlined copy, with its copyright line
    years = sorted(set(result.periods) - {"pooled"})
    # pooled rate, EB, and one layer per report year (the layer control is the year control)
    assert interactive.feature_count(html) == (2 + len(years)) * 22
    legends = re.findall(r'class="mntt-legend" data-layer="([^"]+)"', html)
    assert legends[2:] == years
    assert "Tidak ada data" in html
    assert "IK 95 % (bawah)" in html
    assert "95% CI" not in html
    assert html.count('mntt-name\\"') == 22  # regency names drawn as text (JSON-escaped)
    # a year's layer states that year's period in its tooltip
    assert f"{years[0]}: Periode" in html


def test_online_tiles_are_an_option_and_say_so(gdf):
    fmap = interactive.interactive_map(gdf, {"rate": "Rate"}, lang="en", tiles="OpenStreetMap")
    html = fmap.get_root().render()
    assert labels.label("online_tiles", "en") in html
    offline = interactive.interactive_map(gdf, {"rate": "Rate"}, lang="en").get_root().render()
    assert "tile.openstreetmap.org" not in offline
