"""The dependency lists (pyproject.toml, environment.yml and the lock) stay in step."""

from __future__ import annotations

import re
import tomllib

import yaml

from .conftest import ROOT


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_pyproject_and_environment_list_the_same_libraries():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        declared |= {_name(r) for r in extra}
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in environment["dependencies"] if isinstance(d, str)}
    conda -= {"python", "pip"}
    assert declared == conda, (
        f"only in pyproject: {declared - conda}; only in env: {conda - declared}"
    )
    assert environment["channels"] == ["conda-forge"]


def test_importing_the_package_does_not_import_heavy_libraries():
    import subprocess
    import sys

    code = (
        "import sys, migration_ntt, migration_ntt.regions, migration_ntt.config; "
        "print(sorted(m for m in ('geopandas','statsmodels','folium','matplotlib') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_console_script_is_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["migration-ntt"] == "migration_ntt.cli:main"


def _pins(path) -> dict[str, str]:
    pins = {}
    for line in path.read_text().splitlines():
        if "==" in line and not line.lstrip().startswith("#"):
            name, version = line.split("==", 1)
            pins[_name(name)] = version.split()[0]
    return pins


def test_the_lock_pins_every_declared_library_within_its_declared_range():
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = _pins(ROOT / "requirements-lock.txt")
    extras = project["optional-dependencies"]
    for text in [*project["dependencies"], *extras["dev"], *extras["docs"]]:
        requirement = Requirement(text)
        name = _name(requirement.name)
        assert name in pins, f"{name} is declared in pyproject.toml but not locked"
        assert requirement.specifier.contains(pins[name]), (
            f"{name}=={pins[name]} in the lock is outside {requirement.specifier}"
        )


def test_citation_and_changelog_carry_the_version_of_pyproject():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == version
    assert citation["license"] == "MIT"
    assert f"## {version}" in (ROOT / "CHANGELOG.md").read_text()
