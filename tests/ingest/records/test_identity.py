"""Person keys per batch and duplicates from compact arrays."""

from __future__ import annotations

import numpy as np
import pandas as pd

from migration_ntt.ingest.records import identity


def _digests(keys: list[int]) -> np.ndarray:
    out = np.zeros((len(keys), 16), dtype=np.uint8)
    out[:, 0] = keys
    return out


def test_same_person_event_and_day_are_duplicates_of_the_first():
    kept = identity.find_duplicates(
        _digests([1, 1, 2, 1]),
        np.array([True, True, True, True]),
        np.array([0, 0, 0, 1]),  # the fourth row is another event type
        np.array([100, 100, 100, 100]),
    )
    assert kept.tolist() == [-1, 0, -1, -1]


def test_chains_within_dedupe_days_point_to_the_chain_start():
    days = np.array([10, 13, 16, 40, 12])
    kept = identity.find_duplicates(
        _digests([7] * 5), np.ones(5, bool), np.zeros(5, int), days, dedupe_days=3
    )
    # sorted by day: 10 (row 0), 12 (row 4), 13 (row 1), 16 (row 2) form one chain; 40 alone
    assert kept.tolist() == [-1, 0, 0, -1, 0]


def test_rows_without_a_key_are_never_duplicates():
    kept = identity.find_duplicates(
        _digests([0, 0]), np.array([False, False]), np.zeros(2, int), np.zeros(2, int)
    )
    assert kept.tolist() == [-1, -1]


def test_order_does_not_depend_on_how_rows_were_split_into_batches():
    rng = np.random.default_rng(3)
    n = 5000
    digests = _digests(rng.integers(0, 200, n).tolist())
    event = rng.integers(0, 3, n)
    day = rng.integers(0, 50, n)
    has = rng.random(n) > 0.05
    whole = identity.find_duplicates(digests, has, event, day, dedupe_days=2)
    # the same arrays assembled from pieces (as batches are) give the same answer
    pieces = np.array_split(np.arange(n), 7)
    joined = identity.find_duplicates(
        np.concatenate([digests[p] for p in pieces]),
        np.concatenate([has[p] for p in pieces]),
        np.concatenate([event[p] for p in pieces]),
        np.concatenate([day[p] for p in pieces]),
        dedupe_days=2,
    )
    assert np.array_equal(whole, joined)
    # every duplicate points to a kept row of the same person and event type
    dup = np.flatnonzero(whole >= 0)
    assert (whole[whole[dup]] == -1).all()
    assert (digests[dup, 0] == digests[whole[dup], 0]).all()
    assert (event[dup] == event[whole[dup]]).all()


def test_event_days_use_january_first_for_year_only_records():
    dates = np.array(["2024-03-05", "NaT", "NaT"], dtype="datetime64[ns]")
    days = identity.event_days(dates, np.array([2024.0, 2023.0, np.nan]))
    assert days[0] == (pd.Timestamp("2024-03-05") - pd.Timestamp("1970-01-01")).days
    assert days[1] == (pd.Timestamp("2023-01-01") - pd.Timestamp("1970-01-01")).days
    assert days[2] == -1
