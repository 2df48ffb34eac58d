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
        Scale covariates to mean 0, SD 1 (IRR per SD).
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
    regency-clustered standard errors (always the last in the list). Trafficking suspects
    (an enforcement signal) are added only where at least 15 units have a value in the
    modelled years; otherwise a note says it was left out.

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
        chosen = list(covariates)
        rows = table[table["year"].isin(group)]
        notes = []
        reported = int(rows[ENFORCEMENT].notna().sum()) if ENFORCEMENT in rows.columns else 0
        if reported >= 15:
            chosen.append(ENFORCEMENT)
        else:
            notes.append(f"{ENFORCEMENT} left out: reported for {reported} unit-years only")
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
        results.append(result)
    return results


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
    """Tidy IRR table of several models, labelled in ``lang`` (covariates only)."""
    check_language(lang)
    rows = []
    for result in results:
        for term, row in result.irr[result.irr["kind"] == "covariate"].iterrows():
            rows.append(
                {
                    "model": model_name(result.name, lang),
                    "term": LABELS.get(term, {}).get(lang, term),
                    "irr": row["irr"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "p_value": row["p_value"],
                    "family": result.family,
                    "n": result.n,
                    "per": "SD" if result.standardised else "unit",
                }
            )
    table = pd.DataFrame(rows)
    smallest = min(results, key=lambda r: r.n)
    table.attrs["caveat"] = smallest.caveat(lang) + (
        f" (smallest model shown; others have up to {max(r.n for r in results)} observations)"
        if len(results) > 1 and lang == "en"
        else f" (model terkecil; model lain sampai {max(r.n for r in results)} pengamatan)"
        if len(results) > 1
        else ""
    )
    return table


def model_name(name: str, lang: str) -> str:
    """A model's name in ``lang`` ("pooled 2021–2024" → "gabungan 2021–2024")."""
    return name.replace("pooled", "gabungan") if lang == "id" else name


def format_table(table: pd.DataFrame, lang: str, fmt: str = "markdown") -> str:
    """Render :func:`model_table` as Markdown, LaTeX or HTML with language number format."""
    shown = table.copy()
    for column in ("irr", "ci_low", "ci_high"):
        shown[column] = shown[column].map(lambda v: format_number(v, lang, 2))
    shown["p_value"] = shown["p_value"].map(lambda v: format_number(v, lang, 3))
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
