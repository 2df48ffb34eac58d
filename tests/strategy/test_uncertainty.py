"""The Monte Carlo of a workshop: seeded, probabilities summing to 1, no noise reproducing the
pooled matrices."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from migration_ntt import strategy

from ..workshops import AS, workshop_content, write_workshop


def test_monte_carlo_is_seeded_and_its_probabilities_sum_to_one():
    workshop = strategy.read_workshop(strategy.ILLUSTRATIVE)
    first = strategy.monte_carlo(workshop, draws=500, seed=7)
    again = strategy.monte_carlo(workshop, draws=500, seed=7)
    other = strategy.monte_carlo(workshop, draws=500, seed=8)
    pd.testing.assert_frame_equal(first.ranking, again.ranking)
    assert not first.tas_draws.equals(other.tas_draws)
    assert first.ranking["p_first"].sum() == pytest.approx(1.0)
    assert first.ie_cells.sum() == pytest.approx(1.0)


def test_monte_carlo_without_noise_reproduces_the_pooled_matrices(workshop):
    result = strategy.monte_carlo(workshop, draws=50, seed=1, concentration=1e12, jitter=0.0)
    np.testing.assert_allclose(result.ie_points["ife"], 2.55, rtol=1e-5)
    np.testing.assert_allclose(result.ie_points["efe"], 2.50, rtol=1e-5)
    np.testing.assert_allclose(result.tas_draws["A"], 4.20, rtol=1e-5)
    assert result.ranking.set_index("strategy").loc["A", "p_first"] == 1.0
    assert result.ranking.set_index("strategy").loc["A", "verdict"] == "above B"


def test_close_strategies_are_not_distinguishable(tmp_path):
    close = {"A": dict(AS["A"]), "B": dict(AS["A"])}
    close["B"]["O2"] = 2  # B is 0.1 better on one small-weight factor
    content = workshop_content(scores=close)
    result = strategy.monte_carlo(
        strategy.read_workshop(write_workshop(tmp_path, content)), draws=1000, seed=3
    )
    top = result.ranking.iloc[0]
    assert top["verdict"].startswith("not distinguishable")
    assert 0.2 < top["p_first"] < 0.95
