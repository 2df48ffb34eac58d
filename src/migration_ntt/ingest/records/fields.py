"""Field parsers for case records: dates, sex, age, destination, procedural status, event type.

Each parser reads one raw text and returns the field's value (or a marker that it could
not). They run **once per distinct value**: :class:`FieldCache` keeps what each distinct
string parsed to, shared across the batches of a file, and maps an Arrow column to
per-row results through its dictionary (a column of a million rows holds a few thousand
distinct dates or place names). Whatever a parser could not read is counted per distinct
string for the cleaning report.

Status and event type are classified **by rule** (stems, negation, one-edit typos; see
:mod:`.vocabulary`), so that spellings nobody listed ("Unprosedural", "non-prosedual",
"TKI Illegal", "tdk resmi") are read, and near-misses ("proses", "prosesi") are not.

Examples
--------
>>> from migration_ntt.ingest.records import fields
>>> [fields.parse_status(s) for s in ["Unprosedural", "tdk resmi", "Resmi", "proses"]]
['non_prosedural', 'non_prosedural', 'prosedural', 'unknown']
>>> fields.parse_event_type("Jenasah dipulangkan")
'death_abroad'
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt.ingest.records import vocabulary as vocab

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """Lower case, accents removed, every run of other characters → one space."""
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_text.lower()).strip()


# --- stems ----------------------------------------------------------------------------------


def _osa(a: str, b: str) -> int:
    """Optimal string alignment distance (edits: drop, add, change, swap neighbours)."""
    from rapidfuzz.distance import OSA

    return int(OSA.distance(a, b))


def token_equals(token: str, stem: str) -> bool:
    """``token`` is the stem, or starts with a prefix stem (``prosedur*``)."""
    base = stem.rstrip("*")
    return token == base or (stem.endswith("*") and token.startswith(base))


def token_is_typo(token: str, stem: str) -> bool:
    """``token`` is one edit (drop, add, change, swap neighbours) from a stem of at least
    :data:`~.vocabulary.FUZZY_MIN_LETTERS` letters (for a prefix stem: from its start)."""
    base = stem.rstrip("*")
    if len(base) < vocab.FUZZY_MIN_LETTERS or len(token) < vocab.FUZZY_MIN_LETTERS - 1:
        return False
    if not stem.endswith("*"):
        return _osa(token, base) <= 1
    return any(
        _osa(token[:length], base) <= 1 for length in (len(base) - 1, len(base), len(base) + 1)
    )


def token_matches(token: str, stem: str, *, typos: bool = True) -> bool:
    """Does ``token`` match ``stem`` (see :mod:`.vocabulary` for the rule)?

    Examples
    --------
    >>> token_matches("prosedual", "prosedur*"), token_matches("proses", "prosedur*")
    (True, False)
    >>> token_matches("resmi", "resmi"), token_matches("remsi", "resmi")
    (True, False)
    """
    return token_equals(token, stem) or (typos and token_is_typo(token, stem))


def _stem_at(tokens: list[str], position: int, stem: str, exact: list[bool]) -> bool:
    """Does ``stem`` (one or more words) start at ``position``? A token that exactly
    matches some stem word (``exact``) is never also read as a typo of another."""
    words = stem.split()
    if position + len(words) > len(tokens):
        return False
    return all(
        token_equals(tokens[position + i], word)
        or (not exact[position + i] and token_is_typo(tokens[position + i], word))
        for i, word in enumerate(words)
    )


@lru_cache(maxsize=1)
def _event_words() -> tuple[str, ...]:
    return tuple(word for _, stems in vocab.EVENT_STEMS for stem in stems for word in stem.split())


def _split_glued_negation(token: str) -> tuple[bool, str]:
    """``"nonprosedural"`` → (True, "prosedural"); ``"undocumented"`` → (True, "documented")."""
    for negation in vocab.GLUED_NEGATIONS:
        rest = token[len(negation) :]
        if (
            token.startswith(negation)
            and len(rest) >= 4
            and any(token_matches(rest, stem) for stem in vocab.PROCEDURE_STEMS)
        ):
            return True, rest
    return False, token


def _status_word(token: str) -> str | None:
    """``"irregular"``, ``"procedure"`` or None; an exact match of either list beats a typo
    match ("legal" is the procedure word, not a typo of "ilegal")."""
    for typos in (False, True):
        irregular = any(token_matches(token, s, typos=typos) for s in vocab.IRREGULAR_STEMS)
        procedure = any(token_matches(token, s, typos=typos) for s in vocab.PROCEDURE_STEMS)
        if irregular != procedure:
            return "irregular" if irregular else "procedure"
        if irregular and procedure:
            return None
    return None


@lru_cache(maxsize=65_536)
def parse_status(text: object) -> str:
    """Procedural status by rule: ``prosedural``, ``non_prosedural`` or ``unknown``.

    Examples
    --------
    >>> [parse_status(s) for s in ["Non Prosedur", "TKI Illegal", "NP", "sesuai prosedur"]]
    ['non_prosedural', 'non_prosedural', 'non_prosedural', 'prosedural']
    """
    folded = fold(text)
    if not folded:
        return "unknown"
    if folded.replace(" ", "") in vocab.STATUS_CODES:
        return vocab.STATUS_CODES[folded.replace(" ", "")]
    tokens = folded.split()
    negated = plain = irregular = False
    for position, token in enumerate(tokens):
        if _split_glued_negation(token)[0]:
            negated = True
            continue
        word = _status_word(token)
        if word == "irregular":
            irregular = True
        elif word == "procedure":
            window = tokens[max(0, position - vocab.NEGATION_WINDOW) : position]
            if any(w in vocab.NEGATIONS for w in window):
                negated = True
            else:
                plain = True
    if (negated or irregular) and not plain:
        return "non_prosedural"
    if plain and not (negated or irregular):
        return "prosedural"
    return "unknown"


@lru_cache(maxsize=65_536)
def parse_event_type(text: object) -> str:
    """Event description → one of the event types by stem, in order of precedence.

    Examples
    --------
    >>> [parse_event_type(s) for s in ["PMI meninggal", "Dideportasi", "gagal berangkat"]]
    ['death_abroad', 'deportation', 'prevented_departure']
    """
    tokens = fold(text).split()
    if not tokens:
        return "unknown"
    exact = [any(token_equals(token, word) for word in _event_words()) for token in tokens]
    for event_type, stems in vocab.EVENT_STEMS:
        if any(
            _stem_at(tokens, position, stem, exact)
            for stem in stems
            for position in range(len(tokens))
        ):
            return event_type
    return "unknown"


# --- sex, destination, age ---------------------------------------------------------------------


def parse_sex(text: object) -> str | None:
    """Sex: ``L``, ``Laki-laki``, ``Pria``, ``M`` → male; ``P``, ``Wanita``… → female."""
    return vocab.SEX_WORDS.get(fold(text))


_DESTINATION_LOOKUP = {
    alias: iso3 for iso3, aliases in vocab.DESTINATIONS.items() for alias in aliases
}


def parse_destination(text: object) -> str | None:
    """Country names, states and cities (Indonesian or English) → ISO3, e.g. ``"Sabah"`` → MYS."""
    folded = fold(text)
    if not folded:
        return None
    if folded in _DESTINATION_LOOKUP:
        return _DESTINATION_LOOKUP[folded]
    outside = fold(re.sub(r"\(.*?\)", " ", text))
    if outside in _DESTINATION_LOOKUP:
        return _DESTINATION_LOOKUP[outside]
    found = {
        iso3
        for alias, iso3 in _DESTINATION_LOOKUP.items()
        if len(alias) > 3 and re.search(rf"\b{re.escape(alias)}\b", folded)
    }
    return found.pop() if len(found) == 1 else None


def parse_age(text: object) -> float:
    """Age in years from "31", "31 th", "31 tahun", "31.0"; NaN otherwise."""
    if not isinstance(text, str):
        return np.nan
    found = re.fullmatch(
        r"\s*(-?\d{1,3})(?:[.,]0+)?\s*(?:th|thn|tahun|years?|y)?\.?\s*", text.lower()
    )
    return float(found.group(1)) if found else np.nan


# --- dates --------------------------------------------------------------------------------

# One anchored pattern per layout, with named groups (RE2 syntax, run by Arrow in C++).
_DATE_LAYOUTS = (
    r"^(?P<y>\d{4})[/\-.](?P<m>\d{1,2})[/\-.](?P<d>\d{1,2})$",
    r"^(?P<d>\d{1,2})[/\-.](?P<m>\d{1,2})[/\-.](?P<y>\d{4}|\d{2})$",
    r"^(?P<d>\d{1,2})\s*[\s\-./]\s*(?P<M>[a-z]+)\.?\s*[\s\-./,]\s*(?P<y>\d{4}|\d{2})$",
    r"^(?P<M>[a-z]+)\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})$",
)
_TIME_SUFFIX = r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$"
_EXCEL_EPOCH_DAY = -25569  # 1899-12-30 as days since 1970-01-01
_DAYS_IN_MONTH = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_MONTH_KEYS = pa.array(list(vocab.MONTH_NAMES))
_MONTH_VALUES = np.array(list(vocab.MONTH_NAMES.values()), dtype=float)


def _numbers(array: pa.Array) -> np.ndarray:
    return np.asarray(pc.cast(array, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _matched(texts: pa.Array, pattern: str) -> np.ndarray:
    found = pc.match_substring_regex(texts, pattern)
    return np.asarray(pc.fill_null(found, False).to_numpy(zero_copy_only=False))


def parse_dates(texts: Sequence[object]) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_date`: ``(datetime64[ns] array, year array)``.

    Each layout is one anchored regular expression run over all texts at once (Arrow),
    then calendar checks with numpy (31 February and month 13 give no date).
    """
    n = len(texts)
    array = pa.array([t if isinstance(t, str) else None for t in texts], type=pa.string())
    cleaned = pc.utf8_trim_whitespace(pc.utf8_lower(array))
    cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(cleaned, _TIME_SUFFIX, ""))
    year, month, day = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for layout in _DATE_LAYOUTS:
        todo = np.isnan(year)
        if not todo.any():
            break
        hit = todo & _matched(cleaned, layout)
        if not hit.any():
            continue
        found = pc.extract_regex(cleaned.filter(pa.array(hit)), layout)
        names = [found.type.field(i).name for i in range(found.type.num_fields)]
        groups = dict(zip(names, found.flatten(), strict=True))
        years = _numbers(groups["y"])
        year[hit] = np.where(years >= 100, years, np.where(years <= 40, 2000 + years, 1900 + years))
        day[hit] = _numbers(groups["d"])
        if "M" in groups:
            at = pc.index_in(groups["M"], value_set=_MONTH_KEYS)
            position = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False))
            month[hit] = np.where(position >= 0, np.append(_MONTH_VALUES, np.nan)[position], np.nan)
        else:
            month[hit] = _numbers(groups["m"])
    complete = ~np.isnan(year) & ~np.isnan(month) & ~np.isnan(day)
    whole = np.where(complete, year, 1970).astype(np.int64)
    month_index = np.clip(np.where(complete, month, 1), 1, 12).astype(np.int64) - 1
    leap = (whole % 4 == 0) & ((whole % 100 != 0) | (whole % 400 == 0))
    days_in_month = _DAYS_IN_MONTH[month_index] + ((month_index == 1) & leap)
    with np.errstate(invalid="ignore"):
        valid = complete & (month >= 1) & (month <= 12) & (day >= 1) & (day <= days_in_month)
    start_of_month = (whole - 1970).astype("datetime64[Y]").astype("datetime64[M]") + month_index
    days = start_of_month.astype("datetime64[D]") + np.where(valid, day, 1).astype(np.int64) - 1
    dates = np.where(valid, days.astype("datetime64[ns]"), np.datetime64("NaT", "ns"))
    years = np.where(valid, year, np.nan)
    # Excel serial day numbers (1954–2064) and bare years.
    serial = np.full(n, np.nan)
    is_serial = _matched(cleaned, r"^\d{5}(\.0+)?$")
    if is_serial.any():
        serial[is_serial] = _numbers(
            pc.utf8_slice_codeunits(cleaned.filter(pa.array(is_serial)), 0, 5)
        )
    in_excel_range = (serial >= 20000) & (serial <= 60000)
    from_serial = np.where(in_excel_range, serial, 0).astype(np.int64) + _EXCEL_EPOCH_DAY
    serial_dates = from_serial.astype("datetime64[D]").astype("datetime64[ns]")
    dates = np.where(in_excel_range, serial_dates, dates)
    serial_years = serial_dates.astype("datetime64[Y]").astype(np.int64) + 1970
    years = np.where(in_excel_range, serial_years, years)
    bare = np.full(n, np.nan)
    is_bare = _matched(cleaned, r"^\d{4}$")
    if is_bare.any():
        bare[is_bare] = _numbers(cleaned.filter(pa.array(is_bare)))
    bare = np.where((bare >= 1000) & (bare <= 2999), bare, np.nan)
    years = np.where(np.isnan(years) & ~np.isnan(bare), bare, years)
    return dates.astype("datetime64[ns]"), years.astype(float)


def parse_date(text: object) -> tuple[pd.Timestamp, float]:
    """Parse one date as Indonesian offices write it; returns ``(date, year)``.

    Understands ISO (``2024-08-12``, with or without a time), day-first numeric dates
    (``12/08/2024``, ``12-08-24``, ``12.08.2024``), Indonesian and English month names
    and abbreviations (``12 Agustus 2024``, ``12 Agt 2024``, ``Aug 12, 2024``), Excel
    serial day numbers (``45516``) and a bare year (``2024``: no date, but a year).
    Two-digit years 00–40 are 2000–2040, others 1941–1999. Impossible dates (31
    February) give nothing. Whether a date is *plausible* (not in the future, not before
    1950) is decided by the cleaner, which rejects such rows with a reason.

    Examples
    --------
    >>> parse_date("12 Agt 2024")
    (Timestamp('2024-08-12 00:00:00'), 2024.0)
    >>> parse_date("2024")
    (NaT, 2024.0)
    """
    dates, years = parse_dates([text])
    return (pd.Timestamp(dates[0]), float(years[0]))


# --- one parse per distinct value ---------------------------------------------------------


def _strings(array: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array


class FieldCache:
    """What each distinct raw string of a field parsed to, shared across batches.

    Parameters
    ----------
    parse : callable
        ``parse(list_of_new_distinct_strings) -> numpy array`` of results, one per string
        (any dtype: object for words, a record dtype for dates).
    recognised : callable
        ``recognised(results) -> bool array``: False results are counted as unrecognised.

    :meth:`lookup` maps an Arrow string column to an array of result indices (``-1`` for
    a missing or blank cell); :meth:`results` gives the result of every index. The
    strings already seen are matched in Arrow (``index_in``), so a batch costs one hash
    pass in C++ plus one vectorised parse of its new distinct strings. Unrecognised
    strings are counted by row in :attr:`unrecognised`.
    """

    def __init__(
        self,
        parse: Callable[[list[str]], np.ndarray],
        recognised: Callable[[np.ndarray], np.ndarray],
    ) -> None:
        self._parse = parse
        self._recognised = recognised
        self._keys = pa.array([], type=pa.string())  # strings seen, in order
        self._key_result = np.zeros(0, dtype=np.int64)  # key → result index (−1: blank)
        self._results: np.ndarray | None = None
        self._ok = np.zeros(0, dtype=bool)
        self.unrecognised: Counter[str] = Counter()

    def lookup(self, array: pa.Array | pa.ChunkedArray) -> np.ndarray:
        array = _strings(array)
        encoded = array if pa.types.is_dictionary(array.type) else pc.dictionary_encode(array)
        dictionary = encoded.dictionary
        if dictionary.type != pa.string():
            dictionary = dictionary.cast(pa.string())
        at = pc.index_in(dictionary, value_set=self._keys)
        new = np.asarray(at.is_null().to_numpy(zero_copy_only=False))
        if new.any():
            self._add(dictionary.filter(pa.array(new)))
            at = pc.index_in(dictionary, value_set=self._keys)
        key_of = np.asarray(at.to_numpy(zero_copy_only=False), dtype=np.int64)
        mapping = np.append(self._key_result[key_of], -1)  # last: a null cell
        indices = encoded.indices
        positions = np.asarray(
            indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        codes = mapping[positions]
        self._count_unrecognised(dictionary, mapping[:-1], positions)
        return codes

    def _add(self, values: pa.Array) -> None:
        trimmed = pc.utf8_trim_whitespace(values)
        blank = np.asarray(pc.equal(pc.utf8_length(trimmed), 0).to_numpy(zero_copy_only=False))
        texts = values.filter(pa.array(~blank)).to_pylist()
        result_of = np.full(len(values), -1, dtype=np.int64)
        start = len(self.results())
        result_of[~blank] = np.arange(start, start + len(texts))
        if texts:
            parsed = np.asarray(self._parse(texts))
            self._results = (
                parsed if self._results is None else np.concatenate([self._results, parsed])
            )
            self._ok = np.concatenate([self._ok, np.asarray(self._recognised(parsed), bool)])
        self._keys = pa.concat_arrays([self._keys, values])
        self._key_result = np.concatenate([self._key_result, result_of])

    def _count_unrecognised(self, dictionary, mapping, positions) -> None:
        if not len(mapping) or self._ok.all():
            return
        ok = np.append(self._ok, True)  # index −1: blank, not counted
        bad = ~ok[mapping]
        if not bad.any():
            return
        rows = np.bincount(positions, minlength=len(dictionary) + 1)[: len(dictionary)]
        for position in np.flatnonzero(bad & (rows > 0)):
            self.unrecognised[dictionary[int(position)].as_py()] += int(rows[position])

    def results(self) -> np.ndarray:
        """Result of each index (position = index)."""
        return self._results if self._results is not None else np.zeros(0, dtype=object)

    def recognised(self) -> np.ndarray:
        """Whether each index's result was recognised."""
        return self._ok

    def match_of(self, value: str) -> object:
        """The result a seen string parsed to (None if unseen or blank)."""
        found = pc.index(self._keys, value).as_py()
        if found < 0 or self._key_result[found] < 0:
            return None
        return self.results()[self._key_result[found]]


def objects(values: Sequence[object]) -> np.ndarray:
    """A 1-D object array of ``values`` (tuples stay whole)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def scalar_cache(parse: Callable[[object], object]) -> FieldCache:
    """A :class:`FieldCache` over a one-value parser; ``None``, ``"unknown"`` and NaN
    results are unrecognised."""

    def recognised(results: np.ndarray) -> np.ndarray:
        return np.array(
            [
                r is not None and r != "unknown" and not (isinstance(r, float) and np.isnan(r))
                for r in results
            ],
            dtype=bool,
        )

    return FieldCache(lambda values: objects([parse(v) for v in values]), recognised)


def take(
    cache: FieldCache, codes: np.ndarray, missing: object, dtype: object = object
) -> np.ndarray:
    """Per-row results from :meth:`FieldCache.lookup` codes (``missing`` where code is -1)."""
    table = np.empty(len(cache.results()) + 1, dtype=dtype)
    table[:-1] = cache.results()
    table[-1] = missing
    return table[codes]
