"""The policy brief: self-contained, bilingual, every figure inside, sources and caveats."""

from __future__ import annotations

import re

import pytest

from migration_ntt import analysis, models, report


@pytest.fixture(scope="module")
def outputs(module_home):
    hotspots = analysis.run_hotspots(permutations=199)
    results = models.default_models(spatial=False)
    briefs = {}
    for lang in ("id", "en"):
        analysis.hotspot_figures(hotspots, lang, formats=("png",))
        analysis.model_figures(results, lang, formats=("png",))
        briefs[lang] = report.build_brief(hotspots, results, lang).read_text()
    return briefs


@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_is_self_contained_and_has_every_figure(outputs, lang):
    html = outputs[lang]
    assert f'<html lang="{lang}">' in html
    assert html.count("data:image/png;base64,") == 4
    # no external fetches: no http(s) src/href except the listed sources (plain text)
    assert not re.search(r'(src|href)="https?://', html)
    assert "<script" not in html


def test_brief_languages_and_numbers(outputs):
    assert "Temuan utama" in outputs["id"]
    assert "Key findings" in outputs["en"]
    assert re.search(r"\d,\d", outputs["id"])  # decimal comma in Indonesian
    assert "association, not a cause" in outputs["en"].lower()


def test_brief_states_the_permutations_actually_used(outputs):
    assert "199 permutations" in outputs["en"]
    assert "199 permutasi" in outputs["id"]
    assert "9,999" not in outputs["en"]


def test_brief_lists_sources_and_caveats(outputs):
    for html in outputs.values():
        assert "kompas.com" in html
        assert "n = 20" in html or "n = 22" in html


def test_missing_figure_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGRATION_NTT_HOME", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="figure missing"):
        report.build_brief(None, [], "en")
