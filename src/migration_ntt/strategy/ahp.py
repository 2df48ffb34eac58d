"""Analytic Hierarchy Process weights: Saaty's principal eigenvector, the consistency ratio,
and the geometric mean of several judges' matrices.

Examples
--------
>>> import numpy as np
>>> from migration_ntt.strategy import ahp
>>> weights, cr = ahp.ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
>>> np.round(weights, 3).tolist(), round(cr, 3)
([0.571, 0.286, 0.143], 0.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

#: Saaty's random consistency indices by matrix size.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
CR_LIMIT = 0.10


def ahp_weights(matrix: np.ndarray | Sequence[Sequence[float]]) -> tuple[np.ndarray, float]:
    """Weights from a pairwise-comparison matrix (Saaty's AHP) and its consistency ratio.

    Weights are the principal right eigenvector, summing to 1; CR = CI / RI with
    CI = (λmax − n) / (n − 1) and Saaty's random index RI (:data:`RANDOM_INDEX`). A CR
    above 0.10 means the judgements should be revisited (:func:`ahp_report` flags it).

    Parameters
    ----------
    matrix : array-like
        Square, positive and reciprocal (a_ji = 1 / a_ij), at most 10 × 10.

    Returns
    -------
    (numpy.ndarray, float)
        The weights and the consistency ratio.

    Examples
    --------
    >>> weights, ratio = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    >>> weights.round(3).tolist(), round(ratio, 6)
    ([0.571, 0.286, 0.143], 0.0)
    """
    values = np.asarray(matrix, dtype=float)
    n = values.shape[0]
    if values.ndim != 2 or values.shape[1] != n:
        raise ValueError(f"a pairwise matrix is square, got shape {values.shape}")
    if n > max(RANDOM_INDEX):
        raise ValueError(f"Saaty's random index is tabled up to n = {max(RANDOM_INDEX)}, got {n}")
    if (values <= 0).any():
        raise ValueError("pairwise judgements are positive (1/9 … 9)")
    if not np.allclose(values * values.T, 1.0, rtol=1e-6):
        bad = np.argwhere(~np.isclose(values * values.T, 1.0, rtol=1e-6))[0]
        raise ValueError(
            f"the matrix is not reciprocal: a[{bad[0]}, {bad[1]}] × a[{bad[1]}, {bad[0]}] ≠ 1"
        )
    eigenvalues, eigenvectors = np.linalg.eig(values)
    index = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, index].real)
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[index].real)
    if n <= 2:
        return weights, 0.0
    consistency_index = (lambda_max - n) / (n - 1)
    return weights, max(consistency_index / RANDOM_INDEX[n], 0.0)


def ahp_aggregate(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """Respondents' pairwise matrices combined by the element-wise geometric mean (which
    keeps the result reciprocal: Aczél and Saaty 1983).

    Examples
    --------
    >>> float(ahp_aggregate([np.array([[1, 4], [1 / 4, 1]]), np.array([[1, 1], [1, 1]])])[0, 1])
    2.0
    """
    stack = np.asarray([np.asarray(m, dtype=float) for m in matrices])
    return np.exp(np.log(stack).mean(axis=0))


def ahp_report(matrices: Mapping[str, np.ndarray], labels: Sequence[str]) -> pd.DataFrame:
    """Weights and CR for each respondent and for their geometric-mean aggregate.

    Returns
    -------
    pandas.DataFrame
        Indexed by respondent plus ``aggregate``: one weight column per label,
        ``consistency_ratio`` and ``consistent`` (CR ≤ 0.10).
    """
    rows = {}
    for name, matrix in {**matrices, "aggregate": ahp_aggregate(list(matrices.values()))}.items():
        weights, ratio = ahp_weights(matrix)
        rows[name] = {
            **dict(zip(labels, weights, strict=True)),
            "consistency_ratio": ratio,
            "consistent": ratio <= CR_LIMIT,
        }
    return pd.DataFrame.from_dict(rows, orient="index")
