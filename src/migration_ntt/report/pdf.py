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
    """Show a written brief inside a notebook (an IFrame on the file, relative to the
    notebook's folder so that JupyterLab serves it)."""
    import os

    from IPython.display import IFrame

    relative = os.path.relpath(Path(path).resolve(), Path.cwd())
    return IFrame(src=relative, width="100%", height=height)
