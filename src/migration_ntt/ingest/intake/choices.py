"""The choice lists of the intake form and log: the gazetteer, the countries and regions
the cleaner knows, and the fixed lists of :mod:`migration_ntt.ingest.records.form`.

Examples
--------
>>> from migration_ntt.ingest.intake import choices
>>> lists = choices.choice_lists()
>>> lists["list_name"].value_counts()[["regency", "district", "village"]].tolist()
[22, 315, 3442]
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.records import countries
from migration_ntt.ingest.records.form import (
    FIXED_CHOICES,
    MONTHS_EN,
    MONTHS_ID,
    QUESTIONS,
    Question,
)
from migration_ntt.text import fold


@lru_cache(maxsize=1)
def _regions() -> tuple[tuple[str, str], ...]:
    """(ISO3, region) the cleaner knows (Malaysia's states, Taipei, Jeddah …)."""
    table = countries.lookup()
    pairs = {v for v in table.values() if isinstance(v[1], str)}
    # only regions whose own name reads back as themselves (a choice the cleaner decodes)
    return tuple(sorted(pair for pair in pairs if table.get(fold(pair[1])) == pair))


def region_choice(region: str) -> str:
    """A region's choice name: folded, words joined by ``_`` (the cleaner reads it back).

    Examples
    --------
    >>> region_choice("Kuala Lumpur")
    'kuala_lumpur'
    """
    return fold(region).replace(" ", "_")


def _countries() -> list[tuple[str, str, str]]:
    import pycountry

    rows = [
        (c.alpha_3, countries.country_name(c.alpha_3, "id"), countries.country_name(c.alpha_3))
        for c in pycountry.countries
    ]
    first = ("MYS", "SGP", "HKG", "TWN", "SAU", "KHM", "MMR")  # where NTT workers go most
    return sorted(
        rows, key=lambda r: (r[0] not in first, r[0] not in first or first.index(r[0]), r[1])
    )


@lru_cache(maxsize=1)
def choice_lists() -> pd.DataFrame:
    """Every choice of the form: ``list_name``, ``name``, ``label_id``, ``label_en`` and
    the filter columns of the cascades (``bps_code``, ``district_code``, ``iso3``).

    Returns
    -------
    DataFrame
        22 regencies, 315 kecamatan and 3,442 desa/kelurahan from the package's gazetteer
        (with their parent codes), every ISO 3166-1 country, the regions the cleaner knows,
        and the fixed lists.
    """
    rows = [
        {"list_name": list_name, "name": name, "label_id": label_id, "label_en": label_en}
        for list_name, choices in FIXED_CHOICES.items()
        for name, label_id, label_en in choices
    ]
    rows += [
        {"list_name": "month", "name": str(i + 1), "label_id": m_id, "label_en": m_en}
        for i, (m_id, m_en) in enumerate(zip(MONTHS_ID, MONTHS_EN, strict=True))
    ]
    for unit in regions.regencies().itertuples():
        rows.append(
            {
                "list_name": "regency",
                "name": unit.bps_code,
                "label_id": unit.name,
                "label_en": unit.name_en,
            }
        )
    for place in regions.places.places("district").itertuples():
        rows.append(
            {
                "list_name": "district",
                "name": place.kemendagri_code,
                "label_id": place.name,
                "label_en": place.name,
                "bps_code": place.bps_code,
            }
        )
    for place in regions.places.places("village").itertuples():
        rows.append(
            {
                "list_name": "village",
                "name": place.kemendagri_code,
                "label_id": place.name,
                "label_en": place.name,
                "district_code": place.district_code,
            }
        )
    for iso3, label_id, label_en in _countries():
        rows.append(
            {"list_name": "country", "name": iso3, "label_id": label_id, "label_en": label_en}
        )
    for iso3, region in _regions():
        rows.append(
            {
                "list_name": "destination_region",
                "name": region_choice(region),
                "label_id": region,
                "label_en": region,
                "iso3": iso3,
            }
        )
    return pd.DataFrame(rows).fillna("")


def survey_questions() -> list[Question]:
    """:data:`QUESTIONS` with the destination region asked only for countries with
    regions."""
    condition = " or ".join(f"${{destination_iso3}} = '{iso3}'" for iso3 in _regions_iso3())
    return [
        Question(**{**q.__dict__, "relevant": condition}) if q.name == "destination_region" else q
        for q in QUESTIONS
    ]


def _regions_iso3() -> list[str]:
    return sorted({iso3 for iso3, region in _regions()})
