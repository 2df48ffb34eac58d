"""The XLSForm converts with pyxform (what KoboToolbox and ODK Central run on upload)."""

from __future__ import annotations

import pandas as pd
import pytest
from pyxform.xls2xform import convert

from migration_ntt.ingest.intake import write_xlsform
from migration_ntt.ingest.records.form import LANGUAGES


@pytest.fixture(scope="module")
def form_file(tmp_path_factory):
    return write_xlsform(tmp_path_factory.mktemp("form") / "kasus.xlsx")


def test_the_form_converts_to_an_xform_with_cascading_places(form_file):
    warnings: list[str] = []
    result = convert(xlsform=str(form_file), warnings=warnings, validate=False)
    xform = result.xform
    assert "<h:title>Catatan kasus PMI (migration-ntt)</h:title>" in xform
    assert "bps_code = " in xform or "bps_code=" in xform  # the kecamatan filter
    assert "district_code = " in xform or "district_code=" in xform
    assert 'lang="Indonesian (id)"' in xform
    assert 'lang="English (en)"' in xform
    assert not warnings, warnings


def test_the_form_has_its_three_sheets_and_both_languages(form_file):
    sheets = pd.read_excel(form_file, sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["survey", "choices", "settings"]
    survey, choices = sheets["survey"], sheets["choices"]
    asked = survey[~survey["type"].isin(["end_group"])]
    for language in LANGUAGES.values():
        assert (asked[f"label::{language}"] != "").all()
        assert (choices[f"label::{language}"] != "").all()
    assert (choices["list_name"] == "village").sum() == 3442
    assert "name" not in set(survey["name"])  # no name question
    settings = sheets["settings"].iloc[0]
    assert settings["default_language"] == "Indonesian (id)"


def test_english_form_opens_in_english(tmp_path):
    path = write_xlsform(tmp_path / "form_en.xlsx", lang="en")
    assert pd.read_excel(path, sheet_name="settings")["default_language"][0] == "English (en)"
    with pytest.raises(ValueError, match="unknown language"):
        write_xlsform(tmp_path / "x.xlsx", lang="fr")
