"""Tests for archipelago-aware weights."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from libpysal import examples

from migration_ntt import regions
from migration_ntt.ingest import boundaries
from migration_ntt.spatial import weights

ISLANDS = ["Kabupaten Alor", "Kabupaten Lembata", "Kabupaten Rote Ndao", "Kabupaten Sabu Raijua"]


@pytest.fixture(scope="module")
def ntt() -> gpd.GeoDataFrame:
    return boundaries.load_boundaries()


def test_none_policy_keeps_the_four_islands_isolated(ntt):
    graph, report = weights.build_weights(ntt, island_policy="none")
    assert report.n_components == 7
    assert report.isolates == ISLANDS
    assert sorted(graph.isolates) == ["5307", "5308", "5314", "5320"]


@pytest.mark.parametrize("policy", ["knn", "links"])
def test_knn_and_links_give_islands_real_neighbours(ntt, policy):
    graph, report = weights.build_weights(ntt, island_policy=policy)
    assert report.isolates == []
    assert report.isolates_before_policy == ISLANDS
    for island in ISLANDS:
        assert report.neighbours[island], island
    # row-standardised
    sums = graph.adjacency.groupby(level=0).sum()
    assert sums.round(12).eq(1).all()
    assert len(report.added_links) > 0
    assert report.added_links["reason"].str.len().gt(0).all()


def test_links_connect_the_archipelago_and_are_symmetric(ntt):
    graph, report = weights.build_weights(ntt, island_policy="links")
    assert report.n_components == 1
    pairs = set(graph.adjacency.index)
    assert all((b, a) in pairs for a, b in pairs)


def test_default_links_table_has_a_reason_for_every_row():
    table = regions.sea_links()
    assert table["reason"].str.startswith("ASSUMPTION").all()


def test_custom_links_and_bad_links(ntt):
    links = pd.DataFrame({"bps_code_a": ["5307"], "bps_code_b": ["5371"], "reason": ["flight"]})
    _, report = weights.build_weights(ntt, island_policy="links", links=links)
    assert report.neighbours["Kabupaten Alor"] == ["Kota Kupang"]
    assert "Kabupaten Lembata" in report.isolates
    with pytest.raises(ValueError, match="missing column"):
        weights.build_weights(ntt, island_policy="links", links=pd.DataFrame({"a": ["5307"]}))
    with pytest.raises(ValueError, match="island_policy"):
        weights.build_weights(ntt, island_policy="bridges")


@pytest.mark.parametrize("method", ["rook", "knn", "distance"])
def test_other_methods(ntt, method):
    _, report = weights.build_weights(ntt, method=method, island_policy="none", k=3)
    assert report.n_units == 22
    if method in {"knn", "distance"}:
        assert report.isolates == []


def test_works_on_another_dataset():
    columbus = gpd.read_file(examples.get_path("columbus.shp"))
    _, report = weights.build_weights(columbus, id_col="POLYID", name_col=None)
    assert report.n_units == 49
    assert report.n_components == 1


def test_compare_weights_sensitivity_table(ntt):
    frame = ntt.assign(value=range(22))
    table = weights.compare_weights(frame, "value", permutations=99)
    assert len(table) == 6
    assert {"scheme", "components", "isolates", "moran_i", "p_sim"} <= set(table.columns)
    assert (
        table.loc[
            table["scheme"].str.contains("island_policy=none")
            & table["scheme"].str.contains("queen"),
            "isolates",
        ].iloc[0]
        == 4
    )
