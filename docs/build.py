"""Build the documentation site (``make docs``): gallery, Sphinx, offline check.

1. **Gallery.** Every notebook of ``notebooks/`` is executed top to bottom with papermill,
   on small parameters (:data:`GALLERY_PARAMETERS`: fewer permutations than the
   notebooks' defaults, English only), in a throw-away project folder, two at a time;
   the executed copies go to ``docs/gallery/`` with a thumbnail of each notebook's first
   figure, and ``docs/gallery/index.md`` lists them.
2. **Sphinx** builds ``docs/_build/html`` with warnings as errors (``-W --keep-going``).
3. **Offline check.** Every page and style sheet is read for anything the browser would
   fetch from another host (scripts, style sheets, fonts, images, frames); one is an error.
   Links a reader may click are not loads and are allowed.

Usage: ``.venv/bin/python docs/build.py`` (what ``make docs`` runs); prints the time of
each step, the size of the site and its page count.
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
GALLERY = DOCS / "gallery"
THUMBS = DOCS / "_static" / "gallery"
HTML = DOCS / "_build" / "html"

# What the gallery runs with: every cell of every notebook, on less work than the
# notebooks' defaults (9,999 permutations, both languages); the parameters are shown at
# the top of each executed notebook (papermill's "injected-parameters" cell).
GALLERY_PARAMETERS = {
    "permutations": 499,
    "hotspot_permutations": 199,
    "draws": 500,
    "languages": ["en"],
    "lang": "en",
}

# The notebook whose first figure (the pooled rate map) the front page shows.
FRONT_FIGURE = "05_policy_figures"

# Attributes through which a page makes the browser fetch something.
_LOADING = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
}
_LINK_LOADS = {"stylesheet", "preload", "modulepreload", "prefetch", "icon", "manifest"}
_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.IGNORECASE)


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        names = _LOADING.get(tag, ())
        if tag == "link" and set(values.get("rel", "").lower().split()) & _LINK_LOADS:
            names = ("href",)
        for name in names:
            for url in values.get(name, "").split(","):
                if _REMOTE.match(url):
                    self.remote.append(f"<{tag} {name}={url.strip()}>")
        if tag == "iframe" and "srcdoc" in values:  # a page inside the page
            self.remote += remote_loads(values["srcdoc"])
        if "style" in values:
            self.remote += remote_css_loads(values["style"])
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.remote += remote_css_loads(data)


def remote_css_loads(css: str) -> list[str]:
    """The addresses on other hosts a style sheet would load (``url()``, ``@import``).

    Examples
    --------
    >>> remote_css_loads("a { background: url(https://cdn.example/x.png) }")
    ['url(https://cdn.example/x.png)']
    >>> remote_css_loads("a { background: url(../img/x.png) }")
    []
    """
    found = []
    for match in _CSS_URL.finditer(css):
        url = match.group(1) or match.group(2)
        if _REMOTE.match(url):
            found.append(f"url({url})")
    return found


def remote_loads(html: str) -> list[str]:
    """What a page would fetch from another host: scripts, style sheets, fonts, images,
    frames. Links (``<a href>``) are not loads.

    Examples
    --------
    >>> remote_loads('<script src="https://cdn.example/a.js"></script>')
    ['<script src=https://cdn.example/a.js>']
    >>> remote_loads('<a href="https://example.org">a source</a>')
    []
    """
    parser = _Loads()
    parser.feed(html)
    return parser.remote


def offline_problems(site: Path) -> list[str]:
    """Every remote load of every page and style sheet of a built site, as
    ``"<file>: <what>"``."""
    problems = []
    for path in sorted(site.rglob("*")):
        if path.suffix == ".html":
            found = remote_loads(path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix == ".css":
            found = remote_css_loads(path.read_text(encoding="utf-8", errors="replace"))
        else:
            continue
        problems += [f"{path.relative_to(site)}: {item}" for item in found]
    return problems


def _project_home() -> Path:
    """A throw-away project folder with the committed raw data linked in."""
    home = Path(tempfile.mkdtemp(prefix="migration-ntt-docs-"))
    (home / "data").mkdir()
    (home / "data" / "raw").symlink_to(ROOT / "data" / "raw", target_is_directory=True)
    return home


def _parameter_names(notebook: Path) -> set[str]:
    """The names the notebook's papermill ``parameters`` cell assigns."""
    for cell in json.loads(notebook.read_text())["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell["source"])
            return set(re.findall(r"^(\w+)\s*=", source, flags=re.MULTILINE))
    return set()


def _kernel_log(log: Path) -> None:
    """What the kernels print on their own (ipykernel's transport notice, …) goes to a
    log file, not between the build's lines; a failing cell still raises with its
    traceback."""
    handle = os.open(log, os.O_WRONLY | os.O_APPEND)
    os.dup2(handle, 2)
    os.close(handle)


def _execute(notebook: Path) -> tuple[str, float]:
    import papermill as pm

    started = time.perf_counter()
    wanted = {k: v for k, v in GALLERY_PARAMETERS.items() if k in _parameter_names(notebook)}
    pm.execute_notebook(
        str(notebook),
        str(GALLERY / notebook.name),
        parameters=wanted,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(notebook.parent),
    )
    return notebook.name, time.perf_counter() - started


def _title_and_figure(executed: Path) -> tuple[str, bytes | None]:
    cells = json.loads(executed.read_text())["cells"]
    title = executed.stem
    for cell in cells:
        if cell["cell_type"] == "markdown":
            first = "".join(cell["source"]).strip().splitlines()[0]
            title = first.lstrip("# ").strip()
            break
    for cell in cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                return title, base64.b64decode("".join(png))
    return title, None


def _thumbnail(png: bytes, out: Path, box: tuple[int, int] = (480, 340)) -> None:
    from PIL import Image

    picture = Image.open(io.BytesIO(png)).convert("RGB")
    picture.thumbnail(box)
    picture.save(out, optimize=True)


def write_gallery(workers: int = 2) -> None:
    """Execute the notebooks into ``docs/gallery`` and write its index with thumbnails."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    GALLERY.mkdir(exist_ok=True)  # generated: not in a fresh clone
    for old in GALLERY.glob("*.ipynb"):
        old.unlink()
    shutil.rmtree(THUMBS, ignore_errors=True)
    THUMBS.mkdir(parents=True)
    os.environ["MIGRATION_NTT_HOME"] = str(_project_home())
    os.environ.setdefault("MIGRATION_NTT_CACHE", str(ROOT / "data" / "cache"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    log = DOCS / "_build" / "gallery-kernels.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    with ProcessPoolExecutor(max_workers=workers, initializer=_kernel_log, initargs=(log,)) as pool:
        for name, seconds in pool.map(_execute, notebooks):
            print(f"  executed {name} in {seconds:.1f} s", flush=True)
    print(f"  kernel messages: {log.relative_to(ROOT)}", flush=True)
    cards, names = [], []
    for notebook in notebooks:
        title, figure = _title_and_figure(GALLERY / notebook.name)
        page = notebook.stem + ".html"
        names.append(notebook.stem)
        if figure is not None:
            _thumbnail(figure, THUMBS / f"{notebook.stem}.png")
            if notebook.stem == FRONT_FIGURE:
                _thumbnail(figure, THUMBS / "front.png", box=(1100, 800))
            picture = f'<img src="../_static/gallery/{notebook.stem}.png" alt="">'
        else:
            picture = '<span class="gallery-nofigure">tables and a report</span>'
        caption = re.sub(r"\*([^*]+)\*", r"<em>\1</em>", html.escape(title))
        cards.append(f'<a class="gallery-card" href="{page}">{picture}<span>{caption}</span></a>')
    parameters = ", ".join(f"`{k} = {v!r}`" for k, v in GALLERY_PARAMETERS.items())
    (GALLERY / "index.md").write_text(
        "# Notebook gallery\n\n"
        "The eight notebooks of `notebooks/`, executed top to bottom when this site was "
        "built, on the embedded published data and the synthetic demo case file. They run "
        f"on small parameters ({parameters}); in JupyterLab they run with their defaults "
        "(9,999 permutations, both languages). Each notebook holds no logic of its own: "
        "every cell calls the package.\n\n"
        '<div class="gallery-grid">\n' + "\n".join(cards) + "\n</div>\n\n"
        "```{toctree}\n:hidden:\n\n" + "\n".join(names) + "\n```\n",
        encoding="utf-8",
    )


def write_cli_reference() -> None:
    """``docs/reference/cli.md``: the help of every ``migration-ntt`` command, as the
    parser prints it (generated: it cannot drift from the code)."""
    import argparse

    os.environ["COLUMNS"] = "78"  # argparse wraps to the terminal: the width of the page
    from migration_ntt.cli.parser import build_parser

    parser = build_parser()
    commands = next(
        action for action in parser._actions if isinstance(action, argparse._SubParsersAction)
    )
    parts = [
        "# Command line\n",
        "Every command of `migration-ntt`, with the help it prints (`migration-ntt COMMAND "
        "--help`). Bad input ends in one paragraph naming the file, row and column, and "
        "exit code 2.\n",
        "```text",
        parser.format_help().rstrip(),
        "```\n",
    ]
    for name, command in commands.choices.items():
        parts += [f"## `{name}`\n", "```text", command.format_help().rstrip(), "```\n"]
    (DOCS / "reference" / "cli.md").write_text("\n".join(parts), encoding="utf-8")


def build_site() -> None:
    """Sphinx, warnings as errors."""
    shutil.rmtree(DOCS / "reference" / "generated", ignore_errors=True)
    # -E: a fresh environment, so that a changed docstring is read again
    command = [sys.executable, "-m", "sphinx", "-E", "-W", "--keep-going", "-q", "-b", "html"]
    subprocess.run([*command, str(DOCS), str(HTML)], check=True)


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    if "--no-gallery" not in argv:
        print("gallery: executing the notebooks (papermill, small parameters)", flush=True)
        write_gallery()
    gallery_done = time.perf_counter()
    write_cli_reference()
    print("sphinx: building docs/_build/html (warnings are errors)", flush=True)
    try:
        build_site()
    except subprocess.CalledProcessError:
        print("docs: Sphinx reported warnings or errors (above)", file=sys.stderr)
        return 1
    problems = offline_problems(HTML)
    for problem in problems:
        print(f"docs: loads from another host: {problem}", file=sys.stderr)
    pages = [p for p in HTML.rglob("*.html") if p.name not in {"genindex.html", "search.html"}]
    size = sum(p.stat().st_size for p in HTML.rglob("*") if p.is_file())
    print(
        f"docs: {len(pages)} pages, {size / 1e6:.1f} MB in {HTML.relative_to(ROOT)} "
        f"(gallery {gallery_done - started:.0f} s, Sphinx "
        f"{time.perf_counter() - gallery_done:.0f} s); "
        f"remote loads: {len(problems)}"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
