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
from importlib import resources
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
    """``data/raw`` of the project: the user's own immutable inputs (case files, programme
    logs), never written by the package. The package's reference data is not here but in
    the package (:func:`package_data_dir`)."""
    return project_root() / "data" / "raw"


def package_data_dir() -> Path:
    """The reference data shipped inside the package (``migration_ntt/data``): it comes with
    every install, wheel included, whatever the project folder."""
    return Path(str(resources.files("migration_ntt") / "data"))


def reference_dir() -> Path:
    """The gazetteer and alias tables (``migration_ntt/data/reference``, in the package)."""
    return package_data_dir() / "reference"


def indicators_dir() -> Path:
    """The published indicator table (``migration_ntt/data/indicators``, in the package)."""
    return package_data_dir() / "indicators"


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


PROJECT_README = """# A migration-ntt project

Your data and what the package makes from it; the package's own reference data (gazetteer,
published indicators) comes with the package.

- `data/raw/records/`: your case files (CSV or XLSX). Never commit or share them: they hold
  names and NIK. `migration-ntt clean data/raw/records/<file>` cleans one.
- `data/raw/programmes/`: your programme log (see its README; copy the template).
- `data/intake/`: the phone form (`migration-ntt form`) and the Excel case log.
- `data/processed/`, `figures/`, `reports/`: made by the package; delete and make again.

Start with `migration-ntt all` (the published tallies) or
`migration-ntt all --records data/raw/records/<file> --select procedural=non_prosedural`.
"""


def init_project(folder: str | Path | None = None) -> list[Path]:
    """Create a project folder for the user's data and outputs: ``data/raw/records``,
    ``data/raw/programmes`` (with the programme-log README and template),
    ``data/processed``, ``figures``, ``reports`` and a README. Existing files are kept.

    Parameters
    ----------
    folder : str or Path, optional
        Default: the current working directory.

    Returns
    -------
    list of Path
        The files written (none that already existed).

    Examples
    --------
    >>> import tempfile
    >>> written = init_project(Path(tempfile.mkdtemp()) / "kasus")
    >>> sorted(p.name for p in written)
    ['README.md', 'README.md', 'template_programmes.csv']
    """
    root = Path(folder) if folder is not None else Path.cwd()
    for part in ("data/raw/records", "data/raw/programmes", "data/processed", "figures", "reports"):
        (root / part).mkdir(parents=True, exist_ok=True)
    shipped = package_data_dir() / "programmes"
    files = {
        root / "README.md": PROJECT_README,
        root / "data/raw/programmes/README.md": (shipped / "README.md").read_text(),
        root / "data/raw/programmes/template_programmes.csv": (
            shipped / "template_programmes.csv"
        ).read_text(),
    }
    written = []
    for path, text in files.items():
        if not path.exists():
            path.write_text(text)
            written.append(path)
    return written
