"""The wheel carries its reference data: built, installed with its dependencies into a
fresh virtual environment outside the checkout, and used from an empty folder (as a user of
``pip install migration-ntt-*.whl`` would)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile

import pytest

from .conftest import ROOT


def _uv() -> str | None:
    """uv, as ``make`` installs it (on PATH or in this environment), if there is one."""
    beside = os.path.join(os.path.dirname(sys.executable), "uv")
    return shutil.which("uv") or (beside if os.path.exists(beside) else None)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The wheel of this checkout, installed with its dependencies into a fresh virtual
    environment outside the checkout (the versions of ``requirements-lock.txt``), and the
    environment variables a user of it would have."""
    wheels = tmp_path_factory.mktemp("wheel")
    source = tmp_path_factory.mktemp("source")  # built from a copy: nothing written here
    for name in ("pyproject.toml", "README.md", "LICENSE"):
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
    built = time.perf_counter()
    venv = tmp_path_factory.mktemp("venv") / "env"
    python = venv / "bin" / "python"
    lock = ["-c", str(ROOT / "requirements-lock.txt")]
    uv = _uv()
    if uv:  # the packages come from uv's cache, filled when make installed .venv;
        # bytecode compiled at install, as pip does
        subprocess.run([uv, "venv", "-q", "--python", sys.executable, str(venv)], check=True)
        install = [uv, "pip", "install", "-q", "--compile-bytecode", "--python", str(python)]
        install += [str(wheel), *lock]
    else:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        install = [str(python), "-m", "pip", "install", "-q", str(wheel), *lock]
    done = subprocess.run(install, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    print(
        f"wheel {wheel.name} built in {built - started:.1f} s, installed with its "
        f"dependencies into a fresh venv by {'uv' if uv else 'pip'} in "
        f"{time.perf_counter() - built:.1f} s"
    )
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MIGRATION_NTT_HOME", "MIGRATION_NTT_CACHE", "PYTHONPATH", "VIRTUAL_ENV"}
    }
    env |= {"PATH": f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", "MPLBACKEND": "Agg"}
    return wheel, venv, env


def _run(env, folder, *args):
    started = time.perf_counter()
    command = [shutil.which("migration-ntt", path=env["PATH"]), *args]
    done = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    print(f"  migration-ntt {' '.join(args)}: exit {done.returncode}, "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    return done


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
    _, venv, env = installed
    env = {**env, "MIGRATION_NTT_MIRROR": str(shared_data)}
    folder = tmp_path / "empty"
    folder.mkdir()
    where = subprocess.run(
        ["python", "-c", "import migration_ntt; print(migration_ntt.__file__)"],
        cwd=folder, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert where.stdout.startswith(str(venv))  # the wheel in the fresh venv, not the checkout
    assert "site-packages" in where.stdout
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
