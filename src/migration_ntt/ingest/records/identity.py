"""Who is who in a case file: person keys per batch, and duplicates from compact arrays.

Person keys are keyed BLAKE2b digests (:mod:`migration_ntt.privacy`) of the normalised NIK,
else of name + birth date. Names and NIKs are used here and nowhere after: a batch leaves
this module with 16 digest bytes per row.

**Duplicates** are the same person (key), event type and day: rows are ordered by key,
event type, day and input order, and a row within ``dedupe_days`` of the previous row of
the same person and event type is a duplicate of the first row of that chain. A year-only
record counts as 1 January of its year. Rows without a person key are never duplicates.
The search runs on compact arrays kept across batches (two ``uint64`` per key, an
``int32`` day, an ``int8`` event code: 25 bytes a row), so a 10-million-row file needs
about 250 MB for it, whatever the width of its rows.

Examples
--------
>>> import numpy as np
>>> from migration_ntt.ingest.records import identity
>>> digests = np.zeros((3, 16), dtype=np.uint8)
>>> kept = identity.find_duplicates(
...     digests, np.array([True, True, True]), np.array([1, 1, 1]),
...     np.array([10, 12, 40]), dedupe_days=5)
>>> kept.tolist()
[-1, 0, -1]
"""

from __future__ import annotations

import numpy as np


def find_duplicates(
    digests: np.ndarray,
    has_key: np.ndarray,
    event: np.ndarray,
    day: np.ndarray,
    *,
    dedupe_days: int = 0,
) -> np.ndarray:
    """For each row, the position of the kept row it duplicates, or −1 (module docstring).

    Parameters
    ----------
    digests : (n, 16) uint8
        Person-key digests (only rows with ``has_key`` are compared).
    has_key : (n,) bool
    event : (n,) int
        Event-type code.
    day : (n,) int
        Event day number (days since 1970-01-01; 1 January for year-only records).
    dedupe_days : int
        Rows of one person and event type within this many days of the previous one are
        duplicates (0: the same day only).
    """
    n = len(has_key)
    kept = np.full(n, -1, dtype=np.int64)
    candidates = np.flatnonzero(has_key)
    if len(candidates) < 2:
        return kept
    # Only rows whose key shares its first 64 bits with another row can be duplicates:
    # one sort of that word, then the full sort on those rows only (a few percent).
    first_word = np.ascontiguousarray(digests[candidates, :8]).view(np.uint64).ravel()
    by_word = np.argsort(first_word)
    sorted_word = first_word[by_word]
    shared = np.zeros(len(by_word), dtype=bool)
    equal = sorted_word[1:] == sorted_word[:-1]
    shared[1:] |= equal
    shared[:-1] |= equal
    candidates = np.sort(candidates[by_word[shared]])
    if len(candidates) < 2:
        return kept
    words = np.ascontiguousarray(digests[candidates]).view(np.uint64).reshape(-1, 2)
    order = np.lexsort((candidates, day[candidates], event[candidates], words[:, 1], words[:, 0]))
    sorted_words = words[order]
    sorted_event = event[candidates][order]
    sorted_day = day[candidates][order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (
        (sorted_words[1:, 0] == sorted_words[:-1, 0])
        & (sorted_words[1:, 1] == sorted_words[:-1, 1])
        & (sorted_event[1:] == sorted_event[:-1])
        & (sorted_day[1:] - sorted_day[:-1] <= dedupe_days)
    )
    if not same.any():
        return kept
    chain = np.cumsum(~same) - 1
    first_of_chain = candidates[order[np.flatnonzero(~same)]]
    rows = candidates[order]
    kept[rows[same]] = first_of_chain[chain[same]]
    return kept


def event_days(dates: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Day numbers for the duplicate search: the date, else 1 January of the year (−1 if
    neither)."""
    day = dates.astype("datetime64[D]").astype(np.int64)
    missing = np.isnat(dates)
    january = (
        (np.nan_to_num(years, nan=1970).astype(np.int64) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[D]")
        .astype(np.int64)
    )
    return np.where(missing, np.where(np.isnan(years), -1, january), day)
