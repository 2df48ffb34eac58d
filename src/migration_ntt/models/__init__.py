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
* **Diagnostics**: VIF, leave-one-unit-out IRR range, Cook's distance, and (given the
  units' polygons, ``shapes=``) Moran's I of the Pearson residuals with the
  archipelago-aware weights of :mod:`migration_ntt.spatial.weights`.

Three modules: :mod:`.fit` (one model), :mod:`.terms` (which terms, the default models),
:mod:`.tables` (IRR tables and the tables behind the model charts). The data come in as
arguments: nothing here loads a file (:mod:`migration_ntt.pipeline.models` does, and
writes the tables).
* Units dropped for a missing outcome or covariate are **listed** (``result.dropped``).

Examples
--------
>>> import numpy as np, pandas as pd
>>> from migration_ntt import models
>>> rng = np.random.default_rng(0)
>>> data = pd.DataFrame({"bps_code": [f"u{i}" for i in range(200)], "year": 2024,
...                      "x": rng.normal(size=200), "population": 1e5})
>>> data["y"] = rng.poisson(np.exp(-9 + 0.5 * data["x"]) * 1e5)
>>> fit = models.fit_count_model(data, "y", ["x"], family="poisson")
>>> round(float(fit.irr.loc["x", "irr"]), 1)
1.6
"""

from migration_ntt.models.fit import (
    CAVEAT,
    MAX_UNITS_FOR_LEAVE_ONE_OUT,
    OVERDISPERSION_ALPHA,
    CountModelResult,
    fit_count_model,
    is_binary,
    overdispersion_test,
    pearson_residuals,
    residual_moran,
)
from migration_ntt.models.tables import (
    MODEL_SOURCE,
    format_table,
    model_name,
    model_table,
    observed_expected,
    residual_table,
    summary,
)
from migration_ntt.models.terms import (
    DEFAULT_COVARIATES,
    ENFORCEMENT,
    GROUP_ORDER,
    MIN_CONTRAST,
    MIN_MODEL_COVERAGE,
    MIN_MODEL_UNITS,
    MIN_TERM_UNITS,
    POOLED_TERMS,
    SINGLE_YEAR_MODELS,
    TERM_GROUPS,
    UNITS_PER_TERM,
    default_models,
    model_years,
    term_coverage,
    term_group,
    year_ranges,
)

__all__ = [
    "CAVEAT",
    "DEFAULT_COVARIATES",
    "ENFORCEMENT",
    "GROUP_ORDER",
    "MAX_UNITS_FOR_LEAVE_ONE_OUT",
    "MIN_CONTRAST",
    "MIN_MODEL_COVERAGE",
    "MIN_MODEL_UNITS",
    "MIN_TERM_UNITS",
    "MODEL_SOURCE",
    "OVERDISPERSION_ALPHA",
    "POOLED_TERMS",
    "SINGLE_YEAR_MODELS",
    "TERM_GROUPS",
    "UNITS_PER_TERM",
    "CountModelResult",
    "default_models",
    "fit_count_model",
    "format_table",
    "is_binary",
    "model_name",
    "model_table",
    "model_years",
    "observed_expected",
    "overdispersion_test",
    "pearson_residuals",
    "residual_moran",
    "residual_table",
    "summary",
    "term_coverage",
    "term_group",
    "year_ranges",
]
