"""Which terms go into the default models, and the default models themselves.

The default models of a count regress it on poverty, schooling, unemployment and GRDP per
capita (:data:`DEFAULT_COVARIATES`); the pooled model also tries the enforcement,
natural-resource, protection, health and collaboration terms of :data:`POOLED_TERMS`,
each only where it is estimable (:func:`term_coverage`) and while there is room (one term
per :data:`UNITS_PER_TERM` regencies).

Examples
--------
>>> from migration_ntt.models import terms
>>> terms.term_group("ltsa_active"), terms.year_ranges([2019, 2020, 2022])
('protection', '2019–2020, 2022')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.labels import year_ranges
from migration_ntt.models.fit import CountModelResult, fit_count_model
from migration_ntt.panel import default_count, with_known_zeros

if TYPE_CHECKING:
    import geopandas as gpd

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
    panel: pd.DataFrame,
    *,
    outcome: str | None = None,
    covariates: Sequence[str] = DEFAULT_COVARIATES,
    years: Sequence[int] | None = None,
    shapes: gpd.GeoDataFrame | None = None,
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
    panel : pandas.DataFrame
        The regency × year panel (:func:`migration_ntt.panel.build_panel`).
    outcome : str, optional
        Any count column of the panel (default: the panel's case-record count if it has
        one, else ``pmi_deaths_abroad``).
    covariates : sequence of str
        The socio-economic terms of every model (default :data:`DEFAULT_COVARIATES`).
    years : sequence of int, optional
        The years to model (default :func:`model_years`).
    shapes : geopandas.GeoDataFrame, optional
        The units' polygons, for Moran's I of each model's residuals.

    Returns
    -------
    list of CountModelResult
        The single-year models, then the pooled one.

    Raises
    ------
    ValueError
        No year has the outcome for enough regencies.
    """
    outcome = outcome or default_count(panel)
    table = with_known_zeros(panel, outcome)
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
            shapes=shapes,
            name=name,
        )
        result.notes.extend(notes)
        result.not_estimable = skipped
        results.append(result)
    return results
