"""The wheel carries its reference data: built, installed outside the checkout and used
from an empty folder (as a user of ``pip install migration-ntt-*.whl`` would)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel of this checkout, installed (without dependencies: they are this
    environment's) into a folder of its own, and the environment that uses it."""
    wheels = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")  # built from a copy: nothing written here
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-q", "-w", str(wheels)],
        check=True,
        capture_output=True,
    )
    (wheel,) = wheels.glob("migration_ntt-*.whl")
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    print(f"wheel built and installed in {time.perf_counter() - started:.1f} s: {wheel.name}")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MIGRATION_NTT_HOME", "MIGRATION_NTT_CACHE"}
    }
    env |= {"PYTHONPATH": str(target), "MPLBACKEND": "Agg"}
    return wheel, target, env


def _run(env, folder, *args):
    return subprocess.run(
        [sys.executable, "-m", "migration_ntt.cli", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_wheel_holds_the_reference_data(installed):
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in (
        "migration_ntt/data/reference/regencies.csv",
        "migration_ntt/data/reference/places.csv",
        "migration_ntt/data/reference/regency_aliases.csv",
        "migration_ntt/data/reference/ntt_sea_links.csv",
        "migration_ntt/data/indicators/ntt_indicators_long.csv",
        "migration_ntt/data/programmes/template_programmes.csv",
        "migration_ntt/viz/assets/leaflet/leaflet.js",
    ):
        assert shipped in names, shipped


def test_the_installed_package_works_from_an_empty_folder(installed, tmp_path, shared_data):
    _, target, env = installed
    env = {**env, "MIGRATION_NTT_MIRROR": str(shared_data)}
    folder = tmp_path / "empty"
    folder.mkdir()
    where = subprocess.run(
        [sys.executable, "-c", "import migration_ntt; print(migration_ntt.__file__)"],
        cwd=folder, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(target))  # the wheel, not the checkout
    regions = _run(env, folder, "regions")
    assert regions.returncode == 0, regions.stderr
    assert "Kabupaten Malaka" in regions.stdout
    resolved = _run(env, folder, "resolve", "Kab. TTS")
    assert "5304" in resolved.stdout
    init = _run(env, folder, "init")
    assert init.returncode == 0, init.stderr
    assert (folder / "data" / "raw" / "programmes" / "template_programmes.csv").exists()
    assert (folder / "data" / "intake" / "log_kasus_pmi.xlsx").exists()
    cases = folder / "data" / "raw" / "records" / "kasus.csv"
    cases.write_text(
        "Kabupaten,Tanggal Kejadian,Jenis Kasus,Status\n"
        "Malaka,2024-03-05,meninggal,non prosedural\n"
        "TTS,2024-07-01,deportasi,ilegal\n"
    )
    cleaned = _run(env, folder, "clean", str(cases), "--secret", "s")
    assert cleaned.returncode == 0, cleaned.stderr
    assert "2 clean" in cleaned.stdout
    chain = _run(env, folder, "all", "--permutations", "99", "--lang", "id", "--formats", "png")
    assert chain.returncode == 0, chain.stderr[-2000:]
    assert (folder / "reports" / "brief_pmi_deaths_abroad_id.html").exists()
    assert (folder / "data" / "processed" / "panel.parquet").exists()  # here, not the checkout
