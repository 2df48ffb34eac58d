"""Pinned downloads: a file at a fixed address and sha256, from a local mirror or the web.

Every external file the package needs (boundary SQL, the Kemendagri code list) comes
through :func:`fetch_pinned`:

1. the cache (``data/cache``, or ``MIGRATION_NTT_CACHE``), if its copy has the right hash;
2. a local mirror folder (``mirror=`` or ``MIGRATION_NTT_MIRROR``; CI points it at
   ``../shared/data``), searched for the file name and checked;
3. the pinned address, with pooch (hash checked, nothing kept from a bad download).

A wrong hash, or no network and no mirror, raises :class:`DownloadError` saying what to do.

Examples
--------
>>> from migration_ntt import download
>>> download.DownloadError.__mro__[1].__name__
'RuntimeError'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from migration_ntt import config
from migration_ntt.manifest import sha256_file


class DownloadError(RuntimeError):
    """A pinned file could not be obtained; the message says what to do."""


def find_in_mirror(mirror: Path, file_name: str, hints: tuple[str, ...] = ()) -> Path | None:
    """The first file called ``file_name`` in the mirror: the ``hints`` folders first, then
    anywhere below it."""
    for folder in ("", *hints):
        candidate = mirror / folder / file_name
        if candidate.is_file():
            return candidate
    found = sorted(mirror.rglob(file_name)) if mirror.is_dir() else []
    return found[0] if found else None


def copy_atomically(source: Path, target: Path) -> None:
    """Copy so that ``target`` is either absent or complete, never half written."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(handle)
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def fetch_pinned(
    url: str,
    sha256: str,
    *,
    label: str,
    mirror: str | Path | None = None,
    hints: tuple[str, ...] = (),
    store: str = "downloads",
) -> Path:
    """A verified local copy of the file at ``url`` (see the module docstring).

    Parameters
    ----------
    url : str
        The pinned address (a commit, never a branch).
    sha256 : str
        Its expected sha256.
    label : str
        What the file is, for messages ("cahyadsn/wilayah db/wilayah.sql@d68e8d5").
    mirror : path, optional
        Folder searched first (default ``MIGRATION_NTT_MIRROR``).
    hints : tuple of str
        Folders inside the mirror where the file usually is.
    store : str
        Sub-folder of the cache.

    Raises
    ------
    DownloadError
        Hash mismatch, or no mirror copy and the download failed.
    """
    file_name = url.rsplit("/", 1)[-1]
    folder = config.cache_dir() / store
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name
    if target.is_file() and sha256_file(target) == sha256:
        return target
    mirror_path = Path(mirror) if mirror is not None else config.mirror_dir()
    if mirror_path is not None:
        local = find_in_mirror(mirror_path, file_name, hints)
        if local is not None:
            actual = sha256_file(local)
            if actual != sha256:
                raise DownloadError(
                    f"{local}: sha256 {actual} does not match the pinned {sha256} for "
                    f"{label}. The mirror copy is damaged or a different version: replace "
                    f"it with the pinned file, or unset {config.MIRROR_ENV} to download it."
                )
            copy_atomically(local, target)
            return target
    import pooch

    try:
        downloaded = pooch.retrieve(
            url=url,
            known_hash=f"sha256:{sha256}",
            fname=file_name,
            path=folder,
            progressbar=False,
        )
    except ValueError as error:  # pooch: hash mismatch (the bad file is removed)
        raise DownloadError(
            f"download of {label} failed its sha256 check ({error}). Try again later, or "
            f"place the pinned file in a folder and set {config.MIRROR_ENV}."
        ) from error
    except Exception as error:  # network errors come in many types
        raise DownloadError(
            f"could not download {url} ({type(error).__name__}: {error}). Without a network, "
            f"put {file_name} in a folder and set {config.MIRROR_ENV} to it (CI uses "
            "../shared/data)."
        ) from error
    return Path(downloaded)
