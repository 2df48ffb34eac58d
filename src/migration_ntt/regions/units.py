"""The 22 regency-level units of Nusa Tenggara Timur, and a name resolver.

The gazetteer (``migration_ntt/data/reference/regencies.csv``, in the package) holds 21
kabupaten and Kota Kupang,
keyed by the 4-character BPS code (``bps_code``), with the Kemendagri code beside it.
The two numbering systems differ (Kupang is BPS ``5303`` but Kemendagri ``53.01``):
never join on the last digits.

:func:`resolve` turns the free-text names found in case files, press reports and BPS
tables into units. It is deliberately conservative: **a wrong code is worse than no
code**, so anything that names several units, an island group, the province, or a place
outside NTT gets no code, with a ``match`` that says why.

Decisions written down here
---------------------------
* Bare ``"Kupang"`` means **Kabupaten Kupang** (5303), as in BPS tables. The city is
  ``"Kota Kupang"``, ``"Kupang City"``, ``"Kupang Kota"`` or ``"Polresta Kupang Kota"``.
* Police units (``Polres X``, ``Polresta X``) resolve to regency X; the provincial police
  (``Polda NTT``) is a province-level unit (``match="province"``).
* ``"Kota X"`` for a town other than Kupang resolves to the regency the town lies in
  (``"Kota Soe"`` → TTS), through the capitals in the alias table.
* Island groups with several units (``Sumba``, ``Flores``, ``Timor``) are ``ambiguous``;
  islands that are one unit (``Alor``, ``Lembata``, ``Rote``, ``Sabu``) resolve.
* Places outside NTT that look like NTT names (``Sumbawa Barat`` is in NTB, not
  ``Sumba Barat``) are listed in the alias table with kind ``not_ntt`` and never match.
* Offices whose work area spans several units (``Kantor Imigrasi Atambua (Belu)``, ``BNI
  Cabang Maumere``, ports and airports) are ``ambiguous``, whatever follows the prefix: the
  prefixes are the ``service_area`` rows of the alias table.
* Text in parentheses is used only when the text outside them does not resolve:
  ``"Ostflores (Flores Timur)"`` → Flores Timur, ``"Kota Kupang (Pelabuhan Tenau)"`` →
  Kota Kupang.
* Fuzzy matching (rapidfuzz ``ratio``) needs a score of at least
  :data:`FUZZY_THRESHOLD`, a key of at least :data:`FUZZY_MIN_LENGTH` characters, and a
  lead of :data:`FUZZY_MARGIN` points over the best candidate for any *other* target
  (including non-units). Short typos are listed as aliases instead.

Examples
--------
>>> from migration_ntt import regions
>>> out = regions.resolve(["TTS", "Kab. Malaka", "Sumba"])
>>> out["bps_code"].fillna("-").tolist(), out["match"].tolist()
(['5304', '5321', '-'], ['alias', 'exact', 'ambiguous'])
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from migration_ntt import config
from migration_ntt.text import fold

FUZZY_THRESHOLD = 90.0
FUZZY_MARGIN = 5.0
FUZZY_MIN_LENGTH = 5

MATCH_KINDS = ("exact", "alias", "fuzzy", "province", "ambiguous", "unmatched")

REGENCY_COLUMNS = [
    "bps_code",
    "kemendagri_code",
    "name",
    "short_name",
    "name_en",
    "capital",
    "island",
    "parent_bps_code",
    "year_established",
]

# Tokens that say "this is a regency/city/police unit of ..." and carry no identity.
_PREFIX_TOKENS = {
    "kabupaten",
    "kab",
    "kabupatan",
    "kabupten",
    "pemkab",
    "pemerintah",
    "regency",
    "district",
    "polres",
    "polresta",
    "daerah",
    "tingkat",
    "ii",
    "dati",
    "kota",
    "kotamadya",
    "city",
    "of",
}
_SUFFIX_TOKENS = {"regency", "regencies", "kabupaten", "district"}
_SEPARATORS = re.compile(r"\s*(?:/|&|\+|;|,|\bdan\b|\band\b|\bsampai\b)\s*", re.IGNORECASE)
_PARENS = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]?")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")

# Alias kinds that stand for something other than one unit, and the match they give.
# "not_ntt" is internal: it stops the search (no fuzzy, no parentheses) and is reported as
# "unmatched".
_NON_UNIT_KINDS = {"province": "province", "island_group": "ambiguous", "not_ntt": "not_ntt"}
# Alias rows of this kind are *prefixes* ("Kantor Imigrasi …", "BNI Cabang …"): offices whose
# work area spans several regencies. Anything they start is ambiguous, whatever follows.
_SERVICE_AREA_KIND = "service_area"


def _read_reference(name: str) -> pd.DataFrame:
    path = config.reference_dir() / name
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: reference table not found: it ships inside the package, so this installation "
            "is incomplete; reinstall migration-ntt (pip install --force-reinstall)."
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _regencies_cached() -> pd.DataFrame:
    table = _read_reference("regencies.csv")
    table["year_established"] = table["year_established"].astype(int)
    table["parent_bps_code"] = table["parent_bps_code"].replace("", None)
    table["capital"] = table["capital"].replace("", None)
    return table.sort_values("bps_code").reset_index(drop=True)


def regencies() -> pd.DataFrame:
    """Return the 22-unit reference table.

    Returns
    -------
    pandas.DataFrame
        One row per unit: ``bps_code``, ``kemendagri_code``, ``name``, ``short_name``,
        ``name_en``, ``capital``, ``island``, ``parent_bps_code``, ``year_established``
        and the ``source`` of each fact.

    Examples
    --------
    >>> from migration_ntt import regions
    >>> table = regions.regencies()
    >>> len(table), table.set_index("bps_code").loc["5321", "name"]
    (22, 'Kabupaten Malaka')
    """
    return _regencies_cached().copy()


@lru_cache(maxsize=1)
def aliases() -> pd.DataFrame:
    """Return the alias table (``alias, bps_code, kind, reason``).

    Kinds ``province``, ``island_group``, ``not_ntt`` and ``service_area`` (a prefix such
    as "Kantor Imigrasi": offices whose area spans several units) carry no code: they are the
    explicit list of strings that must *not* resolve to a unit.
    """
    table = _read_reference("regency_aliases.csv")
    table["bps_code"] = table["bps_code"].replace("", None)
    return table


def _key(folded: str) -> str:
    return folded.replace(" ", "")


def _strip_affixes(folded: str) -> str:
    """Drop leading prefix tokens (Kabupaten, Kab, Polres, Kota…) and trailing 'Regency'."""
    tokens = folded.split()
    had_kota = False
    while len(tokens) > 1 and tokens[0] in _PREFIX_TOKENS:
        had_kota = had_kota or tokens[0] in {"kota", "kotamadya", "city", "polresta"}
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in _SUFFIX_TOKENS:
        tokens = tokens[:-1]
    if had_kota and tokens == ["kupang"]:
        return "kupang kota"
    return " ".join(tokens)


@dataclass(frozen=True)
class _Target:
    """What a lookup key points to: a unit code, or a non-unit match kind."""

    bps_code: str | None
    match: str


@dataclass(frozen=True)
class _Resolution:
    bps_code: str | None
    match: str
    score: float


@lru_cache(maxsize=1)
def _lookup() -> dict[str, _Target]:
    """Key (folded, spaces removed) → target, from names, short names, English names and aliases."""
    table: dict[str, _Target] = {}
    for row in _regencies_cached().itertuples(index=False):
        # Codes are not names: "5301" is Sumba Barat for BPS but Kupang for Kemendagri.
        # Use resolve_codes() for codes.
        for text in (row.name, row.short_name):
            table.setdefault(_key(fold(text)), _Target(row.bps_code, "exact"))
        table.setdefault(_key(fold(row.name_en)), _Target(row.bps_code, "alias"))
    for row in aliases().itertuples(index=False):
        key = _key(fold(row.alias))
        if row.kind == _SERVICE_AREA_KIND:
            continue  # prefixes: see _service_area()
        if row.kind in _NON_UNIT_KINDS:
            table[key] = _Target(None, _NON_UNIT_KINDS[row.kind])
        else:
            table.setdefault(key, _Target(row.bps_code, "alias"))
    return table


@lru_cache(maxsize=1)
def _fuzzy_choices() -> tuple[list[str], list[_Target]]:
    keys = list(_lookup())
    return keys, [_lookup()[key] for key in keys]


def _exact(folded: str) -> _Resolution | None:
    lookup = _lookup()
    for candidate in (folded, _strip_affixes(folded)):
        target = lookup.get(_key(candidate))
        if target is not None:
            return _Resolution(target.bps_code, target.match, 100.0)
    return None


def _fuzzy(folded: str) -> _Resolution | None:
    """Best fuzzy candidate over the full key and the key without prefixes.

    Both are scored so that a prefix that carries meaning ("Kota" in "Kota Kupang") is not
    lost to a typo: "Kota Kupnag" scores high against both the city and the regency, and
    the margin rule then refuses to choose.
    """
    from rapidfuzz import fuzz, process

    keys, targets = _fuzzy_choices()
    best_by_target: dict[_Target, float] = {}
    for key in {_key(folded), _key(_strip_affixes(folded))}:
        if len(key) < FUZZY_MIN_LENGTH:
            continue
        for _, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=12):
            target = targets[index]
            best_by_target[target] = max(score, best_by_target.get(target, 0.0))
    if not best_by_target:
        return None
    ranked = sorted(best_by_target.items(), key=lambda item: item[1], reverse=True)
    best, best_score = ranked[0]
    if best_score < FUZZY_THRESHOLD:
        return None
    rival = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score - rival < FUZZY_MARGIN:
        return _Resolution(None, "ambiguous", float(best_score))
    match = "fuzzy" if best.bps_code is not None else best.match
    return _Resolution(best.bps_code, match, float(best_score))


def _resolve_text(folded: str) -> _Resolution:
    if not folded:
        return _Resolution(None, "unmatched", np.nan)
    return _exact(folded) or _fuzzy(folded) or _Resolution(None, "unmatched", np.nan)


@lru_cache(maxsize=1)
def _service_area_prefixes() -> tuple[str, ...]:
    table = aliases()
    return tuple(fold(text) for text in table.loc[table["kind"] == _SERVICE_AREA_KIND, "alias"])


def _service_area(folded: str) -> bool:
    """True for offices whose area spans several units ("Kantor Imigrasi Atambua (Belu)")."""
    return any(folded == p or folded.startswith(p + " ") for p in _service_area_prefixes())


def _resolve_one(raw: object) -> _Resolution:
    """Resolve one raw value (any type) to a unit or an explicit non-unit match."""
    if not isinstance(raw, str) or not raw.strip():
        return _Resolution(None, "unmatched", np.nan)
    outside = _PARENS.sub(" ", raw)
    inside = [part for part in _PARENS.findall(raw) if part.strip()]
    if _service_area(fold(outside)):
        return _Resolution(None, "ambiguous", np.nan)

    whole = _resolve_text(fold(outside))
    if whole.match == "not_ntt":
        return _Resolution(None, "unmatched", np.nan)
    if whole.match != "unmatched":
        return whole

    parts = [part for part in _SEPARATORS.split(outside) if part and part.strip()]
    if len(parts) > 1:
        resolved = [_resolve_text(fold(part)) for part in parts]
        codes = {res.bps_code for res in resolved if res.bps_code is not None}
        if len(codes) > 1 or any(
            res.match in {"province", "ambiguous", "not_ntt"} for res in resolved
        ):
            return _Resolution(None, "ambiguous", np.nan)
        if len(codes) == 1:
            return next(res for res in resolved if res.bps_code is not None)

    # Only when the text outside the parentheses says nothing: "Ostflores (Flores Timur)".
    from_parens = [_resolve_text(fold(part)) for part in inside]
    codes = {res.bps_code for res in from_parens if res.bps_code is not None}
    if len(codes) == 1:
        return next(res for res in from_parens if res.bps_code is not None)
    if len(codes) > 1:
        return _Resolution(None, "ambiguous", np.nan)
    return whole


def _as_values(names: object, argument: str) -> tuple[np.ndarray, pd.Index | None]:
    if isinstance(names, str):
        return np.array([names], dtype=object), None
    if isinstance(names, pd.Series):
        return names.array, names.index  # no copy: an arrow-backed column stays arrow
    if isinstance(names, pd.Index | np.ndarray | list | tuple):
        values = np.asarray(list(names), dtype=object)
        if values.ndim != 1:
            raise TypeError(f"{argument} must be one-dimensional, got shape {values.shape}")
        return values, None
    raise TypeError(
        f"{argument} must be a string, list, tuple, numpy array, pandas Series or Index; "
        f"got {type(names).__name__}"
    )


def codes_at_year(bps_codes: pd.Series, years: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The split crosswalk: units that did not exist yet in ``years`` become their parent.

    Returns the codes valid in each row's year and a boolean Series saying which rows moved
    (Malaka in 2012 → Belu; Sabu Raijua in 2007 → Kupang; chains are followed).

    Parameters
    ----------
    bps_codes : pandas.Series
        BPS codes of today's units.
    years : pandas.Series
        The year each row refers to (NaN: left as it is).

    Returns
    -------
    (pandas.Series, pandas.Series)
        The code valid in each row's year, and whether the row moved to a parent.

    Examples
    --------
    >>> import pandas as pd
    >>> codes, moved = codes_at_year(pd.Series(["5321", "5321"]), pd.Series([2012, 2013]))
    >>> codes.tolist(), moved.tolist()
    (['5306', '5321'], [True, False])
    """
    table = _regencies_cached()
    established = dict(zip(table["bps_code"], table["year_established"], strict=True))
    parent = dict(zip(table["bps_code"], table["parent_bps_code"], strict=True))
    codes, uniques = pd.factorize(bps_codes, use_na_sentinel=True)
    uniques = list(uniques)
    year_values = pd.to_numeric(years, errors="coerce").to_numpy(dtype=float)
    moved = np.zeros(len(codes), dtype=bool)
    for _ in range(3):  # split chains are at most one level deep in NTT; 3 is a safe bound
        start_year = np.array([established.get(code, -np.inf) for code in uniques] + [-np.inf])
        before = year_values < start_year[codes]  # NaN years compare False
        if not before.any():
            break
        parent_index = []
        for code in uniques:
            parent_code = parent.get(code)
            if parent_code is not None and parent_code not in uniques:
                uniques.append(parent_code)
            parent_index.append(uniques.index(parent_code) if parent_code is not None else -1)
        parent_of = np.array([*parent_index, -1])
        codes = np.where(before, parent_of[codes], codes)
        moved |= before
    lookup = np.array([*uniques, None], dtype=object)
    return (
        pd.Series(lookup[codes], index=bps_codes.index, dtype=object),
        pd.Series(moved, index=bps_codes.index),
    )


def resolve(names: object, year: object = None) -> pd.DataFrame:
    """Resolve free-text regency names to NTT units.

    Parameters
    ----------
    names : str, list, tuple, numpy array, pandas Series or Index
        Names as written in the source ("TTS", "Kab. Malaka", "Polres Kupang Kota",
        "Timor Tengah Selatan (TTS)", "Kupang City"…). NaN, None, empty strings and
        non-strings are accepted and give ``match="unmatched"``.
    year : int or array-like of int, optional
        The year each name refers to. A unit that did not exist yet in that year
        (Malaka before 2013) is replaced by the unit it was split from, and
        ``flag_before_split`` is True.

    Returns
    -------
    pandas.DataFrame
        Aligned with the input (same length and, for a Series, the same index):
        ``input``, ``bps_code``, ``kemendagri_code``, ``name``, ``match`` (one of
        ``exact``, ``alias``, ``fuzzy``, ``province``, ``ambiguous``, ``unmatched``),
        ``score`` (0–100; NaN where nothing matched) and ``flag_before_split``.

    Raises
    ------
    TypeError
        Only for a wrong argument type (a dict, a number, a DataFrame…), never for data.

    Notes
    -----
    Each distinct string is resolved once, however many rows repeat it, so a column of a
    million rows with a few hundred spellings takes well under a second.

    Examples
    --------
    >>> from migration_ntt import regions
    >>> out = regions.resolve(["Timor Tengah Seltan", "Kupang", "Kota Kupang", "NTT"])
    >>> out["bps_code"].fillna("-").tolist()
    ['5304', '5303', '5371', '-']
    >>> out["match"].tolist()
    ['fuzzy', 'exact', 'exact', 'province']
    >>> before = regions.resolve(["Malaka"], year=2010)
    >>> before["bps_code"].iloc[0], bool(before["flag_before_split"].iloc[0])
    ('5306', True)
    """
    values, index = _as_values(names, "names")
    out_index = index if index is not None else pd.RangeIndex(len(values))
    # Resolve each distinct value once; NaN/None get code -1 and resolve to "unmatched".
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts): they can only be "unmatched"
        hashable = np.array([v if isinstance(v, str) else None for v in values], dtype=object)
        codes, uniques = pd.factorize(hashable, use_na_sentinel=True)
    resolved = [_resolve_one(value) for value in uniques]
    resolved.append(_Resolution(None, "unmatched", np.nan))  # position -1: missing values
    table = _regencies_cached().set_index("bps_code")
    per_unique = {
        "bps_code": np.array([res.bps_code for res in resolved], dtype=object),
        "match": np.array([res.match for res in resolved], dtype=object),
        "score": np.array([res.score for res in resolved], dtype=float),
    }
    for column in ("kemendagri_code", "name"):
        lookup = table[column].to_dict()
        per_unique[column] = np.array(
            [lookup.get(code) if code else None for code in per_unique["bps_code"]],
            dtype=object,
        )
    columns = {key: array.take(codes) for key, array in per_unique.items()}

    flag = np.zeros(len(values), dtype=bool)
    if year is not None:
        years = _as_years(year, len(values), out_index)
        bps, moved = codes_at_year(pd.Series(columns["bps_code"], index=out_index), years)
        flag = moved.to_numpy()
        if flag.any():
            columns["bps_code"] = bps.to_numpy(dtype=object)
            for column in ("kemendagri_code", "name"):
                columns[column] = bps.map(table[column]).to_numpy(dtype=object)

    return pd.DataFrame(
        {
            "input": values,
            "bps_code": columns["bps_code"],
            "kemendagri_code": columns["kemendagri_code"],
            "name": columns["name"],
            "match": columns["match"],
            "score": columns["score"],
            "flag_before_split": flag,
        },
        index=out_index,
    )


def _as_years(year: object, length: int, index: pd.Index) -> pd.Series:
    if isinstance(year, int | np.integer | float | np.floating):
        return pd.Series(float(year), index=index)
    if isinstance(year, str):
        raise TypeError("year must be a number or an array-like of numbers, not a string")
    raw_years = year.to_numpy() if isinstance(year, pd.Series) else list(year)
    years = pd.to_numeric(pd.Series(raw_years), errors="coerce")
    if len(years) != length:
        raise TypeError(f"year has {len(years)} values but names has {length}")
    years.index = index
    return years


SEA_LINKS_FILE = "ntt_sea_links.csv"


def sea_links() -> pd.DataFrame:
    """The documented sea links between island regencies and their neighbours
    (``migration_ntt/data/reference/ntt_sea_links.csv``: ferry routes and former-parent
    ties, each with its reason): what ``island_policy="links"`` adds to the spatial weights.

    Returns
    -------
    pandas.DataFrame
        ``bps_code_a``, ``bps_code_b`` and the columns that say why.

    Examples
    --------
    >>> {"bps_code_a", "bps_code_b"} <= set(sea_links().columns)
    True
    """
    return _read_reference(SEA_LINKS_FILE)
