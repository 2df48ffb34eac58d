"""How much a strategy ranking rests on who was asked and on judgement noise: a Monte
Carlo over respondents (bootstrap), weights (Dirichlet) and ratings (±1 within range)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from migration_ntt.ingest.workshop import (
    AS_RANGE,
    INTERNAL,
    RATING_RANGE,
    Workshop,
)
from migration_ntt.strategy.matrices import ie_cell, qspm


@dataclass
class StrategyUncertainty:
    """Result of :func:`monte_carlo`.

    Attributes
    ----------
    ranking : pandas.DataFrame
        Per strategy: ``tas`` (pooled), ``p_first`` (share of draws in which it ranks
        first; they sum to 1), ``tas_low``/``tas_high`` (5th/95th percentile),
        ``p_above_next`` (share of draws in which it beats the next one down) and
        ``verdict``.
    ie_cells : pandas.Series
        Share of draws per IE cell (sums to 1).
    ie_points : pandas.DataFrame
        ``ife, efe`` of every draw (the cloud of the IE figure).
    tas_draws : pandas.DataFrame
        TAS of every strategy in every draw.
    draws, seed : int
    """

    ranking: pd.DataFrame
    ie_cells: pd.Series
    ie_points: pd.DataFrame
    tas_draws: pd.DataFrame
    draws: int
    seed: int


#: A strategy that beats the next one down in fewer than this share of draws is "not
#: distinguishable" from it.
DISTINGUISHABLE = 0.95


def monte_carlo(
    workshop: Workshop,
    draws: int = 2_000,
    *,
    seed: int = 20_251_129,
    concentration: float = 200.0,
    jitter: float = 0.25,
) -> StrategyUncertainty:
    """How much the IE cell and the QSPM ranking rest on who was asked and on noise.

    Each draw (seeded): resample the respondents with replacement; perturb each respondent's
    internal and external weights by a Dirichlet with mean equal to them (``concentration``
    = 200 gives about ±10 % relative noise on a weight of 0.1); move each rating and each
    AS by ±1 with probability ``jitter`` each way, kept inside its allowed range; then pool
    and recompute the IFE, EFE, IE cell and TAS.

    A strategy whose TAS exceeds the next strategy's in fewer than 95 % of draws is
    reported as "not distinguishable" from it, not as ranked above it.

    Parameters
    ----------
    workshop : Workshop
    draws : int
    seed : int
    concentration : float
        Dirichlet concentration of the weight noise.
    jitter : float
        Probability of moving a rating or an AS by one, each way.

    Returns
    -------
    StrategyUncertainty

    Examples
    --------
    >>> from migration_ntt.ingest.workshop import ILLUSTRATIVE, read_workshop
    >>> result = monte_carlo(read_workshop(ILLUSTRATIVE), draws=200, seed=1)
    >>> round(float(result.ranking["p_first"].sum()), 6), round(float(result.ie_cells.sum()), 6)
    (1.0, 1.0)
    """
    rng = np.random.default_rng(seed)
    factors = workshop.factors
    scores = workshop.qspm
    respondents = workshop.respondents
    names = list(dict.fromkeys(factors["factor"]))
    kinds = factors.drop_duplicates("factor").set_index("factor").loc[names, "kind"]
    weights = (
        factors.pivot_table(index="respondent", columns="factor", values="weight", aggfunc="first")
        .reindex(index=respondents, columns=names)
        .fillna(0.0)
        .to_numpy()
    )
    ratings = (
        factors.pivot_table(index="respondent", columns="factor", values="rating", aggfunc="first")
        .reindex(index=respondents, columns=names)
        .to_numpy()
    )
    low = np.array([RATING_RANGE[k][0] for k in kinds], dtype=float)
    high = np.array([RATING_RANGE[k][1] for k in kinds], dtype=float)
    internal = kinds.isin(INTERNAL).to_numpy()
    strategies = list(dict.fromkeys(scores["strategy"])) if len(scores) else []
    answers = np.full((len(respondents), len(strategies), len(names)), np.nan)
    if strategies:
        position = {name: i for i, name in enumerate(names)}
        for row in scores.itertuples():
            answers[
                respondents.index(row.respondent),
                strategies.index(row.strategy),
                position[row.factor],
            ] = row.attractiveness

    n_resp = len(respondents)
    chosen = rng.integers(n_resp, size=(draws, n_resp))  # bootstrap respondents
    drawn_weights = weights[chosen]  # draws × respondents × factors
    noisy = rng.gamma(np.maximum(drawn_weights * concentration, 1e-3))  # Dirichlet by gammas
    noisy = np.where(drawn_weights > 0, noisy, 0.0)
    for side in (internal, ~internal):
        share = drawn_weights[..., side].sum(axis=-1, keepdims=True)
        total = noisy[..., side].sum(axis=-1, keepdims=True)
        noisy[..., side] = noisy[..., side] / np.where(total > 0, total, 1.0) * share
    steps = [-1.0, 0.0, 1.0]
    odds = [jitter, 1 - 2 * jitter, jitter]
    drawn_ratings = np.clip(
        ratings[chosen] + rng.choice(steps, size=(draws, n_resp, len(names)), p=odds), low, high
    )
    pooled_weight = noisy.mean(axis=1)  # draws × factors
    pooled_rating = np.nanmean(drawn_ratings, axis=1)
    score = np.nan_to_num(pooled_weight * pooled_rating)
    ie_points = pd.DataFrame(
        {"ife": score[:, internal].sum(axis=1), "efe": score[:, ~internal].sum(axis=1)}
    )
    cells = pd.Series(
        [ie_cell(i, e)[0] for i, e in ie_points.itertuples(index=False)]
    ).value_counts(normalize=True)
    tas_draws = pd.DataFrame(columns=strategies, dtype=float)
    if strategies:
        drawn_answers = answers[chosen]  # draws × respondents × strategies × factors
        moves = rng.choice(steps, size=drawn_answers.shape, p=odds)
        drawn_answers = np.clip(drawn_answers + moves, *AS_RANGE)  # NaN ("–") stays NaN
        # Mean AS over the respondents who scored the pair; a factor everyone marked "–"
        # adds nothing (as in :func:`qspm`).
        answered = (~np.isnan(drawn_answers)).sum(axis=1)  # draws × strategies × factors
        total = np.nansum(drawn_answers, axis=1)
        mean_answer = np.divide(total, answered, out=np.zeros_like(total), where=answered > 0)
        tas = (pooled_weight[:, None, :] * mean_answer).sum(axis=2)
        tas_draws = pd.DataFrame(tas, columns=strategies)
    ranking = _ranking(qspm(factors, scores) if len(scores) else None, tas_draws)
    return StrategyUncertainty(
        ranking=ranking,
        ie_cells=cells.rename("share"),
        ie_points=ie_points,
        tas_draws=tas_draws,
        draws=draws,
        seed=seed,
    )


def _ranking(observed: pd.DataFrame | None, tas_draws: pd.DataFrame) -> pd.DataFrame:
    if observed is None or tas_draws.empty:
        return pd.DataFrame(
            columns=["strategy", "tas", "p_first", "tas_low", "tas_high", "p_above_next", "verdict"]
        )
    order = observed["strategy"].tolist()
    tas_draws = tas_draws[order]
    winners = tas_draws.to_numpy().argmax(axis=1)
    p_first = np.bincount(winners, minlength=len(order)) / len(tas_draws)
    rows = []
    for position, strategy in enumerate(order):
        below = order[position + 1] if position + 1 < len(order) else None
        above_next = (
            float((tas_draws[strategy] > tas_draws[below]).mean()) if below is not None else np.nan
        )
        if below is None:
            verdict = "lowest"
        elif above_next >= DISTINGUISHABLE:
            verdict = f"above {below}"
        else:
            verdict = f"not distinguishable from {below}"
        rows.append(
            {
                "strategy": strategy,
                "tas": float(observed.loc[observed["strategy"] == strategy, "pooled"].iloc[0]),
                "p_first": float(p_first[position]),
                "tas_low": float(tas_draws[strategy].quantile(0.05)),
                "tas_high": float(tas_draws[strategy].quantile(0.95)),
                "p_above_next": above_next,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)
