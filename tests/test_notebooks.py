"""Every notebook executes top to bottom (papermill), and none is committed with outputs."""

from __future__ import annotations

import json

import papermill as pm
import pytest

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# Fewer permutations in the test run; the notebooks' defaults are 9,999.
FAST = {"permutations": 499}


def test_there_are_five_numbered_notebooks():
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_", "05_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs_and_is_thin(path):
    notebook = json.loads(path.read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in code)
    assert any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in code)
    assert "%autoreload" in "".join(code[0]["source"])
    # no logic: no function or class definitions, no loops over data
    source = "\n".join("".join(cell["source"]) for cell in code)
    assert "def " not in source
    assert "class " not in source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes(path, project_home, tmp_path):
    parameters = {key: value for key, value in FAST.items() if key in path.read_text()}
    pm.execute_notebook(
        str(path),
        str(tmp_path / path.name),
        parameters=parameters,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
