"""Open the offline interactive map and the brief in headless Chromium with the network
switched off (a new network namespace: ``unshare -n``), screenshot them, and check that
the map draws: non-blank pixels inside the map area, a legend in its corner, and a brief
with text and figures; then print the brief to PDF (:func:`migration_ntt.report.to_pdf`)
and check it has pages and figures. Then the documentation site (``make docs`` first):
its front page, the gallery and one executed notebook, each drawn with its theme and
figures with the network off. Run by ``.ci/run`` after the test suite; prints what it
measured.

Usage: ``.venv/bin/python .ci/browser_check.py`` (needs ``chromium``; ``.ci/run`` installs
it from Debian when missing).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from matplotlib import image


def screenshot(page: Path, out: Path, size: str = "1200,800") -> np.ndarray:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("browser check: chromium not found (install it: apt-get install chromium)")
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--window-size={size}", "--virtual-time-budget=5000", f"--screenshot={out}",
        page.resolve().as_uri(),
    ]  # fmt: skip
    if os.geteuid() == 0 and shutil.which("unshare"):
        command = ["unshare", "-n", *command]  # no network at all
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    return image.imread(out)[..., :3]


def share_not_background(pixels: np.ndarray) -> float:
    """Part of the pixels that differ from the most common colour (the background)."""
    flat = (pixels.reshape(-1, 3) * 255).round().astype(int)
    colours, counts = np.unique(flat, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    return float(np.mean(np.any(flat != background, axis=1)))


def check_docs(shots: Path) -> list[str]:
    """Screenshots of the built documentation site, offline: the front page, the gallery
    (thumbnails) and one executed notebook (its figures)."""
    site = Path(__file__).resolve().parents[1] / "docs" / "_build" / "html"
    if not (site / "index.html").exists():
        return [f"no documentation site in {site} (run make docs first)"]
    problems = []
    pages = {
        "front page": ("index.html", "1300,1000", 0.04),
        "gallery": ("gallery/index.html", "1300,1400", 0.15),
        "notebook 03": ("gallery/03_hotspots.html", "1300,4000", 0.08),
    }
    for what, (page, size, least) in pages.items():
        out = shots / f"docs_{what.replace(' ', '_')}.png"
        pixels = screenshot(site / page, out, size=size)
        drawn = share_not_background(pixels)
        navbar = share_not_background(pixels[: pixels.shape[0] // 12])
        print(f"docs {what} ({page}): {drawn:.0%} non-background, navbar {navbar:.0%} ({out})")
        if drawn < least:
            problems.append(f"docs {what} renders nearly blank ({drawn:.0%} < {least:.0%})")
        if navbar < 0.01:
            problems.append(f"docs {what}: no navigation bar (theme not loaded?)")
    # The theme is served from the site itself: the front page without its style sheets
    # must look different from the page with them.
    front = site / "index.html"
    unstyled = front.with_name("_unstyled_check.html")
    html = front.read_text(encoding="utf-8")
    unstyled.write_text(re.sub(r"<link[^>]*stylesheet[^>]*>", "", html), encoding="utf-8")
    try:
        bare = screenshot(unstyled, shots / "docs_unstyled.png", size="1300,1000")
    finally:
        unstyled.unlink()
    styled = image.imread(shots / "docs_front_page.png")[..., :3]
    changed = float(np.mean(np.any(np.abs(styled - bare) > 0.05, axis=-1)))
    print(f"docs theme: {changed:.0%} of the front page changes without its style sheets")
    if changed < 0.05:
        problems.append("the docs theme did not load offline (page looks unstyled)")
    return problems


def main() -> int:
    from migration_ntt import analysis, config

    home = Path(tempfile.mkdtemp())
    (home / "data").mkdir()
    (home / "data" / "raw").symlink_to(config.raw_dir(), target_is_directory=True)
    os.environ["MIGRATION_NTT_HOME"] = str(home)
    chain = analysis.run_chain(permutations=99, formats=("png",), evaluation_permutations=99,
                               languages=("id",))  # fmt: skip
    html_map = next(p for p in chain.figures if p.suffix == ".html")
    problems = []
    shots = home / "shots"
    shots.mkdir()
    pixels = screenshot(html_map, shots / "map.png")
    height, width, _ = pixels.shape
    centre = pixels[height // 5 : 4 * height // 5, width // 10 : 9 * width // 10]
    drawn = share_not_background(centre)
    corner = pixels[2 * height // 3 :, 3 * width // 4 :]
    legend = share_not_background(corner)
    print(f"offline map {html_map.name}: {drawn:.0%} of the map area drawn, legend corner "
          f"{legend:.0%} non-background ({shots / 'map.png'})")  # fmt: skip
    if drawn < 0.1:  # a map without Leaflet shows only the title and legend boxes: ~0 %
        problems.append(f"the map area is blank ({drawn:.0%} drawn)")
    if legend < 0.02:
        problems.append("no legend in the lower right corner")
    brief = chain.briefs[0]
    page = screenshot(brief, shots / "brief.png", size="1000,3000")
    written = share_not_background(page)
    print(f"brief {brief.name}: {written:.0%} of the page non-background")
    if written < 0.05:
        problems.append(f"the brief renders blank ({written:.0%})")
    from migration_ntt import report

    pdf = report.to_pdf(brief, shots / "brief.pdf")
    content = pdf.read_bytes()
    pages = len(re.findall(rb"/Type\s*/Page[^s]", content))
    images = len(re.findall(rb"/Subtype\s*/Image", content))
    print(f"brief PDF {pdf.name}: {pages} pages, {images} images, {len(content) / 1e6:.1f} MB")
    if not content.startswith(b"%PDF") or pages < 2 or images < 4:
        problems.append(f"the PDF brief is incomplete ({pages} pages, {images} images)")
    problems += check_docs(shots)
    for problem in problems:
        print(f"browser check FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
