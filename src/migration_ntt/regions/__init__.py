"""Geography: NTT's 22 regencies and, below them, its 315 kecamatan and 3,442 desa.

Two modules, in this order (``places`` builds on ``units``, never the reverse):

* :mod:`.units`: the 22 units (21 kabupaten and Kota Kupang), their BPS and Kemendagri
  codes, aliases, splits (pemekaran), the sea links between islands, and :func:`resolve`
  for regency names as they are written;
* :mod:`.codes`: regency codes in either numbering, and the regency of a NIK;
* :mod:`.places`: the kecamatan/desa gazetteer from the Kemendagri 2025 code list and
  :func:`resolve_places` for place names and codes as case files write them.

This package is the geography API: ``regions.regencies()``, ``regions.resolve(...)``,
``regions.resolve_places(...)``; the gazetteer module is ``regions.places``
(``regions.places.places("district")``).

Examples
--------
>>> from migration_ntt import regions
>>> len(regions.regencies()), len(regions.places.places("village"))
(22, 3442)
"""

from migration_ntt.regions import places
from migration_ntt.regions.codes import regency_from_nik, resolve_codes
from migration_ntt.regions.places import PLACE_MATCHES, resolve_places
from migration_ntt.regions.units import (
    FUZZY_MARGIN,
    FUZZY_MIN_LENGTH,
    FUZZY_THRESHOLD,
    MATCH_KINDS,
    REGENCY_COLUMNS,
    aliases,
    codes_at_year,
    regencies,
    resolve,
    sea_links,
)

__all__ = [
    "FUZZY_MARGIN",
    "FUZZY_MIN_LENGTH",
    "FUZZY_THRESHOLD",
    "MATCH_KINDS",
    "PLACE_MATCHES",
    "REGENCY_COLUMNS",
    "aliases",
    "codes_at_year",
    "places",
    "regencies",
    "regency_from_nik",
    "resolve",
    "resolve_codes",
    "resolve_places",
    "sea_links",
]
