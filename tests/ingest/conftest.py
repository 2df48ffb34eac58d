"""Shared fixture of the ingest tests: the indicator table, loaded once."""

from __future__ import annotations

import pytest

from migration_ntt.ingest import indicators


@pytest.fixture(scope="module")
def data() -> indicators.IndicatorData:
    return indicators.load_indicators()
