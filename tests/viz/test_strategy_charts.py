"""Strategy figures: an illustrative workshop says so in both languages."""

from __future__ import annotations

from migration_ntt import strategy


def test_figures_of_an_illustrative_workshop_say_so_in_both_languages(workshop):
    import matplotlib.pyplot as plt

    from migration_ntt.viz import strategy_charts

    example = strategy.read_workshop(strategy.ILLUSTRATIVE)
    result = strategy.monte_carlo(example, draws=100, seed=1)
    for lang, word in (("en", "ILLUSTRATIVE"), ("id", "ILUSTRASI")):
        figures = [
            strategy_charts.ie_figure(2.3, 1.9, lang, points=result.ie_points, illustrative=True),
            strategy_charts.space_figure(strategy.space(example.space), lang, illustrative=True),
            strategy_charts.qspm_figure(result.ranking, lang, illustrative=True),
        ]
        for figure in figures:
            assert word in [t.get_text() for t in figure.texts if t.get_gid() == "mark"]
            plt.close(figure)
    own = strategy_charts.space_figure(strategy.space(workshop.space), "en")
    assert not [t for t in own.texts if t.get_gid() == "mark"]
    plt.close(own)


def test_the_credit_names_the_workshop_once():
    import re

    import matplotlib.pyplot as plt

    from migration_ntt.viz import strategy_charts

    example = strategy.read_workshop(strategy.ILLUSTRATIVE)
    position = strategy.space(example.space)
    for lang in ("en", "id"):
        for source in ("workshop", "lokakarya", example.source_name):
            figure = strategy_charts.space_figure(position, lang, source=source)
            credit = " ".join(t.get_text() for t in figure.texts if t.get_gid() == "credit")
            assert not re.search(r"\b(\w{3,})\s+\1\b", credit, flags=re.IGNORECASE), credit
            plt.close(figure)
    assert strategy_charts.workshop_credit(example.source_name, "id") == (
        f"lokakarya {example.source_name}"
    )
