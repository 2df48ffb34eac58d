"""esda's permutation test of global Moran's I, with all permutations in one product.

``esda.Moran(y, w, permutations=9_999)`` computes each permuted statistic in a Python loop,
and with a libpysal ``Graph`` each of those 9,999 spatial lags rebuilds the sparse weights
matrix: a quarter of a second per test, and the chain runs a dozen tests (every year,
the pooled rates, the residuals of every model). :func:`moran_with_permutations` asks esda
for the statistic and its moments (``permutations=0``), draws the same permutations from
numpy's global generator, in the same order, and computes their statistics as one sparse
matrix product. Every lag sums the same terms in the same order as esda's loop, so the
simulated values, ``p_sim``, ``EI_sim``, ``seI_sim`` and ``z_sim`` are esda's, bit for bit
(the tests compare them with esda's own loop).

Examples
--------
>>> import numpy as np
>>> from libpysal import graph
>>> import geopandas as gpd
>>> from libpysal import examples
>>> columbus = gpd.read_file(examples.get_path("columbus.shp"))
>>> weights = graph.Graph.build_contiguity(columbus)
>>> np.random.seed(1)
>>> moran = moran_with_permutations(columbus["CRIME"].to_numpy(), weights, 999)
>>> round(float(moran.I), 2), float(moran.p_sim)
(0.52, 0.001)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

if TYPE_CHECKING:
    from esda import Moran


def moran_with_permutations(
    values: np.ndarray,
    weights: object,
    permutations: int,
    *,
    population: np.ndarray | None = None,
) -> Moran:
    """``esda.Moran`` (``esda.Moran_Rate`` with ``population``) with its permutation test.

    Parameters
    ----------
    values : numpy.ndarray
        The values (with ``population``: the event counts).
    weights : libpysal.graph.Graph or libpysal.weights.W
        Row-standardised by esda, as ``esda.Moran`` does by default.
    permutations : int
        Draws from numpy's global generator (seed it before, as for esda).
    population : numpy.ndarray, optional
        The population at risk: the EB-adjusted rate test of Assunção and Reis (1999),
        ``esda.Moran_Rate(values, population, weights, adjusted=True)``.

    Returns
    -------
    esda.Moran
        With ``sim``, ``p_sim``, ``EI_sim``, ``seI_sim``, ``VI_sim``, ``z_sim`` and
        ``p_z_sim`` as esda sets them.
    """
    import esda
    from libpysal.weights import W

    if population is None:
        result = esda.Moran(values, weights, permutations=0)
    else:
        result = esda.Moran_Rate(values, population, weights, adjusted=True, permutations=0)
    if not permutations:
        return result
    z = result.y - result.y.mean()  # esda permutes the centred values (before scaling z)
    s0 = result.w.s0 if isinstance(result.w, W) else result.summary.s0
    permuted = np.array([np.random.permutation(z) for _ in range(permutations)])  # noqa: NPY002
    lagged = np.asarray(result.w.sparse @ permuted.T).T
    sim = result.n / s0 * (permuted * lagged).sum(axis=1) / result.z2ss
    # from here as esda.Moran.__init__ does it
    result.permutations = permutations
    result.sim = sim
    larger = (sim >= result.I).sum()
    if (permutations - larger) < larger:
        larger = permutations - larger
    result.p_sim = (larger + 1.0) / (permutations + 1.0)
    result.EI_sim = sim.sum() / permutations
    result.seI_sim = sim.std()
    result.VI_sim = result.seI_sim**2
    with np.errstate(divide="ignore"):
        result.z_sim = (result.I - result.EI_sim) / result.seI_sim
    if result.z_sim > 0:
        result.p_z_sim = stats.norm.sf(result.z_sim)
    else:
        result.p_z_sim = stats.norm.cdf(result.z_sim)
    return result
