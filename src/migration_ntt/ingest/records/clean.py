"""``clean_records``: one case file in, one clean, private, analysable table out.

The orchestration: open the file (:mod:`.read`), map its headers to fields, then for each
batch of rows parse every field once per distinct value (:mod:`.fields`), resolve the
regency (column, then address, then NIK prefix; split-aware by event year), make the
person key and drop the identifiers (:mod:`.identity`), and decide each row's fate. After
the last batch, duplicates are found on compact arrays and the three tables and the report
(:mod:`.report`) are assembled. Every input row ends in exactly one of ``clean``,
``rejects`` or ``duplicates``.

With ``out=FOLDER`` the batches are written as they are parsed (Parquet) and the three
tables are written from there, so memory stays flat whatever the size of the file; the
result then loads its tables from those files when they are first used.

Reject reasons (:data:`REJECT_REASONS`) name what is wrong with a row; a row that cannot
be read at all (too few or too many cells, a quote never closed) is rejected with the
line number and nothing else, since nothing else of it can be trusted.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt import privacy, regions
from migration_ntt.ingest.records import fields as parsers
from migration_ntt.ingest.records import identity, read
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.report import LISTABLE_FIELDS, CleanReport
from migration_ntt.places import PLACE_MATCHES

CANONICAL_FIELDS = (
    "name",
    "nik",
    "sex",
    "birth_date",
    "age",
    "address",
    "village",
    "district",
    "regency",
    "destination",
    "status",
    "event_type",
    "event_date",
    "passport",
    "phone",
)
PERSONAL_FIELDS = ("name", "nik", "passport", "phone", "birth_date", "address", "village")
# Fields the cleaner reads (passport and phone are never read at all).
READ_FIELDS = tuple(f for f in CANONICAL_FIELDS if f not in {"passport", "phone"})
EVENT_TYPES = (
    "placement",
    "prevented_departure",
    "deportation",
    "repatriation_troubled",
    "death_abroad",
    "trafficking_victim",
    "unknown",
)
PROCEDURAL = ("prosedural", "non_prosedural", "unknown")
SEXES = ("male", "female")
REJECT_REASONS = {
    "no_event_date": "no event date or year given",
    "invalid_event_date": "the event date cannot be read or is not a calendar date (31 February)",
    "event_date_out_of_range": "the event date is before 1950 or after the date of cleaning",
    "no_regency": "no resolvable regency and no valid NTT NIK",
    "impossible_age": "age below 0 or above 100 (or birth after the event)",
    "field_count": "the row has more or fewer cells than the header",
    "broken_quote": "a quote opens a cell and is never closed",
}
MAX_AGE = 100
MIN_EVENT_YEAR = 1950
VALIDATION_SAMPLE = 1_000
REGENCY_MATCHES = (*regions.MATCH_KINDS, "address", "nik")

_STRINGS = {pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}
_STRINGS[pa.large_string()] = _STRINGS[pa.string()]


# --- header mapping ---------------------------------------------------------------------------


def map_fields(headers: list[str], columns: Mapping[str, str] | None, where: str) -> dict[str, str]:
    """Canonical field → header: ``columns`` first, then the recognised header variants.

    Raises
    ------
    RecordsError
        An unknown field name in ``columns``, a header not in the file, or a missing
        required field (event date; and regency, NIK or address).
    """
    mapping: dict[str, str] = {}
    if columns:
        unknown = [name for name in columns if name not in CANONICAL_FIELDS]
        if unknown:
            raise RecordsError(
                f"{where}: unknown field name(s) in columns=: {', '.join(unknown)}; "
                f"fields are {', '.join(CANONICAL_FIELDS)}"
            )
        by_fold = {parsers.fold(header): header for header in headers}
        missing = [
            f"{name} → '{header}'"
            for name, header in columns.items()
            if header not in headers and parsers.fold(header) not in by_fold
        ]
        if missing:
            raise RecordsError(
                f"{where}: column(s) not in the file: {', '.join(missing)}. "
                f"The file has: {', '.join(headers)}"
            )
        mapping = {
            name: header if header in headers else by_fold[parsers.fold(header)]
            for name, header in columns.items()
        }
    taken = set(mapping.values())
    for header in headers:
        canonical = read.header_field(header)
        if canonical and canonical not in mapping and header not in taken:
            mapping[canonical] = header
            taken.add(header)
    has_place = any(name in mapping for name in ("regency", "nik", "address"))
    if "event_date" not in mapping or not has_place:
        needed = []
        if "event_date" not in mapping:
            needed.append("event_date (e.g. 'Tanggal Kejadian', 'Tgl', 'Tanggal')")
        if not has_place:
            needed.append("regency or NIK (e.g. 'Kabupaten/Kota Asal', 'Kab/Kota', 'NIK')")
        raise RecordsError(
            f"{where}: missing required field(s): {'; '.join(needed)}. Columns found: "
            f"{', '.join(headers)}. Pass columns={{field: header}} to map them."
        )
    return mapping


# --- per-file state ------------------------------------------------------------------------


class _Categories:
    """Category strings of one output column, growing as batches bring new ones."""

    def __init__(self, initial: tuple[str, ...] = ()) -> None:
        self.values: list[str] = list(initial)
        self._index = {value: i for i, value in enumerate(self.values)}

    def position(self, value: object) -> int:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return -1
        text = str(value)
        if text not in self._index:
            self._index[text] = len(self.values)
            self.values.append(text)
        return self._index[text]

    def array(self, positions: np.ndarray) -> pa.DictionaryArray:
        indices = pa.array(positions.astype(np.int32), mask=positions < 0)
        return pa.DictionaryArray.from_arrays(indices, pa.array(self.values, type=pa.string()))

    def rows(self, cache: parsers.FieldCache, codes: np.ndarray, extract=None) -> np.ndarray:
        """Per-row category positions (−1: none) from :meth:`FieldCache.lookup` codes, with
        one Python step per *distinct* value: ``extract`` picks the category from a result."""
        results = cache.results()
        table = np.fromiter(
            (self.position(extract(r) if extract else r) for r in results),
            dtype=np.int64,
            count=len(results),
        )
        return np.append(table, -1)[codes]


_DATE_RESULT = np.dtype([("date", "datetime64[ns]"), ("year", "f8")])


def _dates(values: list[str]) -> np.ndarray:
    dates, years = parsers.parse_dates(values)
    out = np.empty(len(values), dtype=_DATE_RESULT)
    out["date"], out["year"] = dates, years
    return out


def _regencies(values: list[str]) -> np.ndarray:
    resolved = regions.resolve(values)
    codes = [code if isinstance(code, str) else None for code in resolved["bps_code"]]
    return parsers.objects(list(zip(codes, resolved["match"], strict=True)))


def _part(results: np.ndarray, name: str, missing: object) -> np.ndarray:
    """One field of date results, with ``missing`` appended for code −1."""
    values = results[name] if len(results) else np.zeros(0, dtype=_DATE_RESULT[name])
    return np.append(values, np.array([missing], dtype=_DATE_RESULT[name]))


_SEPARATOR = "\x1f"


def _places(values: list[str]) -> np.ndarray:
    """Joined ``village␟kecamatan␟bps_code`` keys → (district code, village code, place
    match, district resolved?, village resolved?) per key."""
    from migration_ntt import places

    parts = [value.split(_SEPARATOR) for value in values]
    found = places.resolve_places(
        village=[p[0] or None for p in parts],
        district=[p[1] or None for p in parts],
        bps_code=[p[2] or None for p in parts],
    )
    good = {"exact", "fuzzy"}
    return parsers.objects(
        list(
            zip(
                [c if isinstance(c, str) else None for c in found["district_code"]],
                [c if isinstance(c, str) else None for c in found["village_code"]],
                found["match"],
                found["district_match"].isin(good),
                found["village_match"].isin(good),
                strict=True,
            )
        )
    )


def _has_code(results: np.ndarray) -> np.ndarray:
    return np.array([r[0] is not None for r in results], dtype=bool)


@dataclass
class _State:
    """Caches and counters shared by the batches of one file."""

    key: bytes
    as_of: pd.Timestamp
    event_date: parsers.FieldCache = field(
        default_factory=lambda: parsers.FieldCache(_dates, lambda r: ~np.isnan(r["year"]))
    )
    birth_date: parsers.FieldCache = field(
        default_factory=lambda: parsers.FieldCache(_dates, lambda r: ~np.isnat(r["date"]))
    )
    sex: parsers.FieldCache = field(default_factory=lambda: parsers.scalar_cache(parsers.parse_sex))
    age: parsers.FieldCache = field(default_factory=lambda: parsers.scalar_cache(parsers.parse_age))
    destination: parsers.FieldCache = field(
        default_factory=lambda: parsers.scalar_cache(parsers.parse_destination)
    )
    status: parsers.FieldCache = field(
        default_factory=lambda: parsers.scalar_cache(parsers.parse_status)
    )
    event_type: parsers.FieldCache = field(
        default_factory=lambda: parsers.scalar_cache(parsers.parse_event_type)
    )
    regency: parsers.FieldCache = field(
        default_factory=lambda: parsers.FieldCache(_regencies, _has_code)
    )
    address: parsers.FieldCache = field(
        default_factory=lambda: parsers.FieldCache(_regencies, _has_code)
    )
    place: parsers.FieldCache = field(
        default_factory=lambda: parsers.FieldCache(_places, lambda r: np.ones(len(r), dtype=bool))
    )
    place_unrecognised: dict[str, Counter] = field(
        default_factory=lambda: {"district": Counter(), "village": Counter()}
    )
    categories: dict[str, _Categories] = field(
        default_factory=lambda: {
            "event_type": _Categories(EVENT_TYPES),
            "procedural": _Categories(PROCEDURAL),
            "sex": _Categories(SEXES),
            "bps_code": _Categories(tuple(regions.regencies()["bps_code"])),
            "destination_iso3": _Categories(),
            "regency_match": _Categories(REGENCY_MATCHES),
            "reason": _Categories(tuple(REJECT_REASONS)),
            "district_code": _Categories(),
            "village_code": _Categories(),
            "place_match": _Categories(PLACE_MATCHES),
        }
    )
    quality: dict[str, np.ndarray] = field(default_factory=dict)

    def count(self, name: str, given: np.ndarray, read_ok: np.ndarray) -> None:
        """Add a batch to the parse-quality counts: parsed, invalid, missing."""
        row = np.array(
            [int((given & read_ok).sum()), int((given & ~read_ok).sum()), int((~given).sum())]
        )
        self.quality[name] = self.quality.get(name, np.zeros(3, dtype=np.int64)) + row


_KEMENDAGRI_TO_BPS = None


def _kemendagri_to_bps() -> dict[str, str]:
    global _KEMENDAGRI_TO_BPS
    if _KEMENDAGRI_TO_BPS is None:
        table = regions.regencies()
        _KEMENDAGRI_TO_BPS = dict(
            zip(table["kemendagri_code"].str.replace(".", ""), table["bps_code"], strict=True)
        )
    return _KEMENDAGRI_TO_BPS


def _null(array: pa.Array | None, n: int) -> pa.Array:
    return array if array is not None else pa.nulls(n, type=pa.string())


def _plain(array: pa.Array) -> pa.Array:
    """A string column as plain strings (the fast reader may dictionary-encode it)."""
    return array.cast(pa.string()) if pa.types.is_dictionary(array.type) else array


def _given(array: pa.Array) -> np.ndarray:
    trimmed = pc.utf8_trim_whitespace(array)
    return np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(trimmed), 0), False).to_numpy(zero_copy_only=False)
    )


# --- one batch ---------------------------------------------------------------------------


@dataclass
class _Parsed:
    table: pa.Table  # clean-table columns (without record_id/source_file), reason
    digests: np.ndarray  # (n, 16) uint8
    has_key: np.ndarray
    day: np.ndarray
    event: np.ndarray
    rejected_raw: pa.Table  # raw non-personal fields of the rejected rows


def _parse_places(column, n: int, unit: np.ndarray, state: _State, mapping) -> tuple:
    """Kecamatan and village codes (category positions) and the place match per row."""
    cats = state.categories
    none = np.full(n, -1, dtype=np.int64)
    not_given = np.full(n, cats["place_match"].position("not_given"), dtype=np.int64)
    if "district" not in mapping and "village" not in mapping:
        return none, none, not_given
    village_text = _plain(_null(column("village"), n))
    district_text = _plain(_null(column("district"), n))
    unit_text = cats["bps_code"].array(unit).cast(pa.string())
    key = pc.binary_join_element_wise(
        pc.fill_null(village_text, ""),
        pc.fill_null(district_text, ""),
        pc.fill_null(unit_text, ""),
        _SEPARATOR,
    )
    given = np.asarray(
        pc.or_(pc.is_valid(village_text), pc.is_valid(district_text)).to_numpy(zero_copy_only=False)
    )
    key = pc.if_else(pa.array(given), key, pa.scalar(None, pa.string()))
    codes = state.place.lookup(key)
    cache = state.place
    district = np.where(codes >= 0, cats["district_code"].rows(cache, codes, lambda r: r[0]), -1)
    village = np.where(codes >= 0, cats["village_code"].rows(cache, codes, lambda r: r[1]), -1)
    match = np.where(codes >= 0, cats["place_match"].rows(cache, codes, lambda r: r[2]), not_given)
    results = cache.results()
    for name, text, at in (("district", district_text, 3), ("village", village_text, 4)):
        if name not in mapping:
            continue
        resolved = np.append(np.array([bool(r[at]) for r in results], dtype=bool), False)[codes]
        text_given = np.asarray(pc.is_valid(text).to_numpy(zero_copy_only=False))
        state.count(name, text_given, resolved)
        missed = text_given & ~resolved
        if missed.any():
            counts = pc.value_counts(text.filter(pa.array(missed)))
            for item in counts.to_pylist():
                state.place_unrecognised[name][item["values"]] += item["counts"]
    return district, village, match


def _split_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per regency position: the year it was established and its parent's position."""
    table = regions.regencies()
    codes = list(table["bps_code"])
    parent = [codes.index(p) if isinstance(p, str) else -1 for p in table["parent_bps_code"]]
    return table["year_established"].to_numpy(dtype=float), np.array(parent, dtype=np.int64)


def _at_year(positions: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The split crosswalk on regency positions (as :func:`regions.codes_at_year`)."""
    established, parent = _split_tables()
    moved = np.zeros(len(positions), dtype=bool)
    for _ in range(3):  # split chains are at most one level deep in NTT; 3 is a safe bound
        before = (positions >= 0) & (year < np.append(established, np.inf)[positions])
        if not before.any():
            break
        positions = np.where(before, np.append(parent, -1)[positions], positions)
        moved |= before
    return positions, moved


def _parse_batch(batch: read.Batch, mapping: dict[str, str], state: _State) -> _Parsed:
    n = len(batch.rows)
    cats = state.categories

    def column(name: str) -> pa.Array | None:
        return batch.columns.get(mapping[name]) if name in mapping else None

    # Dates and year.
    event_text = _null(column("event_date"), n)
    codes = state.event_date.lookup(event_text)
    results = state.event_date.results()
    event_date = _part(results, "date", np.datetime64("NaT", "ns"))[codes]
    year = _part(results, "year", np.nan)[codes]
    event_given = codes >= 0
    state.count("event_date", event_given, ~np.isnan(year))
    birth = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if "birth_date" in mapping:
        birth_codes = state.birth_date.lookup(column("birth_date"))
        birth = _part(state.birth_date.results(), "date", np.datetime64("NaT", "ns"))[birth_codes]
        state.count("birth_date", birth_codes >= 0, ~np.isnat(birth))

    # Regency (positions in the 22 units): column, then address, then NIK prefix.
    regency = cats["bps_code"]
    matches = cats["regency_match"]
    unit = np.full(n, -1, dtype=np.int64)
    match = np.full(n, matches.position("unmatched"), dtype=np.int64)
    if "regency" in mapping:
        regency_codes = state.regency.lookup(column("regency"))
        unit = regency.rows(state.regency, regency_codes, lambda r: r[0])
        match = np.where(
            regency_codes >= 0, matches.rows(state.regency, regency_codes, lambda r: r[1]), match
        )
        state.count("regency", regency_codes >= 0, unit >= 0)
    if "address" in mapping and (unit < 0).any():
        rows = np.flatnonzero(unit < 0)
        address_codes = state.address.lookup(column("address").take(pa.array(rows)))
        found = regency.rows(state.address, address_codes, lambda r: r[0])
        unit[rows] = np.where(found >= 0, found, unit[rows])
        match[rows] = np.where(found >= 0, matches.position("address"), match[rows])
    nik_text = _null(column("nik"), n)
    digits = privacy.nik_digits(nik_text)
    valid = np.asarray(privacy.nik_valid(digits).to_numpy(zero_copy_only=False))
    nik_given = np.asarray(pc.is_valid(nik_text).to_numpy(zero_copy_only=False))
    if "nik" in mapping:
        state.count("nik", nik_given, valid)
    from_nik_unit = np.full(n, -1, dtype=np.int64)
    if valid.any():
        prefixes = pc.dictionary_encode(pc.utf8_slice_codeunits(digits, 0, 4))
        lookup = _kemendagri_to_bps()
        table = np.array(
            [regency.position(lookup.get(p)) for p in prefixes.dictionary.to_pylist()] + [-1]
        )
        indices = prefixes.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        from_nik_unit = np.where(valid, table[indices], -1)
    from_nik = (unit < 0) & (from_nik_unit >= 0)
    mismatch = (unit >= 0) & (from_nik_unit >= 0) & (unit != from_nik_unit)
    unit = np.where(from_nik, from_nik_unit, unit)
    match = np.where(from_nik, matches.position("nik"), match)
    unit, moved = _at_year(unit, year)
    district, village, place_match = _parse_places(column, n, unit, state, mapping)

    # Categorical fields, as category positions.
    fields_out = {}
    for name, cache, category in (
        ("sex", state.sex, "sex"),
        ("destination", state.destination, "destination_iso3"),
        ("status", state.status, "procedural"),
        ("event_type", state.event_type, "event_type"),
    ):
        codes = cache.lookup(_null(column(name), n))
        positions = cats[category].rows(cache, codes)
        if category in {"procedural", "event_type"}:
            positions = np.where(positions < 0, cats[category].position("unknown"), positions)
        fields_out[category] = positions
        if name in mapping:
            recognised = np.append(cache.recognised(), False)[codes]
            state.count(name, codes >= 0, recognised)
        if name == "destination":
            destination_given = codes >= 0

    # Age: from the birth date at the event date, else the age column.
    age_stated = np.full(n, np.nan)
    if "age" in mapping:
        age_codes = state.age.lookup(column("age"))
        age_stated = parsers.take(state.age, age_codes, np.nan, dtype=float)
        state.count("age", age_codes >= 0, ~np.isnan(age_stated))
    age_from_birth = _age_at(birth, event_date)
    age = np.where(np.isnan(age_from_birth), age_stated, age_from_birth)

    # Person key; names and NIKs are not used after this.
    digests, has_key = privacy.person_digests(digits, valid, column("name"), birth, state.key)

    # Each row's fate (later reasons take precedence).
    plausible = ~np.isnan(year) & (year >= MIN_EVENT_YEAR) & (year <= state.as_of.year)
    plausible &= np.isnat(event_date) | (event_date <= state.as_of.to_datetime64())
    reasons = cats["reason"]
    reason = np.full(n, -1, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        reason[(age < 0) | (age > MAX_AGE)] = reasons.position("impossible_age")
    reason[unit < 0] = reasons.position("no_regency")
    reason[~np.isnan(year) & ~plausible] = reasons.position("event_date_out_of_range")
    reason[event_given & np.isnan(year)] = reasons.position("invalid_event_date")
    reason[~event_given] = reasons.position("no_event_date")

    sex, destination = fields_out["sex"], fields_out["destination_iso3"]
    event_unknown = fields_out["event_type"] == cats["event_type"].position("unknown")
    table = pa.table(
        {
            "source_row": pa.array(batch.rows, type=pa.int64()),
            "event_type": cats["event_type"].array(fields_out["event_type"]),
            "event_date": pa.array(event_date, type=pa.timestamp("ns")),
            "year": pa.array(np.nan_to_num(year, nan=0).astype(np.int64)),
            "bps_code": regency.array(unit),
            "procedural": cats["procedural"].array(fields_out["procedural"]),
            "sex": cats["sex"].array(sex),
            "age": pa.array(age, type=pa.float64()),
            "destination_iso3": cats["destination_iso3"].array(destination),
            "district_code": cats["district_code"].array(district),
            "village_code": cats["village_code"].array(village),
            "place_match": cats["place_match"].array(place_match),
            "regency_match": matches.array(match),
            "flag_regency_from_nik": pa.array(from_nik),
            "flag_regency_nik_mismatch": pa.array(mismatch),
            "flag_before_split": pa.array(moved),
            "flag_nik_invalid": pa.array(~valid & nik_given),
            "flag_date_year_only": pa.array(np.isnat(event_date) & ~np.isnan(year)),
            "flag_age_from_birth_date": pa.array(~np.isnan(age_from_birth)),
            "flag_minor": pa.array(age < 18),
            "flag_sex_unknown": pa.array(sex < 0),
            "flag_destination_unknown": pa.array((destination < 0) & destination_given),
            "flag_event_type_unknown": pa.array(event_unknown),
            "reason": reasons.array(reason),
        }
    )
    rejected = np.flatnonzero(reason >= 0)
    raw = {
        f"raw_{name}": batch.columns[header].take(pa.array(rejected))
        for name, header in mapping.items()
        if name not in PERSONAL_FIELDS and header in batch.columns
    }
    return _Parsed(
        table=table,
        digests=digests,
        has_key=has_key,
        day=identity.event_days(event_date, year).astype(np.int32),
        event=fields_out["event_type"].astype(np.int8),
        rejected_raw=pa.table(
            {
                "source_row": pa.array(batch.rows[rejected], type=pa.int64()),
                "reason": pc.cast(reasons.array(reason[rejected]), pa.string()),
                **raw,
            }
        ),
    )


def _age_at(birth: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Whole years from ``birth`` to ``event`` (NaN where either is missing), in numpy."""
    missing = np.isnat(birth) | np.isnat(event)
    birth_month = birth.astype("datetime64[M]")
    event_month = event.astype("datetime64[M]")
    months = (event_month - birth_month).astype(np.int64)
    birth_day = (birth.astype("datetime64[D]") - birth_month.astype("datetime64[D]")).astype(int)
    event_day = (event.astype("datetime64[D]") - event_month.astype("datetime64[D]")).astype(int)
    months = months - (event_day < birth_day)  # the birthday of that month not reached yet
    return np.where(missing, np.nan, np.floor_divide(months, 12)).astype(float)


# --- the result ------------------------------------------------------------------------------


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
            frame = _read_table(self.paths[name])
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


def _read_table(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas(types_mapper=_STRINGS.get)


# --- the cleaner -------------------------------------------------------------------------


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
) -> CleanResult:
    """Clean one case file (see the package docstring for what comes out).

    Parameters
    ----------
    source : path or DataFrame
        CSV/TXT (any common delimiter and encoding, ``.gz``/``.zip``), XLSX, XLS (binary,
        HTML or SpreadsheetML), or a DataFrame whose columns are the headers.
    columns : mapping, optional
        Canonical field → header in the file, for headers not recognised automatically.
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

    Returns
    -------
    CleanResult

    Raises
    ------
    RecordsError
        Empty file, no header row, no data rows, missing required fields (event date; and
        regency, NIK or address), unreadable file — the message names the file.
    """
    if dedupe_days < 0:
        raise ValueError(f"dedupe_days must be 0 or more, got {dedupe_days}")
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be positive, got {batch_rows}")
    key = privacy.resolve_secret(secret)
    opened = read.open_source(source, columns, sheet)
    mapping = map_fields(opened.headers, columns, opened.source_file)
    wanted = [header for name, header in mapping.items() if name in READ_FIELDS]
    today = (
        pd.Timestamp(as_of).normalize() if as_of is not None else pd.Timestamp.today().normalize()
    )
    workdir = Path(tempfile.mkdtemp(prefix="migration_ntt_clean_")) if out is not None else None
    try:
        try:
            state, parts = _parse_all(opened, mapping, wanted, batch_rows, key, today, workdir)
        except read.FastPathFailed:
            opened.force_exact = True
            state, parts = _parse_all(opened, mapping, wanted, batch_rows, key, today, workdir)
        return _assemble(opened, mapping, state, parts, dedupe_days, out)
    finally:
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)


# Fields with few distinct values: the fast reader dictionary-encodes them while parsing.
ENCODED_FIELDS = (
    "sex",
    "birth_date",
    "age",
    "village",
    "district",
    "regency",
    "destination",
    "status",
    "event_type",
    "event_date",
)


def _parse_all(opened, mapping, wanted, batch_rows, key, today, workdir):
    state = _State(key=key, as_of=today)
    parts = _Parts(workdir)
    encode = [header for name, header in mapping.items() if name in ENCODED_FIELDS]
    for batch in opened.batches(wanted, batch_rows, encode=encode):
        parts.add(_parse_batch(batch, mapping, state))
    return state, parts


class _Parts:
    """The parsed batches: compact arrays in memory, tables in memory or spilled to disk."""

    def __init__(self, workdir: Path | None) -> None:
        self.workdir = workdir
        self.tables: list[pa.Table] = []
        self.writer = None
        self.compact: dict[str, list[np.ndarray]] = {
            name: [] for name in ("digests", "has_key", "day", "event", "usable", "source_row")
        }
        self.rejected_raw: list[pa.Table] = []
        self.n = 0

    def add(self, parsed: _Parsed) -> None:
        table = parsed.table
        if self.workdir is not None:
            import pyarrow.parquet as pq

            plain = _decode(table)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.workdir / "parsed.parquet", plain.schema)
            self.writer.write_table(plain)
        else:
            self.tables.append(table)
        reason = table.column("reason")
        usable = np.asarray(reason.is_null().to_numpy(zero_copy_only=False))
        for name, values in (
            ("digests", parsed.digests),
            ("has_key", parsed.has_key),
            ("day", parsed.day),
            ("event", parsed.event),
            ("usable", usable),
            ("source_row", table.column("source_row").to_numpy()),
        ):
            self.compact[name].append(values)
        self.rejected_raw.append(parsed.rejected_raw)
        self.n += table.num_rows

    def array(self, name: str) -> np.ndarray:
        """One compact array for the whole file (its batch pieces are released)."""
        items = self.compact[name]
        if not items:
            shape = (0, privacy.DIGEST_BYTES) if name == "digests" else (0,)
            return np.zeros(shape, dtype=np.uint8 if name == "digests" else np.int64)
        if len(items) > 1:
            joined = np.concatenate(items)
            items.clear()
            items.append(joined)
        return items[0]

    def batches(self):
        """The parsed tables again, in order."""
        if self.workdir is None:
            yield from self.tables
            return
        import pyarrow.parquet as pq

        if self.writer is not None:
            self.writer.close()
            self.writer = None
        path = self.workdir / "parsed.parquet"
        if path.exists():
            for batch in pq.ParquetFile(path).iter_batches(batch_size=read.BATCH_ROWS):
                yield pa.Table.from_batches([batch])


def _decode(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings (for writing and for pandas)."""
    columns = [
        pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


CONTRACT = (
    "record_id",
    "source_file",
    "source_row",
    "event_type",
    "event_date",
    "year",
    "bps_code",
    "procedural",
    "sex",
    "age",
    "destination_iso3",
    "person_key",
    "district_code",
    "village_code",
)


def _ids(stem: str, source_rows: pa.Array | pa.ChunkedArray | np.ndarray) -> pa.Array:
    """``record_id`` = ``<file stem>:<source row>``."""
    if isinstance(source_rows, pa.ChunkedArray):
        source_rows = source_rows.combine_chunks()  # joins on chunks are ~10 × slower
    rows = source_rows if isinstance(source_rows, pa.Array) else pa.array(source_rows)
    return pc.binary_join_element_wise(f"{stem}:", pc.cast(rows, pa.string()), "")


def _contract_table(
    parsed: pa.Table, stem: str, source_file: str, keys: pa.Array, synthetic: bool
) -> pa.Table:
    """The clean-table columns in contract order (DESIGN.md), then the quality columns."""
    plain = _decode(parsed)
    n = plain.num_rows
    columns = {
        "record_id": _ids(stem, plain.column("source_row")),
        "source_file": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(n, dtype=np.int32)), pa.array([source_file])
        ).cast(pa.string()),
        "person_key": keys,
    }
    ordered = {name: columns[name] if name in columns else plain.column(name) for name in CONTRACT}
    rest = {
        name: plain.column(name)
        for name in plain.column_names
        if name not in ordered and name != "reason"
    }
    table = pa.table({**ordered, **rest})
    if synthetic:
        table = table.append_column("synthetic", pa.array(np.ones(n, dtype=bool)))
    return table


def _validate(table: pa.Table, keys: pa.Array, where: str) -> None:
    """The contract of the clean table, checked vectorised (no row-by-row pass).

    ``table`` holds the parsed columns of the clean rows (categories dictionary-encoded)
    and ``keys`` their person keys. Categories are checked exactly on the distinct values
    in use, ranges with Arrow kernels, the key format (made by construction) on a sample.
    A failure is a bug in the cleaner, not in the user's file.
    """
    problems = []

    def within(name: str, allowed: set[str]) -> None:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = pc.cast(pc.unique(column), pa.string())
        values = set(pc.unique(column).drop_null().to_pylist())
        if not values <= allowed:
            problems.append(f"{name} has {sorted(values - allowed)}")

    if table.num_rows == 0:
        return
    within("event_type", set(EVENT_TYPES))
    within("procedural", set(PROCEDURAL))
    within("sex", set(SEXES))
    within("bps_code", set(regions.regencies()["bps_code"]))
    if table.column("bps_code").null_count:
        problems.append("bps_code is missing")
    rows = table.column("source_row").to_numpy()
    if len(rows) > 1 and not (np.diff(rows) > 0).all():  # rows come in file order
        problems.append("source_row is not unique and increasing")
    year = table.column("year")
    if pc.min(year).as_py() < MIN_EVENT_YEAR or pc.max(year).as_py() > 2100:
        problems.append("year out of range")
    age = table.column("age").drop_null()
    if len(age) and (pc.min(age).as_py() < 0 or pc.max(age).as_py() > MAX_AGE):
        problems.append("age out of range")
    destinations = pc.unique(table.column("destination_iso3"))
    if pa.types.is_dictionary(destinations.type):
        destinations = pc.cast(destinations, pa.string())
    destinations = destinations.drop_null()
    if (
        len(destinations)
        and not pc.all(pc.match_substring_regex(destinations, r"^[A-Z]{3}$")).as_py()
    ):
        problems.append("destination_iso3 not ISO3")
    # person keys are made 32 hex characters by construction: their format on a sample
    keys = keys.slice(0, VALIDATION_SAMPLE).drop_null()
    if len(keys) and not pc.all(pc.match_substring_regex(keys, r"^[0-9a-f]{32}$")).as_py():
        problems.append("person_key is not 32 hex characters")
    if problems:
        raise RuntimeError(f"{where}: the clean table breaks its contract: {'; '.join(problems)}")


def clean_schema():
    """The pandera schema of the clean table (DESIGN.md contract), for users' own checks.

    :func:`clean_records` checks the same rules vectorised, without a row-by-row pass.
    """
    import pandera.pandas as pandera

    codes = regions.regencies()["bps_code"].tolist()
    return pandera.DataFrameSchema(
        {
            "record_id": pandera.Column(str, unique=True),
            "source_file": pandera.Column(str),
            "source_row": pandera.Column("int64", pandera.Check.ge(0)),
            "event_type": pandera.Column(str, pandera.Check.isin(EVENT_TYPES)),
            "event_date": pandera.Column("datetime64[ns]", nullable=True),
            "year": pandera.Column("int64", pandera.Check.in_range(MIN_EVENT_YEAR, 2100)),
            "bps_code": pandera.Column(str, pandera.Check.isin(codes)),
            "procedural": pandera.Column(str, pandera.Check.isin(PROCEDURAL)),
            "sex": pandera.Column(str, pandera.Check.isin(list(SEXES)), nullable=True),
            "age": pandera.Column(float, pandera.Check.in_range(0, MAX_AGE), nullable=True),
            "destination_iso3": pandera.Column(
                str, pandera.Check.str_matches(r"^[A-Z]{3}$"), nullable=True
            ),
            "person_key": pandera.Column(
                str, pandera.Check.str_matches(r"^[0-9a-f]{32}$"), nullable=True
            ),
        },
        strict=False,
        coerce=False,
    )


class _Writer:
    """Parquet files written part by part (``out=``)."""

    def __init__(self, folder: str | Path, stem: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths = {
            kind: self.folder / f"{stem}_{kind}.parquet"
            for kind in ("clean", "duplicates", "rejects")
        }
        self.writers: dict[str, object] = {}
        self.rows = {kind: 0 for kind in self.paths}

    def write(self, kind: str, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        if kind not in self.writers:
            self.writers[kind] = pq.ParquetWriter(self.paths[kind], table.schema)
        self.writers[kind].write_table(table)
        self.rows[kind] += table.num_rows

    def close(self, schemas: dict[str, pa.Schema]) -> dict[str, Path]:
        import pyarrow.parquet as pq

        for kind, path in self.paths.items():
            if kind not in self.writers:
                pq.write_table(schemas[kind].empty_table(), path)
        for writer in self.writers.values():
            writer.close()
        return self.paths


def _assemble(opened, mapping, state, parts, dedupe_days, out) -> CleanResult:
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
    stem = Path(opened.source_file).stem if opened.source_file != "<DataFrame>" else "df"
    writer = _Writer(out, stem) if out is not None else None
    pieces: dict[str, list[pa.Table]] = {"clean": [], "duplicates": []}
    first_date, last_date = None, None
    start = 0
    for parsed in parts.batches():
        positions = np.arange(start, start + parsed.num_rows)
        start += parsed.num_rows
        keys = privacy.hex_keys(digests[positions], has_key[positions])
        full = _contract_table(parsed, stem, opened.source_file, keys, opened.synthetic)
        twin = kept[positions]
        is_clean = pa.array(usable[positions] & (twin < 0))
        _validate(parsed.filter(is_clean), keys.filter(is_clean), opened.source_file)
        clean_part = full.filter(is_clean)
        duplicate_part = full.filter(pa.array(twin >= 0)).append_column(
            "duplicate_of", _ids(stem, source_rows[twin[twin >= 0]])
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
    rejects = _rejects_table(parts)
    rejects = _with_problems(rejects, opened)
    date_range = (pd.Timestamp(first_date), pd.Timestamp(last_date))
    if writer is not None:
        writer.write("rejects", pa.Table.from_pandas(rejects, preserve_index=False))
        empty = _contract_table(
            _empty_parsed(), stem, opened.source_file, pa.array([], pa.string()), opened.synthetic
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
            _clean=_to_pandas(pieces["clean"]),
            _rejects=rejects,
            _duplicates=_to_pandas(pieces["duplicates"]),
        )
        counts = {"clean": len(result.clean), "duplicates": len(result.duplicates)}
    counts["input"] = parts.n + len(opened.problems)
    result.report = _report(opened, mapping, state, counts, rejects, date_range)
    return result


def _empty_parsed() -> pa.Table:
    return pa.table(
        {
            "source_row": pa.array([], pa.int64()),
            **{
                name: pa.array([], pa.string())
                for name in (
                    "event_type",
                    "bps_code",
                    "procedural",
                    "sex",
                    "destination_iso3",
                    "district_code",
                    "village_code",
                    "place_match",
                )
            },
            "event_date": pa.array([], pa.timestamp("ns")),
            "year": pa.array([], pa.int64()),
            "age": pa.array([], pa.float64()),
            "regency_match": pa.array([], pa.string()),
        }
    )


def _to_pandas(pieces: list[pa.Table]) -> pd.DataFrame:
    if not pieces:
        return pd.DataFrame(columns=list(CONTRACT))
    table = pa.concat_tables(pieces)
    return table.to_pandas(types_mapper=_STRINGS.get)


def _rejects_table(parts: _Parts) -> pd.DataFrame:
    """Rejected rows: source_row, reason and the raw non-personal fields."""
    tables = [t for t in parts.rejected_raw if t.num_rows]
    if not tables:
        return pd.DataFrame({"source_row": pd.Series(dtype="int64"), "reason": []})
    return pa.concat_tables(tables, promote_options="default").to_pandas(types_mapper=_STRINGS.get)


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


def _report(opened, mapping, state, counts, rejects, date_range) -> CleanReport:
    """The report; ``counts`` holds ``input`` (rows read, counted as they were read, plus
    unreadable rows), ``clean`` and ``duplicates`` (rows written)."""
    quality = pd.DataFrame(
        [
            {"field": name, "parsed": int(v[0]), "invalid": int(v[1]), "missing": int(v[2])}
            for name, v in state.quality.items()
        ],
        columns=["field", "parsed", "invalid", "missing"],
    )
    caches = {
        "event_date": state.event_date,
        "sex": state.sex,
        "age": state.age,
        "destination": state.destination,
        "status": state.status,
        "event_type": state.event_type,
        "regency": state.regency,
    }
    rows = [
        {"field": name, "value": value, "rows": count}
        for name, cache in caches.items()
        if name in LISTABLE_FIELDS and name in mapping
        for value, count in cache.unrecognised.most_common()
    ]
    rows += [
        {"field": name, "value": value, "rows": count}
        for name, counter in state.place_unrecognised.items()
        for value, count in counter.most_common()
    ]
    unrecognised = pd.DataFrame(rows, columns=["field", "value", "rows"])
    unrecognised["match"] = [
        state.regency.match_of(value)[1] if field_name == "regency" else None
        for field_name, value in zip(unrecognised["field"], unrecognised["value"], strict=True)
    ]
    reasons = rejects["reason"].value_counts().rename_axis("reason").reset_index(name="rows")
    details = dict(opened.details)
    details["header_row"] = opened.header_row
    details["unreadable_rows"] = len(opened.problems)
    return CleanReport(
        source_file=opened.source_file,
        n_input=counts["input"],
        n_clean=counts["clean"],
        n_rejects=len(rejects),
        n_duplicates=counts["duplicates"],
        field_mapping=pd.DataFrame(sorted(mapping.items()), columns=["field", "header"]),
        field_quality=quality,
        unrecognised=unrecognised,
        reject_reasons=reasons,
        date_range=date_range,
        details=details,
        blank_rows=opened.blank_rows,
    )


def save_clean(result: CleanResult, folder: str | Path, stem: str | None = None) -> dict[str, Path]:
    """Write a cleaning result: ``<stem>_clean.parquet`` (what ``records_path`` in notebooks
    02–05 and ``--records`` take), ``_clean.csv``, ``_rejects.csv``, ``_duplicates.csv``,
    ``_report.csv`` / ``_report.txt`` and the zero-filled regency × year counts
    ``_counts.csv``. Returns the paths by kind.

    Examples
    --------
    >>> import tempfile
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(100, seed=1)
    >>> paths = records.save_clean(records.clean_records(messy, secret="s"), tempfile.mkdtemp(),
    ...                            "demo_synthetic")
    >>> paths["clean"].name
    'demo_synthetic_clean.parquet'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if stem is None:
        source = result.report.source_file
        stem = Path(source).stem if source != "<DataFrame>" else "records"
    paths = {
        "clean": folder / f"{stem}_clean.parquet",
        "clean_csv": folder / f"{stem}_clean.csv",
        "rejects": folder / f"{stem}_rejects.csv",
        "duplicates": folder / f"{stem}_duplicates.csv",
        "report": folder / f"{stem}_report.csv",
        "report_text": folder / f"{stem}_report.txt",
    }
    result.clean.to_parquet(paths["clean"], index=False)
    result.clean.to_csv(paths["clean_csv"], index=False)
    result.rejects.to_csv(paths["rejects"], index=False)
    result.duplicates.to_csv(paths["duplicates"], index=False)
    result.report.to_frame().to_csv(paths["report"], index=False)
    paths["report_text"].write_text(result.report.full_text() + "\n", encoding="utf-8")
    if len(result.clean):
        paths["counts"] = folder / f"{stem}_counts.csv"
        from migration_ntt.ingest.records.counts import count_records

        count_records(result.clean).to_csv(paths["counts"], index=False)
    return paths
