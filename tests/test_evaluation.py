"""Programme evaluation: Poisson two-way fixed effects with randomisation inference, checked
on simulated staggered panels with a known effect and with none, and on the real panel."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from migration_ntt import evaluation, panel, regions
from migration_ntt.ingest import boundaries, programmes

CODES = regions.regencies()["bps_code"].tolist()


def simulated_panel(irr: float, seed: int, *, years: int = 10, adopters: int = 10, lead=0.0):
    """22 regencies × ``years``; ``adopters`` adopt at staggered years (3rd to 7th year);
    counts Poisson with regency and year effects and the effect ``irr`` after adoption
    (``lead`` adds a fake trend in adopters before adoption)."""
    rng = np.random.default_rng(seed)
    adopt = np.full(len(CODES), np.nan)
    chosen = rng.choice(len(CODES), adopters, replace=False)
    adopt[chosen] = 2010 + rng.integers(3, 8, adopters)
    unit_effect = rng.normal(0, 0.5, len(CODES))
    year_effect = rng.normal(0, 0.2, years)
    population = rng.integers(100_000, 500_000, len(CODES))
    rows = []
    for i, code in enumerate(CODES):
        for t in range(years):
            year = 2010 + t
            active = int(not np.isnan(adopt[i]) and year >= adopt[i])
            log_rate = np.log(10 / 300_000) + unit_effect[i] + year_effect[t]
            log_rate += np.log(irr) * active
            if lead and not np.isnan(adopt[i]) and year < adopt[i]:
                log_rate += lead * (year - adopt[i])
            rows.append(
                {
                    "bps_code": code,
                    "year": year,
                    "population": population[i],
                    "cases": rng.poisson(population[i] * np.exp(log_rate)),
                    "programme_active": active,
                }
            )
    return pd.DataFrame(rows)


NO_PROGRAMMES = pd.DataFrame(columns=list(programmes.COLUMNS))


def evaluate(table, **options):
    options.setdefault("permutations", 199)
    return evaluation.evaluate_programme(
        table, "programme", outcome="cases", programmes=NO_PROGRAMMES, **options
    )


def test_irls_equals_statsmodels_on_the_observed_data():
    table = simulated_panel(0.7, seed=1)
    result = evaluate(table, permutations=9)
    fit = smf.glm(
        "cases ~ programme_active + C(bps_code) + C(year)",
        data=table,
        family=sm.families.Poisson(),
        offset=np.log(table["population"]),
    ).fit()
    assert np.log(result.irr) == pytest.approx(fit.params["programme_active"], abs=1e-7)


def test_a_known_effect_is_recovered_and_detected():
    result = evaluate(simulated_panel(0.6, seed=3), permutations=499)
    assert result.irr == pytest.approx(0.6, abs=0.1)
    assert result.p_randomisation < 0.05
    assert result.ci_low < 0.6 < result.ci_high
    assert result.ci_high < 1
    # before adoption the event-time IRRs are near 1; after, near the effect
    before = result.event_time[result.event_time["event_time"] < -1]
    after = result.event_time[result.event_time["event_time"] >= 0]
    assert np.all(np.abs(np.log(before["irr"])) < 0.3)
    assert np.all(np.abs(np.log(after["irr"]) - np.log(0.6)) < 0.3)
    assert result.pretrend_p > 0.05
    cohorts = result.cohorts[result.cohorts["status"] == "evaluated"]
    assert cohorts["regencies"].sum() == 10


def test_without_an_effect_the_randomisation_test_keeps_its_level():
    """About 5 % of null panels give p < 0.05."""
    p_values = [evaluate(simulated_panel(1.0, seed=s), permutations=99).p_randomisation
                for s in range(50)]  # fmt: skip
    rejected = np.mean(np.array(p_values) < 0.05)
    assert rejected <= 0.12
    assert np.mean(np.array(p_values) < 0.5) == pytest.approx(0.5, abs=0.2)  # roughly uniform


def test_a_pre_trend_is_flagged():
    result = evaluate(simulated_panel(1.0, seed=4, lead=0.3), permutations=299)
    assert result.pretrend_p < 0.05
    assert any("already differ" in note for note in result.notes)


def test_seeded_results_reproduce_and_a_single_regency_cohort_warns():
    table = simulated_panel(0.8, seed=5, adopters=1)
    first, again = evaluate(table, seed=7), evaluate(table, seed=7)
    assert first.p_randomisation == again.p_randomisation
    assert any(note.startswith("Warning: the") for note in first.notes)


def test_within_island_groups_and_neighbours_are_options():
    table = simulated_panel(0.7, seed=6)
    within = evaluate(table, within="island")
    with pytest.raises(ValueError, match="needs shapes="):
        evaluate(table, exclude_neighbours=True)
    apart = evaluate(table, exclude_neighbours=True, shapes=boundaries.load_boundaries())
    assert np.isfinite(within.p_randomisation)
    assert np.isfinite(apart.p_randomisation)
    assert apart.n_obs < within.n_obs  # untreated neighbours of adopters left out
    assert any(note.startswith("Neighbours left out") for note in apart.notes)


def test_bad_requests_are_refused():
    table = simulated_panel(1.0, seed=2)
    with pytest.raises(ValueError, match=r"no column 'ltsa_active'.*programmes in this panel"):
        evaluation.evaluate_programme(table, "ltsa", outcome="cases")
    never = table.assign(programme_active=0)
    with pytest.raises(ValueError, match="nothing to compare"):
        evaluate(never)
    with pytest.raises(ValueError, match="within"):
        evaluate(table, within="province")


@pytest.fixture(scope="module")
def real_panel():
    return panel.build_panel(write=False)


def test_real_panel_has_programmes_and_enforcement_counts(real_panel):
    assert {"ltsa_active", "ltsa_since", "task_force_active"} <= set(real_panel.columns)
    # the LTSA of Kota Kupang was launched on 4 Sep 2017: active from 2018 on
    kota = real_panel[real_panel["bps_code"] == "5371"].set_index("year")
    assert kota.loc[2018, "ltsa_active"] == 1
    reported = real_panel[real_panel["tppo_suspects"].notna()]
    assert len(reported)
    assert reported["tppo_suspects_source"].str.startswith("http").all()
    # a rate where the report says which period it covers
    dated = reported["tppo_suspects_coverage"].notna()
    assert dated.any()
    assert reported.loc[dated, "tppo_suspects_per_100k"].notna().all()


def test_ltsa_evaluation_runs_on_real_data_and_says_who_adopted_when(real_panel):
    result = evaluation.evaluate_programme(real_panel, "ltsa", permutations=99)
    # Kabupaten Kupang (existed by Mar 2019) and Sikka (inaugurated 14 Mar 2019) adopted
    # within the years with deaths data; Kota Kupang and SBD had one before 2018
    assert "2019 (2: Kabupaten Kupang, Kabupaten Sikka)" in result.notes[0]
    assert any("Kota Kupang" in n and "before their first year" in n for n in result.notes)
    assert 0 < result.p_randomisation <= 1
    assert set(result.event_time["event_time"]) == set(range(-3, 4))
