"""The vectorised permutation test of global Moran's I is esda's test, bit for bit."""

from __future__ import annotations

import warnings

import esda
import geopandas as gpd
import numpy as np
import pytest
from libpysal import examples, graph

from migration_ntt.spatial.permutation_test import moran_with_permutations


@pytest.fixture(scope="module")
def columbus_graph() -> graph.Graph:
    return graph.Graph.build_contiguity(gpd.read_file(examples.get_path("columbus.shp")))


@pytest.mark.parametrize("seed", [0, 7])
@pytest.mark.parametrize("as_w", [False, True])
def test_same_simulations_and_p_values_as_esdas_loop(columbus_graph, seed, as_w):
    weights = columbus_graph.to_W() if as_w else columbus_graph
    rng = np.random.default_rng(seed)
    counts = rng.poisson(2, columbus_graph.n).astype(float)
    population = rng.integers(100, 1_000, columbus_graph.n).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.random.seed(seed)  # noqa: NPY002 - esda's generator
        loop = esda.Moran(counts, weights, permutations=499)
        np.random.seed(seed)  # noqa: NPY002
        batch = moran_with_permutations(counts, weights, 499)
        np.random.seed(seed)  # noqa: NPY002
        rate_loop = esda.Moran_Rate(counts, population, weights, adjusted=True, permutations=499)
        np.random.seed(seed)  # noqa: NPY002
        rate_batch = moran_with_permutations(counts, weights, 499, population=population)
    for expected, got in ((loop, batch), (rate_loop, rate_batch)):
        assert np.array_equal(expected.sim, got.sim)
        for name in ("I", "p_sim", "EI_sim", "seI_sim", "z_sim", "p_z_sim", "p_norm"):
            assert getattr(expected, name) == getattr(got, name), name
        assert np.array_equal(expected.z, got.z)


def test_no_permutations_leaves_the_analytical_test(columbus_graph):
    counts = np.arange(columbus_graph.n, dtype=float)
    result = moran_with_permutations(counts, columbus_graph, 0)
    assert not hasattr(result, "p_sim")
    assert 0 < result.p_norm < 1
