"""``clean_records``: one case file in, one clean, private, analysable table out.

The orchestration: open the file (:mod:`.read`), account for every header and map the
fields (:mod:`.mapping`: known headers, the package's own names, by content, the user's
mapping), read the user's value map (:mod:`.overrides`), then parse each batch of rows
(:mod:`.batch`: every field once per distinct value), make the person key and drop the
identifiers (:mod:`.identity`), and decide each row's fate. After the last batch,
duplicates are found on compact arrays and the three tables and the report
(:mod:`.report`) are assembled. Every input row ends in exactly one of ``clean``,
``rejects`` or ``duplicates``.

With ``out=FOLDER`` the batches are written as they are parsed (Parquet) and the three
tables are written from there, so memory stays flat whatever the size of the file; the
result then loads its tables from those files when they are first used.

Reject reasons (:data:`REJECT_REASONS`) name what is wrong with a row; a row that cannot
be read at all (too few or too many cells, a quote never closed) is rejected with the
line number and nothing else, since nothing else of it can be trusted. A row whose date
gives only a month or a year is **kept** (``date_precision``), never rejected.

The file's own ``record_id`` (a case number, a form's submission id) is kept when it is
given and unique; rows whose id is blank or repeated are named ``<file>:<row>`` instead, and
the report says how many.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt import privacy
from migration_ntt.ingest.records import batch as parse
from migration_ntt.ingest.records import identity, mapping, read, tables
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.overrides import ValueMap, read_values
from migration_ntt.ingest.records.report import LISTABLE_FIELDS, CleanReport
from migration_ntt.text import fold

CANONICAL_FIELDS = mapping.FIELDS
PERSONAL_FIELDS = mapping.PERSONAL_FIELDS
EVENT_TYPES = vocab.EVENT_TYPES
PROCEDURAL = vocab.PROCEDURAL
SEXES = vocab.SEXES
REJECT_REASONS = parse.REJECT_REASONS
MAX_AGE = parse.MAX_AGE
MIN_EVENT_YEAR = parse.MIN_EVENT_YEAR
CONTRACT = tables.CONTRACT
clean_schema = tables.clean_schema

# Fields with few distinct values: the fast reader dictionary-encodes them while parsing.
ENCODED_FIELDS = tuple(
    f for f in mapping.FIELDS if f not in {"record_id", "name", "nik", "person_key", "address"}
)


def map_fields(headers: list[str], columns: Mapping[str, str] | None, where: str) -> dict[str, str]:
    """Field → header for a list of headers (no mapping by content: see
    :func:`.mapping.map_columns` for the full account of every header).

    Raises
    ------
    RecordsError
        An unknown field name in ``columns``, a header not in the file, or a missing
        required field (event date; and regency, NIK or address).
    """
    return mapping.map_columns(headers, columns, where).mapping


@dataclass
class CleanResult:
    """Output of :func:`clean_records`: ``clean``, ``rejects``, ``duplicates``, ``report``.

    With ``out=`` the tables are on disk (``paths``) and are read when first used.
    """

    report: CleanReport
    _clean: pd.DataFrame | None = None
    _rejects: pd.DataFrame | None = None
    _duplicates: pd.DataFrame | None = None
    paths: dict[str, Path] = field(default_factory=dict)

    def _load(self, name: str) -> pd.DataFrame:
        frame = getattr(self, f"_{name}")
        if frame is None:
            frame = tables.read_table(self.paths[name])
            setattr(self, f"_{name}", frame)
        return frame

    @property
    def clean(self) -> pd.DataFrame:
        return self._load("clean")

    @property
    def rejects(self) -> pd.DataFrame:
        return self._load("rejects")

    @property
    def duplicates(self) -> pd.DataFrame:
        return self._load("duplicates")


def _sampler(opened: read.Source):
    """``sample(headers)`` for mapping by content: the first rows of those columns."""

    def sample(headers: list[str]) -> dict[str, list]:
        def first_batch():
            for found in opened.batches(headers, mapping.CONTENT_SAMPLE_ROWS):
                return found
            return None

        try:
            found = first_batch()
        except read.FastPathFailed:
            opened.force_exact = True
            found = first_batch()
        if found is None:
            return {}
        return {
            header: parse.plain(found.columns[header]).to_pylist()
            for header in headers
            if header in found.columns
        }

    return sample


def clean_records(
    source: str | Path | pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    *,
    sheet: str | int | None = None,
    secret: str | bytes | None = None,
    dedupe_days: int = 0,
    batch_rows: int = read.BATCH_ROWS,
    as_of: str | pd.Timestamp | None = None,
    out: str | Path | None = None,
    values: str | Path | Mapping | ValueMap | None = None,
) -> CleanResult:
    """Clean one case file (see the package docstring for what comes out).

    Parameters
    ----------
    source : path or DataFrame
        CSV/TXT (any common delimiter and encoding, ``.gz``/``.zip``), XLSX, XLS (binary,
        HTML or SpreadsheetML), or a DataFrame whose columns are the headers.
    columns : mapping, optional
        Field → header in the file, for headers not recognised automatically (fields:
        :data:`CANONICAL_FIELDS`).
    sheet : str or int, optional
        Worksheet of a workbook (default: the first).
    secret : str or bytes, optional
        Key for ``person_key`` (default ``MIGRATION_NTT_SECRET``; else random per run,
        with a warning). See :mod:`migration_ntt.privacy` for the key-length rule.
    dedupe_days : int
        Records of the same person and event type whose dates lie within this many days of
        the previous one are duplicates (0: same date only).
    batch_rows : int
        Rows per batch (results do not depend on it).
    as_of : date, optional
        Event dates after this day are rejected as out of range (default: today).
    out : path, optional
        Write the tables as they are made into this folder (``<stem>_clean.parquet``,
        ``_rejects.parquet``, ``_duplicates.parquet``): memory stays flat for any size.
    values : path or mapping, optional
        A value map (``field,raw_value,canonical`` CSV, or ``{field: {raw: canonical}}``)
        applied before every rule (see :mod:`.overrides`).

    Returns
    -------
    CleanResult

    Raises
    ------
    RecordsError
        Empty file, no header row, no data rows, missing required fields (event date; and
        regency, NIK or address), unreadable file, a bad value map — the message names
        the file.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"regency": ["Malaka"], "event_date": ["2014-12"],
    ...                       "procedural": ["non_prosedural"], "note": ["x"]})
    >>> result = clean_records(table, secret="doc")
    >>> result.clean[["year", "event_month", "date_precision", "procedural"]].values.tolist()
    [[2014, 12, 'month', 'non_prosedural']]
    >>> result.report.columns["how"].tolist()
    ['known header', 'package name', 'package name', 'unused']
    """
    if dedupe_days < 0:
        raise ValueError(f"dedupe_days must be 0 or more, got {dedupe_days}")
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be positive, got {batch_rows}")
    key = privacy.resolve_secret(secret)
    value_map = read_values(values)
    opened = read.open_source(source, columns, sheet)
    found = mapping.map_columns(opened.headers, columns, opened.source_file, _sampler(opened))
    fields = found.mapping
    wanted = [header for name, header in fields.items() if name not in mapping.NEVER_READ]
    today = (
        pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.today().normalize()
    )
    scheme = _code_scheme(fields.get("regency_code"))
    workdir = Path(tempfile.mkdtemp(prefix="migration_ntt_clean_")) if out is not None else None
    try:
        args = (opened, fields, wanted, batch_rows, key, today, workdir, value_map, scheme)
        try:
            state, parts = _parse_all(*args)
        except read.FastPathFailed:
            opened.force_exact = True
            state, parts = _parse_all(*args)
        return _assemble(opened, found, state, parts, dedupe_days, out)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


def _code_scheme(header: str | None) -> str:
    """Which numbering a regency code column uses, from its header ("bps_code" → BPS)."""
    folded = fold(header or "")
    if "bps" in folded:
        return "bps"
    if "kemendagri" in folded or "wilayah" in folded:
        return "kemendagri"
    return "auto"


def _parse_all(opened, fields, wanted, batch_rows, key, today, workdir, value_map, scheme):
    state = parse.State(key=key, as_of=today, value_map=value_map, code_scheme=scheme)
    parts = tables.Parts(workdir)
    encode = [header for name, header in fields.items() if name in ENCODED_FIELDS]
    for found in opened.batches(wanted, batch_rows, encode=encode):
        parts.add(parse.parse_batch(found, fields, state))
    return state, parts


def _file_ids(parts: tables.Parts) -> tuple[pa.Array | None, int]:
    """The file's record ids with blank and repeated ones nulled, and how many were."""
    if not parts.record_ids:
        return None, 0
    ids = pa.concat_arrays(parts.record_ids)
    repeated = pd.Series(ids.to_pandas()).duplicated(
        keep=False
    ).to_numpy() & ids.is_valid().to_numpy(zero_copy_only=False)
    usable = pc.if_else(pa.array(repeated), pa.scalar(None, pa.string()), ids)
    return usable, int(usable.null_count)


def _assemble(opened, found, state, parts, dedupe_days, out) -> CleanResult:
    pa.default_memory_pool().release_unused()  # the first pass's buffers
    if parts.n == 0 and not opened.problems:
        raise RecordsError(f"{opened.source_file}: the file has a header but no data rows")
    digests, has_key = parts.array("digests"), parts.array("has_key").astype(bool)
    usable = parts.array("usable").astype(bool)
    source_rows = parts.array("source_row")
    kept = identity.find_duplicates(
        digests,
        has_key & usable,
        parts.array("event"),
        parts.array("day"),
        dedupe_days=dedupe_days,
    )
    file_ids, renamed = _file_ids(parts)
    stem = Path(opened.source_file).stem if opened.source_file != "<DataFrame>" else "df"
    writer = tables.Writer(out, stem) if out is not None else None
    pieces: dict[str, list[pa.Table]] = {"clean": [], "duplicates": []}
    first_date, last_date = None, None
    start = 0
    for parsed in parts.batches():
        positions = np.arange(start, start + parsed.num_rows)
        start += parsed.num_rows
        keys = privacy.hex_keys(digests[positions], has_key[positions])
        ids = file_ids.slice(positions[0], len(positions)) if file_ids is not None else None
        full = tables.contract_table(parsed, stem, opened.source_file, keys, opened.synthetic, ids)
        twin = kept[positions]
        is_clean = pa.array(usable[positions] & (twin < 0))
        tables.validate(parsed.filter(is_clean), keys.filter(is_clean), opened.source_file)
        clean_part = full.filter(is_clean)
        duplicate_part = full.filter(pa.array(twin >= 0)).append_column(
            "duplicate_of", _duplicate_ids(twin[twin >= 0], source_rows, stem, file_ids)
        )
        dates = clean_part.column("event_date").drop_null()
        if len(dates):
            low, high = pc.min(dates).as_py(), pc.max(dates).as_py()
            first_date = low if first_date is None else min(first_date, low)
            last_date = high if last_date is None else max(last_date, high)
        if writer is not None:
            writer.write("clean", clean_part)
            writer.write("duplicates", duplicate_part)
        else:
            pieces["clean"].append(clean_part)
            pieces["duplicates"].append(duplicate_part)
    rejects = _with_problems(_rejects_table(parts), opened)
    date_range = (pd.Timestamp(first_date), pd.Timestamp(last_date))
    if writer is not None:
        writer.write("rejects", pa.Table.from_pandas(rejects, preserve_index=False))
        empty = tables.contract_table(
            tables.empty_parsed(),
            stem,
            opened.source_file,
            pa.array([], pa.string()),
            opened.synthetic,
        )
        paths = writer.close(
            {
                "clean": empty.schema,
                "duplicates": empty.schema.append(pa.field("duplicate_of", pa.string())),
            }
        )
        result = CleanResult(report=None, paths=paths)  # type: ignore[arg-type]
        counts = dict(writer.rows)
    else:
        result = CleanResult(
            report=None,  # type: ignore[arg-type]
            _clean=tables.to_pandas(pieces["clean"]),
            _rejects=rejects,
            _duplicates=tables.to_pandas(pieces["duplicates"]),
        )
        counts = {"clean": len(result.clean), "duplicates": len(result.duplicates)}
    counts["input"] = parts.n + len(opened.problems)
    counts["ids_renamed"] = renamed
    result.report = _report(opened, found, state, counts, rejects, date_range)
    return result


def _duplicate_ids(rows: np.ndarray, source_rows, stem: str, file_ids) -> pa.Array:
    """``duplicate_of``: the record id of the kept row (at file positions ``rows``)."""
    made = tables.record_ids(stem, source_rows[rows])
    if file_ids is None:
        return made
    own = file_ids.take(pa.array(rows, type=pa.int64()))
    return pc.if_else(pc.is_valid(own), own, made)


def _rejects_table(parts: tables.Parts) -> pd.DataFrame:
    """Rejected rows: source_row, reason and the raw non-personal fields."""
    pieces = [t for t in parts.rejected_raw if t.num_rows]
    if not pieces:
        return pd.DataFrame({"source_row": pd.Series(dtype="int64"), "reason": []})
    combined = pa.concat_tables(pieces, promote_options="default")
    return combined.to_pandas(types_mapper=tables.STRINGS.get)


def _with_problems(rejects: pd.DataFrame, opened: read.Source) -> pd.DataFrame:
    """Add the rows that could not be read, and a detail for every reject."""
    problems = pd.DataFrame(
        {
            "source_row": [p.row for p in opened.problems],
            "reason": [p.reason for p in opened.problems],
            "detail": [p.detail for p in opened.problems],
        }
    )
    rejects = pd.concat([rejects, problems], ignore_index=True) if len(problems) else rejects
    if "detail" not in rejects.columns:
        rejects["detail"] = None
    rejects["detail"] = rejects["detail"].where(
        rejects["detail"].notna(), rejects["reason"].map(REJECT_REASONS)
    )
    rejects["source_row"] = rejects["source_row"].astype("int64")
    first = ["source_row", "reason", "detail"]
    rejects = rejects[first + [c for c in rejects.columns if c not in first]]
    return rejects.sort_values("source_row", ignore_index=True)


def _unrecognised(state: parse.State, fields: dict[str, str]) -> pd.DataFrame:
    caches = state.caches
    rows = [
        {"field": name, "value": value, "rows": count}
        for name in (
            "event_date",
            "event_year",
            "event_month",
            "sex",
            "age",
            "destination",
            "destination_region",
            "status",
            "event_type",
            "regency",
            "regency_code",
        )
        if name in LISTABLE_FIELDS and name in fields
        for value, count in caches[name].unrecognised.most_common()
    ]
    rows += [
        {"field": name, "value": value, "rows": count}
        for name, counter in state.place_unrecognised.items()
        for value, count in counter.most_common()
    ]
    table = pd.DataFrame(rows, columns=["field", "value", "rows"])
    table["match"] = [
        caches["regency"].match_of(value)[1] if field_name == "regency" else None
        for field_name, value in zip(table["field"], table["value"], strict=True)
    ]
    return table


def _decisions(state: parse.State, found: mapping.ColumnMap) -> pd.DataFrame:
    """Per field: the header, how it was mapped, and the rows decided by each rule."""
    rows = []
    for name, tally in state.rules.items():
        header = found.mapping.get(name) or found.mapping.get(f"{name}_code")
        for rule, count in tally.items():
            rows.append(
                {
                    "field": name,
                    "header": header,
                    "mapped": found.how(name) or found.how(f"{name}_code"),
                    "rule": rule,
                    "rows": count,
                }
            )
    return pd.DataFrame(rows, columns=["field", "header", "mapped", "rule", "rows"])


def _report(opened, found, state, counts, rejects, date_range) -> CleanReport:
    """The report; ``counts`` holds ``input`` (rows read, counted as they were read, plus
    unreadable rows), ``clean`` and ``duplicates`` (rows written), ``ids_renamed``."""
    quality = pd.DataFrame(
        [
            {"field": name, "parsed": int(v[0]), "invalid": int(v[1]), "missing": int(v[2])}
            for name, v in state.quality.items()
        ],
        columns=["field", "parsed", "invalid", "missing"],
    )
    reasons = rejects["reason"].value_counts().rename_axis("reason").reset_index(name="rows")
    details = dict(opened.details)
    details["header_row"] = opened.header_row
    if found.tool is not None:
        details["export_tool"] = found.tool
    details["unreadable_rows"] = len(opened.problems)
    if "record_id" in found.mapping:
        details["record_ids_renamed"] = counts["ids_renamed"]
    if state.value_map:
        details["value_map"] = state.value_map.source
    details["regency_from_place"] = state.regency_from_place
    details["regency_corrected_by_place"] = state.regency_corrected
    historic = pd.DataFrame(
        [
            {"value": text, "successors": names, "rows": rows}
            for (text, names), rows in state.historic.most_common()
        ],
        columns=["value", "successors", "rows"],
    )
    field_mapping = pd.DataFrame(sorted(found.mapping.items()), columns=["field", "header"])
    return CleanReport(
        source_file=opened.source_file,
        n_input=counts["input"],
        n_clean=counts["clean"],
        n_rejects=len(rejects),
        n_duplicates=counts["duplicates"],
        field_mapping=field_mapping,
        field_quality=quality,
        unrecognised=_unrecognised(state, found.mapping),
        reject_reasons=reasons,
        date_range=date_range,
        details=details,
        blank_rows=opened.blank_rows,
        columns=found.table,
        decisions=_decisions(state, found),
        historic_places=historic,
    )
