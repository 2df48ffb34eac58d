"""Save figures for print and screen: PNG (300 dpi) and PDF, SVG on request, with metadata.

``export_figure(fig, "deaths_rate_2024", lang="id")`` writes
``figures/deaths_rate_2024_id.png`` and ``.pdf`` (:data:`DEFAULT_FORMATS`; ``formats=
("png", "pdf", "svg")`` adds an SVG for editing). All formats come from the one figure
drawn once per language. Each file records the title,
the data source, the creation date and the package version in its own metadata fields
(PNG text chunks, PDF info dictionary, SVG metadata).

The PNG holds the pixels ``savefig(bbox_inches="tight")`` draws, written by Pillow as RGB
(the figures are opaque) at zlib level 3 rather than as RGBA at level 6: the same pixels
and about the same file size, in half the time (PNG encoding was a fifth of the figure
step). The PDF (and SVG) page is cut to the same box as the PNG, measured once: its size
differs from matplotlib's own tight box for a PDF by less than a point.

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

import io
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np

from migration_ntt import __version__, config
from migration_ntt.labels import check_language

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.transforms import Bbox

FORMATS = ("png", "pdf", "svg")
"""Every format :func:`export_figure` writes."""
DEFAULT_FORMATS = ("png", "pdf")
"""What the chain writes unless asked: PNG for screens and Word, PDF for print. SVG (for
editing in Inkscape or Illustrator) only on request: writing it took a seventh of the chain."""


def export_figure(
    fig: Figure,
    name: str,
    lang: str = "id",
    formats: Sequence[str] = DEFAULT_FORMATS,
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
        Default :data:`DEFAULT_FORMATS` (PNG and PDF).
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
    # The tight box is measured once (at the raster resolution, as the PNG needs it) and
    # every format is cut to it: the PDF page then has the PNG's proportions, and its own
    # layout pass (a third of writing a PDF) is saved.
    bbox = tight_bbox(fig, dpi) if "png" in formats else "tight"
    paths = []
    for fmt in formats:
        path = folder / f"{name}_{lang}.{fmt}"
        if fmt == "png":
            write_png(fig, path, dpi, metadata["png"], bbox=bbox)
        else:
            fig.savefig(path, format=fmt, dpi=dpi, metadata=metadata[fmt], bbox_inches=bbox)
        paths.append(path)
    return paths


def export_figures(
    figures: Mapping[str, Figure],
    stem: Callable[[str], str],
    lang: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """:func:`export_figure` for each figure of ``figures``, named ``stem(key)``; each is
    closed once written (a run draws hundreds: open figures hold their memory).

    Parameters
    ----------
    figures : mapping of str to Figure
    stem : callable
        The file stem of each key, e.g. ``lambda key: f"scan_bernoulli_{key}"``.
    lang : {"id", "en"}
    formats : sequence of {"png", "pdf", "svg"}

    Returns
    -------
    list of pathlib.Path
        The files written, figure by figure.
    """
    import matplotlib.pyplot as plt

    paths: list[Path] = []
    for key, figure in figures.items():
        paths += export_figure(figure, stem(key), lang, formats)
        plt.close(figure)
    return paths


def tight_bbox(fig: Figure, dpi: int) -> Bbox:
    """The area ``savefig(bbox_inches="tight", dpi=dpi)`` keeps, as matplotlib measures it
    for a raster file (laid out at ``dpi`` by the Agg renderer), padded by
    ``savefig.pad_inches``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    dpi : int

    Returns
    -------
    matplotlib.transforms.Bbox
        In inches.
    """
    canvas = fig.canvas
    original_dpi, manager = fig.dpi, canvas.manager
    canvas.manager = None  # as savefig does: no window is resized
    try:
        fig.dpi = dpi
        fig.draw_without_rendering()
        bbox = fig.get_tightbbox()
    finally:
        fig.dpi = original_dpi
        canvas.manager = manager
    return bbox.padded(mpl.rcParams["savefig.pad_inches"])


def _raster_size(width: float, height: float, count: int) -> tuple[int, int] | None:
    """The pixel size matplotlib gave a ``width`` × ``height`` canvas holding ``count``
    pixels: each side cut to whole pixels, where a side computed as 1382.9999 may have been
    1383.0000 in matplotlib's own arithmetic; ``None`` unless exactly one size fits."""
    fits = {
        (w, h)
        for w in {int(width), round(width)}
        for h in {int(height), round(height)}
        if w * h == count
    }
    return fits.pop() if len(fits) == 1 else None


def write_png(
    fig: Figure, path: Path, dpi: int, metadata: dict[str, str], *, bbox: Bbox | None = None
) -> Path:
    """``fig`` as a PNG at ``dpi``, cut to its tight box, with ``metadata`` as text chunks.

    The pixels are those of ``fig.savefig(path, dpi=dpi, bbox_inches="tight")``; an opaque
    figure is written as RGB at zlib level 3 (module docstring). Where the pixels cannot be
    taken as they are (a transparent figure, a canvas sized otherwise), matplotlib writes
    the file itself.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : Path
    dpi : int
    metadata : dict
        PNG text chunks (``Title``, ``Source``, ``Software`` …).
    bbox : matplotlib.transforms.Bbox, optional
        The area to keep, in inches (default :func:`tight_bbox` at ``dpi``).

    Returns
    -------
    Path
    """
    from PIL import Image
    from PIL.PngImagePlugin import PngInfo

    bbox = bbox if bbox is not None else tight_bbox(fig, dpi)
    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=dpi, bbox_inches=bbox)
    pixels = raw.getbuffer()
    size = _raster_size(bbox.width * dpi, bbox.height * dpi, len(pixels) // 4)
    if size is None or np.frombuffer(pixels, np.uint8)[3::4].min() != 255:
        fig.savefig(path, format="png", dpi=dpi, metadata=metadata, bbox_inches="tight")
        return path
    info = PngInfo()
    for key, value in metadata.items():
        info.add_text(key, value)
    image = Image.frombuffer("RGBA", size, pixels, "raw", "RGBA", 0, 1)
    image.convert("RGB").save(path, format="png", pnginfo=info, dpi=(dpi, dpi), compress_level=3)
    return path
