"""Count regressions: what goes with more cases of a count (PMI deaths abroad, the
non-procedural cases of a case file, …) by regency.

:func:`fit_count_model` fits a Poisson GLM with a log person-years offset (statsmodels
formula API) and moves to a negative binomial (NB2) when the Cameron–Trivedi test finds
overdispersion (``family="auto"``), saying so. With 22 units, every result is an
**association, not a cause**, and a small-n caveat goes with every table.

* **Exposure**: population × the fraction of the year the count's report covers (a
  Jan–Jun report is half a year of person-years), so partial-year reports are comparable.
* **Standard errors**: robust (HC1) for one year; cluster-robust by regency when years are
  pooled (``year_effects`` adds a fixed effect per year).
* **Incidence-rate ratios** with 95% CI; ``standardise=True`` gives IRR per standard
  deviation of each covariate.
* **Diagnostics**: VIF, leave-one-unit-out IRR range, Cook's distance, and Moran's I of
  the Pearson residuals with the archipelago-aware weights of :mod:`migration_ntt.spatial.weights`.
* Units dropped for a missing outcome or covariate are **listed** (``result.dropped``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from migration_ntt import models
>>> rng = np.random.default_rng(0)
>>> data = pd.DataFrame({"bps_code": [f"u{i}" for i in range(200)], "year": 2024,
...                      "x": rng.normal(size=200), "population": 1e5})
>>> data["y"] = rng.poisson(np.exp(-9 + 0.5 * data["x"]) * 1e5)
>>> fit = models.fit_count_model(data, "y", ["x"], family="poisson", spatial=False)
>>> round(float(fit.irr.loc["x", "irr"]), 1)
1.6
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config
from migration_ntt.viz.labels import LABELS, check_language, format_number

CAVEAT = {
    "en": "Association, not cause: {n} observations from {units} regencies; with so few units, "
    "estimates are imprecise and sensitive to single regencies (see leave-one-out).",
    "id": "Asosiasi, bukan sebab: {n} pengamatan dari {units} kabupaten/kota; dengan sedikit "
    "wilayah, taksiran tidak presisi dan peka terhadap satu wilayah (lihat leave-one-out).",
}
DEFAULT_COVARIATES = (
    "poverty_rate_pct",
    "mean_years_schooling_rls",
    "open_unemployment_rate_pct",
    "grdp_per_capita_million_rp",
)
ENFORCEMENT = "tppo_suspects"
#: Forest-plot group of each term (other terms: "other").
TERM_GROUPS = {
    "poverty_rate_pct": "economy",
    "open_unemployment_rate_pct": "economy",
    "grdp_per_capita_million_rp": "economy",
    "hdi_ipm": "economy",
    "mean_years_schooling_rls": "education",
    "stunting_prevalence_ssgi_pct": "health",
    "ikp_score": "natural_resources",
    "fsva_priority_class": "natural_resources",
    "prevalence_undernourishment_pou_pct": "natural_resources",
    "hh_without_electricity_pct": "natural_resources",
    "tppo_suspects": "enforcement",
    "tppo_suspects_per_100k": "enforcement",
    "tppo_victims_per_100k": "enforcement",
    "tppo_police_reports_per_100k": "enforcement",
    "cpmi_nonprocedural_prevented_per_100k": "enforcement",
    "task_force_active": "enforcement",
    "immigration_village_active": "enforcement",
    "ltsa_active": "protection",
    "desmigratif_per_100_villages": "protection",
    "p4mi_active": "protection",
    "local_regulation_active": "protection",
    "church_active": "collaboration",
    "regency_mou_active": "collaboration",
    "socialization_active": "collaboration",
}
GROUP_ORDER = (
    "economy",
    "education",
    "health",
    "natural_resources",
    "enforcement",
    "protection",
    "collaboration",
    "other",
)
#: The terms tried for the pooled model, in order of priority: the first estimable term
#: of each group (enforcement, natural resources, protection, health, collaboration) goes
#: in first, then the others, while there is room (see :func:`default_models`).
POOLED_TERMS = (
    "task_force_active",
    "tppo_suspects_per_100k",
    "tppo_police_reports_per_100k",
    "cpmi_nonprocedural_prevented_per_100k",
    "ikp_score",
    "ltsa_active",
    "desmigratif_per_100_villages",
    "p4mi_active",
    "stunting_prevalence_ssgi_pct",
    "church_active",
    "regency_mou_active",
    "socialization_active",
    "immigration_village_active",
    "local_regulation_active",
)
# A term is estimable when reported for at least this many regencies in the modelled
# years and, for a programme (0/1), present in and absent from at least MIN_CONTRAST each.
MIN_TERM_UNITS = 15
MIN_CONTRAST = 3
# At most one covariate per this many regencies in a model.
UNITS_PER_TERM = 3
# A year enters the default models when the outcome is known for at least this many
# regencies and its report covers at least this part of the year.
MIN_MODEL_UNITS = 12
MIN_MODEL_COVERAGE = 0.5
SINGLE_YEAR_MODELS = 3
OVERDISPERSION_ALPHA = 0.05
MAX_UNITS_FOR_LEAVE_ONE_OUT = 100
MODEL_SOURCE = {
    "id": "BP3MI/BP2MI NTT (laporan di media); BPS (Susenas, Sakernas, IPM, PDRB, penduduk)",
    "en": "BP3MI/BP2MI NTT (press reports); BPS (Susenas, Sakernas, IPM, PDRB, population)",
}


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
    spatial: bool = True,
    island_policy: str = "links",
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
    spatial : bool
        Compute Moran's I of the residuals (needs the NTT boundaries).
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
            _leave_one_out(formula, data, chosen, covariates, cov, pooled)
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
    if spatial:
        result.residual_moran = residual_moran(result, island_policy=island_policy)
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


def _leave_one_out(formula, data, family, covariates, cov, pooled) -> pd.DataFrame:
    rows = []
    for unit in data["bps_code"].unique():
        subset = data[data["bps_code"] != unit]
        sub_cov = cov
        if pooled:
            sub_cov = {
                "cov_type": "cluster",
                "cov_kwds": {"groups": pd.factorize(subset["bps_code"])[0]},
            }
        try:
            with warnings.catch_warnings():
                # Only the refit's coefficients are used here, never its standard errors.
                from statsmodels.tools.sm_exceptions import HessianInversionWarning

                warnings.filterwarnings("ignore", category=HessianInversionWarning)
                fit = _fit(formula, subset, family, sub_cov)
        except Exception as error:  # a refit can fail on tiny samples; say so
            rows.append({"left_out": unit, "covariate": None, "irr": np.nan, "error": str(error)})
            continue
        if not getattr(fit, "mle_retvals", {}).get("converged", True):
            rows.append(
                {"left_out": unit, "covariate": None, "irr": np.nan, "error": "did not converge"}
            )
            continue
        for covariate in covariates:
            rows.append(
                {
                    "left_out": unit,
                    "covariate": covariate,
                    "irr": float(np.exp(fit.params[covariate])),
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
    result: CountModelResult, *, island_policy: str = "links", permutations: int = 9_999
) -> dict[str, object]:
    """Moran's I of the Pearson residuals (averaged per unit when years are pooled)."""
    from migration_ntt.ingest import boundaries
    from migration_ntt.spatial import hotspots, weights

    residuals = (
        result.data.assign(residual=pearson_residuals(result))
        .groupby("bps_code")["residual"]
        .mean()
        .reset_index()
    )
    shapes = boundaries.load_boundaries()[["bps_code", "name", "geometry"]].merge(
        residuals, on="bps_code"
    )
    graph, report = weights.build_weights(shapes, island_policy=island_policy)
    stats = hotspots.global_moran(shapes, "residual", graph, permutations=permutations)
    return {**stats, "island_policy": island_policy, "isolates": ", ".join(report.isolates)}


# --- the default analysis ----------------------------------------------------------------


def model_years(panel: pd.DataFrame, outcome: str) -> list[int]:
    """Years in which ``outcome`` is known for at least :data:`MIN_MODEL_UNITS` regencies
    and covers at least :data:`MIN_MODEL_COVERAGE` of the year (the default models' years).

    Examples
    --------
    >>> from migration_ntt import models, panel
    >>> models.model_years(panel.build_panel(write=False), "pmi_deaths_abroad")
    [2018, 2021, 2022, 2024, 2025]
    """
    if outcome not in panel.columns:
        raise KeyError(f"panel has no column {outcome!r}")
    coverage = panel.get(f"{outcome}_coverage", pd.Series(1.0, index=panel.index))
    known = panel[panel[outcome].notna() & (coverage >= MIN_MODEL_COVERAGE)]
    units = known.groupby("year")["bps_code"].nunique()
    return sorted(int(year) for year in units[units >= MIN_MODEL_UNITS].index)


def default_models(
    panel: pd.DataFrame | None = None,
    *,
    outcome: str | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    years: Sequence[int] | None = None,
    spatial: bool = True,
) -> list[CountModelResult]:
    """The default models of one count: ``outcome`` against poverty, schooling,
    unemployment and GRDP per capita (IRR per SD).

    One model for each of the last :data:`SINGLE_YEAR_MODELS` years of :func:`model_years`
    and, when there are two or more, one pooled over all of them with year effects and
    regency-clustered standard errors (always the last in the list).

    The pooled model also tries the enforcement, natural-resource (food security index),
    protection, health (child stunting) and collaboration terms of :data:`POOLED_TERMS`:
    those that are estimable (:func:`term_coverage`: reported for at least
    :data:`MIN_TERM_UNITS` regencies; a programme present in and absent from at least
    :data:`MIN_CONTRAST` each) go in, the first of each group before the others, while there
    is room: at most one term per :data:`UNITS_PER_TERM` regencies of the model (6 for 20).
    Every term left out is listed with the reason in ``not_estimable`` and in
    :func:`model_table` ("Trafficking suspects per 100,000: reported for 7 of 22 regencies
    (2023)"). A programme term here is an
    association across regencies and years, not an evaluation: see
    :func:`migration_ntt.evaluation.evaluate_programme`.

    Parameters
    ----------
    panel : pandas.DataFrame, optional
        Default: the published panel (:func:`migration_ntt.panel.build_panel`).
    outcome : str, optional
        Any count column of the panel (default: the panel's case-record count if it has
        one, else ``pmi_deaths_abroad``).
    years : sequence of int, optional
        The years to model (default :func:`model_years`).

    Raises
    ------
    ValueError
        No year has the outcome for enough regencies.
    """
    from migration_ntt import panel as panel_module

    table = panel if panel is not None else panel_module.build_panel(write=False)
    outcome = outcome or panel_module.default_count(table)
    table = panel_module.with_known_zeros(table, outcome)
    eligible = list(years) if years is not None else model_years(table, outcome)
    if not eligible:
        raise ValueError(
            f"{outcome}: no year has a value for at least {MIN_MODEL_UNITS} regencies "
            f"covering at least {MIN_MODEL_COVERAGE:.0%} of the year: too little to model"
        )
    groups = [[year] for year in eligible[-SINGLE_YEAR_MODELS:]]
    if len(eligible) > 1:
        groups.append(list(eligible))
    results = []
    for group in groups:
        rows = table[table["year"].isin(group)]
        pooled = len(group) > 1
        chosen, skipped, notes = _choose_terms(rows, list(covariates), pooled, table, outcome)
        name = str(group[0]) if len(group) == 1 else f"pooled {year_ranges(group)}"
        result = fit_count_model(
            table,
            outcome,
            chosen,
            years=group,
            standardise=True,
            spatial=spatial,
            name=name,
        )
        result.notes.extend(notes)
        result.not_estimable = skipped
        results.append(result)
    return results


def is_binary(values: pd.Series) -> bool:
    """True for a 0/1 column (a programme present or not)."""
    present = pd.to_numeric(values, errors="coerce").dropna()
    return bool(len(present)) and set(present.unique()) <= {0, 1}


def _per(result: CountModelResult, term: str) -> str:
    if term in result.data.columns and is_binary(result.data[term]):
        return "yes vs no"
    return "SD" if result.standardised else "unit"


def term_group(term: str) -> str:
    """The forest-plot group of a term (:data:`TERM_GROUPS`; ``"other"`` if unknown)."""
    return TERM_GROUPS.get(term, "other")


def term_coverage(rows: pd.DataFrame, term: str, panel: pd.DataFrame | None = None) -> str | None:
    """Why ``term`` cannot be estimated from ``rows`` (None when it can).

    ``panel`` (all years) names where the term is reported when the modelled years
    hold none of it.

    Examples
    --------
    >>> import pandas as pd
    >>> rows = pd.DataFrame({"bps_code": list("abcdefg"), "year": 2023,
    ...                      "x": [1.0, 2.0, None, None, None, None, None]})
    >>> term_coverage(rows, "x")
    'reported for 2 of 7 regencies (2023)'
    """
    if term not in rows.columns:
        return "not in the panel"
    values = pd.to_numeric(rows[term], errors="coerce")
    total = rows["bps_code"].nunique()
    reported = rows.loc[values.notna(), "bps_code"].nunique()
    years = year_ranges(rows.loc[values.notna(), "year"]) or "no year"
    if reported < min(MIN_TERM_UNITS, total):
        if reported == 0 and panel is not None and term in panel.columns:
            elsewhere = panel[pd.to_numeric(panel[term], errors="coerce").notna()]
            if len(elsewhere):
                return (
                    f"reported for {elsewhere['bps_code'].nunique()} of {total} regencies "
                    f"({year_ranges(elsewhere['year'])}), not in the modelled years"
                )
        return f"reported for {reported} of {total} regencies ({years})"
    present = values.dropna()
    if set(present.unique()) <= {0, 1}:
        having = rows.loc[values == 1, "bps_code"].nunique()
        lacking = total - having
        if having < MIN_CONTRAST:
            return f"present in {having} of {total} regencies only"
        if lacking < MIN_CONTRAST:
            return f"absent from {lacking} of {total} regencies only"
    elif present.nunique() < 5 or (present != 0).groupby(rows["bps_code"]).any().sum() < (
        MIN_CONTRAST
    ):
        return "too few regencies with a value above zero"
    return None


def _choose_terms(
    rows: pd.DataFrame,
    covariates: list[str],
    pooled: bool,
    panel: pd.DataFrame | None = None,
    outcome: str | None = None,
) -> tuple[list[str], pd.DataFrame, list[str]]:
    """The model's terms: ``covariates``; for the pooled model also the context covariates
    and the estimable enforcement/protection terms while there is room (one term per
    :data:`UNITS_PER_TERM` regencies). Returns the terms, the not-estimable table and notes.
    """
    chosen = list(covariates)
    notes: list[str] = []
    modelled = rows[rows[outcome].notna()] if outcome in rows.columns else rows
    units = modelled["bps_code"].nunique()  # the regencies the model will see
    room = max(len(chosen), units // UNITS_PER_TERM)
    if not pooled:
        notes.append("enforcement and protection terms: in the pooled model only")
        return chosen, pd.DataFrame(columns=["term", "group", "reason"]), notes
    reasons: dict[str, str] = {}
    candidates = []
    for term in POOLED_TERMS:
        if term in chosen:
            continue
        reason = term_coverage(rows, term, panel)
        if reason is None:
            candidates.append(term)
        else:
            reasons[term] = reason
    # first the best-placed term of each group, then the others, while there is room
    firsts = list({term_group(t): t for t in reversed(candidates)}.values())[::-1]
    for term in sorted(firsts, key=candidates.index) + [t for t in candidates if t not in firsts]:
        if len(chosen) < room:
            chosen.append(term)
        else:
            reasons[term] = f"no room: at most {room} terms for {units} regencies"
    skipped = [
        {"term": t, "group": term_group(t), "reason": reasons[t]}
        for t in POOLED_TERMS
        if t in reasons
    ]
    if skipped:
        notes.append(
            "not estimable: "
            + "; ".join(f"{r['term']} ({r['reason']})" for r in skipped if r["term"] in rows)
        )
    return chosen, pd.DataFrame(skipped, columns=["term", "group", "reason"]), notes


def year_ranges(years: Sequence[int] | object) -> str:
    """Years as compact ranges, e.g. for a pooled model's name.

    Examples
    --------
    >>> year_ranges([2019, 2020, 2021, 2023])
    '2019–2021, 2023'
    """
    numbers = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in numbers:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def summary(results: Sequence[CountModelResult]) -> pd.DataFrame:
    """One row per model: name, observations, regencies, family and why, notes."""
    return pd.DataFrame(
        {
            "model": [r.name for r in results],
            "n": [r.n for r in results],
            "regencies": [r.data["bps_code"].nunique() for r in results],
            "family": [r.family for r in results],
            "why": [r.family_note for r in results],
            "dropped": [len(r.dropped) for r in results],
            "notes": ["; ".join(r.notes) for r in results],
        }
    )


def observed_expected(result: CountModelResult) -> pd.DataFrame:
    """Observed and model-expected counts per observation: ``bps_code, name, year,
    observed, expected`` (the table behind the observed-vs-expected chart)."""
    data = result.data
    return pd.DataFrame(
        {
            "bps_code": data["bps_code"].to_numpy(),
            "name": data.get("name", data["bps_code"]).astype(str).to_numpy(),
            "year": data["year"].to_numpy(),
            "observed": data[result.outcome].to_numpy(dtype=float),
            "expected": result.expected_counts(),
        }
    )


def residual_table(result: CountModelResult) -> pd.DataFrame:
    """Mean Pearson residual per regency (``bps_code, residual``), for the residual map."""
    return (
        result.data.assign(residual=pearson_residuals(result))
        .groupby("bps_code")["residual"]
        .mean()
        .reset_index()
    )


def model_table(results: Sequence[CountModelResult], lang: str = "en") -> pd.DataFrame:
    """Tidy IRR table of several models, labelled in ``lang`` (covariates only), terms in
    their groups (economy, education, health, natural resources, enforcement, protection,
    collaboration); each model's not-estimable terms follow with the reason in ``note``."""
    check_language(lang)
    rows = []
    for result in results:
        estimated = result.irr[result.irr["kind"] == "covariate"]
        for term, row in estimated.iterrows():
            rows.append(
                {
                    "model": model_name(result.name, lang),
                    "group": LABELS[f"group_{term_group(term)}"][lang],
                    "term": LABELS.get(term, {}).get(lang, term),
                    "irr": row["irr"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "p_value": row["p_value"],
                    "family": result.family,
                    "n": result.n,
                    "per": _per(result, term),
                    "note": "",
                    "_order": GROUP_ORDER.index(term_group(term)),
                }
            )
        for item in result.not_estimable.itertuples():
            rows.append(
                {
                    "model": model_name(result.name, lang),
                    "group": LABELS[f"group_{item.group}"][lang],
                    "term": LABELS.get(item.term, {}).get(lang, item.term),
                    "irr": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "p_value": np.nan,
                    "family": result.family,
                    "n": result.n,
                    "per": "",
                    "note": f"{LABELS['not_estimable'][lang]}: {_reason(item.reason, lang)}",
                    "_order": GROUP_ORDER.index(item.group) + 0.5,
                }
            )
    table = pd.DataFrame(rows)
    if len(table):
        models = list(dict.fromkeys(table["model"]))
        table = (
            table.assign(_model=table["model"].map(models.index))
            .sort_values(["_model", "_order"], kind="stable")
            .drop(columns=["_model", "_order"])
            .reset_index(drop=True)
        )
    smallest = min(results, key=lambda r: r.n)
    table.attrs["caveat"] = smallest.caveat(lang) + (
        f" (smallest model shown; others have up to {max(r.n for r in results)} observations)"
        if len(results) > 1 and lang == "en"
        else f" (model terkecil; model lain sampai {max(r.n for r in results)} pengamatan)"
        if len(results) > 1
        else ""
    )
    return table


_REASON_ID = (
    ("reported for", "dilaporkan untuk"),
    (" of ", " dari "),
    ("regencies", "kabupaten/kota"),
    ("present in", "ada di"),
    ("absent from", "tidak ada di"),
    (" only", " saja"),
    ("no room: at most", "tidak ada tempat: paling banyak"),
    ("terms for", "variabel untuk"),
    (
        "too few regencies with a value above zero",
        "terlalu sedikit wilayah dengan nilai di atas nol",
    ),
    ("not in the panel", "tidak ada di panel"),
    ("not in the modelled years", "tidak pada tahun yang dimodelkan"),
    ("no year", "tanpa tahun"),
)


def _reason(reason: str, lang: str) -> str:
    """A not-estimable reason in ``lang`` (they are built from a few fixed phrases)."""
    if lang == "en":
        return reason
    for english, indonesian in _REASON_ID:
        reason = reason.replace(english, indonesian)
    return reason


def model_name(name: str, lang: str) -> str:
    """A model's name in ``lang`` ("pooled 2021–2024" → "gabungan 2021–2024")."""
    return name.replace("pooled", "gabungan") if lang == "id" else name


def format_table(table: pd.DataFrame, lang: str, fmt: str = "markdown") -> str:
    """Render :func:`model_table` as Markdown, LaTeX or HTML with language number format."""
    shown = table.copy()
    for column in ("irr", "ci_low", "ci_high"):
        shown[column] = shown[column].map(lambda v: format_number(v, lang, 2))
    shown["p_value"] = shown["p_value"].map(lambda v: format_number(v, lang, 3))
    if "note" in shown.columns and not shown["note"].astype(bool).any():
        shown = shown.drop(columns="note")
    caveat = table.attrs.get("caveat", "")
    if fmt == "markdown":
        return shown.to_markdown(index=False) + f"\n\n_{caveat}_\n"
    if fmt == "latex":
        return shown.style.hide(axis="index").to_latex() + f"\n% {caveat}\n"
    if fmt == "html":
        return shown.to_html(index=False) + f"<p><em>{caveat}</em></p>"
    raise ValueError("fmt must be 'markdown', 'latex' or 'html'")


def write_model_tables(results: Sequence[CountModelResult]) -> list[Path]:
    """Write IRR tables (md, tex, html per language), diagnostics and dropped units."""
    from migration_ntt.manifest import write_manifest

    folder = config.processed_dir()
    stem = f"models_{results[0].outcome}"
    paths = []
    for lang in ("id", "en"):
        table = model_table(results, lang)
        for fmt, ext in (("markdown", "md"), ("latex", "tex"), ("html", "html")):
            path = folder / f"{stem}_irr_{lang}.{ext}"
            path.write_text(format_table(table, lang, fmt), encoding="utf-8")
            paths.append(path)
    irr = model_table(results, "en")
    irr.to_csv(folder / f"{stem}_irr.csv", index=False)
    diagnostics = pd.DataFrame(
        [
            {
                "model": r.name,
                "family": r.family,
                "family_note": r.family_note,
                "n": r.n,
                "overdispersion_p": r.overdispersion["p_value"],
                "pearson_dispersion": r.overdispersion["pearson_dispersion"],
                "max_vif": r.vif["vif"].max() if len(r.vif) else np.nan,
                "residual_moran_i": r.residual_moran.get("moran_i"),
                "residual_moran_p": r.residual_moran.get("p_sim"),
                "dropped": len(r.dropped),
                "notes": "; ".join(r.notes),
            }
            for r in results
        ]
    )
    diagnostics.to_csv(folder / f"{stem}_diagnostics.csv", index=False)
    pd.concat([r.dropped.assign(model=r.name) for r in results]).to_csv(
        folder / f"{stem}_dropped_units.csv", index=False
    )
    pd.concat([r.loo.assign(model=r.name) for r in results]).to_csv(
        folder / f"{stem}_leave_one_out.csv", index=False
    )
    paths += [
        folder / f"{stem}_irr.csv",
        folder / f"{stem}_diagnostics.csv",
        folder / f"{stem}_dropped_units.csv",
        folder / f"{stem}_leave_one_out.csv",
    ]
    write_manifest(
        folder / f"{stem}_irr.csv",
        inputs=[config.raw_dir() / "indicators" / "ntt_indicators_long.csv"],
        parameters={"models": [r.name for r in results], "formulas": [r.formula for r in results]},
        outputs=paths[:-4] + paths[-3:],
    )
    return paths
