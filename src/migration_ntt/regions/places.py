"""Below the regency: NTT's 315 kecamatan and 3,442 desa/kelurahan, and a place resolver.

The gazetteer (``migration_ntt/data/reference/places.csv``, in the package) is derived from
the Kemendagri 2025 code list (Kepmendagri 300.2.2-2138/2025) as compiled in
``cahyadsn/wilayah`` (MIT), ``db/wilayah.sql`` at commit :data:`CODE_LIST_COMMIT`: for each
place its Kemendagri code (``53.xx.yy`` kecamatan, ``53.xx.yy.zzzz`` desa/kelurahan), name,
parent codes and the BPS code of its regency. :func:`build_places_table` re-derives it from
the SQL (fetched pinned, with its sha256, like the boundaries); the tests check the
committed table against it.

:func:`resolve_places` reads case-file text hierarchically: the regency narrows the
kecamatan, the kecamatan narrows the village. Decisions written down here:

* Prefixes ``Desa``, ``Ds.``, ``Kel.``, ``Kelurahan``, ``Kec.``, ``Kecamatan`` are
  stripped; case, punctuation and spacing are ignored ("Wae Mulu" = "Waemulu",
  "O'besi" = "Obesi").
* **A village name alone that occurs in several places gets no code** (``ambiguous``):
  76 names are shared by 156 villages of NTT as written (83 names and 173 villages once
  spacing and punctuation are ignored: "Tesabela" / "Tesa Bela"). The same holds for
  kecamatan names shared by regencies.
* "Kel." / "Kelurahan" and "Desa" / "Ds." also say which kind of village is meant: Kupang
  Timur has both a kelurahan and a desa named Oesao.
* A place that exists, but in another parent than the one given (a village of kecamatan B
  written with kecamatan A), is a ``conflict``: flagged, never forced into either.
* **Codes are places too**: a Kemendagri code (``53.21.01``, ``5321012001`` without dots) in
  a kecamatan or village column is read as that place (what forms and the package's own
  clean tables carry).
* **Splits (pemekaran).** A place absent from the written regency but present, uniquely, in
  a regency split from it or in the regency it was split from (Borong written "in
  Manggarai", which it left for Manggarai Timur in 2007) is coded, with
  ``regency_corrected`` True: the press writes the old regency for years after a split.
* **Historic kecamatan names.** A name that is no kecamatan but is the common stem of
  several kecamatan of the regency (and its split family) that add a direction — *Barat,
  Timur, Utara, Selatan, Tengah, Laut, Daya* — is a kecamatan from before it was split
  ("Tasifeto" → Tasifeto Barat, Tasifeto Timur): match ``historic``, the successors listed,
  and no kecamatan code unless the village, found in exactly one successor, decides it.
* **Fuzzy matching** within a known parent (never across NTT) accepts the press's ordinary
  misspellings: at most one edit (a letter changed, doubled, dropped, two swapped; ``l``
  typed for a capital ``I``) for names of :data:`FUZZY_MIN_LENGTH` letters or more, two
  edits from :data:`FUZZY_TWO_EDITS_LENGTH` letters, and only when every other candidate
  of the parent is further away: a tie gets no code (``ambiguous``).

Examples
--------
>>> from migration_ntt.regions import places
>>> len(places.places("district")), len(places.places("village"))
(315, 3442)
>>> out = places.resolve_places(
...     village=["Ds. Kualeu", "Oesao"], district=["Amanatun Selatan", None])
>>> out["village_code"].fillna("-").tolist(), out["match"].tolist()
(['53.02.08.2005', '-'], ['exact', 'ambiguous'])
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config
from migration_ntt.download import fetch_pinned
from migration_ntt.regions import codes as regions_codes
from migration_ntt.regions import units as regions
from migration_ntt.text import fold

CODE_LIST_REPOSITORY = "cahyadsn/wilayah"
CODE_LIST_COMMIT = "d68e8d5516f969d1905d0b2940f20034becb0db7"
CODE_LIST_URL = (
    f"https://raw.githubusercontent.com/{CODE_LIST_REPOSITORY}/{CODE_LIST_COMMIT}/db/wilayah.sql"
)
CODE_LIST_SHA256 = "c4c3396d9380d4edee072af1d9dff83573b574d7cd00a6562cf82e200e954031"
PLACES_FILE = "places.csv"
LEVELS = ("district", "village")
# Shorter names are never matched fuzzily: the same floor as the regency resolver's
# (whose matcher differs on purpose: a ratio with a margin over the rival).
FUZZY_MIN_LENGTH = regions.FUZZY_MIN_LENGTH
FUZZY_TWO_EDITS_LENGTH = 9
PLACE_MATCHES = ("exact", "fuzzy", "historic", "ambiguous", "conflict", "unmatched", "not_given")
DIRECTIONS = ("barat", "timur", "utara", "selatan", "tengah", "laut", "daya")

_ROW = re.compile(r"\(\s*'(53(?:\.[0-9]+)*)'\s*,\s*'((?:[^'\\]|\\.|'')*)'\s*\)")
_DISTRICT_PREFIXES = ("kecamatan", "kec", "distrik", "district", "subdistrict", "sub district")
_VILLAGE_PREFIXES = ("desa", "ds", "kelurahan", "kel", "village", "dsa")


# --- the gazetteer -----------------------------------------------------------------------


def fetch_code_list(mirror: str | Path | None = None) -> Path:
    """A verified copy of the pinned ``db/wilayah.sql`` (mirror first, then download)."""

    return fetch_pinned(
        CODE_LIST_URL,
        CODE_LIST_SHA256,
        label=f"{CODE_LIST_REPOSITORY} db/wilayah.sql@{CODE_LIST_COMMIT[:7]}",
        mirror=mirror,
        hints=("indicators/raw/cahyadsn_wilayah",),
        store="code_list",
    )


def build_places_table(path: str | Path | None = None) -> pd.DataFrame:
    """Derive the NTT kecamatan and desa table from the Kemendagri code list SQL.

    Returns one row per place: ``kemendagri_code, level, name, district_code,
    district_name, regency_code, bps_code, village_type`` (``desa`` or ``kelurahan``, from
    the first digit of the village number: 1 = kelurahan, 2 = desa), sorted by code.
    """
    sql = Path(path) if path is not None else fetch_code_list()
    text = sql.read_text(encoding="utf-8")
    rows = [
        (code, name.replace("''", "'").replace("\\'", "'")) for code, name in _ROW.findall(text)
    ]
    frame = pd.DataFrame(rows, columns=["kemendagri_code", "name"])
    parts = frame["kemendagri_code"].str.count(r"\.")
    district = frame[parts == 2].copy()
    village = frame[parts == 3].copy()
    district["level"], village["level"] = "district", "village"
    district["district_code"] = district["kemendagri_code"]
    village["district_code"] = village["kemendagri_code"].str.slice(0, 8)
    names = dict(zip(district["kemendagri_code"], district["name"], strict=True))
    places = pd.concat([district, village], ignore_index=True)
    places["district_name"] = places["district_code"].map(names)
    places["regency_code"] = places["kemendagri_code"].str.slice(0, 5)
    codes = regions_codes.resolve_codes(places["regency_code"], scheme="kemendagri")
    places["bps_code"] = codes["bps_code"].to_numpy()
    places["village_type"] = np.where(
        places["level"] == "village",
        np.where(places["kemendagri_code"].str.slice(9, 10) == "1", "kelurahan", "desa"),
        None,
    )
    columns = [
        "kemendagri_code",
        "level",
        "name",
        "district_code",
        "district_name",
        "regency_code",
        "bps_code",
        "village_type",
    ]
    return places[columns].sort_values("kemendagri_code", ignore_index=True)


@lru_cache(maxsize=1)
def _places_cached() -> pd.DataFrame:
    path = config.reference_dir() / PLACES_FILE
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: gazetteer not found: it ships inside the package, so this installation "
            "is incomplete; reinstall migration-ntt (pip install --force-reinstall)."
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)


def places(level: str = "district") -> pd.DataFrame:
    """The kecamatan (``level="district"``, 315) or desa/kelurahan (``"village"``, 3,442).

    Columns: ``kemendagri_code, level, name, district_code, district_name, regency_code,
    bps_code, village_type``.

    Examples
    --------
    >>> from migration_ntt.regions import places
    >>> places.places("district").set_index("kemendagri_code").loc["53.21.01", "name"]
    'Malaka Tengah'
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    table = _places_cached()
    return table[table["level"] == level].reset_index(drop=True).copy()


# --- the resolver -----------------------------------------------------------------------------


def _key(text: object, prefixes: tuple[str, ...]) -> str:
    """The comparison key: folded, a leading prefix (``Kec.``, ``Desa``…) dropped, no spaces."""
    joined = fold(text)
    for prefix in sorted(prefixes, key=len, reverse=True):
        if joined.startswith(prefix + " ") and len(joined) > len(prefix) + 1:
            joined = joined[len(prefix) + 1 :]
            break
    return joined.replace(" ", "")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    """Keys → place rows, by level; and ``code`` → row for every place."""
    table = _places_cached()
    out: dict[str, dict] = {"district": {}, "village": {}, "code": {}, "key": {}, "words": {}}
    for row in table.itertuples(index=False):
        prefixes = _DISTRICT_PREFIXES if row.level == "district" else _VILLAGE_PREFIXES
        key = _key(row.name, prefixes)
        out[row.level].setdefault(key, []).append(row)
        out["code"][row.kemendagri_code] = row
        out["key"][row.kemendagri_code] = key
        out["words"][row.kemendagri_code] = tuple(fold(row.name).split())
    return out


@lru_cache(maxsize=1)
def _children() -> tuple[dict[str, list], dict[str, list], dict[str, list]]:
    """Districts of each regency, villages of each district and of each regency."""
    table = _places_cached()
    by_regency: dict[str, list] = {}
    by_district: dict[str, list] = {}
    villages_by_regency: dict[str, list] = {}
    for row in table.itertuples(index=False):
        if row.level == "district":
            by_regency.setdefault(row.bps_code, []).append(row)
        else:
            by_district.setdefault(row.district_code, []).append(row)
            villages_by_regency.setdefault(row.bps_code, []).append(row)
    return by_regency, by_district, villages_by_regency


@cache
def _family(bps_code: str) -> tuple[str, ...]:
    """The regencies split from ``bps_code`` and the one it was split from (pemekaran)."""
    table = regions.regencies()
    parent = dict(zip(table["bps_code"], table["parent_bps_code"], strict=True))
    kin = [code for code, up in parent.items() if up == bps_code]
    if isinstance(parent.get(bps_code), str):
        kin.append(parent[bps_code])
    return tuple(kin)


_CODE = re.compile(r"^53\.?(\d{2})\.?(\d{2})(?:\.?(\d{4}))?$")


def _by_code(text: object) -> object:
    """The place a Kemendagri code names (``53.21.01``, ``5321012001``), or None."""
    if not isinstance(text, str):
        return None
    found = _CODE.match(text.strip())
    if found is None:
        return None
    regency, district, village = found.groups()
    code = f"53.{regency}.{district}" + (f".{village}" if village else "")
    return _index()["code"].get(code)


@dataclass(frozen=True)
class _Found:
    """One level's reading: the place (a gazetteer row) or None, how, and what else."""

    place: object
    match: str
    score: float = np.nan
    corrected: bool = False
    successors: tuple = ()


_NOT_GIVEN = _Found(None, "not_given")
_UNMATCHED = _Found(None, "unmatched")


def _fuzzy(key: str, candidates: list, prefixes: tuple[str, ...], corrected: bool) -> _Found:
    """The one candidate within the allowed edits and closer than every other (module
    docstring); ``ambiguous`` on a tie, ``unmatched`` when none is close enough."""
    from rapidfuzz.distance import OSA

    if len(key) < FUZZY_MIN_LENGTH or not candidates:
        return _UNMATCHED
    allowed = 2 if len(key) >= FUZZY_TWO_EDITS_LENGTH else 1
    keys = _index()["key"]
    scored = sorted(
        (OSA.distance(key, keys[c.kemendagri_code], score_cutoff=allowed + 1), c.kemendagri_code, c)
        for c in candidates
    )
    best, _, place = scored[0]
    if best > allowed:
        return _UNMATCHED
    if any(d <= best and code != place.kemendagri_code for d, code, _ in scored[1:]):
        return _Found(None, "ambiguous")
    return _Found(place, "fuzzy", 100.0 * (1 - best / max(len(key), 1)), corrected)


@lru_cache(maxsize=4096)
def _historic(key: str, regencies: tuple[str, ...] | None) -> tuple:
    """Kecamatan of ``regencies`` (None: all NTT) named ``key`` + direction words (the
    successors), by code."""
    districts = _children()[0]
    codes = regencies if regencies is not None else tuple(districts)
    pool = [p for code in codes for p in districts.get(code, [])]
    words_of = _index()["words"]
    successors = []
    for place in pool:
        words = words_of[place.kemendagri_code]
        for cut in range(1, len(words)):
            if "".join(words[:cut]) == key and all(w in DIRECTIONS for w in words[cut:]):
                successors.append(place)
                break
    return tuple(sorted(successors, key=lambda p: p.kemendagri_code))


@lru_cache(maxsize=8_192)
def _district(text: object, bps_code: str | None) -> _Found:
    if not fold(text):
        return _NOT_GIVEN
    coded = _by_code(text)
    if coded is not None and coded.level == "district":
        return _Found(coded, "exact", 100.0, bps_code is not None and coded.bps_code != bps_code)
    key = _key(text, _DISTRICT_PREFIXES)
    found = _index()["district"].get(key, [])
    districts = _children()[0]
    if bps_code is None:
        if len(found) == 1:
            return _Found(found[0], "exact", 100.0)
        if found:
            return _Found(None, "ambiguous")
        successors = _historic(key, None)
        if len({p.bps_code for p in successors}) == 1 and len(successors) > 1:
            return _Found(None, "historic", successors=successors)
        return _UNMATCHED
    family = _family(bps_code)
    for pool_codes, corrected in (((bps_code,), False), (family, True)):
        inside = [p for p in found if p.bps_code in pool_codes]
        if len(inside) == 1:
            return _Found(inside[0], "exact", 100.0, corrected)
        if len(inside) > 1:
            return _Found(None, "ambiguous")
    if found:
        return _Found(None, "conflict")
    successors = _historic(key, (bps_code, *family))
    if len(successors) > 1:
        return _Found(None, "historic", successors=successors)
    near = _fuzzy(key, districts.get(bps_code, []), _DISTRICT_PREFIXES, False)
    if near.match != "unmatched":
        return near
    return _fuzzy(
        key, [p for code in family for p in districts.get(code, [])], _DISTRICT_PREFIXES, True
    )


_TYPE_PREFIXES = {"kelurahan": "kelurahan", "kel": "kelurahan", "desa": "desa", "ds": "desa"}


def _village_type(text: object) -> str | None:
    """``"Kel. Oesao"`` → kelurahan, ``"Desa Oesao"`` → desa, else None."""
    first = fold(text).split()[:1]
    return _TYPE_PREFIXES.get(first[0]) if first else None


@lru_cache(maxsize=8_192)
def _village(text: object, district: _Found, bps_code: str | None) -> _Found:
    if not fold(text):
        return _NOT_GIVEN
    coded = _by_code(text)
    if coded is not None and coded.level == "village":
        return _Found(coded, "exact", 100.0, bps_code is not None and coded.bps_code != bps_code)
    key = _key(text, _VILLAGE_PREFIXES)
    found = _index()["village"].get(key, [])
    kind = _village_type(text)
    if kind is not None and any(p.village_type == kind for p in found):
        found = [p for p in found if p.village_type == kind]  # the prefix says which
    _, by_district, by_regency = _children()
    corrected = district.corrected
    if district.place is not None:
        parents = {district.place.kemendagri_code}
        inside = [p for p in found if p.district_code in parents]
        pool = by_district.get(district.place.kemendagri_code, [])
    elif district.match == "historic":
        parents = {p.kemendagri_code for p in district.successors}
        inside = [p for p in found if p.district_code in parents]
        pool = [v for code in sorted(parents) for v in by_district.get(code, [])]
    elif bps_code is not None:
        inside = [p for p in found if p.bps_code == bps_code]
        pool = by_regency.get(bps_code, [])
        if not inside and found:
            inside = [p for p in found if p.bps_code in _family(bps_code)]
            corrected = bool(inside)
    else:
        inside, pool = found, []
    if len(inside) == 1:
        return _Found(inside[0], "exact", 100.0, corrected)
    if len(inside) > 1:
        return _Found(None, "ambiguous")
    if found and (district.place is not None or bps_code is not None):
        return _Found(None, "conflict")
    return _fuzzy(key, pool, _VILLAGE_PREFIXES, corrected)


def _resolve_one(village: object, district: object, bps_code: str | None) -> tuple:
    kecamatan = _district(district, bps_code)
    desa = _village(village, kecamatan, bps_code)
    district_code = kecamatan.place.kemendagri_code if kecamatan.place is not None else None
    if (
        desa.place is not None
        and district_code is None
        and kecamatan.match
        in {
            "not_given",
            "unmatched",
            "historic",
        }
    ):
        district_code = desa.place.district_code  # the village tells its kecamatan
    village_code = desa.place.kemendagri_code if desa.place is not None else None
    place = desa.place if desa.place is not None else kecamatan.place
    unit = place.bps_code if place is not None else bps_code
    match = desa.match if desa.match != "not_given" else kecamatan.match
    if "conflict" in (kecamatan.match, desa.match):
        match = "conflict"
    scores = [s for s in (kecamatan.score, desa.score) if not np.isnan(s)]
    corrected = place is not None and bps_code is not None and place.bps_code != bps_code
    successors = "; ".join(p.name for p in kecamatan.successors) or None
    return (
        district_code,
        village_code,
        unit,
        match,
        kecamatan.match,
        desa.match,
        min(scores) if scores else np.nan,
        corrected,
        successors,
    )


def _column(values: object, n: int | None) -> list | None:
    if values is None:
        return None
    if isinstance(values, str):
        return [values]
    return list(values)


def resolve_places(
    village: Sequence[object] | str | None = None,
    district: Sequence[object] | str | None = None,
    regency: Sequence[object] | str | None = None,
    *,
    bps_code: Sequence[object] | str | None = None,
) -> pd.DataFrame:
    """Resolve village and kecamatan text to Kemendagri codes (see the module docstring).

    Parameters
    ----------
    village, district, regency : str or sequence, optional
        The text as written (same length when several are given). ``regency`` is
        resolved with :func:`migration_ntt.regions.resolve`.
    bps_code : str or sequence, optional
        Regency BPS codes instead of ``regency`` text (what the cleaner already knows).

    Returns
    -------
    pandas.DataFrame
        Aligned with the input: ``district_code``, ``village_code``, ``bps_code``,
        ``match`` (one of :data:`PLACE_MATCHES`, for the most specific place given),
        ``district_match``, ``village_match``, ``score`` (100 exact, the fuzzy score,
        NaN when nothing matched), ``regency_corrected`` (the place lies in a regency of
        the written one's split family, see the module docstring) and ``successors`` (for
        a ``historic`` kecamatan name: today's kecamatan, separated by ``;``). Each distinct
        combination is resolved once.

    Examples
    --------
    >>> out = resolve_places(village=["Lifuleo", "Lifuleo"], regency=["Kupang", None])
    >>> out["village_code"].fillna("-").tolist(), out["match"].tolist()
    (['53.01.05.2005', '-'], ['exact', 'ambiguous'])
    """
    columns = {
        "village": _column(village, None),
        "district": _column(district, None),
        "regency": _column(regency, None),
        "bps_code": _column(bps_code, None),
    }
    given = {name: values for name, values in columns.items() if values is not None}
    if not given:
        raise ValueError("give at least one of village=, district=, regency=, bps_code=")
    lengths = {len(values) for values in given.values()}
    if len(lengths) != 1:
        raise ValueError(f"village, district and regency must have the same length, got {lengths}")
    n = lengths.pop()
    empty = [None] * n
    if columns["bps_code"] is None and columns["regency"] is not None:
        resolved = regions.resolve(columns["regency"])["bps_code"]
        columns["bps_code"] = [c if isinstance(c, str) else None for c in resolved]

    def clean(value: object) -> object:
        return value if isinstance(value, str) and value.strip() else None

    combinations = [
        tuple(map(clean, parts))
        for parts in zip(
            columns["village"] or empty,
            columns["district"] or empty,
            columns["bps_code"] or empty,
            strict=True,
        )
    ]
    position: dict[tuple, int] = {}
    codes = np.array([position.setdefault(c, len(position)) for c in combinations], dtype=int)
    results = [_resolve_one(*combination) for combination in position]
    table = pd.DataFrame(
        results,
        columns=[
            "district_code",
            "village_code",
            "bps_code",
            "match",
            "district_match",
            "village_match",
            "score",
            "regency_corrected",
            "successors",
        ],
    )
    out = table.iloc[codes].reset_index(drop=True)
    return out.astype({"score": float})


#: What each ``place_match`` of a clean record means.
MATCH_MEANINGS = {
    "exact": "name found in its regency (spelling, spacing and prefixes aside)",
    "fuzzy": "close spelling of one name in its regency or kecamatan",
    "historic": "kecamatan name from before a split: no kecamatan code unless the village "
    "decides which successor",
    "ambiguous": "name shared by several places: no code for it (a kecamatan known "
    "beside it keeps its code)",
    "conflict": "village and kecamatan or regency disagree: flagged, no village code forced",
    "unmatched": "name not found",
    "not_given": "no kecamatan or village in the record",
}


__all__ = [
    "CODE_LIST_COMMIT",
    "MATCH_MEANINGS",
    "PLACE_MATCHES",
    "build_places_table",
    "fetch_code_list",
    "places",
    "resolve_places",
]
