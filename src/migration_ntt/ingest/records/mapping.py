"""Which column of a case file holds which field, and what became of every other column.

Every header of the file is accounted for in a :class:`ColumnMap` table (``header, field,
how, detail``); ``how`` is one of :data:`HOW`:

* ``user mapping``: ``columns={"status": "Ket."}`` / ``--map status=Ket.`` said so;
* ``package name``: the clean table's own column names (``procedural``, ``event_type``,
  ``event_date``, ``year``, ``event_month``, ``bps_code``, ``destination_iso3``,
  ``destination_region``, ``district_code``, ``village_code``, ``record_id``,
  ``person_key``, ``sex``, ``age``): a clean table written as CSV cleans again to the same
  table;
* ``known header``: one of the Indonesian and English headers of
  :data:`~.vocabulary.HEADER_VARIANTS` ("Kab/Kota Asal", "Negara Tujuan", "procedural
  status", …);
* ``by content``: a header nobody recognised whose values read as one field's vocabulary
  (status, event type, date, destination, regency, sex) for at least
  :data:`CONTENT_MIN_SHARE` of its non-blank sample values, when it is the only such column
  for that field (the detail says "by content (92 % of values read)"). When two columns
  compete for a field, neither is taken and the detail suggests ``columns={...}`` /
  ``--map field=header``;
* ``recomputed``: a column the package itself writes (``source_row``, ``place_match``,
  ``flag_*``, …): it is made again, not read;
* ``not read (personal)``: passport and phone numbers are recognised and never read;
* ``unused``: nothing the cleaner reads (``cause``, ``source``, ``note``): listed, so that a
  user can see that it was left out.

Examples
--------
>>> from migration_ntt.ingest.records import mapping
>>> found = mapping.map_columns(["Kabupaten", "procedural", "Tgl", "cause"], None, "k.csv")
>>> found.table[["header", "field", "how"]].fillna("-").values.tolist()
... # doctest: +NORMALIZE_WHITESPACE
[['Kabupaten', 'regency', 'known header'], ['procedural', 'status', 'package name'],
 ['Tgl', 'event_date', 'known header'], ['cause', '-', 'unused']]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.records import countries, dates, exports, fields
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.text import fold

#: Fields the cleaner knows (what ``columns=`` may name).
FIELDS = (
    "record_id",
    "name",
    "nik",
    "person_key",
    "sex",
    "birth_date",
    "age",
    "address",
    "village",
    "village_code",
    "district",
    "district_code",
    "regency",
    "regency_code",
    "destination",
    "destination_region",
    "status",
    "event_type",
    "event_date",
    "event_year",
    "event_month",
    "passport",
    "phone",
)
#: Fields never read at all (recognised so that they are reported, then left alone).
NEVER_READ = ("passport", "phone")
#: Fields that identify people: read to make the person key or find the regency, then dropped.
PERSONAL_FIELDS = ("name", "nik", "passport", "phone", "birth_date", "address", "village")
#: Any of these places a record in a regency.
PLACE_FIELDS = (
    "regency",
    "regency_code",
    "nik",
    "address",
    "district",
    "district_code",
    "village",
    "village_code",
)
DATE_FIELDS = ("event_date", "event_year")

#: The clean table's own column names and the field each feeds.
PACKAGE_NAMES = {
    "record_id": "record_id",
    "person_key": "person_key",
    "event_type": "event_type",
    "event_date": "event_date",
    "year": "event_year",
    "event_month": "event_month",
    "bps_code": "regency_code",
    "procedural": "status",
    "sex": "sex",
    "age": "age",
    "destination_iso3": "destination",
    "destination_region": "destination_region",
    "district_code": "district_code",
    "village_code": "village_code",
}
#: Columns the package writes itself: made again from the fields, never read.
RECOMPUTED = (
    "source_file",
    "source_row",
    "date_precision",
    "place_match",
    "regency_match",
    "synthetic",
    "duplicate_of",
    "reason",
    "detail",
)
HOW = (
    "user mapping",
    "submission id",
    "form question",
    "package name",
    "known header",
    "by content",
    "recomputed",
    "form field",
    "export metadata",
    "not read (personal)",
    "unused",
)
CONTENT_FIELDS = ("status", "event_type", "event_date", "destination", "regency", "sex")
CONTENT_MIN_SHARE = 0.8
CONTENT_MIN_VALUES = 3
CONTENT_SAMPLE_ROWS = 2_000

_HEADER_LOOKUP = {
    fold(variant): field
    for field, variants in vocab.HEADER_VARIANTS.items()
    for variant in variants
}
_PACKAGE_LOOKUP = {fold(name): field for name, field in PACKAGE_NAMES.items()}


def header_field(header: object) -> str | None:
    """The field a header names ("Kab/Kota" → ``regency``, ``procedural`` → ``status``)."""
    folded = fold(header)
    return _PACKAGE_LOOKUP.get(folded) or _HEADER_LOOKUP.get(folded)


def _recomputed(header: str) -> bool:
    folded = fold(header)
    return folded in {fold(name) for name in RECOMPUTED} or folded.startswith(("flag ", "raw "))


@dataclass
class ColumnMap:
    """Field → header (``mapping``) and one row per header of the file (``table``)."""

    mapping: dict[str, str]
    table: pd.DataFrame
    tool: str | None = None  # the intake tool whose export this is (:mod:`.exports`)

    def how(self, field: str) -> str | None:
        """How the column of ``field`` was found (None when the field is not in the file)."""
        rows = self.table[self.table["field"] == field]
        return rows["how"].iloc[0] if len(rows) else None


def _user_mapping(headers: list[str], columns: Mapping[str, str], where: str) -> dict[str, str]:
    unknown = [name for name in columns if name not in FIELDS]
    if unknown:
        raise RecordsError(
            f"{where}: unknown field name(s) in columns=: {', '.join(unknown)}; "
            f"fields are {', '.join(FIELDS)}"
        )
    by_fold = {fold(header): header for header in headers}
    missing = [
        f"{name} → '{header}'"
        for name, header in columns.items()
        if header not in headers and fold(header) not in by_fold
    ]
    if missing:
        raise RecordsError(
            f"{where}: column(s) not in the file: {', '.join(missing)}. "
            f"The file has: {', '.join(headers)}"
        )
    return {
        name: header if header in headers else by_fold[fold(header)]
        for name, header in columns.items()
    }


def content_share(field: str, values: list[str]) -> float:
    """Share of ``values`` (non-blank texts) that read as ``field``'s vocabulary."""
    if not values:
        return 0.0

    if field == "status":
        read = [fields.status_with_rule(v)[1] not in {"unrecognised"} for v in values]
    elif field == "event_type":
        read = [fields.event_type_with_rule(v)[1] not in {"unrecognised"} for v in values]
    elif field == "sex":
        read = [fields.sex_with_rule(v)[0] is not None for v in values]
    elif field == "destination":
        read = [countries.parse_destination(v)[0] is not None for v in values]
    elif field == "regency":
        resolved = regions.resolve(values)
        read = resolved["bps_code"].notna().tolist()
    elif field == "event_date":
        parts = dates.parse_date_parts(values)
        today = pd.Timestamp.today().year
        with np.errstate(invalid="ignore"):
            plausible = (parts.years >= 1950) & (parts.years <= today)
        # a column of bare numbers (case numbers, ages) is not a date column
        read = list(
            plausible & ~np.array([v.strip().isdigit() and len(v.strip()) < 5 for v in values])
        )
    else:  # pragma: no cover - CONTENT_FIELDS only
        raise ValueError(field)
    return float(np.mean(read))


def _by_content(
    candidates: list[str], open_fields: list[str], sample: Callable[[list[str]], dict]
) -> tuple[dict[str, str], dict[str, str]]:
    """(field → header taken by content, header → detail) for headers nobody recognised."""
    if not candidates or not open_fields:
        return {}, {}
    values = sample(candidates)
    shares: dict[str, dict[str, float]] = {}
    for header in candidates:
        texts = [v for v in values.get(header, []) if isinstance(v, str) and v.strip()]
        if len(texts) < CONTENT_MIN_VALUES:
            continue
        scored = {field: content_share(field, texts) for field in open_fields}
        good = {f: s for f, s in scored.items() if s >= CONTENT_MIN_SHARE}
        if good:
            top = max(good.values())
            best = [f for f, s in good.items() if s == top]
            if len(best) == 1:
                shares[header] = {best[0]: top}
    taken: dict[str, str] = {}
    details: dict[str, str] = {}
    for field in open_fields:
        rivals = [h for h, best in shares.items() if field in best]
        if len(rivals) == 1:
            header = rivals[0]
            taken[field] = header
            details[header] = f"by content ({100 * shares[header][field]:.0f} % of values read)"
        elif len(rivals) > 1:
            names = ", ".join(f"'{h}'" for h in rivals)
            for header in rivals:
                details[header] = (
                    f"unused: {names} all read as {field}; say which with "
                    f"columns={{'{field}': '{header}'}} or --map {field}={header}"
                )
    return taken, details


def map_columns(
    headers: list[str],
    columns: Mapping[str, str] | None,
    where: str,
    sample: Callable[[list[str]], dict] | None = None,
) -> ColumnMap:
    """Map the file's headers to fields and account for every header (module docstring).

    Parameters
    ----------
    headers : list of str
        The file's headers, in order.
    columns : mapping, optional
        Field → header given by the user (wins over everything else).
    where : str
        The file, for error messages.
    sample : callable, optional
        ``sample(headers) -> {header: [values]}``: some values of the given columns, for
        mapping by content (without it, no column is mapped by content).

    Raises
    ------
    RecordsError
        An unknown field in ``columns``, a header not in the file, or a missing required
        field (an event date or year; and a regency, NIK, address or place).
    """
    mapping = _user_mapping(headers, columns, where) if columns else {}
    how = {header: "user mapping" for header in mapping.values()}
    export = exports.recognise(headers)
    for header in headers:
        if header in how:
            continue
        if export is not None and header in export.how:
            field = export.fields[header]
            if field is None or field not in mapping:
                how[header] = export.how[header]
                if field is not None:
                    mapping[field] = header
            continue
        folded = fold(header)
        field = _PACKAGE_LOOKUP.get(folded)
        kind = "package name"
        if field is None:
            field, kind = _HEADER_LOOKUP.get(folded), "known header"
        if field is not None and field not in mapping:
            mapping[field] = header
            how[header] = kind
    details: dict[str, str] = {}
    unrecognised = [h for h in headers if h not in how and not _recomputed(h)]
    open_fields = [f for f in CONTENT_FIELDS if f not in mapping]
    if open_fields == ["event_date"] and "event_year" in mapping:
        open_fields = []
    if sample is not None:
        taken, details = _by_content(unrecognised, open_fields, sample)
        for field, header in taken.items():
            mapping[field] = header
            how[header] = "by content"
    field_of = {header: field for field, header in mapping.items()}
    rows = []
    for header in headers:
        field = field_of.get(header)
        if field is not None and field in NEVER_READ:
            kind = "not read (personal)"
        elif field is not None or how.get(header) in ("form field", "export metadata"):
            kind = how[header]
        elif _recomputed(header):
            kind = "recomputed"
        else:
            kind = "unused"
        detail = details.get(header)
        if export is not None and header in export.how:
            detail = f"{export.tool} export" if kind != "form field" else "asked by the form"
        if detail is None and field is not None and header in how and field in PERSONAL_FIELDS:
            detail = "read for the person key or the regency, never written"
        rows.append({"header": header, "field": field, "how": kind, "detail": detail})
    table = pd.DataFrame(rows, columns=["header", "field", "how", "detail"])
    _check_required(mapping, headers, where, table)
    return ColumnMap(mapping=mapping, table=table, tool=export.tool if export else None)


def _check_required(mapping: dict, headers: list[str], where: str, table: pd.DataFrame) -> None:
    has_place = any(name in mapping for name in PLACE_FIELDS)
    has_date = any(name in mapping for name in DATE_FIELDS)
    if has_date and has_place:
        return
    needed = []
    if not has_date:
        needed.append("event_date (e.g. 'Tanggal Kejadian', 'Tgl', 'Tanggal', or a 'Tahun')")
    if not has_place:
        needed.append("regency or NIK (e.g. 'Kabupaten/Kota Asal', 'Kab/Kota', 'NIK')")
    hints = [d for d in table["detail"].dropna() if d.startswith("unused:")]
    hint = f" Note: {hints[0]}." if hints else ""
    raise RecordsError(
        f"{where}: missing required field(s): {'; '.join(needed)}. Columns found: "
        f"{', '.join(headers)}. Pass columns={{field: header}} (CLI: --map field=header) to "
        f"map them.{hint}"
    )
