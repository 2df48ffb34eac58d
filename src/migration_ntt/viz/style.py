"""One house style: colour-blind-safe palettes, sizes for A4 pages and slides.

Sequential maps use ``cividis``-like yellow-to-blue steps (readable in grey and by people
with colour-vision deficiencies); LISA clusters use the ColorBrewer RdBu pair for
High-High / Low-Low with lighter tints for outliers, grey for "not significant" and white
with hatching for "no neighbours".

Examples
--------
>>> from migration_ntt.viz import style
>>> style.FIGURE_SIZES["a4"]
(7.5, 9.0)
"""

from __future__ import annotations

from migration_ntt.labels import label

FIGURE_SIZES = {
    "a4": (7.5, 9.0),  # inches: an A4 page inside 2 cm margins
    "a4_half": (7.5, 4.8),
    "slide": (13.33, 7.5),  # 16:9
}
SEQUENTIAL = "cividis_r"
DIVERGING = "RdBu_r"
LISA_COLOURS = {
    "High-High": "#b2182b",
    "Low-Low": "#2166ac",
    "High-Low": "#f4a582",
    "Low-High": "#92c5de",
    "not significant": "#d9d9d9",
    "no neighbours": "#ffffff",
}
HOTSPOT_COLOURS = {
    "hot spot": "#b2182b",
    "cold spot": "#2166ac",
    "not significant": "#d9d9d9",
    "no neighbours": "#ffffff",
}
MISSING_HATCH = "////"
ISOLATE_HATCH = "...."
EDGE_COLOUR = "#4d4d4d"
FONT_SIZES = {"title": 12, "label": 9, "credit": 7, "legend": 8}


def apply() -> None:
    """Set matplotlib defaults for the house style."""
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "font.family": "DejaVu Sans",
            "font.size": FONT_SIZES["label"],
            "axes.titlesize": FONT_SIZES["title"],
            "legend.fontsize": FONT_SIZES["legend"],
            "figure.dpi": 100,
            "savefig.bbox": "tight",
            "hatch.linewidth": 0.5,
        }
    )


def wrap_to_width(text: str, fontsize: float, width_inches: float) -> str:
    """``text`` broken at spaces into lines at most ``width_inches`` wide, in the house font.

    The credit line is wrapped once, when it is made, to the width of the figure. (With
    matplotlib's ``wrap=True`` every drawing wraps it again, measuring word after word: a
    sixth of the time of writing a figure; and ``bbox_inches="tight"`` measured it at the
    figure's width but drew it at the width of the saved area, so the two could disagree.)
    Widths are the font's own (unhinted, in points), the same at every resolution.

    Parameters
    ----------
    text : str
    fontsize : float
        In points.
    width_inches : float

    Returns
    -------
    str
        The text with ``"\\n"`` where a line ends.

    Examples
    --------
    >>> wrap_to_width("Source: BPS · Period: 2018–2025", 7, 1.0)
    'Source: BPS ·\\nPeriod: 2018–2025'
    """
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import TextToPath

    measure = TextToPath()
    font = FontProperties(size=fontsize)
    limit = width_inches * 72  # points
    lines = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        line = words[0]
        for word in words[1:]:
            candidate = f"{line} {word}"
            width, _, _ = measure.get_text_width_height_descent(candidate, font, ismath=False)
            if width > limit:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return "\n".join(lines)


def stamp(
    fig,
    lang: str,
    *,
    source: str,
    title: str,
    parts=(),
    synthetic: bool = False,
    y: float = 0.005,
    mark: str | None = None,
) -> None:
    """Put the credit line (source first, then ``parts``) and, for synthetic input, the
    "SYNTHETIC DATA" mark on ``fig`` (or any other ``mark``, e.g. "ILLUSTRATIVE"); record
    source and title for the file metadata.

    Every figure of the package goes through here, so no figure can miss its credit line
    or its synthetic mark.
    """

    text = " · ".join(p for p in (f"{label('source', lang)}: {source}", *parts) if p)
    credit = fig.text(
        0.01,
        y,
        wrap_to_width(text, FONT_SIZES["credit"], 0.99 * fig.get_figwidth()),
        fontsize=FONT_SIZES["credit"],
        ha="left",
        va="bottom",
        color="#404040",
    )
    credit.set_gid("credit")
    fig.migration_ntt_source = source
    fig.migration_ntt_title = title
    if synthetic or mark:
        gid = "synthetic_mark" if synthetic else "mark"
        mark = fig.text(
            0.5,
            0.5,
            label("synthetic_mark", lang) if synthetic else mark,
            fontsize=40,
            color="#c00000",
            alpha=0.25,
            ha="center",
            va="center",
            rotation=30,
            weight="bold",
        )
        mark.set_gid(gid)
