"""Data at the source: a phone form and an Excel log whose exports clean with no mapping.

* :func:`write_xlsform`: an XLSForm for ODK Collect / KoboToolbox (offline on Android),
  regency → kecamatan → desa as cascading selects from the package's gazetteer;
* :func:`write_template`: an Excel case log with drop-down lists (kecamatan and desa
  depending on the regency and kecamatan), a bilingual instructions sheet and dates as
  dates.

Both ask the questions of :mod:`migration_ntt.ingest.records.form` (choice lists:
:mod:`.choices`); their exports are recognised by
:mod:`migration_ntt.ingest.records.exports`. Collect → export → ``migration-ntt all
--records export.csv``.
"""

from __future__ import annotations

from migration_ntt.ingest.intake.template import write_template
from migration_ntt.ingest.intake.xlsform import write_xlsform

__all__ = ["write_template", "write_xlsform"]
