"""``clean_records`` on synthetic case files of 1 and 10 million rows.

For the 1M-row file (160 MB): median clean time of 3 runs, rows/s, the ratio to a bare
``pyarrow.csv.read_csv`` of the same file (median of 3, after a warm-up read so both read
from the page cache), and peak memory (max RSS of a fresh process that only cleans the
file), both in memory and streamed to a folder (``out=``). For 10M rows (generated on the
fly in chunks into a temporary file, 1.6 GB; kept between runs): streamed time per million
rows and peak memory, median of 3 fresh processes.

Targets (issue 11): ratio ≤ 3, peak ≤ 1 GB at 1M rows; peak ≤ 2 GB and time roughly
linear at 10M rows.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.timing import median_seconds

FOLDER = Path(tempfile.gettempdir()) / "migration_ntt_bench"
# Peak memory from VmHWM (this address space's high-water mark): ru_maxrss is inherited
# across fork + exec on Linux and would report the benchmark parent's peak.
SCRIPT = """
import json, re, resource, sys, tempfile, time
from migration_ntt.ingest import records
out = tempfile.mkdtemp() if sys.argv[2] == "out" else None
start = time.perf_counter()
result = records.clean_records(sys.argv[1], secret="bench", out=out)
elapsed = time.perf_counter() - start
try:
    status = open("/proc/self/status").read()
    peak = int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) * 1024
except (OSError, AttributeError):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "rows": result.report.n_input,
                  "accounted": result.report.accounted}))
"""


def _runs(timings: list[float]) -> str:
    return ", ".join(f"{t:.2f}" for t in timings)


def _fresh(path: Path, mode: str, repeats: int) -> list[dict[str, float]]:
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, str(path), mode],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return runs


def _file(rows: int) -> Path:
    from migration_ntt.ingest import synthetic

    path = FOLDER / f"bench_synthetic_{rows}.csv"
    if not path.exists():
        print(f"writing {path} …", flush=True)
        synthetic.write_large_synthetic_csv(path, rows, seed=7)
    return path


def main() -> None:
    import pyarrow.csv as pacsv

    from migration_ntt.ingest import records

    path = _file(1_000_000)
    size_mb = path.stat().st_size / 1e6

    def bare_read():
        return pacsv.read_csv(path, read_options=pacsv.ReadOptions(skip_rows=1))

    bare_read()  # warm the page cache for both
    read_median, read_runs = median_seconds(bare_read, repeats=3)
    records.clean_records(path, secret="bench")  # warm-up (imports, caches)
    clean_median, clean_runs = median_seconds(
        lambda: records.clean_records(path, secret="bench"), repeats=3
    )
    memory = _fresh(path, "memory", 1)[0]
    streamed = _fresh(path, "out", 3)
    rows = memory["rows"]
    ratio = clean_median / read_median
    print(f"1M file: {rows:,} rows, {size_mb:.0f} MB")
    print(f"  bare pyarrow read:  median {read_median:.3f} s ({_runs(read_runs)})")
    print(f"  clean_records:      median {clean_median:.3f} s ({_runs(clean_runs)})")
    print(
        f"  {rows / clean_median:,.0f} rows/s; ratio clean/read {ratio:.1f} "
        f"(target ≤ 3: {'met' if ratio <= 3 else 'MISSED'})"
    )
    peak = memory["peak_bytes"] / 2**30
    verdict = "met" if peak <= 1 else "MISSED"
    print(f"  peak memory, in memory: {peak:.2f} GB (target ≤ 1 GB: {verdict})")
    streamed_seconds = statistics.median(r["seconds"] for r in streamed)
    streamed_peak = max(r["peak_bytes"] for r in streamed) / 2**30
    print(
        f"  streamed to a folder: median {streamed_seconds:.2f} s "
        f"({_runs([r['seconds'] for r in streamed])}), peak {streamed_peak:.2f} GB"
    )

    big = _file(10_000_000)
    runs = _fresh(big, "out", 3)
    big_seconds = statistics.median(r["seconds"] for r in runs)
    big_peak = max(r["peak_bytes"] for r in runs) / 2**30
    per_million = big_seconds / (runs[0]["rows"] / 1e6)
    print(f"10M file: {runs[0]['rows']:,} rows, {big.stat().st_size / 1e9:.1f} GB, streamed")
    print(
        f"  median {big_seconds:.1f} s ({_runs([r['seconds'] for r in runs])}); "
        f"{per_million:.2f} s per million rows vs {streamed_seconds / (rows / 1e6):.2f} at 1M"
    )
    print(
        f"  peak memory {big_peak:.2f} GB (target ≤ 2 GB: {'met' if big_peak <= 2 else 'MISSED'})"
    )
    print(f"  accounted: {all(r['accounted'] for r in runs)}")
