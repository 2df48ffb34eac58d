"""The kecamatan/desa gazetteer and the hierarchical place resolver."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from migration_ntt import config, regions
from migration_ntt.ingest import records, synthetic
from migration_ntt.regions import places


def test_exact_counts_of_the_gazetteer():
    assert len(regions.regencies()) == 22
    districts, villages = places.places("district"), places.places("village")
    assert len(districts) == 315
    assert len(villages) == 3442
    assert districts["bps_code"].notna().all()
    assert set(villages["district_code"]) <= set(districts["kemendagri_code"])
    assert villages["village_type"].isin(["desa", "kelurahan"]).all()
    assert (districts.groupby("bps_code").size() > 0).sum() == 22


def test_committed_table_is_derived_from_the_pinned_code_list(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path))
    sql = places.fetch_code_list(mirror=shared_data)
    derived = places.build_places_table(sql).astype(object).fillna("")
    path = config.reference_dir() / "places.csv"
    committed = pd.read_csv(path, dtype=str, keep_default_na=False).astype(object)
    pd.testing.assert_frame_equal(derived, committed)
    meta = json.loads((config.reference_dir() / "places.meta.json").read_text())
    assert meta["source_sha256"] == places.CODE_LIST_SHA256
    assert meta["source_commit"] == places.CODE_LIST_COMMIT
    assert "MIT" in meta["licence"]


def test_a_damaged_code_list_is_refused(tmp_path, monkeypatch):
    from migration_ntt.download import DownloadError

    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "wilayah.sql").write_text("not the pinned file")
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path / "cache"))
    with pytest.raises(DownloadError, match="does not match the pinned"):
        places.fetch_code_list(mirror=mirror)


def _shared_names():
    villages = places.places("village")
    key = villages["name"].str.lower().str.replace(r"[^0-9a-z]", "", regex=True)
    return villages.assign(key=key)


def test_every_village_resolves_with_its_kecamatan_and_shared_names_alone_get_no_code():
    villages = _shared_names()
    # with its own kecamatan: every village, except where a kecamatan holds two villages
    # of the same name (a desa and a kelurahan: the prefix then decides)
    twins = villages.duplicated(["district_code", "key"], keep=False)
    out = places.resolve_places(village=villages["name"], district=villages["district_name"],
                                bps_code=villages["bps_code"])  # fmt: skip
    assert (
        out.loc[~twins, "village_code"].to_numpy() == villages.loc[~twins, "kemendagri_code"]
    ).all()
    assert out.loc[twins, "village_code"].isna().all()
    # a name alone: unique names resolve, shared names never get a code
    alone = places.resolve_places(village=villages["name"])
    shared = villages["key"].duplicated(keep=False)
    assert alone.loc[shared, "village_code"].isna().all()
    assert (alone.loc[shared, "match"] == "ambiguous").all()
    right = (
        alone.loc[~shared, "village_code"].to_numpy() == villages.loc[~shared, "kemendagri_code"]
    )
    assert right.all()


def test_spelling_variants_resolve_and_never_to_a_wrong_code():
    rng = np.random.default_rng(5)
    villages = places.places("village").sample(1500, random_state=5)
    written = synthetic.spell_places(
        villages["name"].to_numpy(), "village", rng, 1.0, villages["village_type"].to_numpy()
    )
    district = synthetic.spell_places(villages["district_name"].to_numpy(), "district", rng, 1.0)
    out = places.resolve_places(village=written, district=district, bps_code=villages["bps_code"])
    truth = villages["kemendagri_code"].to_numpy()
    coded = out["village_code"].notna().to_numpy()
    assert (out["village_code"].to_numpy()[coded] == truth[coded]).all()  # zero wrong codes
    assert coded.mean() >= 0.99


@pytest.mark.parametrize(
    ("kwargs", "match", "village_code"),
    [
        ({"village": "Desa Kualeu", "district": "Amanatun Selatan"}, "exact", "53.02.08.2005"),
        ({"village": "kualeu", "regency": "TTS"}, "ambiguous", None),  # two in TTS
        ({"village": "Kualeu", "district": "Amanatun Utara"}, "conflict", None),  # wrong kec.
        ({"village": "Kualeu", "regency": "Malaka"}, "conflict", None),  # wrong regency
        ({"village": "Kualleu", "district": "Amanatun Selatan"}, "fuzzy", "53.02.08.2005"),
        ({"village": "Kualleu"}, "unmatched", None),  # no fuzzy without a parent
        ({"village": "Kel. Oesao", "district": "Kupang Timur"}, "exact", "53.01.06.1004"),
        ({"village": "Desa Oesao", "district": "Kupang Timur"}, "exact", "53.01.06.2015"),
        ({"village": "Oesao", "district": "Kupang Timur"}, "ambiguous", None),
        ({"village": "Lifuleo"}, "ambiguous", None),
        ({"village": "Lifuleo", "regency": "Rote Ndao"}, "exact", "53.14.10.2002"),
    ],
)
def test_hierarchy_rules(kwargs, match, village_code):
    out = places.resolve_places(**{k: [v] for k, v in kwargs.items()})
    assert out["match"].iloc[0] == match
    got = out["village_code"].iloc[0]
    assert (pd.isna(got) and village_code is None) or got == village_code


def test_district_alone_and_the_village_tells_its_kecamatan():
    out = places.resolve_places(district=["Kec. Malaka Tengah", "Wewiku"], regency=["Malaka", None])
    assert out["district_code"].tolist() == ["53.21.01", "53.21.03"]
    derived = places.resolve_places(village=["Noelbaki"])
    assert derived["district_code"].iloc[0] == "53.01.08"


def test_bad_arguments():
    with pytest.raises(ValueError, match="at least one"):
        places.resolve_places()
    with pytest.raises(ValueError, match="same length"):
        places.resolve_places(village=["a", "b"], district=["c"])
    with pytest.raises(ValueError, match="level"):
        places.places("desa")


def test_the_cleaner_keeps_codes_never_text_and_lists_unresolved_places():
    messy, truth = synthetic.generate_records(3000, seed=14, messiness=0.6)
    result = records.clean_records(messy, secret="places")
    clean = result.clean.set_index("source_row")
    expected = truth.loc[clean.index]
    coded = clean["village_code"].notna()
    assert (clean.loc[coded, "village_code"] == expected.loc[coded, "village_code"]).all()
    assert coded.mean() >= 0.99
    assert (clean["district_code"] == expected["district_code"]).mean() >= 0.99
    assert "village" not in clean.columns
    assert "district" not in clean.columns
    assert set(clean["place_match"]) <= set(places.PLACE_MATCHES)
    listed = set(result.report.unrecognised["field"])
    unresolved = clean["place_match"].isin(["conflict", "ambiguous", "unmatched"]).any()
    assert not unresolved or listed & {"district", "village"}
