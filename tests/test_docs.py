"""The documentation site's sources stay in step with the code and the README, and its
offline check finds what a browser would fetch from another host. (The site itself is
built by ``make docs``, with warnings as errors, in ``.ci/run``.)"""

from __future__ import annotations

import importlib.util
import json
import re

import pytest

from .conftest import ROOT

DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def build():
    spec = importlib.util.spec_from_file_location("docs_build", DOCS / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "html",
    [
        '<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>',
        '<link rel="stylesheet" href="//fonts.googleapis.com/css?family=Lato">',
        '<link rel="preload" as="font" href="http://example.org/f.woff2">',
        '<img src="https://tile.openstreetmap.org/1/1/1.png" alt="">',
        '<iframe src="https://www.youtube.com/embed/x"></iframe>',
        "<div style=\"background: url('https://example.org/a.png')\"></div>",
        "<style>@import 'https://example.org/theme.css';</style>",
        '<img srcset="a.png 1x, https://example.org/b.png 2x">',
        '<iframe srcdoc="&lt;script src=&quot;https://cdn.example/x.js&quot;&gt;"></iframe>',
    ],
)
def test_the_offline_check_finds_remote_loads(build, html):
    assert len(build.remote_loads(html)) == 1


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://satscan.org">SaTScan</a>',
        '<script src="_static/scripts/bootstrap.js"></script>',
        '<link rel="stylesheet" href="../_static/styles/theme.css">',
        '<link rel="canonical" href="https://example.org/docs/">',
        '<img src="data:image/png;base64,iVBORw0KGgo=" alt="">',
        "<p>see https://example.org/x.js for the source</p>",
    ],
)
def test_the_offline_check_lets_links_and_local_files_pass(build, html):
    assert build.remote_loads(html) == []


def test_offline_problems_reads_pages_and_style_sheets(build, tmp_path):
    (tmp_path / "index.html").write_text('<script src="_static/a.js"></script>')
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.css").write_text("body{background:url(https://x.org/b.png)}")
    assert build.offline_problems(tmp_path) == ["_static/theme.css: url(https://x.org/b.png)"]


def test_the_api_reference_lists_every_name_of_the_readme_api(build):
    readme = (ROOT / "README.md").read_text()
    block = readme.split("\n## API\n", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    wanted = {
        (module.strip(), name.strip())
        for line in block.strip().splitlines()
        for module, names in [line.split(":", 1)]
        for name in names.split(",")
    }
    api = (DOCS / "reference" / "api.md").read_text()
    listed = set()
    for section in re.split(r"\.\. currentmodule:: ", api)[1:]:
        module = section.split("\n", 1)[0].strip()
        body = section.split(":toctree: generated", 1)[1].split("```", 1)[0]
        listed |= {(module, name) for name in body.split()}
    assert listed == wanted


def test_every_readme_passage_the_docs_include_is_still_there():
    readme = (ROOT / "README.md").read_text()
    found = 0
    for page in DOCS.rglob("*.md"):
        text = page.read_text()
        for include in re.finditer(r"```\{include\} (\S+)\n((?::[^\n]+\n)*)```", text):
            if not include.group(1).endswith("README.md"):
                continue
            for option in re.finditer(r':(start-after|end-before): "(.*)"', include.group(2)):
                marker = json.loads(f'"{option.group(2)}"')  # \n as in the directive
                assert marker in readme, f"{page.relative_to(ROOT)}: {marker!r} not in README"
                found += 1
    assert found >= 20


def test_the_gallery_parameters_are_parameters_of_the_notebooks(build):
    names = set()
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        names |= build._parameter_names(notebook)
    assert "permutations" in names
    assert set(build.GALLERY_PARAMETERS) <= names
