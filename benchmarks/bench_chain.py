"""``migration-ntt all`` (what ``make demo`` runs), step by step: medians of 3 fresh runs.

Each run starts a new process in an empty project folder (the committed ``data/raw``
linked in, a warm boundary cache shared by the runs, the offline mirror), so import time
and every step are counted as a user meets them. The step times are the ones the command
prints; ``total`` is the wall time of the process.

``python -m benchmarks chain`` measures this checkout. To put another commit beside it,
check it out in a worktree and name its folder::

    git worktree add /tmp/base <commit>
    BENCH_AGAINST=/tmp/base python -m benchmarks chain

The other checkout runs with this environment's libraries and its own source.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 3
STEP = re.compile(r"^\[(?P<name>[^\]]+)\]")
SECONDS = re.compile(r"^\s+\((?P<seconds>[\d.]+) s\)$")


def _project(cache: Path) -> Path:
    home = Path(tempfile.mkdtemp(prefix="bench_chain_"))
    (home / "data").mkdir()
    (home / "data" / "raw").symlink_to(ROOT / "data" / "raw", target_is_directory=True)
    return home


def run_once(source: Path, cache: Path, arguments: list[str]) -> dict[str, float]:
    """Step times (and ``total``) of one ``migration-ntt all`` with ``source``'s code."""
    home = _project(cache)
    env = {
        **os.environ,
        "MIGRATION_NTT_HOME": str(home),
        "MIGRATION_NTT_CACHE": str(cache),
        "MPLBACKEND": "Agg",
        "PYTHONPATH": str(source / "src"),
    }
    env.setdefault("MIGRATION_NTT_MIRROR", str(ROOT.parent / "shared" / "data"))
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "migration_ntt.cli", "all", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    total = time.perf_counter() - start
    shutil.rmtree(home, ignore_errors=True)
    if done.returncode != 0:
        raise RuntimeError(f"{source}: migration-ntt all failed:\n{done.stderr[-2000:]}")
    steps: dict[str, float] = {}
    current = None
    for line in done.stdout.splitlines():
        if (found := STEP.match(line)) is not None:
            current = found["name"]
        elif (found := SECONDS.match(line)) is not None and current is not None:
            steps[current] = float(found["seconds"])
    steps["total"] = total
    return steps


def measure(source: Path, arguments: list[str], repeats: int = REPEATS) -> dict[str, float]:
    """Median of each step over ``repeats`` fresh runs (a first run warms the cache)."""
    cache = Path(tempfile.mkdtemp(prefix="bench_chain_cache_"))
    run_once(source, cache, arguments)
    runs = [run_once(source, cache, arguments) for _ in range(repeats)]
    shutil.rmtree(cache, ignore_errors=True)
    names = list(dict.fromkeys(name for run in runs for name in run))
    return {name: statistics.median(run.get(name, 0.0) for run in runs) for name in names}


def main() -> None:
    arguments = os.environ.get("BENCH_CHAIN_ARGS", "").split()
    sources = {"this checkout": ROOT}
    if os.environ.get("BENCH_AGAINST"):
        sources = {os.environ["BENCH_AGAINST"]: Path(os.environ["BENCH_AGAINST"]), **sources}
    results = {label: measure(path, arguments) for label, path in sources.items()}
    names = list(dict.fromkeys(name for result in results.values() for name in result))
    width = max(len(name) for name in names)
    header = "".join(f"{label[-28:]:>30}" for label in results)
    print(f"migration-ntt all {' '.join(arguments)}: median of {REPEATS} fresh runs (s)")
    print(f"{'step':<{width}}{header}")
    for name in names:
        row = "".join(
            f"{result[name]:>30.1f}" if name in result else f"{'(not a step of its own)':>30}"
            for result in results.values()
        )
        print(f"{name:<{width}}{row}")
    if len(results) == 2:
        before, after = (result["total"] for result in results.values())
        print(f"speed-up of the whole command: {before / after:.2f}×")
