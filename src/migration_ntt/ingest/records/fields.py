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
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt.ingest.records import countries
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.dates import parse_date, parse_dates  # noqa: F401 (API)
from migration_ntt.text import fold

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


def _stem_at(tokens: list[str], position: int, stem: str, exact: list[bool]) -> int:
    """Does ``stem`` (one or more words) start at ``position``? 0: no, 1: yes, 2: yes with a
    typo. A token that exactly matches some stem word (``exact``) is never also read as a
    typo of another."""
    words = stem.split()
    if position + len(words) > len(tokens):
        return 0
    typo = False
    for i, word in enumerate(words):
        token = tokens[position + i]
        if token_equals(token, word):
            continue
        if not exact[position + i] and token_is_typo(token, word):
            typo = True
            continue
        return 0
    return 2 if typo else 1


@lru_cache(maxsize=1)
def _event_words() -> tuple[str, ...]:
    return tuple(word for _, stems in vocab.EVENT_STEMS for stem in stems for word in stem.split())


def _split_glued_negation(token: str) -> tuple[bool, bool]:
    """``"nonprosedural"`` → (True, False); ``"nonprosedual"`` → (True, True): a negation
    glued to a procedure stem, and whether the stem needed a typo."""
    for negation in vocab.GLUED_NEGATIONS:
        rest = token[len(negation) :]
        if not token.startswith(negation) or len(rest) < 4:
            continue
        if any(token_equals(rest, stem) for stem in vocab.PROCEDURE_STEMS):
            return True, False
        if any(token_is_typo(rest, stem) for stem in vocab.PROCEDURE_STEMS):
            return True, True
    return False, False


def _status_word(token: str) -> tuple[str | None, bool]:
    """(``"irregular"``, ``"procedure"`` or None; typo needed?). An exact match of either
    list beats a typo match ("legal" is the procedure word, not a typo of "ilegal")."""
    for typos in (False, True):
        irregular = any(token_matches(token, s, typos=typos) for s in vocab.IRREGULAR_STEMS)
        procedure = any(token_matches(token, s, typos=typos) for s in vocab.PROCEDURE_STEMS)
        if irregular != procedure:
            return ("irregular" if irregular else "procedure"), typos
        if irregular and procedure:
            return None, False
    return None, False


#: How a value was decided (the cleaning report counts rows per rule and field).
RULES = ("exact", "rule", "fuzzy", "override", "stated_unknown", "unrecognised", "missing")


@lru_cache(maxsize=65_536)
def status_with_rule(text: object) -> tuple[str, str]:
    """``(status, rule)``: the status (``prosedural``, ``non_prosedural``, ``unknown``) and
    the rule that decided it (one of :data:`RULES`).

    ``exact``: the package's own value or an office code ("NP"); ``rule``: stems and
    negation; ``fuzzy``: the same with a one-edit typo; ``stated_unknown``: the text says
    the status is not known ("unknown", "tidak diketahui"); ``unrecognised``: none of these.

    Examples
    --------
    >>> [status_with_rule(s)[1] for s in ["non_prosedural", "tdk resmi", "Ileggal", "unknown"]]
    ['exact', 'rule', 'fuzzy', 'stated_unknown']
    """
    folded = fold(text)
    if not folded:
        return "unknown", "missing"
    squeezed = folded.replace(" ", "")
    if squeezed in vocab.STATUS_CODES:
        return vocab.STATUS_CODES[squeezed], "exact"
    if folded in vocab.UNKNOWN_WORDS:
        return "unknown", "stated_unknown"
    tokens = folded.split()
    negated = plain = irregular = typo = False
    for position, token in enumerate(tokens):
        glued, glued_typo = _split_glued_negation(token)
        if glued:
            negated, typo = True, typo or glued_typo
            continue
        word, word_typo = _status_word(token)
        if word is None:
            continue
        typo = typo or word_typo
        if word == "irregular":
            irregular = True
        else:
            window = tokens[max(0, position - vocab.NEGATION_WINDOW) : position]
            if any(w in vocab.NEGATIONS for w in window):
                negated = True
            else:
                plain = True
    rule = "fuzzy" if typo else "rule"
    if (negated or irregular) and not plain:
        return "non_prosedural", rule
    if plain and not (negated or irregular):
        return "prosedural", rule
    return "unknown", "unrecognised"


def parse_status(text: object) -> str:
    """Procedural status by rule: ``prosedural``, ``non_prosedural`` or ``unknown``.

    Examples
    --------
    >>> [parse_status(s) for s in ["Non Prosedur", "TKI Illegal", "NP", "sesuai prosedur"]]
    ['non_prosedural', 'non_prosedural', 'non_prosedural', 'prosedural']
    """
    return status_with_rule(text)[0]


@lru_cache(maxsize=1)
def _canonical_events() -> dict[str, str]:
    return {fold(name): name for name in vocab.EVENT_TYPES if name != "unknown"}


@lru_cache(maxsize=65_536)
def event_type_with_rule(text: object) -> tuple[str, str]:
    """``(event type, rule)``: the first event type (in order of precedence) with a stem in
    the text, and how it was decided (``exact`` for the package's own names such as
    ``death_abroad``; ``rule``, ``fuzzy``, ``stated_unknown``, ``unrecognised``, ``missing``).

    Examples
    --------
    >>> event_type_with_rule("body_repatriated"), event_type_with_rule("death_abroad")
    (('death_abroad', 'rule'), ('death_abroad', 'exact'))
    """
    folded = fold(text)
    tokens = folded.split()
    if not tokens:
        return "unknown", "missing"
    if folded in _canonical_events():
        return _canonical_events()[folded], "exact"
    if folded in vocab.UNKNOWN_WORDS or folded in vocab.OTHER_EVENT_WORDS:
        return "unknown", "stated_unknown"
    exact = [any(token_equals(token, word) for word in _event_words()) for token in tokens]
    for event_type, stems in vocab.EVENT_STEMS:
        found = max(
            (
                _stem_at(tokens, position, stem, exact)
                for stem in stems
                for position in range(len(tokens))
            ),
            key=lambda hit: (hit == 1, hit),
            default=0,
        )
        if found:
            return event_type, "rule" if found == 1 else "fuzzy"
    return "unknown", "unrecognised"


def parse_event_type(text: object) -> str:
    """Event description → one of the event types by stem, in order of precedence.

    Examples
    --------
    >>> [parse_event_type(s) for s in ["PMI meninggal", "Dideportasi", "gagal berangkat"]]
    ['death_abroad', 'deportation', 'prevented_departure']
    >>> [parse_event_type(s) for s in ["body_repatriated", "peti jenazah tiba", "remains"]]
    ['death_abroad', 'death_abroad', 'death_abroad']
    """
    return event_type_with_rule(text)[0]


# --- sex, destination, age ---------------------------------------------------------------------


def sex_with_rule(text: object) -> tuple[str | None, str]:
    """``(sex, rule)``: ``L``, ``Laki-laki``, ``Pria``, ``M`` → male; ``P``, ``Wanita``… →
    female (``exact``); ``unrecognised`` or ``missing`` otherwise."""
    folded = fold(text)
    if not folded:
        return None, "missing"
    if folded in vocab.SEX_WORDS:
        return vocab.SEX_WORDS[folded], "exact"
    if folded in vocab.UNKNOWN_WORDS:
        return None, "stated_unknown"
    return None, "unrecognised"


def parse_sex(text: object) -> str | None:
    """Sex: ``L``, ``Laki-laki``, ``Pria``, ``M`` → male; ``P``, ``Wanita``… → female."""
    return sex_with_rule(text)[0]


def parse_destination(text: object) -> str | None:
    """Country names (every ISO 3166-1 country, English or Indonesian), codes, states and
    cities → ISO3, e.g. ``"Sabah"`` → MYS, ``"Kamboja"`` → KHM (see :mod:`.countries`)."""
    return countries.parse_destination(text)[0]


def parse_age(text: object) -> float:
    """Age in years from "31", "31 th", "31 tahun", "31.0"; NaN otherwise."""
    if not isinstance(text, str):
        return np.nan
    found = re.fullmatch(
        r"\s*(-?\d{1,3})(?:[.,]0+)?\s*(?:th|thn|tahun|years?|y)?\.?\s*", text.lower()
    )
    return float(found.group(1)) if found else np.nan


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
