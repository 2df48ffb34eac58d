"""Exports of the package's own intake form and case log, recognised by their headers.

A KoboToolbox or ODK Central export of the form :mod:`migration_ntt.ingest.intake` writes,
and the Excel case log it writes, clean with **no mapping**: this module tells which tool
made the file and what each header is, before the ordinary header rules
(:mod:`.mapping`) run.

KoboToolbox (CSV or XLSX, "XML values and headers")
    Questions under their group path, ``case/event_type``; its own columns ``_id``,
    ``_uuid``, ``_submission_time``, ``_validation_status``, ``_notes``, ``_status``,
    ``_submitted_by``, ``__version__``, ``_tags``, ``_index``, ``meta/instanceID``,
    ``formhub/uuid``, ``start``, ``end``. With "labels" headers, the question labels in
    either language ("Jenis kejadian", "Type of event"), the values then choice labels
    (place names rather than codes, read by name within their parent).
ODK Central (CSV)
    ``SubmissionDate`` first, questions under their group path joined by ``-``
    (``case-event_type``), then ``meta-instanceID``, ``KEY``, ``SubmitterID``,
    ``SubmitterName``, ``AttachmentsPresent``, ``AttachmentsExpected``, ``Status``,
    ``ReviewState``, ``DeviceID``, ``Edits``, ``FormVersion``.
The Excel case log
    Its Indonesian headers (``Tanggal kejadian``, ``Kabupaten/Kota`` …), known to the header
    rules already; its form-only columns (``Sumber informasi``) are named as such.

The submission id (``_uuid``; ``KEY`` in ODK Central) is kept as ``record_id``; the tools'
other columns are listed in the report as export metadata, never read; the form's own
helper questions (consent, how precise the date is, age or birth year …) as form fields.

Examples
--------
>>> from migration_ntt.ingest.records import exports
>>> found = exports.recognise(["start", "case/event_type", "case/bps_code", "_uuid", "_index"])
>>> found.tool, found.fields["case/event_type"], found.fields["_uuid"]
('KoboToolbox', 'event_type', 'record_id')
>>> found.how["_index"]
'export metadata'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from migration_ntt.ingest.records.form import FORM_ONLY, GROUP, QUESTIONS
from migration_ntt.text import fold

KOBO = "KoboToolbox"
ODK = "ODK Central"
CASE_LOG = "the package's Excel case log"

KOBO_META = (
    "start",
    "end",
    "today",
    "deviceid",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
    "_parent_table_name",
    "_parent_index",
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "formhub/uuid",
)
KOBO_SIGNATURE = ("_uuid", "_submission_time", "_index", "_validation_status")
KOBO_ID = "_uuid"
ODK_META = (
    "SubmissionDate",
    "start",
    "end",
    "today",
    "deviceid",
    "meta-instanceID",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
)
ODK_SIGNATURE = ("SubmissionDate", "KEY", "meta-instanceID", "ReviewState")
ODK_ID = "KEY"
#: How the cleaning report names each kind of file.
DESCRIPTIONS = {
    KOBO: "a KoboToolbox export of the package's intake form",
    ODK: "an ODK Central export of the package's intake form",
    CASE_LOG: "the package's Excel case log",
}
#: The case log's columns that feed no field (kept in the log for the office's own use).
CASE_LOG_ONLY = ("Sumber informasi",)


@dataclass
class Export:
    """What :func:`recognise` found: the tool, and per header the field it fills (or
    None) and how it was recognised (``submission id``, ``form question``,
    ``export metadata``, ``form field``)."""

    tool: str
    fields: dict[str, str | None] = field(default_factory=dict)
    how: dict[str, str] = field(default_factory=dict)


#: With label headers, a place question's column holds the place's *name* (the choice
#: label), not its code: it fills the name field.
BY_LABEL = {"regency_code": "regency", "district_code": "district", "village_code": "village"}


@lru_cache(maxsize=1)
def _question_names() -> dict[str, str | None]:
    """Question name (folded) → the field it fills; label (folded, both languages) → the
    field its label holds (:data:`BY_LABEL`)."""
    names: dict[str, str | None] = {}
    for question in QUESTIONS:
        names.setdefault(fold(question.name), question.feeds)
    for question in QUESTIONS:
        for label in question.label:
            names.setdefault(fold(label), BY_LABEL.get(question.feeds, question.feeds))
    return names


def _strip_group(header: str, separator: str) -> str:
    """``case/event_type`` → ``event_type`` (any group path, as the tools write it)."""
    return header.rsplit(separator, 1)[-1] if separator in header else header


def _signature(headers: list[str]) -> str | None:
    present = set(headers)
    if sum(name in present for name in KOBO_SIGNATURE) >= 2:
        return KOBO
    if sum(name in present for name in ODK_SIGNATURE) >= 2:
        return ODK
    if any(name in present for name in CASE_LOG_ONLY):
        return CASE_LOG
    return None


def recognise(headers: list[str]) -> Export | None:
    """The tool that wrote a file with these headers, and what each header is; ``None``
    for any other file (module docstring).

    Parameters
    ----------
    headers : list of str

    Returns
    -------
    Export or None
    """
    tool = _signature(headers)
    if tool is None:
        return None
    found = Export(tool)
    if tool == CASE_LOG:
        for header in headers:
            if header in CASE_LOG_ONLY:
                found.fields[header], found.how[header] = None, "form field"
        return found
    meta, record_id, separator = (
        (KOBO_META, KOBO_ID, "/") if tool == KOBO else (ODK_META, ODK_ID, "-")
    )
    questions = _question_names()
    form_only = {fold(key) for q in QUESTIONS if q.name in FORM_ONLY for key in (q.name, *q.label)}
    for header in headers:
        if header == record_id:
            found.fields[header], found.how[header] = "record_id", "submission id"
            continue
        if header in meta:
            found.fields[header], found.how[header] = None, "export metadata"
            continue
        name = fold(header)  # a label may hold the separator ("Desa/kelurahan asal")
        if name not in questions and name not in form_only:
            name = fold(_strip_group(header, separator))
        if name == fold(GROUP):
            continue
        if name in form_only:
            found.fields[header], found.how[header] = None, "form field"
        elif name in questions and questions[name] is not None:
            found.fields[header], found.how[header] = questions[name], "form question"
    return found
