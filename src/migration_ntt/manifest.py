"""Sidecar manifests: every written table says what it was made from.

A manifest is a JSON file beside an output (``panel.parquet`` →
``panel.manifest.json``) listing the inputs with their sha256, the package version,
the parameters and the time, so a number in a brief can be traced to its sources.

Examples
--------
>>> import tempfile, pathlib
>>> from migration_ntt.manifest import write_manifest
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "t.csv").write_text("a\\n1\\n")
>>> write_manifest(folder / "t.csv", inputs=[], parameters={"k": 1}).name
't.manifest.json'
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from migration_ntt import __version__


def sha256_file(path: Path) -> str:
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest_path(output: Path) -> Path:
    """``panel.parquet`` → ``panel.manifest.json``."""
    return output.with_name(output.name.split(".")[0] + ".manifest.json")


def write_manifest(
    output: Path,
    inputs: Iterable[Path | str],
    parameters: Mapping[str, object] | None = None,
    outputs: Iterable[Path] = (),
    sources: Iterable[str] = (),
) -> Path:
    """Write ``<output stem>.manifest.json`` beside ``output`` and return its path.

    Parameters
    ----------
    output : Path
        The main file written.
    inputs : iterable of Path or str
        Files read (hashed) or non-file inputs such as ``"cahyadsn/wilayah_boundaries@3c5a796"``.
    parameters : mapping, optional
        The arguments that shaped the output.
    outputs : iterable of Path
        Further files written with it (hashed too).
    sources : iterable of str
        Source URLs of the facts used (listed in the brief).
    """

    def describe(item: Path | str) -> dict[str, object]:
        path = Path(item)
        if path.is_file():
            return {"path": str(path), "sha256": sha256_file(path), "bytes": path.stat().st_size}
        return {"name": str(item)}

    record = {
        "output": output.name,
        "outputs": [describe(path) for path in [output, *outputs]],
        "inputs": [describe(item) for item in inputs],
        "parameters": dict(parameters or {}),
        "sources": sorted(set(sources)),
        "package": "migration-ntt",
        "version": __version__,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    target = manifest_path(output)
    target.write_text(json.dumps(record, indent=2, default=str, ensure_ascii=False) + "\n")
    return target
