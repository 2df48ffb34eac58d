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


@pytest.fixture(scope="module")
def enforcement_briefs(module_home):
    from migration_ntt import panel

    table = panel.build_panel(write=False)
    hotspots = analysis.run_hotspots(table, permutations=99)
    results = models.default_models(table, spatial=False)
    evaluations, skipped = analysis.run_evaluations(
        table, hotspots.count, ["ltsa", "local_regulation"], permutations=99
    )
    briefs = {}
    for lang in ("id", "en"):
        analysis.hotspot_figures(hotspots, lang, formats=("png",))
        analysis.model_figures(results, lang, formats=("png",))
        for result in evaluations:
            analysis.evaluation_figures(result, hotspots, table, lang, formats=("png",))
        briefs[lang] = report.build_brief(
            hotspots,
            results,
            lang,
            evaluations=evaluations,
            overview=analysis.programme_overview(table, hotspots, lang),
            not_evaluated=skipped,
        ).read_text()
    return briefs, evaluations, skipped


@pytest.mark.parametrize(
    ("lang", "heading", "ltsa"),
    [("id", "Penegakan hukum dan pelindungan", "LTSA"), ("en", "Enforcement and protection",
                                                          "One-stop service centre (LTSA)")],
)  # fmt: skip
def test_brief_enforcement_section_has_numbers_not_placeholders(enforcement_briefs, lang, heading,
                                                                ltsa):  # fmt: skip
    briefs, evaluations, skipped = enforcement_briefs
    html = briefs[lang]
    section = html[html.index(heading) : html.index("<h2>", html.index(heading) + 1)]
    assert "{" not in section
    assert "}" not in section
    irr = evaluations[0].irr
    shown = f"{irr:.2f}".replace(".", ",") if lang == "id" else f"{irr:.2f}"
    assert f"IRR {shown}" in section
    assert ltsa in section
    assert section.count("data:image/png;base64,") == len(evaluations)
    assert "local_regulation" in skipped  # Lembata, the only one, has had it since 2015
    assert ("tidak dievaluasi" if lang == "id" else "not evaluated") in section
    assert ("Sepertiga teratas" if lang == "id" else "Top third without it") in section


def _english_labels_in(text: str) -> list[str]:
    """English strings of the label table (that differ from their Indonesian) in ``text``."""
    from migration_ntt.viz.labels import LABELS

    return sorted(
        v["en"]
        for v in LABELS.values()
        if v["en"] != v["id"] and len(v["en"]) > 6 and "{" not in v["en"] and v["en"] in text
    )


def test_indonesian_brief_and_figures_hold_no_english_label_strings(outputs, enforcement_briefs):
    import html

    import matplotlib.pyplot as plt

    for page in (outputs["id"], enforcement_briefs[0]["id"]):
        body = page.split("<h2>Sumber</h2>")[0]  # the source list quotes titles as published
        text = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", " ", body)))
        assert _english_labels_in(text) == []
    hotspots = analysis.run_hotspots(permutations=99)
    for figure in analysis.hotspot_maps(hotspots, "id").values():
        texts = " ".join(t.get_text() for t in figure.findobj(plt.Text))
        assert _english_labels_in(texts) == [], figure.axes[0].get_title(loc="left")
        plt.close(figure)
