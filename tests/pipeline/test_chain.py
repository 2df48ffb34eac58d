"""The whole chain on the user's own case records: panel → hotspots → models → figures → brief."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

from migration_ntt import analysis, labels, models, panel
from migration_ntt.ingest import records, synthetic


@pytest.fixture(scope="module")
def cleaned():
    messy, _ = synthetic.generate_records(2500, seed=8, messiness=0.3)
    return records.clean_records(messy, secret="chain")


@pytest.fixture(scope="module")
def chain(cleaned, module_home):
    table = panel.build_panel(
        records=cleaned, select={"procedural": "non_prosedural"}, name="np_cases"
    )
    return analysis.run_chain(
        table, count="np_cases", permutations=99, formats=("png",), spatial_diagnostics=False
    )


def _titles(figures) -> list[str]:
    out = []
    for figure in figures.values():
        if figure._suptitle is not None:  # small multiples: panels are titled by year
            out.append(figure._suptitle.get_text())
        else:
            out += [ax.get_title(loc="left") for ax in figure.axes if ax.get_title(loc="left")]
        plt.close(figure)
    return out


def test_chain_runs_on_records_and_writes_every_output(chain):
    assert chain.hotspots.count == "np_cases"
    assert chain.hotspots.source_kind == "records"
    assert chain.models[-1].outcome == "np_cases"
    assert chain.models[-1].n == 22 * chain.panel["year"].nunique()  # zeros included
    names = {p.name for p in chain.figures}
    for lang in ("id", "en"):
        for stem in ("rate_pooled", "rate_eb", "lisa", "hotspots_gi", "models_forest"):
            assert f"np_cases_{stem}_{lang}.png" in names
        assert f"np_cases_map_{lang}.html" in names
    assert [p.name for p in chain.briefs] == ["brief_np_cases_id.html", "brief_np_cases_en.html"]
    assert any(p.name == "models_np_cases_irr_en.md" for p in chain.tables)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_brief_names_the_count_and_says_synthetic(chain, lang):
    html = chain.briefs[["id", "en"].index(lang)].read_text()
    assert chain.hotspots.label(lang) in html
    assert labels.label("synthetic_mark", lang).split()[0] in html.upper()
    assert ("catatan kasus" if lang == "id" else "case records") in html
    assert "kompas.com" not in html  # press sources of the death tallies are not this count's


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_title_carries_the_counts_label(chain, lang):
    name = chain.hotspots.label(lang)
    maps = analysis.hotspot_maps(chain.hotspots, lang)
    charts = analysis.model_charts(chain.models, lang, panel=chain.panel)
    titles = _titles(maps) + _titles(charts)
    assert len(titles) == 9  # 5 maps, 2 forest plots (staff, researcher), 2 model charts
    assert all(name in title for title in titles), titles


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_trafficking_map_is_never_titled_deaths(cleaned, lang):
    table = panel.build_panel(
        records=cleaned, select={"event_type": "trafficking_victim"}, name="tk", write=False
    )
    result = analysis.run_hotspots(table, count="tk", permutations=99, write=False)
    assert result.label("en") == "Trafficking victims (case records)"
    titles = _titles(analysis.hotspot_maps(result, lang))
    assert titles
    death_words = re.compile(r"death|kematian|meninggal", re.IGNORECASE)
    assert not any(death_words.search(title) for title in titles)
    assert all(result.label(lang) in title for title in titles)


def test_figures_from_synthetic_records_carry_the_mark(chain):
    figures = analysis.hotspot_maps(chain.hotspots, "en", only=["rate_pooled"])
    figures |= analysis.model_charts(chain.models, "en", panel=chain.panel)
    for figure in figures.values():
        assert "SYNTHETIC DATA" in [t.get_text() for t in figure.texts]
        credit = next(t.get_text() for t in figure.texts if t.get_gid() == "credit")
        assert "case records" in credit
        plt.close(figure)


def test_any_count_column_of_the_published_panel_works():
    table = panel.build_panel(write=False)
    with pytest.raises(ValueError, match="count columns: pmi_deaths_abroad"):
        analysis.run_hotspots(table, count="no_such_count", permutations=99, write=False)
    result = analysis.run_hotspots(table, count="pmi_deaths_abroad", permutations=99, write=False)
    assert result.source_kind == "published"
    fitted = models.default_models(table, outcome="pmi_deaths_abroad")
    assert fitted[-1].name.startswith("pooled")
    with pytest.raises(ValueError, match="too little to model"):
        models.default_models(table, outcome="tppo_suspects")
