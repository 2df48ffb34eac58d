"""Shared fixtures: the read-only ``../shared`` folder and an isolated project home."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The ``../shared/data`` folder that CI places beside the checkout."""
    if not SHARED_DATA.is_dir():
        pytest.fail(f"{SHARED_DATA} is missing: the tests need ../shared beside the checkout")
    return SHARED_DATA


@pytest.fixture
def project_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A throw-away project root with the committed raw data linked in, for writing outputs."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "raw").symlink_to(ROOT / "data" / "raw", target_is_directory=True)
    monkeypatch.setenv("MIGRATION_NTT_HOME", str(tmp_path))
    monkeypatch.setenv("MIGRATION_NTT_CACHE", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture(scope="module")
def module_home(tmp_path_factory: pytest.TempPathFactory):
    """Like :func:`project_home`, shared by the tests of one module (for expensive set-ups)."""
    import os

    home = tmp_path_factory.mktemp("home")
    (home / "data").mkdir()
    (home / "data" / "raw").symlink_to(ROOT / "data" / "raw", target_is_directory=True)
    old = os.environ.get("MIGRATION_NTT_HOME")
    os.environ["MIGRATION_NTT_HOME"] = str(home)
    try:
        yield home
    finally:
        if old is None:
            os.environ.pop("MIGRATION_NTT_HOME")
        else:
            os.environ["MIGRATION_NTT_HOME"] = old


@pytest.fixture
def workshop(tmp_path):
    """The hand-worked workshop of :mod:`tests.workshops`, read from a YAML file."""
    from migration_ntt.ingest.workshop import read_workshop

    from .workshops import workshop_content, write_workshop

    return read_workshop(write_workshop(tmp_path, workshop_content()))
