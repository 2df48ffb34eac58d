"""Charts for the factor models: IRR forest plot, observed vs expected, residual map.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from migration_ntt.viz import charts
>>> callable(charts.coefficient_plot)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from migration_ntt.viz import style
from migration_ntt.viz.labels import check_language, label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from migration_ntt.models import CountModelResult

SOURCE = "BP3MI/BP2MI NTT (press reports); BPS (Susenas, Sakernas, IPM, PDRB, population)"


def _credit(fig: Figure, lang: str, text: str, title: str) -> None:
    style.stamp(fig, lang, source=SOURCE, title=title, parts=[text])


def coefficient_plot(results: Sequence[CountModelResult], lang: str = "id") -> Figure:
    """IRR forest plot (log scale) of every covariate in every model, with 95% CI."""
    import matplotlib.pyplot as plt

    from migration_ntt.models import model_table

    check_language(lang)
    style.apply()
    table = model_table(results, lang)
    terms = list(dict.fromkeys(table["term"]))
    models = list(dict.fromkeys(table["model"]))
    fig, ax = plt.subplots(figsize=(style.FIGURE_SIZES["a4"][0], 0.55 * len(terms) * 1.6 + 1.6))
    offsets = np.linspace(-0.3, 0.3, len(models)) if len(models) > 1 else [0.0]
    colours = plt.get_cmap("tab10")
    for position, model in enumerate(models):
        part = table[table["model"] == model]
        y = np.array([terms.index(t) for t in part["term"]]) + offsets[position]
        ax.errorbar(
            part["irr"],
            y,
            xerr=[part["irr"] - part["ci_low"], part["ci_high"] - part["irr"]],
            fmt="o",
            color=colours(position),
            capsize=2,
            label=model,
            markersize=4,
        )
    ax.axvline(1.0, color="#404040", lw=0.8, ls="--")
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    from migration_ntt.viz.labels import format_number

    ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8]
    low, high = table["ci_low"].min(), table["ci_high"].max()
    ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if low / 1.5 <= t <= high * 1.5]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _: format_number(value, lang, 2 if value < 0.5 else 1 if value < 1 else 0)
        )
    )
    ax.set_yticks(range(len(terms)), terms)
    ax.invert_yaxis()
    per = " (per SD)" if lang == "en" else " (per simpangan baku)"
    ax.set_xlabel(label("irr_axis", lang) + (per if results[0].standardised else ""))
    ax.set_title(label("coefficient_title", lang), loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    _credit(fig, lang, label("caveat", lang), label("coefficient_title", lang))
    return fig


def observed_vs_expected(result: CountModelResult, lang: str = "id") -> Figure:
    """Observed counts against model-expected counts (log–log), one point per observation."""
    import matplotlib.pyplot as plt

    check_language(lang)
    style.apply()
    observed = result.data[result.outcome].to_numpy(dtype=float)
    expected = result.expected_counts()
    fig, ax = plt.subplots(figsize=style.FIGURE_SIZES["a4_half"])
    ax.scatter(expected + 0.5, observed + 0.5, s=18, color="#2166ac")
    limit = max(observed.max(), expected.max()) + 2
    ax.plot([0.5, limit], [0.5, limit], color="#404040", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    from matplotlib.ticker import FuncFormatter

    from migration_ntt.viz.labels import format_number

    plain = FuncFormatter(lambda value, _: format_number(value, lang, 0 if value >= 1 else 1))
    ax.xaxis.set_major_formatter(plain)
    ax.yaxis.set_major_formatter(plain)
    ax.set_xlabel(f"{label('expected', lang)} (+0.5)")
    ax.set_ylabel(f"{label('observed', lang)} (+0.5)")
    from migration_ntt.models import _model_name

    ax.set_title(
        f"{label('observed_vs_expected_title', lang)} — {_model_name(result.name, lang)}",
        loc="left",
    )
    names = result.data.get("name", result.data["bps_code"]).astype(str)
    worst = np.argsort(-np.abs(np.log((observed + 0.5) / (expected + 0.5))))[:4]
    for rank, i in enumerate(worst):
        ax.annotate(
            f"{names.iloc[i].replace('Kabupaten ', '')} {result.data['year'].iloc[i]}",
            (expected[i] + 0.5, observed[i] + 0.5),
            fontsize=7,
            xytext=(6, -6 - 11 * rank),
            textcoords="offset points",
        )
    fig.subplots_adjust(bottom=0.2)
    _credit(fig, lang, result.caveat(lang), label("observed_vs_expected_title", lang))
    return fig


def residual_map(result: CountModelResult, lang: str = "id") -> Figure:
    """Map of mean Pearson residuals per regency (diverging classes, user breaks)."""
    from migration_ntt.ingest import boundaries
    from migration_ntt.models import pearson_residuals
    from migration_ntt.viz import maps

    check_language(lang)
    residuals = (
        result.data.assign(residual=pearson_residuals(result))
        .groupby("bps_code")["residual"]
        .mean()
        .reset_index()
    )
    shapes = boundaries.load_boundaries().merge(residuals, on="bps_code", how="left")
    moran = result.residual_moran
    note = ""
    if moran:
        note = f"Moran's I = {moran['moran_i']:.2f}, p = {moran['p_sim']:.2f}"
    from migration_ntt.models import _model_name

    return maps.choropleth(
        shapes,
        "residual",
        lang=lang,
        title=f"{label('residual_map_title', lang)} — {_model_name(result.name, lang)}",
        scheme="user",
        bins=[-2, -1, 0, 1, 2],
        cmap=style.DIVERGING,
        legend_title=label("residual", lang),
        source=SOURCE,
        period=", ".join(map(str, result.years)),
        notes=[note, label("caveat", lang)],
    )
