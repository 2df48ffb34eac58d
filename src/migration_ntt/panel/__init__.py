"""The analytic panel: one row per regency (``bps_code``) and year.

Columns, in groups:

* **counts** (:data:`COUNTS`): PMI deaths abroad, troubled returnees, legal placements,
  deportees, trafficking suspects and victims. Each comes from the single most complete
  report of its year (:func:`migration_ntt.ingest.tallies.select_reports`, never a sum
  of cumulative reports) and carries ``<count>_period_start``, ``<count>_period_end``,
  ``<count>_coverage`` (fraction of the year the report covers), ``<count>_units``
  (units the report names) and ``<count>_source``. A unit the report does not name is
  **missing, not zero** in ``<count>`` itself; ``<count>_completeness`` says what its
  silence means (:func:`migration_ntt.ingest.tallies.report_completeness`):
  ``complete`` (the list accounts for the report's province total: unnamed = 0),
  ``top_n`` (unnamed ≤ ``<count>_unnamed_max``) or ``partial`` (unknown), with the
  report's ``<count>_stated_total``. :func:`observed_counts` applies it.
* **exposure**: ``population`` with ``population_series`` and ``population_year`` saying
  which series and year each value is (BPS projections where published, else the nearest
  census or projection year).
* **covariates** (:data:`COVARIATES`): each with ``<covariate>_year``, the year the value
  is from (the nearest available: most covariates are published for a few years only).
  ``grdp_per_capita_million_rp`` is derived (GRDP at constant prices / population of the
  same year) and ``density_per_km2`` = population / area.
* **counts from the user's own case records** (``records=``): one column per count, made
  by :func:`migration_ntt.ingest.records.counts.count_column`: zero-filled over all 22
  units and every year of the records' period (a register covers every unit), with the
  same ``_period_start``, ``_period_end``, ``_coverage``, ``_units`` and ``_source``
  columns as the published counts (``source`` = "case records: FILE") and a
  ``_synthetic`` flag. The manifest and ``attrs["record_counts"]`` account for every clean
  record: counted, excluded by ``select``, or outside the period.

Every analysis downstream takes the panel and the name of a count column
(:func:`count_columns` lists them).

Examples
--------
>>> from migration_ntt import panel
>>> table = panel.build_panel(write=False)
>>> bool(table.groupby("year").size().eq(22).all())
True

Your own case records, non-procedural cases only:

>>> from migration_ntt.ingest import records, synthetic
>>> messy, _ = synthetic.generate_records(500, seed=3)
>>> cleaned = records.clean_records(messy, secret="demo")
>>> own = panel.build_panel(records=cleaned, select={"procedural": "non_prosedural"},
...                         name="np_cases", write=False)
>>> int(own["np_cases"].isna().sum()), float(own["np_cases_coverage"].min())
(0, 1.0)
"""

from migration_ntt.panel.build import (
    COUNTS,
    COVARIATES,
    DATA_YEAR_LAG,
    DEFAULT_YEARS,
    ENFORCEMENT_COUNTS,
    MIN_UNITS_PER_REPORT,
    POPULATION_SERIES,
    build_panel,
    harmonise,
)
from migration_ntt.panel.counts import (
    LEGAL_PLACEMENTS_YEAR,
    count_columns,
    count_metadata,
    count_source_label,
    coverage_summary,
    default_count,
    observed_counts,
    per_legal_placements,
    records_credit,
    with_known_zeros,
)
from migration_ntt.panel.district import build_district_panel
from migration_ntt.panel.io import latest_values, write_panel

__all__ = [
    "COUNTS",
    "COVARIATES",
    "DATA_YEAR_LAG",
    "DEFAULT_YEARS",
    "ENFORCEMENT_COUNTS",
    "LEGAL_PLACEMENTS_YEAR",
    "MIN_UNITS_PER_REPORT",
    "POPULATION_SERIES",
    "build_district_panel",
    "build_panel",
    "count_columns",
    "count_metadata",
    "count_source_label",
    "coverage_summary",
    "default_count",
    "harmonise",
    "latest_values",
    "observed_counts",
    "per_legal_placements",
    "records_credit",
    "with_known_zeros",
    "write_panel",
]
