"""Tests for pooled rates from complete, top-N and partial reports (censored Poisson)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from migration_ntt.spatial import pooled


def _grid_maximum(loglik, high: float) -> float:
    grid = np.linspace(1e-6, high, 400_001)
    return float(grid[np.argmax(loglik(grid))])


def test_censored_mle_matches_a_brute_force_grid():
    # Two exact years (3 and 1 over 1.0 and 0.5 units of exposure), one year below 2 (1.0).
    def loglik(rate):
        return (
            3 * np.log(rate) - rate * 1.0
            + 1 * np.log(rate * 0.5) - rate * 0.5
            + stats.poisson.logcdf(2, rate * 1.0)
        )  # fmt: skip

    rate, low, high = pooled.censored_poisson_rate(
        np.array([3.0, 1.0]), np.array([1.0, 0.5]), np.array([2.0]), np.array([1.0])
    )
    assert rate == pytest.approx(_grid_maximum(loglik, 10.0), abs=1e-4)
    # Interval ends sit where the log-likelihood has dropped by chi2(0.95, 1) / 2.
    drop = stats.chi2.ppf(0.95, 1) / 2
    assert loglik(low) == pytest.approx(loglik(rate) - drop, abs=1e-6)
    assert loglik(high) == pytest.approx(loglik(rate) - drop, abs=1e-6)
    assert low < rate < high


def test_no_censoring_gives_the_ratio_and_only_censoring_gives_zero():
    rate, _, _ = pooled.censored_poisson_rate(np.array([4.0, 2.0]), np.array([2.0, 1.0]))
    assert rate == pytest.approx(2.0)
    rate, low, high = pooled.censored_poisson_rate(
        np.array([]), np.array([]), np.array([3.0]), np.array([2.0])
    )
    assert rate == 0.0
    assert low == 0.0
    # Upper end: P(Y <= 3 | mean = 2 * high) = exp(-1.92).
    assert stats.poisson.cdf(3, 2 * high) == pytest.approx(np.exp(-stats.chi2.ppf(0.95, 1) / 2))


def _observations(statuses, observed, bounds, person_years, unit="a"):
    return pd.DataFrame(
        {
            "bps_code": unit,
            "year": range(2018, 2018 + len(statuses)),
            "observed": observed,
            "unnamed_max": bounds,
            "status": statuses,
            "person_years": person_years,
        }
    )


def test_pooled_rates_uses_zeros_censoring_and_skips_missing_years():
    seen = _observations(
        ["named", "zero_complete", "censored", "missing"],
        [6.0, 0.0, np.nan, np.nan],
        [np.nan, np.nan, 1.0, np.nan],
        [100_000.0] * 4,
    )
    table = pooled.pooled_rates(seen).iloc[0]
    assert table["years"] == "2018, 2019, 2020"  # the partial year informs nothing
    assert table["years_censored"] == "2020"
    assert table["person_years"] == 300_000
    assert table["count_named"] == 6
    # Below 6 / 200,000 (the censored year pulls down) and above 6 / 300,000 (not a zero).
    assert 2.0 < table["rate"] < 3.0
    assert table["count"] == pytest.approx(table["rate"] * 3)


def test_censoring_removes_the_upward_bias_of_named_years_only():
    """A small regency named only in the years it had deaths: the old estimate is biased.

    Each of 8 yearly reports is complete (every death by regency, zeros implied) with
    probability 3/4, otherwise a top-N list naming only counts above 2.
    """
    rng = np.random.default_rng(7)
    true_rate, bound = 0.8, 2.0  # per unit of exposure; each year has exposure 1
    named_only, censored = [], []
    for _ in range(400):
        counts = rng.poisson(true_rate, size=8).astype(float)
        complete = rng.random(8) < 0.75
        named = counts > np.where(complete, 0, bound)
        statuses = np.select([named, complete], ["named", "zero_complete"], default="censored")
        seen = _observations(
            statuses,
            np.where(named, counts, np.where(complete, 0.0, np.nan)),
            np.where(statuses == "censored", bound, np.nan),
            1.0,
        )
        censored.append(pooled.pooled_rates(seen)["rate"].iloc[0] / 1e5)
        if named.any():
            named_only.append(counts[named].sum() / named.sum())
    assert np.mean(named_only) > 1.5 * true_rate
    assert np.mean(censored) == pytest.approx(true_rate, rel=0.1)
