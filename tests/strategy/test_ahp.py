"""AHP weights against exact identities: consistent matrices, the 3×3 closed form, Saaty's CR,
the geometric mean."""

from __future__ import annotations

import numpy as np
import pytest

from migration_ntt import strategy


def test_ahp_recovers_the_weights_of_a_consistent_matrix():
    weights = np.array([0.5, 0.3, 0.2])
    matrix = weights[:, None] / weights[None, :]
    found, ratio = strategy.ahp_weights(matrix)
    np.testing.assert_allclose(found, weights, atol=1e-9)
    assert ratio == pytest.approx(0.0, abs=1e-9)


def test_ahp_three_by_three_against_the_closed_form():
    # For a reciprocal 3×3 matrix (a12 = a, a13 = b, a23 = c), λmax = 1 + (b/ac)^(1/3) +
    # (ac/b)^(1/3) and the principal eigenvector is the normalised row geometric mean.
    a, b, c = 3.0, 5.0, 2.0
    matrix = np.array([[1, a, b], [1 / a, 1, c], [1 / b, 1 / c, 1]])
    lambda_max = 1 + (b / (a * c)) ** (1 / 3) + (a * c / b) ** (1 / 3)
    rows = np.prod(matrix, axis=1) ** (1 / 3)
    weights, ratio = strategy.ahp_weights(matrix)
    np.testing.assert_allclose(weights, rows / rows.sum(), atol=1e-9)
    assert ratio == pytest.approx((lambda_max - 3) / 2 / 0.58, rel=1e-6)  # Saaty RI(3) = 0.58
    assert ratio < strategy.CR_LIMIT


def test_ahp_flags_inconsistency_and_refuses_bad_matrices():
    # A > B (9), B > C (9) but C > A (9): as inconsistent as a 3×3 can be.
    circular = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    report = strategy.ahp_report({"R1": circular, "R2": circular}, ["A", "B", "C"])
    assert not report.loc["R1", "consistent"]
    assert report.loc["R1", "consistency_ratio"] > 1
    with pytest.raises(ValueError, match="not reciprocal"):
        strategy.ahp_weights([[1, 2], [2, 1]])
    with pytest.raises(ValueError, match="tabled up to"):
        strategy.ahp_weights(np.ones((11, 11)))


def test_ahp_aggregate_is_the_geometric_mean_and_stays_reciprocal():
    first = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    second = np.array([[1, 1 / 3, 1], [3, 1, 4], [1, 1 / 4, 1]])
    combined = strategy.ahp_aggregate([first, second])
    assert combined[0, 1] == pytest.approx(1.0)  # √(3 × 1/3)
    assert combined[0, 2] == pytest.approx(np.sqrt(5))
    np.testing.assert_allclose(combined * combined.T, 1.0)
