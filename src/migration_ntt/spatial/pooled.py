"""Pooled rates over years from reports of differing completeness (censored Poisson).

A regency's pooled rate over 2018–2025 cannot simply add the years whose report names
it: a regency with few deaths is named only in the years it had some, so that rate is
biased upward. Each year's report says what its silence means
(:func:`migration_ntt.panel.observed_counts`):

* **named** or **zero by a complete list**: an exact Poisson observation
  ``y ~ Poisson(rate × person_years)``;
* **censored by a top-N list**: the unit had at most ``unnamed_max``, contributing
  ``P(Y ≤ unnamed_max)`` to the likelihood;
* **missing** (a partial list): nothing.

The pooled rate is the maximum-likelihood rate of that censored Poisson model, with a
profile-likelihood 95% interval where a year is censored (the exact Garwood interval
otherwise). ``count`` is the *effective* count ``rate × person_years`` (the observed count
when nothing is censored), so smoothing and Moran statistics downstream see the same rate.

Examples
--------
>>> import pandas as pd
>>> from migration_ntt.spatial import pooled
>>> seen = pd.DataFrame({"bps_code": ["a", "a", "b"], "year": [2021, 2022, 2021],
...                      "observed": [3.0, None, 0.0], "unnamed_max": [None, 2.0, None],
...                      "status": ["named", "censored", "zero_complete"],
...                      "person_years": [1e5, 1e5, 2e5]})
>>> table = pooled.pooled_rates(seen)
>>> table["method"].tolist()
['censored Poisson MLE', 'exact']
>>> round(float(table.loc[0, "rate"]), 2)   # between 3/200,000 and 3/100,000 per 100,000
2.12
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, stats

from migration_ntt.spatial.rates import PER, exact_poisson_interval

#: Half the 95% chi-square(1) quantile: the profile-likelihood drop at the interval ends.
_PROFILE_DROP = stats.chi2.ppf(0.95, 1) / 2


def censored_log_likelihood(
    rate: float, exact: np.ndarray, exposure: np.ndarray, bound: np.ndarray, bound_exposure
) -> float:
    """Poisson log-likelihood of exact counts plus right-censored ones (``Y ≤ bound``).

    ``rate`` is per person-year; constant terms (``log y!``) are left out.
    """
    mean = rate * exposure
    exact_part = np.sum(np.where(exact > 0, exact * np.log(np.maximum(mean, 1e-300)), 0.0) - mean)
    return float(exact_part + np.sum(stats.poisson.logcdf(bound, rate * bound_exposure)))


def censored_poisson_rate(
    exact: np.ndarray,
    exposure: np.ndarray,
    bound: np.ndarray | None = None,
    bound_exposure: np.ndarray | None = None,
) -> tuple[float, float, float]:
    """Maximum-likelihood rate (per person-year) and 95% profile interval.

    Parameters
    ----------
    exact, exposure : array
        Observed counts and their person-years.
    bound, bound_exposure : array, optional
        Censored observations: the count was at most ``bound`` over ``bound_exposure``.

    Examples
    --------
    >>> rate, low, high = censored_poisson_rate(np.array([4.0]), np.array([2.0]))
    >>> float(rate)
    2.0
    """
    exact = np.asarray(exact, dtype=float)
    exposure = np.asarray(exposure, dtype=float)
    bound = np.asarray([] if bound is None else bound, dtype=float)
    bound_exposure = np.asarray([] if bound_exposure is None else bound_exposure, dtype=float)
    total_exposure = exposure.sum() + bound_exposure.sum()
    if total_exposure <= 0:
        return np.nan, np.nan, np.nan

    def loglik(rate: float) -> float:
        return censored_log_likelihood(rate, exact, exposure, bound, bound_exposure)

    if bound.size == 0:
        rate = float(exact.sum() / exposure.sum())
    else:
        upper = (exact.sum() + bound.sum() + 10) / max(exposure.sum(), 1e-12)
        fit = optimize.minimize_scalar(
            lambda r: -loglik(r), bounds=(0.0, upper), method="bounded",
            options={"xatol": upper * 1e-10},
        )  # fmt: skip
        rate = float(fit.x) if loglik(float(fit.x)) > loglik(0.0) else 0.0
    peak = loglik(rate)

    def excess(r: float) -> float:
        return loglik(r) - (peak - _PROFILE_DROP)

    low = 0.0 if excess(0.0) >= 0 else optimize.brentq(excess, 0.0, rate) if rate > 0 else 0.0
    high_end = max(rate, 1.0 / total_exposure) * 2
    while excess(high_end) > 0:
        high_end *= 2
    high = optimize.brentq(excess, rate, high_end)
    return rate, float(low), float(high)


def pooled_rates(
    observations: pd.DataFrame, id_col: str = "bps_code", per: int = PER
) -> pd.DataFrame:
    """One pooled rate per unit from :func:`migration_ntt.panel.observed_counts` rows.

    Returns
    -------
    pandas.DataFrame
        ``id_col, count, count_named, person_years, rate, ci_low, ci_high, years,
        years_censored, method`` (rates per ``per``): ``count`` is the effective count
        (``rate × person_years``), ``count_named`` the sum of the counts reports give,
        ``person_years`` those of every year that informs the rate, ``method`` "exact"
        or "censored Poisson MLE". Units with no informative year have missing rates.
    """
    used = observations[observations["status"] != "missing"]
    rows = []
    for unit, part in used.groupby(id_col, sort=True):
        exact = part[part["status"] != "censored"]
        censored = part[part["status"] == "censored"]
        person_years = float(part["person_years"].sum())
        named = float(exact["observed"].sum())
        if censored.empty:
            low, high = exact_poisson_interval(np.array([named]))
            rate = named / person_years
            low, high, method = low[0] / person_years, high[0] / person_years, "exact"
        else:
            rate, low, high = censored_poisson_rate(
                exact["observed"].to_numpy(),
                exact["person_years"].to_numpy(),
                censored["unnamed_max"].to_numpy(),
                censored["person_years"].to_numpy(),
            )
            method = "censored Poisson MLE"
        rows.append(
            {
                id_col: unit,
                "count": rate * person_years,
                "count_named": named,
                "person_years": person_years,
                "rate": rate * per,
                "ci_low": low * per,
                "ci_high": high * per,
                "years": ", ".join(str(int(y)) for y in sorted(part["year"])),
                "years_censored": ", ".join(str(int(y)) for y in sorted(censored["year"])),
                "method": method,
            }
        )
    return pd.DataFrame(rows)
