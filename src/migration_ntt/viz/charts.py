"""Charts: IRR forest plot, observed vs expected, residual map, coverage heatmap.

Every function takes **tables** (DataFrames) and returns a matplotlib Figure; none knows
about model objects (``models`` builds the tables: :func:`migration_ntt.models.model_table`,
:func:`~migration_ntt.models.observed_expected`, :func:`~migration_ntt.models.residual_table`).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from migration_ntt.viz import charts
>>> table = pd.DataFrame({"model": ["2024"], "term": ["Poverty rate (%)"], "irr": [0.8],
...                       "ci_low": [0.6], "ci_high": [1.1]})
>>> fig = charts.coefficient_plot(table, "en", title="Cases: associated factors",
...                               unit="cases", source="test")
>>> fig.axes[0].get_title(loc="left")
'Cases: associated factors'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt.viz import style
from migration_ntt.viz.labels import check_language, format_number, label

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure


def coefficient_plot(
    table: pd.DataFrame,
    lang: str = "id",
    *,
    title: str,
    unit: str,
    per_sd: bool = True,
    caveat: str = "",
    source: str = "",
    synthetic: bool = False,
) -> Figure:
    """IRR forest plot (log scale): one row per term, one marker per model, 95% CI.

    ``table`` has ``model, term, irr, ci_low, ci_high`` (as :func:`models.model_table`).
    ``unit`` is the plural noun of the count ("deaths", "kasus") for the axis label.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    check_language(lang)
    style.apply()
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
    per = (" (per SD)" if lang == "en" else " (per simpangan baku)") if per_sd else ""
    ax.set_xlabel(label("irr_axis", lang) + per)
    ax.set_title(title, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    style.stamp(fig, lang, source=source, title=title, parts=[caveat], synthetic=synthetic)
    return fig


def observed_vs_expected(
    table: pd.DataFrame,
    lang: str = "id",
    *,
    title: str,
    caveat: str = "",
    source: str = "",
    synthetic: bool = False,
    n_labels: int = 4,
) -> Figure:
    """Observed against model-expected counts (log–log), one point per observation.

    ``table`` has ``name, year, observed, expected`` (:func:`models.observed_expected`); the
    ``n_labels`` points furthest from the diagonal are named.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    check_language(lang)
    style.apply()
    observed = table["observed"].to_numpy(dtype=float)
    expected = table["expected"].to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=style.FIGURE_SIZES["a4_half"])
    ax.scatter(expected + 0.5, observed + 0.5, s=18, color="#2166ac")
    limit = max(observed.max(), expected.max()) + 2
    ax.plot([0.5, limit], [0.5, limit], color="#404040", lw=0.8, ls="--")
    ax.set_xscale("log")
    ax.set_yscale("log")
    plain = FuncFormatter(lambda value, _: format_number(value, lang, 0 if value >= 1 else 1))
    ax.xaxis.set_major_formatter(plain)
    ax.yaxis.set_major_formatter(plain)
    ax.set_xlabel(f"{label('expected', lang)} (+0,5)" if lang == "id" else "Expected (+0.5)")
    ax.set_ylabel(f"{label('observed', lang)} (+0,5)" if lang == "id" else "Observed (+0.5)")
    ax.set_title(title, loc="left")
    names = table["name"].astype(str).str.replace("Kabupaten ", "", regex=False)
    worst = np.argsort(-np.abs(np.log((observed + 0.5) / (expected + 0.5))))[:n_labels]
    for rank, i in enumerate(worst):
        ax.annotate(
            f"{names.iloc[i]} {table['year'].iloc[i]}",
            (expected[i] + 0.5, observed[i] + 0.5),
            fontsize=7,
            xytext=(6, -6 - 11 * rank),
            textcoords="offset points",
        )
    fig.subplots_adjust(bottom=0.2)
    style.stamp(fig, lang, source=source, title=title, parts=[caveat], synthetic=synthetic)
    return fig


def residual_map(
    shapes: gpd.GeoDataFrame,
    lang: str = "id",
    *,
    title: str,
    notes: Sequence[str] = (),
    period: str = "",
    source: str = "",
    synthetic: bool = False,
) -> Figure:
    """Map of the ``residual`` column (mean Pearson residual per unit, diverging classes)."""
    from migration_ntt.viz import maps

    check_language(lang)
    return maps.choropleth(
        shapes,
        "residual",
        lang=lang,
        title=title,
        scheme="user",
        bins=[-2, -1, 0, 1, 2],
        cmap=style.DIVERGING,
        legend_title=label("residual", lang),
        source=source,
        period=period,
        notes=[note for note in notes if note],
        synthetic=synthetic,
    )


def coverage_heatmap(
    panel: pd.DataFrame,
    count: str,
    lang: str = "id",
    *,
    title: str,
    source: str = "",
    synthetic: bool = False,
) -> Figure:
    """Regency × year grid of a count: the value in each cell, blank where it is missing.

    The column labels give each year's coverage (part of the year the report or register
    covers). Shows at a glance which regency-years a published tally names and which a
    case register fills with zeros.
    """
    import matplotlib.pyplot as plt
    from matplotlib import colormaps

    check_language(lang)
    style.apply()
    grid = panel.pivot_table(index="name", columns="year", values=count, aggfunc="first")
    names = panel.drop_duplicates("bps_code").set_index("bps_code")["name"]
    order = [names[code] for code in sorted(names.index)]
    grid = grid.reindex(index=order, columns=sorted(panel["year"].unique()))
    coverage = panel.groupby("year")[f"{count}_coverage"].first()
    values = grid.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(style.FIGURE_SIZES["a4"][0], 0.28 * len(order) + 1.8))
    cmap = colormaps[style.SEQUENTIAL].copy()
    cmap.set_bad("white")
    shown = np.ma.masked_invalid(values)
    ax.imshow(shown, aspect="auto", cmap=cmap, interpolation="none")
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    for (row, column), value in np.ndenumerate(values):
        if np.isnan(value):
            ax.text(column, row, "·", ha="center", va="center", color="#999999", fontsize=7)
            continue
        ax.text(
            column,
            row,
            format_number(value, lang, 0),
            ha="center",
            va="center",
            fontsize=6.5,
            color="white" if value > 0.6 * top else "black",
        )
    year_labels = [
        f"{year}\n{format_number(100 * coverage.get(year, np.nan), lang, 0)}%"
        if pd.notna(coverage.get(year, np.nan))
        else f"{year}\n–"
        for year in grid.columns
    ]
    ax.set_xticks(range(len(grid.columns)), year_labels, fontsize=7)
    ax.set_yticks(range(len(order)), [n.replace("Kabupaten ", "") for n in order], fontsize=7)
    ax.xaxis.tick_top()
    ax.set_title(title, loc="left", pad=28)
    note = {
        "id": "Angka: jumlah; ·: tidak ada nilai; persen di bawah tahun: bagian tahun yang dicakup",
        "en": "Numbers: counts; ·: no value; percent under the year: part of the year covered",
    }[lang]
    style.stamp(fig, lang, source=source, title=title, parts=[note], synthetic=synthetic)
    fig.subplots_adjust(left=0.22, right=0.98, bottom=0.08)
    return fig
