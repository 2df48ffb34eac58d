"""Tests for the gazetteer and the name resolver."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migration_ntt import config, regions
from migration_ntt.regions import units

from ..conftest import ROOT

REGENCIES = regions.regencies()
SHORT_TO_CODE = REGENCIES.set_index("short_name")["bps_code"].to_dict()


def test_gazetteer_has_22_units_with_sources():
    assert len(REGENCIES) == 22
    assert REGENCIES["bps_code"].is_unique
    assert REGENCIES["kemendagri_code"].is_unique
    assert (REGENCIES["source"].str.len() > 0).all()
    assert REGENCIES["bps_code"].str.fullmatch(r"53\d\d").all()
    assert set(REGENCIES["island"]) == {
        "Timor",
        "Flores",
        "Sumba",
        "Alor",
        "Lembata",
        "Rote",
        "Sabu",
    }
    assert (REGENCIES["name"].str.startswith("Kabupaten ")).sum() == 21


def test_gazetteer_matches_shared_reference(shared_data):
    shared = pd.read_csv(shared_data / "reference" / "ntt_regencies.csv", dtype=str)
    ours = pd.read_csv(config.reference_dir() / "regencies.csv", dtype=str)
    columns = list(shared.columns)
    pd.testing.assert_frame_equal(
        ours[columns].sort_values("bps_code").reset_index(drop=True),
        shared.sort_values("bps_code").reset_index(drop=True),
    )


def test_codes_are_not_joined_on_last_digits():
    by_code = REGENCIES.set_index("bps_code")
    assert by_code.loc["5303", "kemendagri_code"] == "53.01"  # Kupang
    assert by_code.loc["5301", "short_name"] == "Sumba Barat"


@pytest.mark.parametrize("column", ["name", "short_name", "name_en"])
def test_every_official_short_and_english_name_resolves(column):
    out = regions.resolve(REGENCIES[column])
    assert out["bps_code"].tolist() == REGENCIES["bps_code"].tolist()
    assert out["match"].isin(["exact", "alias"]).all()


def test_every_alias_resolves_to_its_code_or_to_no_code():
    alias_table = regions.aliases()
    out = regions.resolve(alias_table["alias"])
    unit_rows = alias_table["bps_code"].notna()
    assert (
        out.loc[unit_rows, "bps_code"].tolist() == alias_table.loc[unit_rows, "bps_code"].tolist()
    )
    expected_match = alias_table.loc[~unit_rows, "kind"].map(
        {
            "province": "province",
            "island_group": "ambiguous",
            "not_ntt": "unmatched",
            "service_area": "ambiguous",
        }
    )
    assert out.loc[~unit_rows, "bps_code"].isna().all()
    assert out.loc[~unit_rows, "match"].tolist() == expected_match.tolist()


def test_required_aliases_are_present():
    wanted = {"TTS", "TTU", "SBD", "Flotim", "Mabar", "Matim", "Lomblen", "Kupang City"}
    assert wanted <= set(regions.aliases()["alias"])
    kinds = set(regions.aliases()["kind"])
    assert {"abbreviation", "english", "old_name", "capital", "misspelling"} <= kinds


@pytest.mark.parametrize(
    ("text", "short_name"),
    [
        ("Kab. Malaka", "Malaka"),
        ("KABUPATEN  timor-tengah selatan", "Timor Tengah Selatan"),
        ("Timor Tengah Selatan (TTS)", "Timor Tengah Selatan"),
        ("Timor Tengah Seltan", "Timor Tengah Selatan"),
        ("Polres Malaka", "Malaka"),
        ("Polresta Kupang Kota", "Kota Kupang"),
        ("Kupang", "Kupang"),
        ("Kota Kupang", "Kota Kupang"),
        ("Kupang City", "Kota Kupang"),
        ("Lomblen", "Lembata"),
        ("Mabar", "Manggarai Barat"),
        ("Matim", "Manggarai Timur"),
        ("Kab/Kota Kupang", "Kota Kupang"),
        ("Kota Soe", "Timor Tengah Selatan"),
        ("Sumba Barat Dya", "Sumba Barat Daya"),
    ],
)
def test_resolves_common_spellings(text, short_name):
    out = regions.resolve([text])
    assert out.loc[0, "bps_code"] == SHORT_TO_CODE[short_name]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("Provinsi NTT", "province"),
        ("Nusa Tenggara Timur", "province"),
        ("NTT", "province"),
        ("Sumba", "ambiguous"),
        ("Flores", "ambiguous"),
        ("Sumba Barat dan Sumba Timur", "ambiguous"),
        ("TTS / TTU", "ambiguous"),
        ("Sumbawa Barat", "unmatched"),
        ("Sumbawa Barrat", "unmatched"),
        ("Jakarta Selatan", "unmatched"),
        ("Belum", "unmatched"),
        ("Manggarai Barat Timur", "unmatched"),
    ],
)
def test_non_units_get_no_code(text, match):
    out = regions.resolve([text])
    assert out.loc[0, "bps_code"] is None
    assert out.loc[0, "match"] == match


def test_a_neighbouring_units_name_is_never_fuzzy_matched():
    # Pairs of real units whose names are close: each must resolve to itself exactly.
    close = [
        "Sumba Barat",
        "Sumba Barat Daya",
        "Sumba Tengah",
        "Sumba Timur",
        "Manggarai",
        "Manggarai Barat",
        "Manggarai Timur",
        "Timor Tengah Selatan",
        "Timor Tengah Utara",
        "Kupang",
        "Kota Kupang",
    ]
    out = regions.resolve(close)
    assert out["bps_code"].tolist() == [SHORT_TO_CODE[name] for name in close]
    assert (out["match"] == "exact").all()


def test_every_indicator_regency_string_resolves_as_written_down(shared_data):
    indicator_rows = pd.read_csv(shared_data / "indicators" / "ntt_indicators_long.csv", dtype=str)
    expected = pd.read_csv(ROOT / "tests" / "data" / "indicator_regency_expected.csv", dtype=str)
    assert set(indicator_rows["regency"]) == set(expected["regency"]), "expectations out of date"
    out = regions.resolve(expected["regency"])
    expected_code = expected["expected"].map(SHORT_TO_CODE)
    is_unit = expected_code.notna()
    assert out.loc[is_unit, "bps_code"].tolist() == expected_code[is_unit].tolist()
    assert out.loc[~is_unit, "bps_code"].isna().all()
    assert out.loc[~is_unit, "match"].tolist() == expected.loc[~is_unit, "expected"].tolist()


def test_bad_input_values_are_unmatched_not_errors():
    values = [None, np.nan, "", "   ", 5321, 3.5, ("a",), pd.NA, ["TTS"], {"x": 1}]
    out = regions.resolve(values)
    assert len(out) == len(values)
    assert (out["match"] == "unmatched").all()
    assert out["bps_code"].isna().all()


def test_series_index_is_kept_and_single_string_accepted():
    series = pd.Series(["TTS", "Malaka"], index=[10, 20])
    out = regions.resolve(series)
    assert out.index.tolist() == [10, 20]
    assert out["input"].tolist() == ["TTS", "Malaka"]
    assert regions.resolve("Malaka")["bps_code"].tolist() == ["5321"]


@pytest.mark.parametrize("argument", [{"a": 1}, 5321, None, pd.DataFrame({"a": ["TTS"]})])
def test_wrong_argument_types_raise_type_error(argument):
    with pytest.raises(TypeError, match="names must be"):
        regions.resolve(argument)


def test_year_before_split_maps_child_to_parent():
    out = regions.resolve(
        ["Malaka", "Malaka", "Sabu Raijua", "Kota Kupang", "TTS"],
        year=[2012, 2013, 2007, 1995, 1990],
    )
    assert out["bps_code"].tolist() == ["5306", "5321", "5303", "5303", "5304"]
    assert out["flag_before_split"].tolist() == [True, False, True, True, False]
    # a scalar year applies to every row
    assert regions.resolve(["Lembata"], year=1998)["bps_code"].tolist() == ["5309"]


def test_each_distinct_string_is_resolved_once(monkeypatch):
    calls = []
    original = units._resolve_one

    def counting(value):
        calls.append(value)
        return original(value)

    monkeypatch.setattr(units, "_resolve_one", counting)
    regions.resolve(["TTS", "TTS", "Malaka", None, "TTS", "Malaka"] * 1000)
    assert sorted(calls) == ["Malaka", "TTS"]


def test_resolve_codes_in_both_schemes():
    bps = regions.resolve_codes(["5301", 5321, "9999", None, "53.01"], scheme="bps")
    assert bps["name"].tolist()[:2] == ["Kabupaten Sumba Barat", "Kabupaten Malaka"]
    assert bps["bps_code"].tolist()[2:4] == [None, None]
    kmd = regions.resolve_codes(["53.01", "5301", "3171"], scheme="kemendagri")
    assert kmd["bps_code"].tolist() == ["5303", "5303", None]
    with pytest.raises(ValueError, match="scheme"):
        regions.resolve_codes(["5301"], scheme="iso")


def test_regency_from_nik():
    niks = pd.Series(
        [
            "5321014501900001",
            "5301 0145 0190 0001",
            "3171014501900001",
            "53210145019",
            None,
            5303014501900001,
        ]
    )
    assert regions.regency_from_nik(niks).tolist() == ["5321", "5303", None, None, None, "5305"]
    assert regions.regency_from_nik("5371010101010001") == "5371"


# --- property tests -------------------------------------------------------------------

CANONICAL = pd.concat([REGENCIES["name"], REGENCIES["short_name"]]).tolist()
CODE_OF = {
    **dict(zip(REGENCIES["name"], REGENCIES["bps_code"], strict=True)),
    **dict(zip(REGENCIES["short_name"], REGENCIES["bps_code"], strict=True)),
}


@st.composite
def noisy_name(draw):
    name = draw(st.sampled_from(CANONICAL))
    chars = []
    for ch in name:
        ch = ch.upper() if draw(st.booleans()) else ch.lower()
        chars.append(ch)
        if ch == " ":
            chars.append(" " * draw(st.integers(0, 3)))
        elif draw(st.integers(0, 9)) == 0:
            chars.append(draw(st.sampled_from(list(".-_'"))))
    padding = draw(st.sampled_from(["", " ", "  ", "\t"]))
    return name, padding + "".join(chars) + draw(st.sampled_from(["", ".", " ", ","]))


@settings(max_examples=300, deadline=None)
@given(noisy_name())
def test_noise_on_a_canonical_name_keeps_its_code(pair):
    name, noisy = pair
    assert regions.resolve([noisy]).loc[0, "bps_code"] == CODE_OF[name]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits + " .,-()", max_size=30))
def test_random_strings_never_get_a_code(text):
    folded = "".join(ch for ch in text.lower() if ch.isalnum())
    known = {
        "".join(ch for ch in value.lower() if ch.isalnum())
        for value in pd.concat(
            [
                REGENCIES["name"],
                REGENCIES["short_name"],
                REGENCIES["name_en"],
                regions.aliases()["alias"],
            ]
        )
    }
    if folded in known or any(len(k) >= 3 and k in folded for k in known):
        return  # the string contains a real name; not random for this purpose
    assert regions.resolve([text]).loc[0, "bps_code"] is None


def test_codes_are_not_names():
    # "5301" is Sumba Barat in BPS numbering and Kupang in Kemendagri numbering
    assert regions.resolve(["5301", "53.01"])["bps_code"].isna().all()
