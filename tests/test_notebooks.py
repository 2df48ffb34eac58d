"""Every notebook executes top to bottom (papermill), shows its results inline, and none is
committed with outputs. Notebooks 02–06 also run on a case-records file through their
parameters."""

from __future__ import annotations

import json
import re

import papermill as pm
import pytest

from migration_ntt.ingest import records, synthetic

from .conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ON_RECORDS = [p for p in NOTEBOOKS if p.name[:2] in {"02", "03", "04", "05", "06"}]
# Small parameters in the test run (the notebooks' defaults: 9,999 permutations, both
# languages): every cell still runs, on less work.
FAST = {"permutations": 199, "hotspot_permutations": 99, "draws": 300, "languages": ["id"]}
SHOWS_FIGURES = {"02", "03", "04", "05", "06", "07", "08"}


def test_notebooks_are_numbered_in_order():
    numbers = [int(p.name[:2]) for p in NOTEBOOKS]
    assert numbers[0] == 1
    assert len(set(numbers)) == len(numbers) == len(NOTEBOOKS)
    assert len(NOTEBOOKS) >= 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs_and_is_thin(path):
    notebook = json.loads(path.read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert all(not cell.get("outputs") and cell.get("execution_count") is None for cell in code)
    assert any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in code)
    first = "".join(code[0]["source"])
    assert "%autoreload" in first
    assert "%matplotlib inline" in first
    # no logic: no function or class definitions, no loops
    source = "\n".join("".join(cell["source"]) for cell in code)
    assert "def " not in source
    assert "class " not in source
    lines = [line.strip() for line in source.splitlines()]
    assert not any(line.startswith(("for ", "while ", "if ")) for line in lines)


def _outputs(path) -> tuple[dict[str, int], list[str], str]:
    notebook = json.loads(path.read_text())
    kinds: dict[str, int] = {}
    stderr, text = [], []
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                (stderr if output["name"] == "stderr" else text).append("".join(output["text"]))
            data = output.get("data", {})
            for kind in data:
                kinds[kind] = kinds.get(kind, 0) + 1
            # what the reader sees: the HTML where there is one, else the plain text
            shown = data.get("text/html", data.get("text/plain"))
            if shown is not None:
                text.append("".join(shown))
    return kinds, stderr, "\n".join(text)


def _run(path, tmp_path, parameters) -> tuple[dict[str, int], list[str], str]:
    wanted = {key: value for key, value in parameters.items() if key in path.read_text()}
    out = tmp_path / path.name
    pm.execute_notebook(
        str(path),
        str(out),
        parameters=wanted,
        kernel_name="python3",
        progress_bar=False,
        cwd=str(ROOT / "notebooks"),
    )
    return _outputs(out)


RAW_FLOAT = re.compile(r"(?<![\w.,])-?\d+\.\d{6,}(?!\d)")


def unreadable(text: str) -> list[str]:
    """What a reader should not meet in a notebook's output: floats printed to six or
    more decimals, pandas' "dtype:" lines, "NaN" cells, and a word said twice in a row."""
    problems = [f"raw float {m.group()}" for m in RAW_FLOAT.finditer(text)]
    problems += ["'dtype:' line"] * ("dtype:" in text)
    problems += [f"NaN in {m.group()!r}" for m in re.finditer(r".{0,30}\bNaN\b.{0,30}", text)]
    problems += [
        f"repeated word {m.group()!r}"
        for m in re.finditer(r"\b([A-Za-z]{3,}) \1\b", text, flags=re.IGNORECASE)
    ]
    return problems


def test_unreadable_finds_what_it_should():
    assert unreadable("IRR 0.25634325583828627 and 94.510356") == [
        "raw float 0.25634325583828627",
        "raw float 94.510356",
    ]
    assert unreadable("Name: share, dtype: float64") == ["'dtype:' line"]
    assert unreadable("<td>NaN</td>")[0].startswith("NaN in")
    assert unreadable("Source: workshop workshop") == ["repeated word 'workshop workshop'"]
    assert unreadable("IRR 0,63 (0,25–1,59); p = 0.126; 1,541 cases; 2018–2025") == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_executes_and_shows_results(path, project_home, tmp_path):
    kinds, stderr, text = _run(path, tmp_path, FAST)
    assert not stderr, stderr  # no warnings (TqdmWarning, …) in front of the reader
    assert not unreadable(text), unreadable(text)[:10]
    if path.name[:2] in SHOWS_FIGURES:
        assert kinds.get("image/png", 0) >= 1  # maps and charts inline, not file names
    assert kinds.get("text/html", 0) >= 1  # tables rendered for reading


@pytest.fixture
def clean_records_file(project_home, tmp_path):
    path, _ = synthetic.write_synthetic_csv(tmp_path / "kasus_synthetic.csv", 1500, seed=9)
    cleaned = records.clean_records(path, secret="notebook-test")
    return records.save_clean(cleaned, tmp_path / "clean", "kasus_synthetic")["clean"]


@pytest.mark.parametrize("path", ON_RECORDS, ids=lambda p: p.stem)
def test_notebook_runs_on_case_records(path, clean_records_file, tmp_path):
    parameters = {
        **FAST,
        "records_path": str(clean_records_file),
        "select": {"procedural": "non_prosedural"},
        "name": "np_cases",
        "programme": "task_force",  # adopted within the records' years (2023, 2025)
    }
    kinds, stderr, text = _run(path, tmp_path, parameters)
    assert not stderr, stderr
    assert not unreadable(text), unreadable(text)[:10]
    assert kinds.get("image/png", 0) >= 1
    assert "np_cases" in text
    assert "Non-procedural PMI cases" in text or "Kasus PMI non-prosedural" in text
