"""``clean_records`` on a 1,000,000-row synthetic CSV.

Prints rows/s, peak memory (max RSS of a fresh process that only cleans the file) and the
ratio of clean time to a bare ``pyarrow.csv.read_csv`` of the same file. Targets: ratio
≤ 3 and peak memory ≤ 2 GB. The first call in a process also compiles (or loads from the
numba cache) the batched HMAC kernel; that one-off cost is printed apart and the medians
are of the runs after it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import median_seconds

N_ROWS = 1_000_000
SCRIPT = """
import json, resource, sys, time
from migration_ntt.ingest import records
start = time.perf_counter()
result = records.clean_records(sys.argv[1], secret="bench")
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "rows": result.report.n_input}))
"""


def _runs(timings: list[float]) -> str:
    return ", ".join(f"{t:.3f}" for t in timings)


def main() -> None:
    import pyarrow.csv as pacsv

    from migration_ntt.ingest import records, synthetic

    folder = Path(tempfile.gettempdir()) / "migration_ntt_bench"
    path = folder / f"bench_synthetic_{N_ROWS}.csv"
    if not path.exists():
        print(f"writing {path} …", flush=True)
        synthetic.write_synthetic_csv(path, N_ROWS, seed=7)
    size_mb = path.stat().st_size / 1e6

    read_median, read_runs = median_seconds(
        lambda: pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=1)), repeats=5
    )
    first, _ = median_seconds(lambda: records.clean_records(path, secret="bench"), repeats=1)
    clean_median, clean_runs = median_seconds(
        lambda: records.clean_records(path, secret="bench"), repeats=3
    )
    result = records.clean_records(path, secret="bench")
    fresh = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(path)], capture_output=True, text=True, check=True
    )
    measured = json.loads(fresh.stdout.strip().splitlines()[-1])

    ratio = clean_median / read_median
    rows = result.report.n_input
    print(f"file: {rows:,} rows, {size_mb:.0f} MB")
    print(f"  bare pyarrow read: median {read_median:.3f} s ({_runs(read_runs)})")
    print(
        f"  clean_records:     median {clean_median:.3f} s ({_runs(clean_runs)});"
        f" first call {first:.3f} s"
    )
    print(
        f"  {rows / clean_median:,.0f} rows/s; ratio clean/read {ratio:.1f} "
        f"(target ≤ 3: {'met' if ratio <= 3 else 'MISSED'})"
    )
    print(
        f"  fresh process: {measured['seconds']:.3f} s, peak memory "
        f"{measured['peak_bytes'] / 2**30:.2f} GB (target ≤ 2 GB: "
        f"{'met' if measured['peak_bytes'] <= 2 * 2**30 else 'MISSED'})"
    )
    print(
        f"  accounted: {result.report.accounted} ({result.report.n_clean:,} clean, "
        f"{result.report.n_rejects:,} rejected, {result.report.n_duplicates:,} duplicates)"
    )
