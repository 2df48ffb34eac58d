"""Hotspot statistics equal esda's for the same weights and seed; labels and FDR are honest."""

from __future__ import annotations

import esda
import geopandas as gpd
import numpy as np
import pytest
from libpysal import examples

from migration_ntt.ingest import boundaries
from migration_ntt.spatial import hotspots, weights

PERMUTATIONS = 999
SEED = 7


@pytest.fixture(scope="module", params=["columbus", "sids2"])
def dataset(request):
    if request.param == "columbus":
        frame = gpd.read_file(examples.get_path("columbus.shp"))
        return frame, "POLYID", "CRIME"
    frame = gpd.read_file(examples.get_path("sids2.shp"))
    return frame, "FIPSNO", "SIDR79"


@pytest.fixture(scope="module")
def graph(dataset):
    frame, id_col, _ = dataset
    built, _ = weights.build_weights(frame, id_col=id_col, name_col=None, island_policy="knn")
    return built


def test_global_moran_equals_esda(dataset, graph):
    frame, id_col, column = dataset
    ours = hotspots.global_moran(
        frame, column, graph, id_col=id_col, permutations=PERMUTATIONS, seed=SEED
    )
    values = frame.set_index(id_col).loc[list(graph.unique_ids), column].to_numpy(float)
    np.random.seed(SEED)  # noqa: NPY002 - the same global seed esda.Moran uses
    reference = esda.Moran(values, graph, permutations=PERMUTATIONS)
    assert ours["moran_i"] == pytest.approx(reference.I)
    assert ours["p_sim_esda"] == pytest.approx(reference.p_sim)
    assert ours["p_sim"] == pytest.approx(min(1, 2 * reference.p_sim))


def test_local_moran_equals_esda(dataset, graph):
    frame, id_col, column = dataset
    ours = hotspots.local_moran(
        frame, column, graph, id_col=id_col, name_col=None, permutations=PERMUTATIONS, seed=SEED
    )
    values = frame.set_index(id_col).loc[list(graph.unique_ids), column].to_numpy(float)
    with hotspots._quiet_esda():
        reference = esda.Moran_Local(values, graph, permutations=PERMUTATIONS, seed=SEED, n_jobs=1)
    np.testing.assert_allclose(ours["local_i"], reference.Is)
    np.testing.assert_allclose(ours["p_sim_esda"], reference.p_sim)
    np.testing.assert_allclose(ours["p_sim"], np.minimum(1, 2 * reference.p_sim))
    assert (ours["q_fdr"] >= ours["p_sim"] - 1e-12).all()


def test_local_g_equals_esda(dataset, graph):
    frame, id_col, column = dataset
    ours = hotspots.local_g(
        frame, column, graph, id_col=id_col, name_col=None, permutations=PERMUTATIONS, seed=SEED
    )
    values = frame.set_index(id_col).loc[list(graph.unique_ids), column].to_numpy(float)
    with hotspots._quiet_esda():
        reference = esda.G_Local(
            values, graph.transform("b"), star=1.0, permutations=PERMUTATIONS, seed=SEED, n_jobs=1
        )
    np.testing.assert_allclose(ours["g"], reference.Gs)
    np.testing.assert_allclose(ours["z"], reference.Zs)
    np.testing.assert_allclose(ours["p_sim_esda"], reference.p_sim)
    assert set(ours["label"]) <= set(hotspots.HOTSPOT_LABELS)


def test_seeded_results_reproduce(dataset, graph):
    frame, id_col, column = dataset
    first = hotspots.local_moran(
        frame, column, graph, id_col=id_col, name_col=None, permutations=PERMUTATIONS, seed=1
    )
    second = hotspots.local_moran(
        frame, column, graph, id_col=id_col, name_col=None, permutations=PERMUTATIONS, seed=1
    )
    assert first.equals(second)


@pytest.fixture(scope="module")
def ntt():
    gdf = boundaries.load_boundaries()
    rng = np.random.default_rng(3)
    return gdf.assign(
        value=rng.gamma(2, 2, 22),
        deaths=rng.poisson(8, 22).astype(float),
        population=rng.integers(80_000, 500_000, 22).astype(float),
    )


def test_isolates_are_labelled_no_neighbours_under_none(ntt):
    graph, _ = weights.build_weights(ntt, island_policy="none")
    for table in (
        hotspots.local_moran(ntt, "value", graph, permutations=PERMUTATIONS),
        hotspots.local_g(ntt, "value", graph, permutations=PERMUTATIONS),
        hotspots.local_moran_rate(ntt, "deaths", "population", graph, permutations=PERMUTATIONS),
    ):
        islands = table["bps_code"].isin(["5307", "5308", "5314", "5320"])
        assert (table.loc[islands, "label"] == "no neighbours").all()
        assert table.loc[islands, "p_sim"].isna().all()
        assert (table.loc[~islands, "label"] != "no neighbours").all()
        assert "n = 22" in table.attrs["caveat"]


@pytest.mark.parametrize("policy", ["knn", "links"])
def test_islands_get_real_labels_with_neighbours(ntt, policy):
    graph, _ = weights.build_weights(ntt, island_policy=policy)
    table = hotspots.local_moran(ntt, "value", graph, permutations=PERMUTATIONS)
    assert (table["label"] != "no neighbours").all()
    assert table["p_sim"].notna().all()


def test_q_is_never_below_p(ntt):
    graph, _ = weights.build_weights(ntt, island_policy="none")
    table = hotspots.local_moran(ntt, "value", graph, permutations=PERMUTATIONS)
    has = table["p_sim"].notna()
    assert (table.loc[has, "q_fdr"] >= table.loc[has, "p_sim"] - 1e-12).all()


def test_missing_values_are_refused(ntt):
    graph, _ = weights.build_weights(ntt, island_policy="none")
    broken = ntt.assign(value=np.where(np.arange(22) == 3, np.nan, ntt["value"]))
    with pytest.raises(ValueError, match="missing for 1 unit"):
        hotspots.local_moran(broken, "value", graph)


def test_moran_rate_runs_and_reports(ntt):
    graph, _ = weights.build_weights(ntt, island_policy="links")
    result = hotspots.moran_rate(ntt, "deaths", "population", graph, permutations=PERMUTATIONS)
    assert -1 < result["moran_i"] < 1
    assert 0 < result["p_sim"] <= 1
