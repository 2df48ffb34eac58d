"""Sphinx configuration of the migration-ntt documentation (``make docs``).

The site is built offline: no CDN, no intersphinx inventories, no web fonts; the
notebooks of the gallery are executed beforehand by ``docs/build.py`` (papermill, small
parameters) and rendered here as they ran (``nb_execution_mode = "off"``).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

project = "migration-ntt"
author = "migration-ntt developers"
copyright = "2026, migration-ntt developers (MIT licence)"
release = version = _project["version"]  # the one place the version is declared

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "numpydoc",
]
exclude_patterns = ["_build", "jupyter_execute", "**.ipynb_checkpoints"]
# .rst first: autosummary writes its stub pages with the first suffix
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"
language = "en"

# MyST and the notebooks
# No math extension: Sphinx renders math with MathJax from a CDN; formulas are written
# in plain text (Unicode) instead.
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = "off"  # executed by docs/build.py with small parameters
nb_ipywidgets_js = {}  # no require.js or widget manager from a CDN
nb_merge_streams = True

# API reference: one page per public name, numpydoc sections
autosummary_generate = True
autodoc_typehints = "none"  # numpydoc's Parameters section already says the types
autodoc_default_options = {"members": False}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# HTML: pydata-sphinx-theme, everything served from _static
html_theme = "pydata_sphinx_theme"
html_title = f"migration-ntt {version}"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version", "theme-version"],
    "secondary_sidebar_items": {"**": ["page-toc"], "reference/api": []},
}


def _module_prose(app, what, name, obj, options, lines):
    """The methods pages show a module's prose; its Examples stay in the API reference
    (two module docstrings on one page would give two "Examples" sections)."""
    if what != "module":
        return
    for number, line in enumerate(lines[:-1]):
        if line.strip() == "Examples" and set(lines[number + 1].strip()) == {"-"}:
            del lines[number:]
            return


def setup(app):
    app.connect("autodoc-process-docstring", _module_prose, priority=100)
