"""Fit one count regression: Poisson or negative binomial with a person-years offset,
incidence-rate ratios and diagnostics (see :mod:`migration_ntt.models`).

Examples
--------
>>> import numpy as np
>>> overdispersion_test(np.array([0, 5, 1, 9, 0, 12]), np.full(6, 4.5))["alpha"] > 0
True
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt.labels import check_language
from migration_ntt.spatial import hotspots, weights
from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY

if TYPE_CHECKING:
    import geopandas as gpd

CAVEAT = {
    "en": "Association, not cause: {n} observations from {units} regencies; with so few units, "
    "estimates are imprecise and sensitive to single regencies (see leave-one-out).",
    "id": "Asosiasi, bukan sebab: {n} pengamatan dari {units} kabupaten/kota; dengan sedikit "
    "wilayah, taksiran tidak presisi dan peka terhadap satu wilayah (lihat leave-one-out).",
}
OVERDISPERSION_ALPHA = 0.05
MAX_UNITS_FOR_LEAVE_ONE_OUT = 100


@dataclass
class CountModelResult:
    """A fitted count model with its IRR table and diagnostics."""

    name: str
    outcome: str
    covariates: list[str]
    family: str
    family_note: str
    formula: str
    fit: object
    data: pd.DataFrame
    irr: pd.DataFrame
    overdispersion: dict[str, float]
    dropped: pd.DataFrame
    vif: pd.DataFrame
    loo: pd.DataFrame
    cooks_distance: pd.Series
    residual_moran: dict[str, object]
    standardised: bool
    years: list[int]
    notes: list[str] = field(default_factory=list)
    not_estimable: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["term", "group", "reason"])
    )
    shapes: gpd.GeoDataFrame | None = None  # the units' polygons (residual Moran, its map)

    @property
    def n(self) -> int:
        return len(self.data)

    def caveat(self, lang: str = "en") -> str:
        return CAVEAT[check_language(lang)].format(n=self.n, units=self.data["bps_code"].nunique())

    def expected_counts(self) -> np.ndarray:
        """Model-expected counts μ for each observation (offset included)."""
        offset = np.log(self.data["person_years"].to_numpy())
        return np.asarray(self.fit.predict(self.data, offset=offset), dtype=float)

    def fitted_rates(self) -> pd.Series:
        """Expected counts divided by person-years (per 100,000)."""
        rates = self.expected_counts() / self.data["person_years"].to_numpy() * 1e5
        return pd.Series(rates, index=self.data.index)


def is_binary(values: pd.Series) -> bool:
    """True for a 0/1 column (a programme present or not)."""
    present = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(present)) and set(present.unique()) <= {0, 1}


def _prepare(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str],
    exposure: str,
    years: Sequence[int] | None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = panel.copy()
    if years is not None:
        frame = frame[frame["year"].isin(list(years))]
    needed = [outcome, exposure, *covariates]
    missing_columns = [c for c in needed if c not in frame.columns]
    if missing_columns:
        raise KeyError(f"panel has no column(s) {missing_columns}")
    coverage_col = f"{outcome}_coverage"
    coverage = (
        frame[coverage_col] if coverage_col in frame.columns else pd.Series(1.0, index=frame.index)
    )
    frame = frame.assign(coverage=coverage, person_years=frame[exposure] * coverage)
    check = [outcome, "person_years", *covariates]
    missing = frame[check].isna()
    dropped = frame.loc[missing.any(axis=1), ["bps_code", "year"]].copy()
    if "name" in frame.columns:
        dropped["name"] = frame.loc[dropped.index, "name"]
    dropped["missing"] = missing[missing.any(axis=1)].apply(
        lambda row: ", ".join(
            c if c != "person_years" else f"{exposure} or coverage" for c in check if row[c]
        ),
        axis=1,
    )
    kept = frame[~missing.any(axis=1)].copy()
    kept = kept[kept["person_years"] > 0]
    return kept.reset_index(drop=True), dropped.reset_index(drop=True)


def overdispersion_test(y: np.ndarray, mu: np.ndarray) -> dict[str, float]:
    """Cameron–Trivedi auxiliary regression: ((y−μ)² − y)/μ = α·μ + e; one-sided test of α > 0.

    Also returns the Pearson dispersion (χ²/df is computed by the caller's GLM).
    """
    import statsmodels.api as sm
    from scipy import stats

    y = np.asarray(y, dtype=float)
    mu = np.asarray(mu, dtype=float)
    auxiliary = ((y - mu) ** 2 - y) / mu
    fit = sm.OLS(auxiliary, mu).fit()
    alpha, t_value = float(fit.params[0]), float(fit.tvalues[0])
    p_value = float(stats.t.sf(t_value, df=fit.df_resid))
    return {"alpha": alpha, "t": t_value, "p_value": p_value}


def _fit(formula: str, data: pd.DataFrame, family: str, cov: dict[str, object]):
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    offset = np.log(data["person_years"].to_numpy())
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        if family == "poisson":
            model = smf.glm(formula, data, family=sm.families.Poisson(), offset=offset)
            return model.fit(**cov)
        from statsmodels.tools.sm_exceptions import ConvergenceWarning

        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        model = smf.negativebinomial(formula, data, offset=offset, loglike_method="nb2")
        return model.fit(disp=0, maxiter=500, **cov)


def fit_count_model(
    panel: pd.DataFrame,
    outcome: str,
    covariates: Sequence[str],
    exposure: str = "population",
    family: str = "auto",
    years: Sequence[int] | None = None,
    year_effects: bool = True,
    standardise: bool = False,
    *,
    shapes: gpd.GeoDataFrame | None = None,
    island_policy: str = DEFAULT_ISLAND_POLICY,
    name: str | None = None,
    leave_one_out: bool | None = None,
) -> CountModelResult:
    """Fit a Poisson or NB2 count model with exposure (see the module docstring).

    Parameters
    ----------
    panel : pandas.DataFrame
        One row per unit and year with ``bps_code``, ``year``, the outcome, exposure and
        covariates (e.g. :func:`migration_ntt.panel.build_panel`). ``<outcome>_coverage``
        (fraction of the year) scales the exposure when present.
    family : {"auto", "poisson", "negbin"}
    years : sequence of int, optional
        Restrict to these years; more than one year is a pooled model (cluster-robust SE
        by regency, year fixed effects if ``year_effects``).
    standardise : bool
        Scale covariates to mean 0, SD 1 (IRR per SD); 0/1 terms (a programme present or
        not) are left as they are (IRR with vs without).
    shapes : geopandas.GeoDataFrame, optional
        The units' polygons (``bps_code``, ``name``, ``geometry``: e.g.
        :func:`migration_ntt.ingest.boundaries.load_boundaries`): with them, Moran's I of
        the residuals (:func:`residual_moran`) is a diagnostic of the result.
    island_policy : str
        Weights for that Moran's I (:mod:`migration_ntt.spatial.weights`).
    name : str, optional
        The model's name (default: the outcome and its year, or "pooled").
    leave_one_out : bool, optional
        Refit without each unit in turn (default: when there are at most
        :data:`MAX_UNITS_FOR_LEAVE_ONE_OUT` units — the small-n case it is meant for).

    Returns
    -------
    CountModelResult
    """
    if family not in {"auto", "poisson", "negbin"}:
        raise ValueError(f"family must be 'auto', 'poisson' or 'negbin', got {family!r}")
    covariates = list(covariates)
    data, dropped = _prepare(panel, outcome, covariates, exposure, years)
    if len(data) <= len(covariates) + 2:
        raise ValueError(
            f"only {len(data)} complete observations for {len(covariates)} "
            "covariates: too few to fit"
        )
    if standardise:
        for column in covariates:
            if not is_binary(data[column]):  # a 0/1 programme keeps "with vs without"
                data[column] = (data[column] - data[column].mean()) / data[column].std(ddof=0)
    pooled = not data["year"].eq(data["year"].iloc[0]).all()
    terms = list(covariates)
    if pooled and year_effects:
        terms.append("C(year)")
    formula = f"{outcome} ~ " + (" + ".join(terms) if terms else "1")
    cov = (
        {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(data["bps_code"])[0]}}
        if pooled
        else {"cov_type": "HC1"}
    )

    poisson = _fit(formula, data, "poisson", cov)
    test = overdispersion_test(data[outcome].to_numpy(), poisson.fittedvalues.to_numpy())
    test["pearson_dispersion"] = float(poisson.pearson_chi2 / poisson.df_resid)
    chosen = family
    note = ""
    if family == "auto":
        if test["p_value"] < OVERDISPERSION_ALPHA:
            chosen = "negbin"
            note = (
                f"overdispersion found (Cameron–Trivedi p = {test['p_value']:.3f}, "
                f"Pearson χ²/df = {test['pearson_dispersion']:.1f}): negative binomial (NB2)"
            )
        else:
            chosen = "poisson"
            note = f"no overdispersion (Cameron–Trivedi p = {test['p_value']:.3f}): Poisson"
    else:
        note = f"{'negative binomial (NB2)' if family == 'negbin' else 'Poisson'} as requested"
    fit = poisson if chosen == "poisson" else _fit(formula, data, "negbin", cov)
    irr = _irr_table(fit, covariates)
    result = CountModelResult(
        name=name or f"{outcome} {'pooled' if pooled else int(data['year'].iloc[0])}",
        outcome=outcome,
        covariates=covariates,
        family=chosen,
        family_note=note,
        formula=formula,
        fit=fit,
        data=data,
        irr=irr,
        overdispersion=test,
        dropped=dropped,
        vif=_vif(data, covariates),
        loo=(
            _leave_one_out(fit, data, chosen, covariates, pooled)
            if (
                leave_one_out
                if leave_one_out is not None
                else data["bps_code"].nunique() <= MAX_UNITS_FOR_LEAVE_ONE_OUT
            )
            else pd.DataFrame(columns=["covariate", "irr_min", "irr_max", "most_influential"])
        ),
        cooks_distance=_cooks(poisson if chosen == "poisson" else None, data),
        residual_moran={},
        standardised=standardise,
        years=sorted(int(y) for y in data["year"].unique()),
    )
    if shapes is not None:
        result.shapes = shapes[["bps_code", "name", "geometry"]]
        result.residual_moran = residual_moran(result, shapes, island_policy=island_policy)
    return result


def _irr_table(fit, covariates: Sequence[str]) -> pd.DataFrame:
    params = fit.params
    ci = fit.conf_int()
    table = pd.DataFrame(
        {
            "coef": params,
            "se": fit.bse,
            "irr": np.exp(params),
            "ci_low": np.exp(ci[0]),
            "ci_high": np.exp(ci[1]),
            "p_value": fit.pvalues,
        }
    )
    table = table.drop(index=[i for i in table.index if i == "alpha"], errors="ignore")
    table["kind"] = [
        "covariate" if term in covariates else "intercept" if term == "Intercept" else "year effect"
        for term in table.index
    ]
    return table


def _vif(data: pd.DataFrame, covariates: Sequence[str]) -> pd.DataFrame:
    from statsmodels.stats.outliers_influence import variance_inflation_factor

    if len(covariates) < 2:
        return pd.DataFrame({"covariate": list(covariates), "vif": [1.0] * len(covariates)})
    design = data[list(covariates)].assign(const=1.0).to_numpy(dtype=float)
    return pd.DataFrame(
        {
            "covariate": list(covariates),
            "vif": [float(variance_inflation_factor(design, i)) for i in range(len(covariates))],
        }
    )


def _refit(model, rows: np.ndarray, family: str, cov: dict[str, object]):
    """The model refitted on some of its rows, from its design matrices (no formula parsed
    again: the same numbers as a formula fit on the subset, in a fraction of the time)."""
    import statsmodels.api as sm

    names = list(model.exog_names)[: model.exog.shape[1]]  # NB2 adds "alpha" to the names
    exog = pd.DataFrame(model.exog[rows], columns=names)
    keep = [n for n in names if n == "Intercept" or exog[n].any()]  # a level left out
    endog = np.asarray(model.endog)[rows]
    offset = np.asarray(model.offset)[rows]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        if family == "poisson":
            return sm.GLM(endog, exog[keep], family=sm.families.Poisson(), offset=offset).fit(**cov)
        from statsmodels.tools.sm_exceptions import ConvergenceWarning

        warnings.filterwarnings("ignore", category=ConvergenceWarning)
        nb = sm.NegativeBinomial(endog, exog[keep], offset=offset, loglike_method="nb2")
        return nb.fit(disp=0, maxiter=500, **cov)


def _leave_one_out(fit, data, family, covariates, pooled) -> pd.DataFrame:
    """Each unit left out in turn: the range of each covariate's IRR."""
    rows = []
    units = data["bps_code"].to_numpy()
    for unit in pd.unique(units):
        kept = units != unit
        sub_cov = (
            {"cov_type": "cluster", "cov_kwds": {"groups": pd.factorize(units[kept])[0]}}
            if pooled
            else {"cov_type": "HC1"}
        )
        try:
            with warnings.catch_warnings():
                # Only the refit's coefficients are used here, never its standard errors.
                from statsmodels.tools.sm_exceptions import HessianInversionWarning

                warnings.filterwarnings("ignore", category=HessianInversionWarning)
                refit = _refit(fit.model, kept, family, sub_cov)
        except Exception as error:  # a refit can fail on tiny samples; say so
            rows.append({"left_out": unit, "covariate": None, "irr": np.nan, "error": str(error)})
            continue
        if not getattr(refit, "mle_retvals", {}).get("converged", True):
            rows.append(
                {"left_out": unit, "covariate": None, "irr": np.nan, "error": "did not converge"}
            )
            continue
        for covariate in covariates:
            rows.append(
                {
                    "left_out": unit,
                    "covariate": covariate,
                    "irr": float(np.exp(refit.params[covariate])),
                    "error": None,
                }
            )
    table = pd.DataFrame(rows)
    return (
        table.dropna(subset=["covariate"])
        .groupby("covariate")
        .agg(
            irr_min=("irr", "min"),
            irr_max=("irr", "max"),
            most_influential=(
                "irr",
                lambda s: table.loc[s.index, "left_out"].iloc[
                    int(np.argmax(np.abs(np.log(s.to_numpy()))))
                ],
            ),
        )
        .reset_index()
    )


def _cooks(poisson_fit, data: pd.DataFrame) -> pd.Series:
    if poisson_fit is None:
        return pd.Series(np.nan, index=data.index, name="cooks_distance")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=RuntimeWarning)
        distance = poisson_fit.get_influence().cooks_distance[0]
    return pd.Series(distance, index=data.index, name="cooks_distance")


def pearson_residuals(result: CountModelResult) -> pd.Series:
    """Pearson residuals (y − μ)/√Var(μ) under the chosen family."""
    y = result.data[result.outcome].to_numpy(dtype=float)
    mu = result.expected_counts()
    if result.family == "negbin":
        alpha = float(result.fit.params.get("alpha", 0.0))
        variance = mu + alpha * mu**2
    else:
        variance = mu
    return pd.Series((y - mu) / np.sqrt(variance), index=result.data.index, name="pearson_residual")


def residual_moran(
    result: CountModelResult,
    shapes: gpd.GeoDataFrame,
    *,
    island_policy: str = DEFAULT_ISLAND_POLICY,
    permutations: int = 9_999,
) -> dict[str, object]:
    """Moran's I of the Pearson residuals (averaged per unit when years are pooled).

    Parameters
    ----------
    result : CountModelResult
    shapes : geopandas.GeoDataFrame
        The units' polygons with ``bps_code`` and ``name``.
    island_policy : str
        Weights policy (:mod:`migration_ntt.spatial.weights`).
    permutations : int
        Permutations of the (seeded) Moran test.

    Returns
    -------
    dict
        ``moran_i``, ``p_sim`` and the other :func:`~migration_ntt.spatial.hotspots.global_moran`
        fields, the island policy and the isolates.
    """
    residuals = (
        result.data.assign(residual=pearson_residuals(result))
        .groupby("bps_code")["residual"]
        .mean()
        .reset_index()
    )
    shapes = shapes[["bps_code", "name", "geometry"]].merge(residuals, on="bps_code")
    graph, report = weights.build_weights(shapes, island_policy=island_policy)
    stats = hotspots.global_moran(shapes, "residual", graph, permutations=permutations)
    return {**stats, "island_policy": island_policy, "isolates": ", ".join(report.isolates)}
