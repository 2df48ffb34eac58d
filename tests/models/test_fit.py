"""One count model: recovery of known coefficients, equality with statsmodels, diagnostics."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from migration_ntt import models, regions
from migration_ntt.ingest import boundaries


def simulate(n: int, family: str, seed: int, alpha: float = 0.8) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = pd.DataFrame(
        {
            "bps_code": [f"u{i:04d}" for i in range(n)],
            "year": 2024,
            "x1": rng.normal(size=n),
            "x2": rng.normal(size=n),
            "population": rng.integers(50_000, 500_000, n).astype(float),
        }
    )
    mu = np.exp(np.log(2e-5) + 0.4 * data["x1"] - 0.3 * data["x2"]) * data["population"]
    if family == "poisson":
        data["y"] = rng.poisson(mu)
    else:  # NB2: gamma-Poisson mixture with Var = mu + alpha mu^2
        data["y"] = rng.poisson(rng.gamma(1 / alpha, alpha * mu))
    return data


@pytest.mark.parametrize(("family", "seed"), [("poisson", 1), ("negbin", 2)])
def test_known_coefficients_are_recovered(family, seed):
    data = simulate(3000, family, seed)
    fit = models.fit_count_model(data, "y", ["x1", "x2"], family="auto")
    assert fit.family == family
    assert fit.irr.loc["x1", "coef"] == pytest.approx(0.4, abs=0.05)
    assert fit.irr.loc["x2", "coef"] == pytest.approx(-0.3, abs=0.05)
    assert fit.irr.loc["Intercept", "coef"] == pytest.approx(np.log(2e-5), abs=0.05)


def test_overdispersion_detected_only_on_nb_data():
    poisson = simulate(2000, "poisson", 3)
    negbin = simulate(2000, "negbin", 4)
    fit_p = models.fit_count_model(poisson, "y", ["x1", "x2"])
    fit_n = models.fit_count_model(negbin, "y", ["x1", "x2"])
    assert fit_p.overdispersion["p_value"] > 0.05
    assert fit_n.overdispersion["p_value"] < 0.001
    assert "overdispersion found" in fit_n.family_note


def test_equals_a_direct_statsmodels_call():
    data = simulate(400, "poisson", 5)
    ours = models.fit_count_model(data, "y", ["x1", "x2"], family="poisson")
    direct = smf.glm(
        "y ~ x1 + x2", data, family=sm.families.Poisson(), offset=np.log(data["population"])
    ).fit(cov_type="HC1")
    np.testing.assert_allclose(ours.fit.params, direct.params)
    np.testing.assert_allclose(ours.fit.bse, direct.bse)
    negbin = simulate(400, "negbin", 6)
    ours_nb = models.fit_count_model(negbin, "y", ["x1", "x2"], family="negbin")
    direct_nb = smf.negativebinomial(
        "y ~ x1 + x2", negbin, offset=np.log(negbin["population"]), loglike_method="nb2"
    ).fit(disp=0, maxiter=500, cov_type="HC1")
    np.testing.assert_allclose(ours_nb.fit.params, direct_nb.params, rtol=1e-5)


def test_doubling_exposure_keeps_irr_and_halves_rates():
    data = simulate(500, "poisson", 7)
    base = models.fit_count_model(data, "y", ["x1", "x2"], family="poisson")
    doubled = models.fit_count_model(
        data.assign(population=data["population"] * 2),
        "y",
        ["x1", "x2"],
        family="poisson",
    )
    covariates = base.irr["kind"] == "covariate"
    np.testing.assert_allclose(base.irr.loc[covariates, "irr"], doubled.irr.loc[covariates, "irr"])
    np.testing.assert_allclose(doubled.fitted_rates(), base.fitted_rates() / 2)
    np.testing.assert_allclose(doubled.expected_counts(), base.expected_counts())


def test_partial_year_coverage_scales_exposure():
    data = simulate(500, "poisson", 8).assign(y_coverage=0.5)
    half = models.fit_count_model(data, "y", ["x1"], family="poisson")
    assert (half.data["person_years"] == data["population"] * 0.5).all()


def test_missing_covariates_are_listed_not_silently_dropped():
    data = simulate(60, "poisson", 9)
    data.loc[[3, 7], "x2"] = np.nan
    data.loc[11, "y"] = np.nan
    fit = models.fit_count_model(data, "y", ["x1", "x2"], family="poisson")
    assert fit.n == 57
    assert sorted(fit.dropped["bps_code"]) == ["u0003", "u0007", "u0011"]
    assert fit.dropped.set_index("bps_code").loc["u0003", "missing"] == "x2"


def test_pooled_model_uses_cluster_robust_se_and_year_effects():
    first = simulate(300, "poisson", 10)
    second = simulate(300, "poisson", 11).assign(year=2025)
    second["bps_code"] = first["bps_code"]
    fit = models.fit_count_model(pd.concat([first, second]), "y", ["x1"], family="poisson")
    assert "C(year)" in fit.formula
    assert fit.fit.cov_type == "cluster"
    assert (fit.irr["kind"] == "year effect").sum() == 1


def _ntt_panel(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = regions.regencies()["bps_code"]
    data = pd.DataFrame(
        {
            "bps_code": codes,
            "year": 2024,
            "x1": rng.normal(size=22),
            "population": rng.integers(80_000, 500_000, 22).astype(float),
        }
    )
    data["y"] = rng.poisson(np.exp(-10 + 0.3 * data["x1"]) * data["population"])
    return data


@pytest.mark.parametrize("policy", ["none", "links"])
def test_residual_moran_handles_islands(policy):
    fit = models.fit_count_model(
        _ntt_panel(12),
        "y",
        ["x1"],
        family="poisson",
        shapes=boundaries.load_boundaries(),
        island_policy=policy,
    )
    moran = fit.residual_moran
    assert -1 <= moran["moran_i"] <= 1
    if policy == "none":
        assert moran["n_no_neighbours"] == 4
        assert "Kabupaten Alor" in moran["isolates"]
    else:
        assert moran["n_no_neighbours"] == 0


def test_diagnostics_and_tables():
    fit = models.fit_count_model(
        _ntt_panel(13).assign(x2=lambda d: d["x1"] * 0.5 + 0.1),
        "y",
        ["x1"],
        family="poisson",
    )
    assert set(fit.loo.columns) >= {"covariate", "irr_min", "irr_max"}
    assert fit.loo["irr_min"].iloc[0] <= fit.irr.loc["x1", "irr"] <= fit.loo["irr_max"].iloc[0]
    assert len(fit.cooks_distance) == fit.n
    table = models.model_table([fit], "en")
    for fmt in ("markdown", "latex", "html"):
        text = models.format_table(table, "en", fmt)
        assert "Association, not cause" in text
    assert "Asosiasi, bukan sebab" in models.format_table(models.model_table([fit], "id"), "id")


def test_vif_flags_collinear_covariates():
    data = _ntt_panel(14)
    rng = np.random.default_rng(0)
    data["x2"] = data["x1"] + rng.normal(scale=0.05, size=22)
    fit = models.fit_count_model(data, "y", ["x1", "x2"], family="poisson")
    assert fit.vif["vif"].min() > 10


def test_bad_arguments():
    with pytest.raises(ValueError, match="family"):
        models.fit_count_model(_ntt_panel(1), "y", ["x1"], family="logit")
    with pytest.raises(KeyError, match="no column"):
        models.fit_count_model(_ntt_panel(1), "y", ["nope"])
