"""Speed targets for migration-ntt. Run with ``make bench`` (``python -m benchmarks``)."""
