"""Tests for the shared panel attrs (no deep copies on every pandas operation)."""

from __future__ import annotations

import json

import pandas as pd

from migration_ntt.panel.attrs import Shared, SharedList


def test_derived_frames_share_the_attrs_instead_of_copying_them():
    frame = pd.DataFrame({"year": [2024, 2025], "deaths": [3, 4]})
    frame.attrs["record_counts"] = Shared({"deaths": {"rows": 7}})
    frame.attrs["split"] = SharedList([{"year": 2024}])
    derived = frame[frame["year"] > 2024].assign(rate=lambda t: t["deaths"] / 2)
    assert derived.attrs["record_counts"] is frame.attrs["record_counts"]
    assert derived.attrs["split"] is frame.attrs["split"]


def test_plain_attrs_are_still_copied_and_shared_ones_stay_json():
    frame = pd.DataFrame({"year": [2024]})
    frame.attrs["plain"] = {"rows": 1}
    frame.attrs["shared"] = Shared({"rows": 1})
    derived = frame.copy()
    assert derived.attrs["plain"] is not frame.attrs["plain"]
    assert json.loads(json.dumps(frame.attrs)) == {"plain": {"rows": 1}, "shared": {"rows": 1}}
