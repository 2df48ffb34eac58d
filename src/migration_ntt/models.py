"""Count regressions: what goes with more PMI deaths abroad (or other counts) by regency.

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
DEFAULT_YEARS = (2021, 2022, 2024)
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
            fit = _fit(formula, subset, family, sub_cov)
        except Exception as error:  # a refit can fail on tiny samples; say so
            rows.append({"left_out": unit, "covariate": None, "irr": np.nan, "error": str(error)})
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


def default_models(
    panel: pd.DataFrame | None = None, *, spatial: bool = True
) -> list[CountModelResult]:
    """PMI deaths abroad against poverty, schooling, unemployment and GRDP per capita:
    one model per report year in :data:`DEFAULT_YEARS` and one pooled with year effects.

    Trafficking suspects (an enforcement signal) are added only where at least 15 units
    have a value in the modelled years; otherwise the note says it was left out.
    """
    from migration_ntt import panel as panel_module

    table = panel if panel is not None else panel_module.build_panel(write=False)
    results = []
    for years in [[year] for year in DEFAULT_YEARS] + [list(DEFAULT_YEARS)]:
        covariates = list(DEFAULT_COVARIATES)
        rows = table[table["year"].isin(years)]
        notes = []
        if ENFORCEMENT in rows.columns and rows[ENFORCEMENT].notna().sum() >= 15:
            covariates.append(ENFORCEMENT)
        else:
            notes.append(
                f"{ENFORCEMENT} left out: reported for "
                f"{int(rows[ENFORCEMENT].notna().sum())} unit-years only"
            )
        name = (
            f"deaths {years[0]}"
            if len(years) == 1
            else f"deaths pooled {'+'.join(map(str, years))}"
        )
        result = fit_count_model(
            table,
            "pmi_deaths_abroad",
            covariates,
            years=years,
            standardise=True,
            spatial=spatial,
            name=name,
        )
        result.notes.extend(notes)
        results.append(result)
    return results


def model_table(results: Sequence[CountModelResult], lang: str = "en") -> pd.DataFrame:
    """Tidy IRR table of several models, labelled in ``lang`` (covariates only)."""
    check_language(lang)
    rows = []
    for result in results:
        for term, row in result.irr[result.irr["kind"] == "covariate"].iterrows():
            rows.append(
                {
                    "model": _model_name(result.name, lang),
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


def _model_name(name: str, lang: str) -> str:
    if lang == "id":
        return name.replace("deaths", "kematian").replace("pooled", "gabungan")
    return name


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
    paths = []
    for lang in ("id", "en"):
        table = model_table(results, lang)
        for fmt, ext in (("markdown", "md"), ("latex", "tex"), ("html", "html")):
            path = folder / f"models_irr_{lang}.{ext}"
            path.write_text(format_table(table, lang, fmt), encoding="utf-8")
            paths.append(path)
    irr = model_table(results, "en")
    irr.to_csv(folder / "models_irr.csv", index=False)
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
    diagnostics.to_csv(folder / "models_diagnostics.csv", index=False)
    pd.concat([r.dropped.assign(model=r.name) for r in results]).to_csv(
        folder / "models_dropped_units.csv", index=False
    )
    pd.concat([r.loo.assign(model=r.name) for r in results]).to_csv(
        folder / "models_leave_one_out.csv", index=False
    )
    paths += [
        folder / "models_irr.csv",
        folder / "models_diagnostics.csv",
        folder / "models_dropped_units.csv",
        folder / "models_leave_one_out.csv",
    ]
    write_manifest(
        folder / "models_irr.csv",
        inputs=[config.raw_dir() / "indicators" / "ntt_indicators_long.csv"],
        parameters={"models": [r.name for r in results], "formulas": [r.formula for r in results]},
        outputs=paths[:-4] + paths[-3:],
    )
    return paths


def model_figures(
    results: Sequence[CountModelResult], lang: str, formats: Sequence[str] = ("png", "pdf", "svg")
) -> list[Path]:
    """Forest plot of all models, observed vs expected and residual map of the pooled model."""
    import matplotlib.pyplot as plt

    from migration_ntt.viz import charts
    from migration_ntt.viz.export import export_figure

    paths = []
    fig = charts.coefficient_plot(results, lang)
    paths += export_figure(fig, "models_forest", lang, formats)
    plt.close(fig)
    pooled = results[-1]
    fig = charts.observed_vs_expected(pooled, lang)
    paths += export_figure(fig, "models_observed_expected", lang, formats)
    plt.close(fig)
    fig = charts.residual_map(pooled, lang)
    paths += export_figure(fig, "models_residual_map", lang, formats)
    plt.close(fig)
    return paths
