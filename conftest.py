"""Settings for every test and doctest: no downloads, no screen."""

import os
from pathlib import Path

# Tests never download: boundary files come from the shared mirror beside the checkout.
SHARED_DATA = Path(__file__).resolve().parent.parent / "shared" / "data"
os.environ.setdefault("MIGRATION_NTT_MIRROR", str(SHARED_DATA))
os.environ.setdefault("MPLBACKEND", "Agg")
