"""Bilingual labels: both languages everywhere, numbers formatted for the language."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest

from migration_ntt import labels


def test_labels_cover_both_languages_and_format_numbers():
    for key, texts in labels.LABELS.items():
        assert set(texts) == {"id", "en"}, key
    assert labels.format_number(1234.5, "id", 1) == "1.234,5"
    assert labels.format_number(1234.5, "en", 1) == "1,234.5"
    assert labels.format_number(float("nan"), "en") == "–"
    with pytest.raises(ValueError, match="unknown language"):
        labels.label("no_data", "fr")
