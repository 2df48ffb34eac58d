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

from migration_ntt.labels import check_language, format_number, label, regency_name_in_text
from migration_ntt.viz import maps, style

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
    audience: str = "staff",
) -> Figure:
    """IRR forest plot (log scale): one row per term, one marker per model, 95% CI.

    ``audience="staff"`` (default) labels the axis in plain words ("← fewer deaths per
    head · more deaths per head →", ticks as "×2") and says in one line what × means;
    ``"researcher"`` keeps the glossary terms (IRR, 95% CI, per SD).

    ``table`` has ``model, term, irr, ci_low, ci_high`` (as :func:`models.model_table`);
    with a ``group`` column the terms are shown under their group (economy, education,
    health, …); with ``per`` = "yes vs no" a term is a programme (IRR with vs without).
    Rows without an IRR (not estimable) are named in a line under the chart.
    ``unit`` is the plural noun of the count ("deaths", "kasus") for the axis label.
    """
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    check_language(lang)
    style.apply()
    skipped = table[table["irr"].isna()]
    table = table[table["irr"].notna()]
    binary = set(
        table.loc[table.get("per", pd.Series("", index=table.index)) == "yes vs no", "term"]
    )
    rows: list[tuple[str, str]] = []  # (kind, text): group headings and terms, top to bottom
    for group, part in (
        table.groupby("group", sort=False) if "group" in table.columns else [(None, table)]
    ):
        if group is not None:
            rows.append(("group", str(group)))
        rows += [("term", t) for t in dict.fromkeys(part["term"]) if ("term", t) not in rows]
    position = {text: i for i, (kind, text) in enumerate(rows) if kind == "term"}
    models = list(dict.fromkeys(table["model"]))
    fig, ax = plt.subplots(figsize=(style.FIGURE_SIZES["a4"][0], 0.5 * len(rows) * 1.5 + 2.0))
    offsets = np.linspace(-0.25, 0.25, len(models)) if len(models) > 1 else [0.0]
    colours = plt.get_cmap("tab10")
    for number, model in enumerate(models):
        part = table[table["model"] == model]
        y = np.array([position[t] for t in part["term"]]) + offsets[number]
        ax.errorbar(
            part["irr"],
            y,
            xerr=[part["irr"] - part["ci_low"], part["ci_high"] - part["irr"]],
            fmt="o",
            color=colours(number),
            capsize=2,
            label=model,
            markersize=4,
        )
    ax.axvline(1.0, color="#404040", lw=0.8, ls="--")
    ax.set_xscale("log")
    ticks = [0.125, 0.25, 0.5, 1, 2, 4, 8, 16]
    low, high = table["ci_low"].min(), table["ci_high"].max()
    ax.xaxis.set_major_locator(FixedLocator([t for t in ticks if low / 1.5 <= t <= high * 1.5]))
    ax.xaxis.set_minor_locator(NullLocator())
    if audience not in ("staff", "researcher"):
        raise ValueError(f"audience must be 'staff' or 'researcher', got {audience!r}")
    prefix = "×" if audience == "staff" else ""
    ax.xaxis.set_major_formatter(
        FuncFormatter(
            lambda value, _: (
                prefix + format_number(value, lang, 2 if value < 0.5 else 1 if value < 1 else 0)
            )
        )
    )
    yes_no = " (ada vs tidak)" if lang == "id" else " (yes vs no)"
    names = [
        text if kind == "group" else ("   " + text + (yes_no if text in binary else ""))
        for kind, text in rows
    ]
    ax.set_yticks(range(len(rows)), names)
    for tick, (kind, _) in zip(ax.get_yticklabels(), rows, strict=True):
        if kind == "group":
            tick.set_fontweight("bold")
    ax.set_ylim(len(rows) - 0.5, -0.7)
    if audience == "staff":
        note = label("effect_axis_note_sd" if per_sd else "effect_axis_note", lang)
        ax.set_xlabel(f"{label('effect_axis', lang, unit=unit)}\n{note}")
    else:
        per = (" (per SD)" if lang == "en" else " (per simpangan baku)") if per_sd else ""
        ax.set_xlabel(label("irr_axis", lang) + per)
    ax.set_title(title, loc="left")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    parts = [caveat]
    if len(skipped):
        listed = ", ".join(dict.fromkeys(skipped["term"]))
        parts.append(
            f"{label('not_estimable', lang)}: {listed}"
            + (" (lihat tabel model)" if lang == "id" else " (see the model table)")
        )
    style.stamp(fig, lang, source=source, title=title, parts=parts, synthetic=synthetic)
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
    names = table["name"].map(regency_name_in_text)
    # The points furthest from the model in Pearson terms, (observed − expected) / √expected.
    pearson = (observed - expected) / np.sqrt(np.maximum(expected, 1e-9))
    worst = np.argsort(-np.abs(pearson))[:n_labels]
    # Labels stack in the empty corners (more than expected: top left, above the diagonal;
    # fewer: bottom right, below it), each tied to its point by a leader line.
    stacks = {True: 0, False: 0}
    for i in sorted(worst, key=lambda j: -pearson[j]):
        above = bool(observed[i] > expected[i])
        slot = stacks[above]
        stacks[above] += 1
        position = (0.03, 0.94 - 0.085 * slot) if above else (0.97, 0.06 + 0.085 * slot)
        ax.annotate(
            f"{names.iloc[i]} {table['year'].iloc[i]}",
            (expected[i] + 0.5, observed[i] + 0.5),
            xytext=position,
            textcoords="axes fraction",
            fontsize=7,
            ha="left" if above else "right",
            va="center",
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none"},
            arrowprops={"arrowstyle": "-", "lw": 0.6, "color": "#555555", "shrinkA": 0,
                        "shrinkB": 2},
        )  # fmt: skip
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


def event_study_plot(
    table: pd.DataFrame,
    lang: str = "id",
    *,
    title: str,
    source: str = "",
    caveat: str = "",
    synthetic: bool = False,
    limit: float = 16.0,
) -> Figure:
    """IRR by years since adoption (log scale) with 95 % intervals; the year before
    adoption is the reference (IRR 1). ``table`` has ``event_time, label, irr, ci_low,
    ci_high, regencies`` (:attr:`migration_ntt.evaluation.ProgrammeEvaluation.event_time`).
    Intervals beyond ``1/limit``–``limit`` end in an arrow; event times without data are
    marked "no data"."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    check_language(lang)
    style.apply()
    fig, ax = plt.subplots(figsize=style.FIGURE_SIZES["a4_half"])
    fig.subplots_adjust(bottom=0.3, top=0.88)  # two-line ticks, axis label, credit line
    x = np.arange(len(table))
    shown = table["irr"].notna().to_numpy()
    low = table["ci_low"].clip(lower=1 / limit, upper=limit).to_numpy()
    high = table["ci_high"].clip(lower=1 / limit, upper=limit).to_numpy()
    irr = table["irr"].clip(lower=1 / limit, upper=limit).to_numpy()
    before = (table["event_time"] < 0).to_numpy()
    for mask, colour in ((before & shown, "#7f7f7f"), (~before & shown, "#2166ac")):
        ax.errorbar(
            x[mask],
            irr[mask],
            yerr=[np.nan_to_num(irr[mask] - low[mask]), np.nan_to_num(high[mask] - irr[mask])],
            fmt="o",
            color=colour,
            capsize=3,
            markersize=5,
        )
    for i in np.flatnonzero(shown):
        for bound, raw, marker in ((high, table["ci_high"], "^"), (low, table["ci_low"], "v")):
            value = raw.iloc[i]
            if pd.notna(value) and (value > limit or value < 1 / limit):
                ax.plot(x[i], bound[i], marker=marker, color="#404040", markersize=5)
    for i in np.flatnonzero(~shown):
        ax.text(x[i], 1.0, label("no_data", lang), rotation=90, ha="center", va="center",
                fontsize=style.FONT_SIZES["credit"], color="#7f7f7f")  # fmt: skip
    ax.axhline(1.0, color="#404040", lw=0.8, ls="--")
    reference = int(np.flatnonzero(table["event_time"].to_numpy() == -1)[0])
    ax.axvline(reference + 0.5, color="#bdbdbd", lw=0.8)
    ax.set_yscale("log")
    ticks = [0.0625, 0.125, 0.25, 0.5, 1, 2, 4, 8, 16]
    ax.yaxis.set_major_locator(FixedLocator([t for t in ticks if 1 / limit <= t <= limit]))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(
        FuncFormatter(lambda value, _: format_number(value, lang, 2 if value < 1 else 0))
    )
    ax.set_ylim(1 / limit / 1.3, limit * 1.3)
    ax.set_xlim(-0.6, len(table) - 0.4)
    ax.set_xticks(x, [f"{t}\n(n={n})" for t, n in zip(table["label"], table["regencies"],
                                                      strict=True)])  # fmt: skip
    ax.set_xlabel(label("event_time_axis", lang))
    ax.set_ylabel(label("irr_axis", lang))
    ax.set_title(title, loc="left")
    style.stamp(fig, lang, source=source, title=title, parts=[caveat], synthetic=synthetic)
    return fig
