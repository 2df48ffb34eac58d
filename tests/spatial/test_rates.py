"""Tests for crude, exact-CI and empirical-Bayes rates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from migration_ntt.ingest import boundaries
from migration_ntt.spatial import rates, weights


def test_exact_interval_matches_the_gamma_definition():
    counts = np.array([0, 1, 5, 40])
    low, high = rates.exact_poisson_interval(counts)
    assert low[0] == 0
    assert low[2] == pytest.approx(stats.gamma.ppf(0.025, 5))
    assert high[2] == pytest.approx(stats.gamma.ppf(0.975, 6))


def test_crude_rates_and_coverage():
    out = rates.crude_rates(
        pd.Series([10.0, np.nan, 2.0]), pd.Series([100_000, 50_000, 200_000]), coverage=0.5
    )
    assert out["rate"].iloc[0] == pytest.approx(20.0)  # 10 / 50,000 person-years
    assert np.isnan(out["rate"].iloc[1])  # missing is not zero
    assert out["unreliable"].tolist() == [True, False, True]


@pytest.fixture(scope="module")
def ntt_rates() -> pd.DataFrame:
    gdf = boundaries.load_boundaries()
    rng = np.random.default_rng(5)
    gdf = gdf.assign(
        population=rng.integers(80_000, 500_000, 22), deaths=rng.poisson(6, 22).astype(float)
    )
    graph, _ = weights.build_weights(gdf, island_policy="none")
    return rates.smoothed_rates(gdf, "deaths", "population", graph)


def test_eb_rates_lie_between_crude_and_reference(ntt_rates):
    crude, reference = ntt_rates["rate"], ntt_rates["reference_rate"]
    eb = ntt_rates["eb_global"]
    low, high = np.minimum(crude, reference), np.maximum(crude, reference)
    assert ((eb >= low - 1e-9) & (eb <= high + 1e-9)).all()


def test_islands_fall_back_to_global_eb_and_say_so(ntt_rates):
    islands = ntt_rates["bps_code"].isin(["5307", "5308", "5314", "5320"])
    assert (ntt_rates.loc[islands, "eb_spatial"] == ntt_rates.loc[islands, "eb_global"]).all()
    assert (ntt_rates.loc[islands, "eb_spatial_method"] == "global EB: no neighbours").all()
    assert (ntt_rates.loc[~islands, "eb_spatial_method"] == "spatial EB").all()
