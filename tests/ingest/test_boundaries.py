"""Tests for the boundary downloader/parser (through the offline mirror) and the tile grid."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pytest
from libpysal import graph

from migration_ntt import regions
from migration_ntt.ingest import boundaries, indicators


@pytest.fixture(scope="module")
def regencies_gdf() -> gpd.GeoDataFrame:
    return boundaries.load_boundaries(refresh=True)


def test_22_valid_units_keyed_by_bps_code(regencies_gdf):
    assert len(regencies_gdf) == 22
    assert regencies_gdf["bps_code"].tolist() == sorted(regions.regencies()["bps_code"])
    assert regencies_gdf.crs.to_epsg() == 4326
    assert regencies_gdf.is_valid.all()
    assert regencies_gdf["repaired"].sum() == 9  # nine source features have nested shells
    # lon/lat order: NTT lies at lon 118.9–125.2, lat −11.0 to −7.8
    minx, miny, maxx, maxy = regencies_gdf.total_bounds
    assert 118.5 < minx < maxx < 125.5
    assert -11.5 < miny < maxy < -7.5


def test_codes_follow_the_crosswalk_not_the_last_digits(regencies_gdf):
    kupang = regencies_gdf.set_index("kemendagri_code").loc["53.01"]
    assert kupang["bps_code"] == "5303"
    assert kupang["nama"] == "Kabupaten Kupang"


def test_areas_match_the_official_areas(regencies_gdf):
    table = indicators.load_indicators().table
    official = table[table["indicator"] == "area_km2"].set_index("bps_code")["value"]
    measured = regencies_gdf.set_index("bps_code").to_crs(6933).area / 1e6
    relative = (measured / official.reindex(measured.index) - 1).abs()
    assert relative.max() < 0.06, relative.sort_values().tail()


def test_queen_contiguity_has_seven_components_and_four_island_isolates(regencies_gdf):
    contiguity = graph.Graph.build_contiguity(
        regencies_gdf.set_index("bps_code"), rook=False, strict=False
    )
    assert contiguity.n_components == 7
    names = regions.regencies().set_index("bps_code")["short_name"]
    assert sorted(names[contiguity.isolates]) == ["Alor", "Lembata", "Rote Ndao", "Sabu Raijua"]


def test_districts_parse_and_fall_inside_their_regency(regencies_gdf):
    districts = boundaries.load_boundaries("district")
    assert len(districts) > 300
    assert districts["bps_code"].notna().all()
    assert districts.is_valid.all()
    shapes = regencies_gdf.set_index("bps_code").geometry
    points = districts.geometry.representative_point()
    inside = [
        shapes[code].buffer(0.01).contains(point)
        for code, point in zip(districts["bps_code"], points, strict=True)
    ]
    assert all(inside)
    assert set(districts["bps_code"]) == set(regencies_gdf["bps_code"])


def test_second_call_reads_the_cache(regencies_gdf, monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(boundaries, "fetch_sql", fail)
    again = boundaries.load_boundaries()
    assert again.geom_equals_exact(regencies_gdf.geometry, tolerance=0).all()


def test_hash_mismatch_is_refused_and_not_cached(tmp_path, monkeypatch, shared_data):
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path / "cache"))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    original = shared_data / "boundaries" / "raw" / "wilayah_boundaries_kab_53.sql"
    damaged = original.read_bytes().replace(b"Kabupaten Kupang", b"Kabupaten Kopang", 1)
    (mirror / original.name).write_bytes(damaged)
    with pytest.raises(boundaries.BoundaryError, match="does not match the pinned"):
        boundaries.load_boundaries(mirror=mirror)
    assert not list((tmp_path / "cache").rglob("*.parquet"))
    assert not (tmp_path / "cache" / "sql" / original.name).exists()


def test_truncated_file_is_reported(tmp_path, shared_data):
    original = shared_data / "boundaries" / "raw" / "wilayah_boundaries_kab_53.sql"
    truncated = tmp_path / original.name
    truncated.write_bytes(original.read_bytes()[: original.stat().st_size // 2])
    with pytest.raises(boundaries.BoundaryError, match="truncated"):
        boundaries.parse_boundary_sql(truncated)


def test_no_network_and_no_mirror_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MIGRATION_NTT_MIRROR", str(tmp_path / "empty"))

    def offline(*args, **kwargs):
        raise ConnectionError("no network")

    import pooch

    monkeypatch.setattr(pooch, "retrieve", offline)
    with pytest.raises(boundaries.BoundaryError, match="MIGRATION_NTT_MIRROR"):
        boundaries.load_boundaries()


def test_mirror_copy_is_verified_then_cached(tmp_path, monkeypatch, shared_data):
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path / "cache"))
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    shutil.copy(shared_data / "boundaries" / "raw" / "wilayah_boundaries_kab_53.sql", mirror)
    frame = boundaries.load_boundaries(mirror=mirror)
    assert len(frame) == 22
    assert list((tmp_path / "cache").glob("boundaries_regency_53_*.parquet"))


def test_parser_matches_the_reference_conversion(regencies_gdf, shared_data):
    reference = gpd.read_file(
        shared_data / "boundaries" / "ntt_kabkota_cahyadsn_kab53_valid.geojson"
    )
    reference = reference.set_index("kode").geometry.to_crs(6933)
    ours = regencies_gdf.set_index("kemendagri_code").geometry.to_crs(6933)
    difference = ours.symmetric_difference(reference, align=True)
    assert (difference.area / ours.area).max() < 1e-3


def test_tile_grid_is_schematic_and_complete():
    grid = boundaries.tile_grid()
    assert len(grid) == 22
    assert grid["bps_code"].is_unique
    assert grid.attrs["schematic"] is True
    assert grid.crs is None
    # no two tiles overlap
    assert grid.geometry.area.sum() == pytest.approx(grid.geometry.union_all().area)
