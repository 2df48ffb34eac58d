"""``regions.resolve`` on a 1,000,000-row column drawn from 200 distinct spellings.

Target: under 1 s (median of 5 runs), i.e. over 1,000,000 rows/s.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.timing import median_seconds
from migration_ntt import regions

N_ROWS = 1_000_000
N_SPELLINGS = 200


def spellings(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct spellings: real names and aliases, varied in case, prefix and typos."""
    rng = np.random.default_rng(seed)
    table = regions.regencies()
    base = pd.concat(
        [table["name"], table["short_name"], table["name_en"], regions.aliases()["alias"]]
    ).tolist()
    prefixes = ["", "Kab. ", "Kabupaten ", "KAB ", "Polres ", ""]
    out: set[str] = set()
    while len(out) < n:
        name = base[rng.integers(len(base))]
        text = prefixes[rng.integers(len(prefixes))] + name
        if rng.random() < 0.3:
            text = text.upper()
        if rng.random() < 0.2 and len(text) > 6:
            cut = int(rng.integers(1, len(text) - 1))
            text = text[:cut] + text[cut + 1 :]
        out.add(text)
    return sorted(out)


def main() -> None:
    rng = np.random.default_rng(1)
    distinct = spellings(N_SPELLINGS)
    column = pd.Series(np.array(distinct, dtype=object)[rng.integers(0, N_SPELLINGS, N_ROWS)])

    def run() -> None:
        regions._lookup.cache_clear()  # include building the lookup in every run
        regions.resolve(column)

    median, timings = median_seconds(run, repeats=5)
    result = regions.resolve(column)
    print(f"resolve: {N_ROWS:,} rows, {N_SPELLINGS} distinct spellings")
    print(
        f"  median {median:.3f} s over {len(timings)} runs "
        f"({', '.join(f'{t:.3f}' for t in timings)})"
    )
    print(f"  {N_ROWS / median:,.0f} rows/s; target < 1 s: {'met' if median < 1 else 'MISSED'}")
    print("  matches:", result["match"].value_counts().to_dict())
