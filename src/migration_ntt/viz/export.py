"""Save figures for print and screen: PNG (300 dpi), PDF and SVG, with metadata.

``export_figure(fig, "deaths_rate_2024", lang="id")`` writes
``figures/deaths_rate_2024_id.png`` (and ``.pdf``, ``.svg``). Each file records the title,
the data source, the creation date and the package version in its own metadata fields
(PNG text chunks, PDF info dictionary, SVG metadata).

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt, tempfile, pathlib
>>> from migration_ntt.viz.export import export_figure
>>> fig, ax = plt.subplots()
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> paths = export_figure(fig, "demo", "en", formats=("png",), out_dir=folder)
>>> paths[0].name
'demo_en.png'
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from migration_ntt import __version__, config
from migration_ntt.labels import check_language

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FORMATS = ("png", "pdf", "svg")


def export_figure(
    fig: Figure,
    name: str,
    lang: str = "id",
    formats: Sequence[str] = FORMATS,
    dpi: int = 300,
    *,
    out_dir: Path | None = None,
    source: str | None = None,
    title: str | None = None,
) -> list[Path]:
    """Write ``{out_dir}/{name}_{lang}.{ext}`` for each format; return the paths.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    name : str
        File stem, e.g. ``"deaths_rate_2024"``.
    lang : {"id", "en"}
    formats : sequence of {"png", "pdf", "svg"}
    dpi : int
        Raster resolution (PNG).
    out_dir : Path, optional
        Default ``figures/`` under the project root.
    source, title : str, optional
        Stored in the file metadata (default: the figure's ``migration_ntt_source`` /
        ``migration_ntt_title`` attributes set by the map functions).

    Returns
    -------
    list of pathlib.Path
        The files written, one per format.
    """
    check_language(lang)
    unknown = [fmt for fmt in formats if fmt not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; use {FORMATS}")
    folder = Path(out_dir) if out_dir is not None else config.figures_dir()
    folder.mkdir(parents=True, exist_ok=True)
    source = source or getattr(fig, "migration_ntt_source", "") or ""
    title = title or getattr(fig, "migration_ntt_title", "") or name
    now = datetime.now(UTC)
    software = f"migration-ntt {__version__}"
    metadata = {
        "png": {
            "Title": title,
            "Source": source,
            "Software": software,
            "Creation Time": now.isoformat(timespec="seconds"),
            "Language": lang,
        },
        "pdf": {
            "Title": title,
            "Subject": source,
            "Creator": software,
            "CreationDate": now,
            "Keywords": f"lang={lang}",
        },
        "svg": {
            "Title": title,
            "Description": source,
            "Creator": software,
            "Date": now.isoformat(timespec="seconds"),
            "Language": lang,
        },
    }
    paths = []
    for fmt in formats:
        path = folder / f"{name}_{lang}.{fmt}"
        fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt], bbox_inches="tight")
        paths.append(path)
    return paths
