"""One batch of a case file, parsed: every field read once per distinct value.

:func:`parse_batch` takes the raw columns of some rows (Arrow strings) and returns the
clean-table columns of those rows, with each row's reject reason. State shared by the
batches of one file lives in :class:`State`: what each distinct string parsed to
(:class:`~.fields.FieldCache`), the category strings of the output columns, parse-quality
counts, and the **rows decided by each rule** per field (see :data:`~.fields.RULES`; places
count their match kinds).

The regency of a row comes, in order, from a code column (``bps_code``), the regency
name, the address, the NIK prefix, and finally the place (a kecamatan or village that
names its regency). The place is read against the regency *as written*, then the split
crosswalk moves the row to the unit that existed in its year (Malaka before 2013 →
Belu). A place found only in a regency split from the written one (or its parent) moves the
row there, flagged ``flag_place_regency_corrected``.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt import privacy, regions
from migration_ntt.ingest.records import dates, identity, read
from migration_ntt.ingest.records import fields as parsers
from migration_ntt.ingest.records.mapping import PERSONAL_FIELDS
from migration_ntt.ingest.records.overrides import ValueMap
from migration_ntt.ingest.records.state import (
    DATE_RESULT,
    MAX_AGE,
    MIN_EVENT_YEAR,
    PLACE_SEPARATOR,
    PRECISION_CODES,
    REGENCY_RULES,
    REJECT_REASONS,
    State,
)
from migration_ntt.regions import places

__all__ = ["MAX_AGE", "MIN_EVENT_YEAR", "REJECT_REASONS", "Parsed", "State", "parse_batch"]


@dataclass
class Parsed:
    """One parsed batch: clean columns, compact arrays for duplicates, rejected raw fields."""

    table: pa.Table  # clean-table columns (without record_id/source_file), reason
    digests: np.ndarray  # (n, 16) uint8
    has_key: np.ndarray
    day: np.ndarray
    event: np.ndarray
    rejected_raw: pa.Table  # raw non-personal fields of the rejected rows
    record_ids: pa.Array | None  # the file's own record ids, when it has them


def null(array: pa.Array | None, n: int) -> pa.Array:
    return array if array is not None else pa.nulls(n, type=pa.string())


def plain(array: pa.Array) -> pa.Array:
    """A string column as plain strings (the fast reader may dictionary-encode it)."""
    return array.cast(pa.string()) if pa.types.is_dictionary(array.type) else array


def _given(array: pa.Array) -> np.ndarray:
    trimmed = pc.utf8_trim_whitespace(plain(array))
    return np.asarray(
        pc.fill_null(pc.greater(pc.utf8_length(trimmed), 0), False).to_numpy(zero_copy_only=False)
    )


def _overridden(array: pa.Array, name: str, values: ValueMap) -> tuple[pa.Array, np.ndarray]:
    """Texts with the value map's codes put in (for kecamatan and villages)."""
    array = plain(array)
    n = len(array)
    if not values or name not in values.fields():
        return array, np.zeros(n, dtype=bool)
    encoded = pc.dictionary_encode(array)
    words = encoded.dictionary.to_pylist()
    decided = [values.lookup(name, w) for w in words]
    if not any(decided):
        return array, np.zeros(n, dtype=bool)
    new = pa.array([d if d is not None else w for w, d in zip(words, decided, strict=True)])
    hit = np.append(np.array([d is not None for d in decided], dtype=bool), False)
    positions = encoded.indices.fill_null(len(words)).to_numpy(zero_copy_only=False)
    return pc.take(new, encoded.indices), hit[positions]


def _part(results: np.ndarray, name: str, missing: object) -> np.ndarray:
    """One field of date results, with ``missing`` appended for code −1."""
    values = results[name] if len(results) else np.zeros(0, dtype=DATE_RESULT[name])
    return np.append(values, np.array([missing], dtype=DATE_RESULT[name]))


def _split_tables() -> tuple[np.ndarray, np.ndarray]:
    """Per regency position: the year it was established and its parent's position."""
    table = regions.regencies()
    codes = list(table["bps_code"])
    parent = [codes.index(p) if isinstance(p, str) else -1 for p in table["parent_bps_code"]]
    return table["year_established"].to_numpy(dtype=float), np.array(parent, dtype=np.int64)


def at_year(positions: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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


_KEMENDAGRI_TO_BPS: dict[str, str] | None = None


def _kemendagri_to_bps() -> dict[str, str]:
    global _KEMENDAGRI_TO_BPS
    if _KEMENDAGRI_TO_BPS is None:
        table = regions.regencies()
        _KEMENDAGRI_TO_BPS = dict(
            zip(table["kemendagri_code"].str.replace(".", ""), table["bps_code"], strict=True)
        )
    return _KEMENDAGRI_TO_BPS


def _coalesce(first: pa.Array | None, second: pa.Array | None, n: int) -> pa.Array | None:
    """``first`` where it has text, else ``second`` (None when neither column exists)."""
    if first is None and second is None:
        return None
    if first is None or second is None:
        return plain(first if first is not None else second)
    first = plain(first)
    return pc.if_else(pa.array(_given(first)), first, plain(second))


def _dates_of(column, n: int, state: State, mapping) -> dict[str, np.ndarray]:
    """Event date, year, month and precision code of each row (date column, then the
    year and month columns where the date is blank or only gives the year)."""
    caches = state.caches
    codes = caches["event_date"].lookup(null(column("event_date"), n))
    results = caches["event_date"].results()
    out = {
        "date": _part(results, "date", np.datetime64("NaT", "ns"))[codes],
        "year": _part(results, "year", np.nan)[codes],
        "month": _part(results, "month", np.nan)[codes],
        "precision": _part(results, "precision", 0)[codes].astype(np.int8),
    }
    date_given = codes >= 0
    out["date_given"], out["date_bad"] = date_given, date_given & (out["precision"] == 0)
    if "event_date" in mapping:
        state.count("event_date", date_given, out["precision"] > 0)
    year_given = np.zeros(n, dtype=bool)
    year_code, month_code = PRECISION_CODES.index("year"), PRECISION_CODES.index("month")
    if "event_year" in mapping:
        year_codes = caches["event_year"].lookup(column("event_year"))
        stated = parsers.take(caches["event_year"], year_codes, np.nan, dtype=float)
        year_given = year_codes >= 0
        state.count("event_year", year_given, ~np.isnan(stated))
        use = ~date_given & ~np.isnan(stated)
        out["year"] = np.where(use, stated, out["year"])
        out["precision"] = np.where(use, year_code, out["precision"]).astype(np.int8)
    if "event_month" in mapping:
        month_codes = caches["event_month"].lookup(column("event_month"))
        stated = parsers.take(caches["event_month"], month_codes, np.nan, dtype=float)
        state.count("event_month", month_codes >= 0, ~np.isnan(stated))
        add = (out["precision"] == year_code) & ~np.isnan(stated)
        out["month"] = np.where(add, stated, out["month"])
        out["precision"] = np.where(add, month_code, out["precision"]).astype(np.int8)
    out["given"] = date_given | year_given
    labels = ("unrecognised", *dates.PRECISIONS, "missing")
    rule = np.where(out["date_bad"], 0, out["precision"])
    state.decided("event_date", np.where(out["given"], rule, len(labels) - 1), labels)
    return out


def _regency(column, n: int, state: State, mapping) -> tuple[np.ndarray, np.ndarray, dict]:
    """Regency positions (−1: none) and match positions: code, name, address, NIK."""
    caches, cats = state.caches, state.categories
    regency, matches = cats["bps_code"], cats["regency_match"]
    unit = np.full(n, -1, dtype=np.int64)
    match = np.full(n, matches.position("unmatched"), dtype=np.int64)
    for name in ("regency_code", "regency"):
        if name not in mapping:
            continue
        cache = caches[name]
        codes = cache.lookup(column(name))
        found = regency.rows(cache, codes, lambda r: r[0], "code")
        fill = (unit < 0) & (codes >= 0)
        match = np.where(fill, matches.rows(cache, codes, lambda r: r[1], "match"), match)
        unit = np.where(fill, found, unit)
        state.count(name, codes >= 0, found >= 0)
        state.decided_by_rule(
            name,
            codes,
            lambda r: REGENCY_RULES.get(r[1], "unrecognised") if r[0] else "unrecognised",
        )
    if "address" in mapping and (unit < 0).any():
        rows = np.flatnonzero(unit < 0)
        address_codes = caches["address"].lookup(plain(column("address")).take(pa.array(rows)))
        found = regency.rows(caches["address"], address_codes, lambda r: r[0], "code")
        unit[rows] = np.where(found >= 0, found, unit[rows])
        match[rows] = np.where(found >= 0, matches.position("address"), match[rows])
    nik_text = null(column("nik"), n)
    digits = privacy.nik_digits(plain(nik_text))
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
    flags = {
        "flag_regency_from_nik": from_nik,
        "flag_regency_nik_mismatch": (unit >= 0) & (from_nik_unit >= 0) & (unit != from_nik_unit),
        "flag_nik_invalid": ~valid & nik_given,
        "digits": digits,
        "valid": valid,
    }
    unit = np.where(from_nik, from_nik_unit, unit)
    match = np.where(from_nik, matches.position("nik"), match)
    return unit, match, flags


def _places(column, n: int, unit: np.ndarray, state: State, mapping) -> dict[str, np.ndarray]:
    """Kecamatan and village codes (category positions), the place match, the place's
    regency and whether it corrects the written regency, per row."""
    cats, cache = state.categories, state.caches["place"]
    none = np.full(n, -1, dtype=np.int64)
    out = {
        "district": none,
        "village": none,
        "match": np.full(n, cats["place_match"].position("not_given"), dtype=np.int64),
        "unit": none,
        "corrected": np.zeros(n, dtype=bool),
    }
    district_text = _coalesce(column("district_code"), column("district"), n)
    village_text = _coalesce(column("village_code"), column("village"), n)
    if district_text is None and village_text is None:
        return out
    overridden = {}
    texts = {}
    for name, text in (("district", district_text), ("village", village_text)):
        text = null(text, n)
        texts[name], overridden[name] = _overridden(text, name, state.value_map)
    unit_text = cats["bps_code"].array(unit).cast(pa.string())
    key = pc.binary_join_element_wise(
        pc.fill_null(texts["village"], ""),
        pc.fill_null(texts["district"], ""),
        pc.fill_null(unit_text, ""),
        PLACE_SEPARATOR,
    )
    given = _given(texts["village"]) | _given(texts["district"])
    key = pc.if_else(pa.array(given), key, pa.scalar(None, pa.string()))
    codes = cache.lookup(key)
    results = cache.results()
    out["district"] = np.where(
        codes >= 0, cats["district_code"].rows(cache, codes, lambda r: r[0], "district"), -1
    )
    out["village"] = np.where(
        codes >= 0, cats["village_code"].rows(cache, codes, lambda r: r[1], "village"), -1
    )
    out["match"] = np.where(
        codes >= 0, cats["place_match"].rows(cache, codes, lambda r: r[2], "match"), out["match"]
    )
    out["unit"] = np.where(
        codes >= 0, cats["bps_code"].rows(cache, codes, lambda r: r[5], "unit"), -1
    )
    out["corrected"] = np.append(np.array([bool(r[6]) for r in results], dtype=bool), False)[codes]
    labels = (*places.PLACE_MATCHES, "override")
    historic = np.append(np.array([r[3] == "historic" for r in results], dtype=bool), False)[codes]
    for name, at in (("district", 3), ("village", 4)):
        if name not in mapping and f"{name}_code" not in mapping:
            continue
        kinds = np.append(
            np.array([labels.index(r[at]) for r in results], dtype=np.int64),
            labels.index("not_given"),
        )[codes]
        kinds = np.where(overridden[name], labels.index("override"), kinds)
        state.decided(name, kinds, labels)
        resolved = np.isin(
            kinds, [labels.index("exact"), labels.index("fuzzy"), labels.index("override")]
        )
        text_given = _given(texts[name])
        state.count(name, text_given, resolved | ~text_given)
        missed = text_given & ~resolved
        if name == "district":
            missed &= ~historic  # reported apart, with their successors
        if missed.any():
            for item in pc.value_counts(texts[name].filter(pa.array(missed))).to_pylist():
                state.place_unrecognised[name][item["values"]] += item["counts"]
    if historic.any():
        successors = np.append(np.array([r[7] for r in results], dtype=object), None)[codes]
        written = np.asarray(texts["district"].to_pylist(), dtype=object)
        for text, names in zip(written[historic], successors[historic], strict=True):
            state.historic[(text, names)] += 1
    return out


def _categorical(column, n: int, state: State, mapping) -> dict[str, np.ndarray]:
    """Sex, destination (country and region), status and event type, as positions."""
    caches, cats = state.caches, state.categories
    out = {}
    for name, category, at in (
        ("sex", "sex", 0),
        ("destination", "destination_iso3", 0),
        ("status", "procedural", 0),
        ("event_type", "event_type", 0),
    ):
        cache = caches[name]
        codes = cache.lookup(null(column(name), n))
        positions = cats[category].rows(cache, codes, lambda r, at=at: r[at], "value")
        if category in {"procedural", "event_type"}:
            positions = np.where(positions < 0, cats[category].position("unknown"), positions)
        out[category] = positions
        if name in mapping:
            state.count(name, codes >= 0, np.append(cache.recognised(), False)[codes])
            state.decided_by_rule(name, codes, lambda r: r[-1])
        if name == "destination":
            out["destination_given"] = codes >= 0
            out["destination_region"] = cats["destination_region"].rows(
                cache, codes, lambda r: r[1], "region"
            )
    if "destination_region" in mapping:
        cache = caches["destination_region"]
        codes = cache.lookup(column("destination_region"))
        region = cats["destination_region"].rows(cache, codes, lambda r: r[1], "region")
        country = cats["destination_iso3"].rows(cache, codes, lambda r: r[0], "country")
        state.count("destination_region", codes >= 0, region >= 0)
        out["destination_region"] = np.where(
            out["destination_region"] < 0, region, out["destination_region"]
        )
        out["destination_iso3"] = np.where(
            out["destination_iso3"] < 0, country, out["destination_iso3"]
        )
    return out


def age_at(birth: np.ndarray, event: np.ndarray) -> np.ndarray:
    """Whole years from ``birth`` to ``event`` (NaN where either is missing), in numpy."""
    missing = np.isnat(birth) | np.isnat(event)
    birth_month = birth.astype("datetime64[M]")
    event_month = event.astype("datetime64[M]")
    months = (event_month - birth_month).astype(np.int64)
    birth_day = (birth.astype("datetime64[D]") - birth_month.astype("datetime64[D]")).astype(int)
    event_day = (event.astype("datetime64[D]") - event_month.astype("datetime64[D]")).astype(int)
    months = months - (event_day < birth_day)  # the birthday of that month not reached yet
    return np.where(missing, np.nan, np.floor_divide(months, 12)).astype(float)


def _given_person_keys(column, digests: np.ndarray, has_key: np.ndarray) -> None:
    """Rows without NIK or name + birth date take the file's own ``person_key`` (32 hex)."""
    keys = pc.utf8_lower(pc.utf8_trim_whitespace(plain(column)))
    good = np.asarray(
        pc.fill_null(pc.match_substring_regex(keys, r"^[0-9a-f]{32}$"), False).to_numpy(
            zero_copy_only=False
        )
    )
    use = good & ~has_key
    if use.any():
        joined = "".join(keys.filter(pa.array(use)).to_pylist())
        digests[use] = np.frombuffer(binascii.unhexlify(joined), dtype=np.uint8).reshape(-1, 16)
        has_key |= use


def parse_batch(batch: read.Batch, mapping: dict[str, str], state: State) -> Parsed:
    """Parse one batch of rows (see the module docstring)."""
    n = len(batch.rows)
    cats = state.categories

    def column(name: str) -> pa.Array | None:
        return batch.columns.get(mapping[name]) if name in mapping else None

    when = _dates_of(column, n, state, mapping)
    year = when["year"]
    birth = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if "birth_date" in mapping:
        cache = state.caches["birth_date"]
        birth_codes = cache.lookup(column("birth_date"))
        birth = _part(cache.results(), "date", np.datetime64("NaT", "ns"))[birth_codes]
        state.count("birth_date", birth_codes >= 0, ~np.isnat(birth))

    written, match, flags = _regency(column, n, state, mapping)
    place = _places(column, n, written, state, mapping)
    from_place = (written < 0) & (place["unit"] >= 0)
    corrected = place["corrected"] & (written >= 0)
    unit = np.where(from_place | corrected, place["unit"], written)
    match = np.where(from_place, cats["regency_match"].position("place"), match)
    unit, moved = at_year(unit, year)
    if corrected.any():
        written_then, _ = at_year(written, year)
        corrected &= written_then != unit
    state.regency_from_place += int(from_place.sum())
    state.regency_corrected += int(corrected.sum())
    fields_out = _categorical(column, n, state, mapping)

    age_stated = np.full(n, np.nan)
    if "age" in mapping:
        cache = state.caches["age"]
        age_codes = cache.lookup(column("age"))
        age_stated = parsers.take(cache, age_codes, np.nan, dtype=float)
        state.count("age", age_codes >= 0, ~np.isnan(age_stated))
    age_from_birth = age_at(birth, when["date"])
    age = np.where(np.isnan(age_from_birth), age_stated, age_from_birth)

    # Person key; names and NIKs are not used after this.
    digests, has_key = privacy.person_digests(
        flags["digits"], flags["valid"], column("name"), birth, state.key
    )
    if "person_key" in mapping:
        _given_person_keys(column("person_key"), digests, has_key)

    # Each row's fate (later reasons take precedence).
    plausible = ~np.isnan(year) & (year >= MIN_EVENT_YEAR) & (year <= state.as_of.year)
    plausible &= np.isnat(when["date"]) | (when["date"] <= state.as_of.to_datetime64())
    reasons = cats["reason"]
    reason = np.full(n, -1, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        reason[(age < 0) | (age > MAX_AGE)] = reasons.position("impossible_age")
    reason[unit < 0] = reasons.position("no_regency")
    reason[~np.isnan(year) & ~plausible] = reasons.position("event_date_out_of_range")
    reason[when["date_bad"]] = reasons.position("invalid_event_date")
    reason[~when["given"]] = reasons.position("no_event_date")

    sex, destination = fields_out["sex"], fields_out["destination_iso3"]
    event_unknown = fields_out["event_type"] == cats["event_type"].position("unknown")
    precision = np.asarray(when["precision"], dtype=np.int64) - 1  # position in PRECISIONS
    month = when["month"]
    table = pa.table(
        {
            "source_row": pa.array(batch.rows, type=pa.int64()),
            "event_type": cats["event_type"].array(fields_out["event_type"]),
            "event_date": pa.array(when["date"], type=pa.timestamp("ns")),
            "year": pa.array(np.nan_to_num(year, nan=0).astype(np.int64)),
            "bps_code": cats["bps_code"].array(unit),
            "procedural": cats["procedural"].array(fields_out["procedural"]),
            "sex": cats["sex"].array(sex),
            "age": pa.array(age, type=pa.float64()),
            "destination_iso3": cats["destination_iso3"].array(destination),
            "district_code": cats["district_code"].array(place["district"]),
            "village_code": cats["village_code"].array(place["village"]),
            "event_month": pa.array(
                np.nan_to_num(month, nan=0).astype(np.int8), mask=np.isnan(month)
            ),
            "date_precision": cats["date_precision"].array(precision),
            "destination_region": cats["destination_region"].array(
                fields_out["destination_region"]
            ),
            "place_match": cats["place_match"].array(place["match"]),
            "regency_match": cats["regency_match"].array(match),
            "flag_regency_from_nik": pa.array(flags["flag_regency_from_nik"]),
            "flag_regency_nik_mismatch": pa.array(flags["flag_regency_nik_mismatch"]),
            "flag_place_regency_corrected": pa.array(corrected),
            "flag_before_split": pa.array(moved),
            "flag_nik_invalid": pa.array(flags["flag_nik_invalid"]),
            "flag_age_from_birth_date": pa.array(~np.isnan(age_from_birth)),
            "flag_minor": pa.array(age < 18),
            "flag_sex_unknown": pa.array(sex < 0),
            "flag_destination_unknown": pa.array(
                (destination < 0) & fields_out["destination_given"]
            ),
            "flag_event_type_unknown": pa.array(event_unknown),
            "reason": reasons.array(reason),
        }
    )
    rejected = np.flatnonzero(reason >= 0)
    raw = {
        f"raw_{name}": plain(batch.columns[header]).take(pa.array(rejected))
        for name, header in mapping.items()
        if name not in PERSONAL_FIELDS and name != "person_key" and header in batch.columns
    }
    record_ids = None
    if "record_id" in mapping:
        ids = pc.utf8_trim_whitespace(plain(column("record_id")))
        record_ids = pc.if_else(pa.array(_given(ids)), ids, pa.scalar(None, pa.string()))
    return Parsed(
        table=table,
        digests=digests,
        has_key=has_key,
        day=_event_days(when).astype(np.int32),
        event=fields_out["event_type"].astype(np.int8),
        rejected_raw=pa.table(
            {
                "source_row": pa.array(batch.rows[rejected], type=pa.int64()),
                "reason": pc.cast(reasons.array(reason[rejected]), pa.string()),
                **raw,
            }
        ),
        record_ids=record_ids,
    )


def _event_days(when: dict[str, np.ndarray]) -> np.ndarray:
    """Day numbers for the duplicate search: the date, else the first of its month, else
    1 January of its year (see :func:`.identity.event_days`)."""
    month = np.where(np.isnan(when["month"]), 1, when["month"])
    first = (
        (np.nan_to_num(when["year"], nan=1970).astype(np.int64) - 1970)
        .astype("datetime64[Y]")
        .astype("datetime64[M]")
        + (month.astype(np.int64) - 1)
    ).astype("datetime64[ns]")
    first = np.where(np.isnan(when["year"]), np.datetime64("NaT", "ns"), first)
    dated = np.where(np.isnat(when["date"]), first, when["date"])
    return identity.event_days(dated, when["year"])
