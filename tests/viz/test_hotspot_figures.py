"""Every figure states one unit, and rate maps keep the highest value apart."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from migration_ntt import analysis, models, panel
from migration_ntt.labels import LABELS

PER = re.compile(r"per 100[.,]000 ([\w-]+)")


def _unit_words() -> set[str]:
    """The unit words the label table uses after "per 100,000" (both languages)."""
    return {m for v in LABELS.values() for text in v.values() for m in PER.findall(text)}


def _units_in(texts: list[str]) -> set[str]:
    return {m for text in texts for m in PER.findall(text)}


def _figure_texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(plt.Text) if t.get_text()]


def test_the_checker_catches_the_reported_mismatch():
    # The title said "per 100.000 penduduk", the legend "penduduk-tahun" (issue 14).
    assert {"penduduk-tahun", "person-years"} <= _unit_words()
    assert len(_units_in(["Kematian per 100.000 penduduk", "per 100.000 penduduk-tahun"])) == 2


@pytest.fixture(scope="module")
def chain(module_home):
    table = panel.build_panel(write=False)
    hotspots = analysis.run_hotspots(table, permutations=99, write=False)
    results = models.default_models(table)
    return table, hotspots, results


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_figure_names_one_unit(chain, lang):
    table, hotspots, results = chain
    figures = {
        **analysis.hotspot_maps(hotspots, lang),
        **analysis.model_charts(results, lang, panel=table),
    }
    checked = 0
    for name, figure in figures.items():
        units = _units_in(_figure_texts(figure))
        assert len(units) <= 1, (name, units)
        checked += bool(units)
        plt.close(figure)
    assert checked >= 3  # the rate maps do state a unit


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rate_maps_keep_the_top_value_apart_from_half_its_size(chain, lang):
    _table, hotspots, _results = chain
    rates = hotspots.rates
    values = {
        "rate_pooled": rates.loc[rates["period"] == "pooled", "rate"],
        "rate_eb": rates.loc[rates["period"] == "pooled", "eb_spatial"],
        "rate_by_year": rates.loc[rates["period"] != "pooled", "rate"],
    }
    for name, shown in values.items():
        figure = analysis.hotspot_maps(hotspots, lang, only=[name])[name]
        legend = [ax.get_legend() for ax in figure.axes if ax.get_legend()] + figure.legends
        legend = legend[0]
        classes = [t.get_text() for t in legend.get_texts() if re.match(r"^>?\d", t.get_text())]
        number = re.findall(r"\d[\d.,]*", classes[-1])[0]  # the top class's lower break
        low = float(number.replace(".", "").replace(",", ".") if lang == "id" else number)
        top_class = shown[shown > low + 1e-9]
        assert top_class.min() >= shown.max() / 2, (name, classes[-1], sorted(top_class))
        plt.close(figure)


def test_regency_names_on_single_maps_not_on_small_multiples(chain):
    _table, hotspots, _results = chain
    counts = {}
    for name, figure in analysis.hotspot_maps(hotspots, "id").items():
        texts = [t for ax in figure.axes for t in ax.texts if t.get_gid() == "regency_name"]
        counts[name] = len(texts)
        plt.close(figure)
    assert counts.pop("rate_by_year") == 0  # 7 panels × 22 names would not be readable
    assert set(counts.values()) == {22}
