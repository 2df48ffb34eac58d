"""The policy brief: self-contained, bilingual, every figure inside, sources and caveats."""

from __future__ import annotations

import re

import pytest

from migration_ntt import analysis, panel, report


@pytest.fixture(scope="module")
def outputs(module_home):
    hotspots = analysis.run_hotspots(permutations=199)
    results = analysis.run_models(panel.build_panel(write=False), spatial=False, write=False)
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
    assert len(html.encode()) <= 3e6  # e-mailable: 4 figures at 300 dpi, nothing else


def test_brief_languages_and_numbers(outputs):
    assert "<h2>Ringkasnya</h2>" in outputs["id"]
    assert "<h2>In brief</h2>" in outputs["en"]
    assert re.search(r"\d,\d", outputs["id"])  # decimal comma in Indonesian
    # The caveat is said once, in the caveats section, not after every finding.
    text = outputs["en"].lower()
    assert len(re.findall(r"not (?:a )?causes?\b", text)) == 1
    assert text.index("not causes") > text.index("<h2>caveats</h2>")


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
    results = analysis.run_models(table, spatial=False, write=False)
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
            panel=table,
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
    assert f"×{shown}" in section
    assert ltsa in section
    assert section.count("data:image/png;base64,") == len(evaluations)
    assert "local_regulation" in skipped  # Lembata, the only one, has had it since 2015
    assert ("tidak dievaluasi" if lang == "id" else "not evaluated") in section
    assert ("Sepertiga teratas" if lang == "id" else "Top third without it") in section


def _english_labels_in(text: str) -> list[str]:
    """English strings of the label table (that differ from their Indonesian) in ``text``."""
    from migration_ntt.labels import LABELS

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


def _text(page: str) -> str:
    import html

    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<img[^>]*>", " ", page)))


def test_brief_for_a_five_minute_reader(enforcement_briefs):
    briefs, _evaluations, _skipped = enforcement_briefs
    english = _text(briefs["en"])
    # The split the sources give (BP3MI NTT via Pos Kupang, 5 Mar 2025: 117 of 123 bodies
    # repatriated in 2024 were non-procedural).
    assert "117 of 123 in 2024" in english
    assert "117 dari 123 pada 2024" in _text(briefs["id"])
    # Per-head rates mix volume and risk: placements come from Sumba and Kabupaten Kupang,
    # troubled returnees from Flores Timur (47 of 156 in Jan–Jun 2024).
    volume = english[english.index("A rate per head mixes") :].split("\n")[0]
    assert "Sumba Barat Daya" in volume
    assert "Kabupaten Kupang" in volume
    assert volume.index("Flores Timur") > volume.index("troubled returnees")
    # A prevention section follows the findings, before the detail.
    for lang, heading in (("en", "What this means for prevention"), ("id", "Apa artinya")):
        assert briefs[lang].index(heading) < briefs[lang].index("<table>")
    # One sample description: the regency count is 22 everywhere, never 20.
    assert not re.search(r"\b20 (regencies|kabupaten)", english)


def test_brief_says_how_each_report_was_read(enforcement_briefs):
    briefs, _evaluations, _skipped = enforcement_briefs
    english = _text(briefs["en"])
    # 2024: the by-regency list sums to the stated 122 → complete; 2023 names four
    # regencies of a stated 100 → top-N; 2022 leaves 27 of 95 unplaced → partial.
    line = english[english.index("Completeness of each year") :].split("\n")[0]
    complete, top_n, partial = (
        line.split(": complete")[0],
        line.split(": top-N")[0],
        line.split(": partial")[0],
    )
    assert "2024" in complete.split(";")[-1]
    assert "2023" in top_n.split(";")[-1]
    assert "2022" in partial.split(";")[-1]
    # Rates estimated with a censored year carry the mark and its note.
    assert re.search(r"\d\.\d\*", english)
    assert "censored Poisson likelihood" in english


def test_brief_sources_have_titles_and_dates_not_bare_links(enforcement_briefs):
    briefs, _evaluations, _skipped = enforcement_briefs
    for lang, word in (("en", "period"), ("id", "periode")):
        page = briefs[lang]
        sources = page[page.index('<ol class="sources">') :]
        items = re.findall(r"<li>(.*?)</li>", sources, flags=re.S)
        assert len(items) >= 5
        for item in items[:-1]:  # the last is the boundary data
            title = item.split("<br>")[0]
            assert not title.startswith("http")
            assert word in title
            assert re.search(r"\d{1,2} \w{3}[^\d]*\d{4}", title)  # a dated period
        assert not re.search(r'(src|href)="https?://', page)


def test_pdf_without_chromium_says_how_to_get_one(outputs, monkeypatch, module_home):
    import shutil

    from migration_ntt import config

    monkeypatch.setattr(shutil, "which", lambda name: None)
    brief = config.reports_dir() / "brief_pmi_deaths_abroad_en.html"
    with pytest.raises(FileNotFoundError, match="apt-get install chromium"):
        report.to_pdf(brief)
    with pytest.raises(FileNotFoundError, match="brief not found"):
        report.to_pdf(brief.with_name("absent.html"))
