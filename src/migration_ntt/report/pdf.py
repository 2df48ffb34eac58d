"""The brief as PDF, printed by headless Chromium (Debian's ``chromium`` package): no
pure-Python renderer handles the embedded figures and CSS as well, and WeasyPrint needs
Pango from the system. Without Chromium the HTML still prints cleanly from any browser."""

from __future__ import annotations

from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def to_pdf(html: str | Path, pdf: str | Path | None = None, *, timeout: int = 180) -> Path:
    """Print a written brief to PDF with headless Chromium (A4, no header or footer).

    The page is loaded from the file with nothing from the network (the brief needs
    nothing), so the PDF is what an office printer would give from the HTML.

    Parameters
    ----------
    html : path
        A written brief.
    pdf : path, optional
        Default: beside the HTML, ``.pdf``.
    timeout : int
        Seconds Chromium may take.

    Returns
    -------
    pathlib.Path
        The PDF.

    Raises
    ------
    FileNotFoundError
        The HTML file is missing, or no Chromium is installed (the message says how to
        install it, and that the HTML prints from any browser).
    """
    import shutil
    import subprocess

    html = Path(html)
    if not html.is_file():
        raise FileNotFoundError(f"{html}: brief not found; run `migration-ntt report` first")
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        raise FileNotFoundError(
            "no Chromium found for the PDF (Debian/Ubuntu: apt-get install chromium); "
            f"the HTML brief {html} prints to PDF from any browser as it is"
        )
    pdf = Path(pdf) if pdf is not None else html.with_suffix(".pdf")
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri(),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(f"{browser} did not write {pdf}")
    return pdf


def preview(path: str | Path, height: int = 700):
    """Show a written brief inside a notebook.

    The brief is self-contained (figures embedded), so it is shown as an ``<iframe
    srcdoc>`` holding the whole page: it appears wherever the notebook is read
    (JupyterLab, an HTML export, the documentation gallery), not only where the file
    can be served. (Earlier an IFrame pointed at the file, which was blank anywhere but a
    live JupyterLab.)

    Parameters
    ----------
    path : str or Path
        A brief written by :func:`migration_ntt.report.build_brief`.
    height : int
        Height of the frame in pixels; the brief scrolls inside it.

    Returns
    -------
    IPython.display.HTML
        The frame, for a notebook to display.

    Examples
    --------
    >>> from pathlib import Path
    >>> import tempfile
    >>> page = Path(tempfile.mkdtemp()) / "brief.html"
    >>> _ = page.write_text("<h1>Ringkasan & temuan</h1>", encoding="utf-8")
    >>> frame = preview(page).data
    >>> frame.startswith('<div class="brief-preview"><iframe'), "&lt;h1&gt;Ringkasan &amp;" in frame
    (True, True)
    """
    import html

    from IPython.display import HTML

    page = Path(path).read_text(encoding="utf-8")
    return HTML(  # in a div: IPython's HTML warns on a bare iframe
        f'<div class="brief-preview"><iframe title="{html.escape(Path(path).name)}" '
        f'srcdoc="{html.escape(page)}" '
        f'style="width: 100%; height: {int(height)}px; border: 1px solid #ccc"></iframe></div>'
    )
