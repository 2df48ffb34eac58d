"""The default models: which terms enter the pooled model, and why the others do not."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt import models, panel
from migration_ntt.ingest import boundaries
from migration_ntt.labels import LABELS


@pytest.fixture(scope="module")
def default_results():
    return models.default_models(
        panel.build_panel(write=False), shapes=boundaries.load_boundaries()
    )


def test_pooled_model_takes_enforcement_terms_where_the_data_allow(default_results):
    pooled = default_results[-1]
    chosen = set(pooled.covariates)
    assert set(models.DEFAULT_COVARIATES) <= chosen
    room = pooled.data["bps_code"].nunique() // models.UNITS_PER_TERM
    assert len(chosen) <= max(room, len(models.DEFAULT_COVARIATES))
    # an enforcement term is in (task forces: 5 regencies with, 17 without)
    assert "task_force_active" in chosen
    # every term tried and not used is listed with a reason
    assert set(models.POOLED_TERMS) - chosen == set(pooled.not_estimable["term"])
    reasons = pooled.not_estimable.set_index("term")["reason"]
    # trafficking suspects are reported by regency for 2023 only (Polda NTT statement)
    assert reasons["tppo_suspects_per_100k"].startswith("reported for 7 of 22 regencies (2023)")
    for single_year in default_results[:-1]:
        assert single_year.covariates == list(models.DEFAULT_COVARIATES)


def test_programme_terms_are_with_vs_without_and_tables_say_what_is_missing(default_results):
    pooled = default_results[-1]
    programmes = [t for t in pooled.covariates if t.endswith("_active")]
    for term in programmes:
        assert set(pooled.data[term].unique()) <= {0, 1}  # not standardised
    table = models.model_table([pooled], "en")
    assert (
        table.loc[table["term"].isin([LABELS[t]["en"] for t in programmes]), "per"]
        .eq("yes vs no")
        .all()
    )
    missing = table[table["irr"].isna()]
    assert len(missing) == len(pooled.not_estimable)
    assert missing["note"].str.startswith("Not estimable: ").all()
    groups = list(dict.fromkeys(table["group"]))
    order = [LABELS[f"group_{g}"]["en"] for g in models.GROUP_ORDER]
    assert groups == [g for g in order if g in groups]  # economy first … collaboration last
    indonesian = models.model_table([pooled], "id")
    assert indonesian["note"].str.contains("Tidak dapat ditaksir: ").any()
    assert not indonesian["note"].str.contains("regencies").any()


def test_term_coverage_rules():
    rows = pd.DataFrame(
        {
            "bps_code": [f"u{i}" for i in range(22)],
            "year": 2024,
            "few": [1.0] * 5 + [None] * 17,
            "rare": [1] * 2 + [0] * 20,
            "common": [1] * 10 + [0] * 12,
        }
    )
    assert models.term_coverage(rows, "few") == "reported for 5 of 22 regencies (2024)"
    assert models.term_coverage(rows, "rare") == "present in 2 of 22 regencies only"
    assert models.term_coverage(rows, "common") is None
    assert models.term_coverage(rows, "absent") == "not in the panel"
