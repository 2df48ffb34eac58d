"""The interactive map: one feature per unit, offline, small; online tiles only as an option."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")


from migration_ntt import labels
from migration_ntt.viz import interactive


def test_folium_map_has_one_feature_per_unit(gdf, lisa, tmp_path):
    frame = gdf.merge(lisa[["bps_code", "label"]], on="bps_code", how="left")
    fmap = interactive.interactive_map(
        frame, {"rate": "Rate"}, lang="en", tooltip_columns={"rate": "Rate", "label": "Cluster"}
    )
    html = interactive.save_map(fmap, tmp_path / "map.html").read_text()
    assert interactive.feature_count(html) == 22
    assert "Cluster" in html
    assert "Kabupaten Malaka" in html


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
