"""Figures of the strategy matrices (:mod:`migration_ntt.strategy`): the IE matrix with
its Monte Carlo cloud, the SPACE diagram and the QSPM ranking with rank probabilities.
Every figure made from an illustrative workshop carries an "ILLUSTRATIVE" mark.

Examples
--------
>>> from migration_ntt import strategy
>>> from migration_ntt.viz import strategy_charts
>>> workshop = strategy.read_workshop(strategy.ILLUSTRATIVE)
>>> fig = strategy_charts.space_figure(strategy.space(workshop.space), "en", illustrative=True)
>>> fig.axes[0].get_xlabel()
'Competitive advantage + industry strength'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from migration_ntt.labels import check_language, format_number
from migration_ntt.strategy import IE_CELLS, IE_READINGS, READING_LABELS, SPACE_QUADRANTS, ie_cell
from migration_ntt.viz import style

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

TEXT = {
    "en": {
        "ie_title": "Internal–external (IE) matrix",
        "ife": "IFE total (internal: strong ← → weak)",
        "efe": "EFE total (external response: high ↑ low ↓)",
        "cloud": "{draws} Monte Carlo draws",
        "pooled": "pooled judgement",
        "share": "; cell {cell} in {share} of draws",
        "space_title": "SPACE: strategic position",
        "space_x": "Competitive advantage + industry strength",
        "space_y": "Financial strength + environmental stability",
        "qspm_title": "QSPM: total attractiveness of each strategy",
        "tas": "Total attractiveness score\n(line: 5–95 % of draws)",
        "first": "Chance of ranking first",
        "not_distinguishable": "not distinguishable from the next",
        "mark": "ILLUSTRATIVE",
        "source": "workshop {source}",
    },
    "id": {
        "ie_title": "Matriks internal–eksternal (IE)",
        "ife": "Total IFE (internal: kuat ← → lemah)",
        "efe": "Total EFE (respons eksternal: tinggi ↑ rendah ↓)",
        "cloud": "{draws} undian Monte Carlo",
        "pooled": "penilaian gabungan",
        "share": "; sel {cell} pada {share} undian",
        "space_title": "SPACE: posisi strategis",
        "space_x": "Keunggulan bersaing + kekuatan industri",
        "space_y": "Kekuatan keuangan + stabilitas lingkungan",
        "qspm_title": "QSPM: total daya tarik tiap strategi",
        "tas": "Total nilai daya tarik\n(garis: 5–95 % undian)",
        "first": "Peluang jadi peringkat\npertama",
        "not_distinguishable": "tidak dapat dibedakan dari berikutnya",
        "mark": "ILUSTRASI",
        "source": "lokakarya {source}",
    },
}
READING_COLOURS = {
    "grow_and_build": "#d9f0d3",
    "hold_and_maintain": "#fff7bc",
    "harvest_or_divest": "#fddbc7",
}


def _signed(value: float, lang: str) -> str:
    """A coordinate with a true minus sign: "−2,00"."""
    return format_number(value, lang, 2).replace("-", "−")


def workshop_credit(source: str, lang: str) -> str:
    """The credit's source: "workshop lokakarya_2025.xlsx"; a source that already names
    the workshop ("workshop", "Lokakarya BP3MI") is not prefixed again.

    Examples
    --------
    >>> workshop_credit("kupang.xlsx", "en"), workshop_credit("workshop", "en")
    ('workshop kupang.xlsx', 'workshop')
    """
    word = TEXT[lang]["source"].split()[0]
    if not source or source.split()[0].lower() in {"workshop", "lokakarya"}:
        return source or word
    return TEXT[lang]["source"].format(source=source)


def _finish(fig: Figure, lang: str, source: str, title: str, illustrative: bool) -> None:
    style.stamp(
        fig,
        lang,
        source=workshop_credit(source, lang),
        title=title,
        mark=TEXT[lang]["mark"] if illustrative else None,
    )


def ie_figure(
    ife_total: float,
    efe_total: float,
    lang: str = "id",
    *,
    points: pd.DataFrame | None = None,
    cell_share: float | None = None,
    source: str = "",
    illustrative: bool = False,
) -> Figure:
    """The 3 × 3 IE matrix (IFE strong on the left, as David draws it), the pooled point
    and, with ``points`` (``ife, efe`` per Monte Carlo draw), the cloud of draws."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    check_language(lang)
    text = TEXT[lang]
    style.apply()
    fig, ax = plt.subplots(figsize=(6.5, 6.2))
    fig.subplots_adjust(bottom=0.2, top=0.9)
    edges = [(3.0, 4.0), (2.0, 3.0), (1.0, 2.0)]
    for row, (efe_low, efe_high) in enumerate(edges):
        for column, (ife_low, ife_high) in enumerate(edges):
            cell = IE_CELLS[row][column]
            reading = IE_READINGS[cell]
            ax.add_patch(
                Rectangle(
                    (ife_low, efe_low),
                    ife_high - ife_low,
                    efe_high - efe_low,
                    facecolor=READING_COLOURS[reading],
                    edgecolor="#666666",
                )
            )
            ax.text(
                (ife_low + ife_high) / 2,
                efe_high - 0.08,
                cell,
                ha="center",
                va="top",
                fontsize=11,
                weight="bold",
                color="#444444",
            )
            ax.text(
                (ife_low + ife_high) / 2,
                efe_low + 0.08,
                READING_LABELS[reading][lang],
                ha="center",
                va="bottom",
                fontsize=7,
                color="#555555",
            )
    if points is not None and len(points):
        ax.scatter(
            points["ife"],
            points["efe"],
            s=6,
            alpha=0.15,
            color="#2166ac",
            label=text["cloud"].format(draws=format_number(len(points), lang)),
        )
    ax.scatter(
        [ife_total],
        [efe_total],
        s=80,
        color="#b2182b",
        edgecolor="white",
        zorder=5,
        label=f"{text['pooled']} ({format_number(ife_total, lang, 2)}; "
        f"{format_number(efe_total, lang, 2)})"
        + (
            text["share"].format(
                cell=ie_cell(ife_total, efe_total)[0],
                share=format_number(100 * cell_share, lang) + " %",
            )
            if cell_share is not None
            else ""
        ),
    )
    ax.set_xlim(4.0, 1.0)
    ax.set_ylim(1.0, 4.0)
    ax.set_xticks([4.0, 3.0, 2.0, 1.0], [format_number(v, lang, 1) for v in (4.0, 3.0, 2.0, 1.0)])
    ax.set_yticks([1.0, 2.0, 3.0, 4.0], [format_number(v, lang, 1) for v in (1.0, 2.0, 3.0, 4.0)])
    ax.set_xlabel(text["ife"])
    ax.set_ylabel(text["efe"])
    ax.set_title(text["ie_title"], loc="left")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=1, frameon=False)
    _finish(fig, lang, source, text["ie_title"], illustrative)
    return fig


def space_figure(
    result: dict, lang: str = "id", *, source: str = "", illustrative: bool = False
) -> Figure:
    """The SPACE diagram: the four quadrants and the directional vector."""
    import matplotlib.pyplot as plt

    check_language(lang)
    text = TEXT[lang]
    style.apply()
    fig, ax = plt.subplots(figsize=(6.2, 6.2))
    fig.subplots_adjust(bottom=0.14, top=0.9)
    ax.axhline(0, color="#444444", lw=0.8)
    ax.axvline(0, color="#444444", lw=0.8)
    for (x, y), name in (
        ((3.5, 3.5), "aggressive"),
        ((-3.5, 3.5), "conservative"),
        ((-3.5, -3.5), "defensive"),
        ((3.5, -3.5), "competitive"),
    ):
        bold = name == result["quadrant"]
        ax.text(
            x,
            y,
            SPACE_QUADRANTS[name][lang],
            ha="center",
            va="center",
            fontsize=11,
            weight="bold" if bold else "normal",
            color="#b2182b" if bold else "#777777",
        )
    ax.annotate(
        "",
        xy=(result["x"], result["y"]),
        xytext=(0, 0),
        arrowprops={"arrowstyle": "-|>", "color": "#b2182b", "lw": 2},
    )
    ax.text(
        result["x"],
        result["y"],
        f"  ({_signed(result['x'], lang)}; {_signed(result['y'], lang)})",
        va="bottom",
        fontsize=9,
    )
    ax.set_xlim(-6, 6)
    ax.set_ylim(-6, 6)
    ax.set_xlabel(text["space_x"])
    ax.set_ylabel(text["space_y"])
    ax.set_title(text["space_title"], loc="left")
    ax.set_aspect("equal")
    _finish(fig, lang, source, text["space_title"], illustrative)
    return fig


def qspm_figure(
    ranking: pd.DataFrame, lang: str = "id", *, source: str = "", illustrative: bool = False
) -> Figure:
    """Two panels sharing the strategies: TAS with its 5–95 % range of draws, and the
    probability of ranking first. Strategies not distinguishable from the next one down
    are marked with a bracket and a note."""
    import matplotlib.pyplot as plt

    check_language(lang)
    text = TEXT[lang]
    style.apply()
    order = ranking.iloc[::-1]
    height = 1.2 + 0.45 * len(order)
    fig, (left, right) = plt.subplots(
        1, 2, figsize=(7.5, height + 1.2), sharey=True, gridspec_kw={"width_ratios": [3, 2]}
    )
    fig.subplots_adjust(bottom=0.26, top=0.86, wspace=0.12, left=0.36)
    positions = range(len(order))
    left.barh(positions, order["tas"], color="#92c5de")
    left.errorbar(
        order["tas"],
        positions,
        xerr=[order["tas"] - order["tas_low"], order["tas_high"] - order["tas"]],
        fmt="none",
        ecolor="#333333",
        capsize=3,
    )
    left.set_yticks(list(positions), [str(s) for s in order["strategy"]])
    left.set_xlabel(text["tas"])
    right.barh(positions, order["p_first"], color="#2166ac")
    right.set_xlim(0, 1)
    right.set_xticks([0, 0.5, 1], ["0", "50 %", "100 %"])
    left.set_xlim(0, float(order["tas_high"].max()) * 1.1)
    right.set_xlabel(text["first"])
    for position, row in zip(positions, order.itertuples(), strict=True):
        right.text(
            min(row.p_first + 0.02, 0.8),
            position,
            format_number(100 * row.p_first, lang) + " %",
            va="center",
            fontsize=8,
        )
        if str(row.verdict).startswith("not distinguishable"):
            left.text(row.tas_high, position, "  ≈", va="center", fontsize=12, color="#b2182b")
    if ranking["verdict"].astype(str).str.startswith("not distinguishable").any():
        fig.text(0.36, 0.08, f"≈ {text['not_distinguishable']}", fontsize=8, color="#b2182b")
    fig.suptitle(text["qspm_title"], x=0.01, ha="left", fontsize=style.FONT_SIZES["title"])
    _finish(fig, lang, source, text["qspm_title"], illustrative)
    return fig
