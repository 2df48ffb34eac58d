"""Tests for person keys (keyed BLAKE2b) and small-cell suppression."""

from __future__ import annotations

import hashlib
import itertools

import numpy as np
import pandas as pd
import pytest

from migration_ntt import privacy


def _blake(key: bytes, message: bytes) -> str:
    return hashlib.blake2b(message, key=key, digest_size=16).hexdigest()


@pytest.mark.parametrize("key_length", [1, 16, 32, 64])
def test_keyed_digests_equal_the_standard_library(key_length):
    rng = np.random.default_rng(key_length)
    key = rng.bytes(key_length)
    messages = [rng.bytes(length) for length in range(0, 300)]
    ours = privacy.keyed_digests(messages, key)
    assert ours == b"".join(hashlib.blake2b(m, key=key, digest_size=16).digest() for m in messages)


def test_secret_length_rules():
    assert privacy.resolve_secret("s") == b"s"
    assert privacy.resolve_secret(b"k" * 64) == b"k" * 64
    long = privacy.resolve_secret("x" * 65)
    assert long == hashlib.blake2b(b"x" * 65, digest_size=64).digest()
    with pytest.raises(ValueError, match="empty"):
        privacy.resolve_secret("")


def test_person_key_is_keyed_blake2b_of_normalised_nik():
    keys = privacy.person_keys(
        pd.Series(["5321 0145 0190 0001", "5321014501900001", "5321-0145-0190-0001", None]),
        secret="s",
    )
    expected = _blake(b"s", b"nik:5321014501900001")
    assert keys.iloc[0] == keys.iloc[1] == keys.iloc[2] == expected
    assert pd.isna(keys.iloc[3])


def test_repeated_niks_share_a_key_and_differ_from_others():
    niks = pd.Series([f"53{n % 50:014d}" for n in range(500)])
    keys = privacy.person_keys(niks, secret="s")
    assert keys.nunique() == 50
    assert (keys == keys.shift(50)).iloc[50:].all()


def test_name_and_birth_date_fallback():
    keys = privacy.person_keys(
        pd.Series(["123", "123"]),
        pd.Series(["Maria  Tefa", "maria tefa"]),
        pd.Series(pd.to_datetime(["1990-01-02", "1990-01-02"])),
        secret="s",
    )
    assert keys.iloc[0] == keys.iloc[1]
    assert keys.iloc[0] == _blake(b"s", b"nb:maria tefa|1990-01-02")


def _feasible_values(table, column, total, threshold):
    """Every assignment of hidden cells consistent with the shown cells and the total."""
    shown = table[column]
    hidden = shown.isin([f"<{threshold}", privacy.SECONDARY_MARK])
    visible_sum = pd.to_numeric(shown[~hidden]).sum()
    ranges = [
        range(1, threshold) if value == f"<{threshold}" else range(1, total + 1)
        for value in shown[hidden]
    ]
    return [combo for combo in itertools.product(*ranges) if sum(combo) == total - visible_sum]


@pytest.mark.parametrize(
    "counts",
    [[2, 9, 30, 0, 14], [1, 1, 20, 40], [3, 4, 50], [12, 2, 7, 7, 100], [1, 0, 0, 6]],
)
def test_suppression_leaves_nothing_derivable(counts):
    table = pd.DataFrame({"n": counts, "rate": np.array(counts) / 10})
    out = privacy.suppress_small_counts(table, ["n"], derived={"rate": "n"})
    total = sum(counts)
    solutions = _feasible_values(out, "n", total, 5)
    hidden_positions = np.flatnonzero(out["n_suppressed"])
    assert any(1 <= c < 5 for c in counts) == bool(len(hidden_positions))
    for index in range(len(hidden_positions)):
        assert len({solution[index] for solution in solutions}) > 1
    assert out.loc[out["n_suppressed"], "rate"].isna().all()
    assert (
        out.loc[~out["n_suppressed"], "n"] == pd.Series(counts)[~out["n_suppressed"]].astype(str)
    ).all()


def test_researcher_mode_shows_everything():
    table = pd.DataFrame({"n": [1, 2, 3]})
    assert privacy.suppress_small_counts(table, ["n"], mode="researcher").equals(table)
    with pytest.raises(ValueError, match="mode"):
        privacy.suppress_small_counts(table, ["n"], mode="public")


def test_suppression_by_group():
    table = pd.DataFrame({"year": [2023, 2023, 2024, 2024], "n": [2, 30, 40, 50]})
    out = privacy.suppress_small_counts(table, ["n"], group_by="year")
    assert out["n"].tolist() == ["<5", "x", "40", "50"]
