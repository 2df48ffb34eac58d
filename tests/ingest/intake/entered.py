"""Cases as field staff would enter them in the intake form, and the exports the tools
make of them, shaped as KoboToolbox and ODK Central document their exports:

* KoboToolbox CSV, "XML values and headers" (``;``-separated): the questions under their
  group path (``case/event_type``), then ``_id``, ``_uuid``, ``_submission_time``,
  ``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``, ``__version__``,
  ``_tags``, ``_index``; metadata questions ``start`` and ``end`` first.
* ODK Central CSV: ``SubmissionDate`` first, the questions with their group path joined
  by ``-`` (``case-event_type``), then ``meta-instanceID``, ``KEY``, ``SubmitterID``,
  ``SubmitterName``, ``AttachmentsPresent``, ``AttachmentsExpected``, ``Status``,
  ``ReviewState``, ``DeviceID``, ``Edits``, ``FormVersion``.

Select questions hold choice names; skipped (irrelevant) questions are blank.
"""

from __future__ import annotations

import uuid

import numpy as np
import pandas as pd

from migration_ntt.ingest.intake import choices
from migration_ntt.ingest.records import form


def entered_cases(n: int = 80, seed: int = 7) -> pd.DataFrame:
    """``n`` cases with every question answered as the form allows (choice names), and
    the event year, for the expected counts."""
    rng = np.random.default_rng(seed)
    lists = choices.choice_lists()
    districts = lists[lists["list_name"] == "district"]
    villages = lists[lists["list_name"] == "village"]
    regions_ = lists[lists["list_name"] == "destination_region"]
    rows = []
    for i in range(n):
        district = districts.iloc[rng.integers(len(districts))]
        in_district = villages[villages["district_code"] == district["name"]]
        village = in_district.iloc[rng.integers(len(in_district))]["name"] if i % 3 else ""
        year = int(rng.integers(2019, 2026))
        precision = ("day", "month", "year")[i % 3]
        month = int(rng.integers(1, 13))
        destination = ("MYS", "MYS", "SGP", "KHM", "HKG")[i % 5]
        region_choices = regions_[regions_["iso3"] == destination]["name"].tolist()
        age_known = ("age", "birth_year", "unknown")[i % 3]
        age = int(rng.integers(18, 50))
        rows.append(
            {
                "consent": "yes",
                "event_type": ("death_abroad", "deportation", "prevented_departure")[i % 3],
                "date_precision": precision,
                "event_date": f"{year}-{month:02d}-{int(rng.integers(1, 28)):02d}"
                if precision == "day"
                else "",
                "event_year": str(year) if precision != "day" else "",
                "event_month": str(month) if precision == "month" else "",
                "bps_code": district["bps_code"],
                "district_code": district["name"],
                "village_code": village,
                "procedural": ("non_prosedural", "prosedural", "unknown")[i % 3],
                "destination_iso3": destination,
                "destination_region": region_choices[i % len(region_choices)]
                if region_choices
                else "",
                "sex": ("male", "female")[i % 2],
                "age_known": age_known,
                "age_stated": str(age) if age_known == "age" else "",
                "birth_year": str(year - age) if age_known == "birth_year" else "",
                "age": str(age) if age_known != "unknown" else "",
                "nik": f"{district['bps_code']}{i:012d}" if i % 4 == 0 else "",
                "info_source": "family",
                "year": year,
                "uuid": str(uuid.UUID(int=int(rng.integers(2**62)) + i)),
            }
        )
    return pd.DataFrame(rows)


FORM_COLUMNS = [q.name for q in form.QUESTIONS if q.kind != "note"]


def kobo_export(cases: pd.DataFrame) -> pd.DataFrame:
    """The KoboToolbox CSV export of ``cases`` (XML values and headers)."""
    table = pd.DataFrame(
        {"start": "2025-01-06T09:00:00.000+08:00", "end": "2025-01-06T09:07:00.000+08:00"},
        index=cases.index,
    )
    for name in FORM_COLUMNS:
        header = name if name == "consent" else f"{form.GROUP}/{name}"
        table[header] = cases[name]
    table["_id"] = range(1001, 1001 + len(cases))
    table["_uuid"] = cases["uuid"]
    table["_submission_time"] = "2025-01-06T01:08:00"
    table["_validation_status"] = ""
    table["_notes"] = "[]"
    table["_status"] = "submitted_via_web"
    table["_submitted_by"] = ""
    table["__version__"] = "vXyZ123"
    table["_tags"] = "[]"
    table["_index"] = range(1, len(cases) + 1)
    return table


def odk_export(cases: pd.DataFrame) -> pd.DataFrame:
    """The ODK Central CSV export of ``cases``."""
    table = pd.DataFrame({"SubmissionDate": "2025-01-06T01:08:00.000Z"}, index=cases.index)
    table["start"] = "2025-01-06T09:00:00.000+08:00"
    table["end"] = "2025-01-06T09:07:00.000+08:00"
    for name in FORM_COLUMNS:
        header = name if name == "consent" else f"{form.GROUP}-{name}"
        table[header] = cases[name]
    table["meta-instanceID"] = "uuid:" + cases["uuid"]
    table["KEY"] = "uuid:" + cases["uuid"]
    table["SubmitterID"] = 5
    table["SubmitterName"] = "petugas-kupang"
    table["AttachmentsPresent"] = 0
    table["AttachmentsExpected"] = 0
    table["Status"] = ""
    table["ReviewState"] = ""
    table["DeviceID"] = "collect:abc123"
    table["Edits"] = 0
    table["FormVersion"] = "0.1.0+20250106"
    return table


def expected_counts(cases: pd.DataFrame) -> pd.Series:
    """Cases per regency and year, as entered."""
    return cases.groupby(["bps_code", "year"]).size().rename("cases")


def kobo_label_export(cases: pd.DataFrame, lang: str = "id") -> pd.DataFrame:
    """The KoboToolbox export of ``cases`` with "Labels" for headers and values (the
    default of its XLSX export; groups not in the headers)."""
    lists = choices.choice_lists()
    column = "label_id" if lang == "id" else "label_en"
    labels = {(row.list_name, row.name): getattr(row, column) for row in lists.itertuples()}
    table = pd.DataFrame(index=cases.index)
    for question in form.QUESTIONS:
        if question.kind == "note":
            continue
        header = question.label[0 if lang == "id" else 1]
        values = cases[question.name]
        if question.list_name:
            values = values.map(lambda v, ln=question.list_name: labels.get((ln, v), v))
        table[header] = values
    table["_id"] = range(1001, 1001 + len(cases))
    table["_uuid"] = cases["uuid"]
    table["_submission_time"] = "2025-01-06T01:08:00"
    table["_validation_status"] = ""
    table["_index"] = range(1, len(cases) + 1)
    return table
