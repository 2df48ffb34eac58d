"""Project paths, resolved from one root.

Every path the package reads or writes comes from here (the cookiecutter-data-science
convention). The root is, in order:

1. the ``MIGRATION_NTT_HOME`` environment variable, when set;
2. the source checkout that holds this package (``src/migration_ntt`` → two levels up),
   when it has a ``data/raw`` folder (the normal editable install);
3. the current working directory.

``MIGRATION_NTT_MIRROR`` names a local folder searched before any download (CI and the
tests point it at ``../shared/data``); see :func:`mirror_dir`.

Examples
--------
>>> from migration_ntt import config
>>> config.raw_dir().name
'raw'
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "MIGRATION_NTT_HOME"
MIRROR_ENV = "MIGRATION_NTT_MIRROR"
CACHE_ENV = "MIGRATION_NTT_CACHE"
SECRET_ENV = "MIGRATION_NTT_SECRET"


def project_root() -> Path:
    """Return the project root (see the module docstring for the rules)."""
    env_home = os.environ.get(HOME_ENV)
    if env_home:
        return Path(env_home).expanduser().resolve()
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "data" / "raw").is_dir():
        return checkout
    return Path.cwd().resolve()


def raw_dir() -> Path:
    """``data/raw``: immutable inputs, never written by the package."""
    return project_root() / "data" / "raw"


def reference_dir() -> Path:
    """``data/raw/reference``: the gazetteer and alias tables."""
    return raw_dir() / "reference"


def processed_dir() -> Path:
    """``data/processed``: regenerated tables (created on demand)."""
    return _ensure(project_root() / "data" / "processed")


def figures_dir() -> Path:
    """``figures``: regenerated figures (created on demand)."""
    return _ensure(project_root() / "figures")


def reports_dir() -> Path:
    """``reports``: regenerated policy briefs (created on demand)."""
    return _ensure(project_root() / "reports")


def cache_dir() -> Path:
    """Download cache: ``MIGRATION_NTT_CACHE`` or ``data/cache`` under the root."""
    env_cache = os.environ.get(CACHE_ENV)
    path = Path(env_cache).expanduser() if env_cache else project_root() / "data" / "cache"
    return _ensure(path)


def mirror_dir() -> Path | None:
    """Local mirror searched before any download, from ``MIGRATION_NTT_MIRROR``.

    Returns ``None`` when the variable is unset or empty.
    """
    env_mirror = os.environ.get(MIRROR_ENV)
    if not env_mirror:
        return None
    return Path(env_mirror).expanduser().resolve()


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
