"""The house rules of ``src/migration_ntt`` (README, "Architecture"), read from the code.

Every import of the package's own modules is parsed with :mod:`ast` (inside functions
too) and checked against the layers, bottom to top: base → geography → ingest → panel →
methods → presentation → pipeline → entry. A module may import its own layer and those
below, never above; there are no import circles; own imports stand at the top of a
module; methods load no file and draw nothing; no module is longer than 600 lines but the
scan statistic.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "src" / "migration_ntt"
# Bottom to top; a module belongs to the layer of its longest matching prefix.
LAYERS = (
    (
        "base",
        (
            "migration_ntt",
            "migration_ntt.config",
            "migration_ntt.manifest",
            "migration_ntt.download",
            "migration_ntt.labels",
            "migration_ntt.privacy",
            "migration_ntt.text",
        ),
    ),
    ("geography", ("migration_ntt.regions",)),
    ("ingest", ("migration_ntt.ingest",)),
    ("panel", ("migration_ntt.panel",)),
    (
        "methods",
        (
            "migration_ntt.spatial",
            "migration_ntt.models",
            "migration_ntt.evaluation",
            "migration_ntt.coverage",
            "migration_ntt.strategy",
            "migration_ntt.results",
        ),
    ),
    ("presentation", ("migration_ntt.viz", "migration_ntt.report")),
    ("pipeline", ("migration_ntt.pipeline", "migration_ntt.analysis")),
    ("entry", ("migration_ntt.cli",)),
)
# Within a layer, an order that must hold too: regions before places, never the reverse.
ORDERED = (("migration_ntt.regions.units", "migration_ntt.regions.places"),)
MAX_LINES = 600
LONG_ALLOWED = {"migration_ntt.spatial.scan"}  # one statistic, kept whole (as esda's moran)
# What a method may not call: loaders of files and defaults, writers, drawing.
NOT_IN_METHODS = {
    "open",
    "read_csv",
    "read_parquet",
    "read_excel",
    "read_text",
    "to_csv",
    "to_parquet",
    "write_text",
    "savefig",
    "subplots",
    "load_boundaries",
    "load_programmes",
    "load_indicators",
    "build_panel",
    "build_district_panel",
    "read_workshop",
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _layer(module: str) -> int:
    best, found = -1, None
    for number, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or (
                prefix != "migration_ntt" and module.startswith(prefix + ".")
            )
            if matches and len(prefix) > best:
                best, found = len(prefix), number
    if found is None:
        raise AssertionError(f"{module}: in no layer of the architecture")
    return found


def _own_imports(name: str) -> list[tuple[str, int, bool]]:
    """(imported module, line, at the top?) for every import of the package's own code."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set()
    for node in tree.body:
        top.update(
            id(n) for n in (ast.walk(node) if isinstance(node, ast.If | ast.Try) else [node])
        )
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            continue
        for target in targets:
            if not target.startswith("migration_ntt"):
                continue
            while target not in MODULES and "." in target:
                target = target.rsplit(".", 1)[0]
            if target != name:
                found.append((target, node.lineno, id(node) in top))
    return found


def test_every_module_is_in_a_layer():
    for name in MODULES:
        _layer(name)


def test_no_import_runs_back_up_the_layers():
    upward = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {name} ({LAYERS[_layer(name)][0]}) imports "
        f"{target} ({LAYERS[_layer(target)][0]})"
        for name in MODULES
        for target, line, _ in _own_imports(name)
        if _layer(target) > _layer(name)
    ]
    upward += [
        f"{low} imports {high}"
        for low, high in ORDERED
        if any(target == high for target, _, _ in _own_imports(low))
    ]
    assert upward == []


def test_no_import_circles():
    graph = {name: {target for target, _, _ in _own_imports(name)} for name in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in graph[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for name in graph:
        if name not in index:
            visit(name)
    assert circles == []


def test_own_imports_stand_at_the_top():
    lazy = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {target}"
        for name in MODULES
        for target, line, at_top in _own_imports(name)
        if not at_top
    ]
    assert lazy == []


def test_methods_load_no_file_and_draw_nothing():
    methods = [name for name in MODULES if LAYERS[_layer(name)][0] == "methods"]
    found = []
    for name in methods:
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                function = node.func
                called = (
                    function.attr
                    if isinstance(function, ast.Attribute)
                    else getattr(function, "id", None)
                )
                if called in NOT_IN_METHODS:
                    found.append(f"{name}:{node.lineno}: {called}()")
            if isinstance(node, ast.Import | ast.ImportFrom):
                module = node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
                if module and (module.startswith("matplotlib") or module == "migration_ntt.config"):
                    found.append(f"{name}:{node.lineno}: imports {module}")
    assert found == []


# Figures take tables (DESIGN.md, data flow): no module drawing a figure imports a fitted
# model's or an evaluation's module, or the chain.
NOT_IN_FIGURES = ("migration_ntt.models", "migration_ntt.evaluation", "migration_ntt.pipeline")


def test_figures_take_tables_not_model_objects():
    found = [
        f"{MODULES[name].relative_to(ROOT)}:{line}: {name} imports {target}"
        for name in MODULES
        if name.startswith("migration_ntt.viz")
        for target, line, _ in _own_imports(name)
        if target.startswith(NOT_IN_FIGURES)
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_one_concept_per_module_no_longer_than_600_lines(name):
    if name in LONG_ALLOWED:
        return
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name}: {lines} lines"


def test_the_checks_can_fail():
    """The layer rule sees an upward import, and the line rule a long module."""
    assert _layer("migration_ntt.viz.maps") > _layer("migration_ntt.spatial.rates")
    assert _layer("migration_ntt.cli.commands") == len(LAYERS) - 1
    with pytest.raises(AssertionError, match="in no layer"):
        _layer("migration_ntt_other.x")
    imports = _own_imports("migration_ntt.pipeline.chain")
    assert any(target.startswith("migration_ntt.viz") for target, _, _ in imports)


def _api() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## API", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    return [
        (module.strip(), name.strip())
        for line in block.strip().splitlines()
        for module, names in [line.split(":", 1)]
        for name in names.split(",")
    ]


@pytest.mark.parametrize(("module", "name"), _api())
def test_every_api_name_documents_its_parameters_and_returns(module, name):
    import importlib
    import inspect

    function = getattr(importlib.import_module(module), name)
    doc = inspect.getdoc(function) or ""
    takes = [p for p in inspect.signature(function).parameters if p not in {"self"}]
    if takes:
        assert "Parameters\n----------" in doc, f"{module}.{name}: no Parameters section"
    assert "Returns\n-------" in doc, f"{module}.{name}: no Returns section"
