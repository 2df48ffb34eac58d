"""Below the regency: NTT's 315 kecamatan and 3,442 desa/kelurahan, and a place resolver.

The gazetteer (``data/raw/reference/places.csv``) is derived from the Kemendagri 2025 code
list (Kepmendagri 300.2.2-2138/2025) as compiled in ``cahyadsn/wilayah`` (MIT),
``db/wilayah.sql`` at commit :data:`CODE_LIST_COMMIT`: for each place its Kemendagri code
(``53.xx.yy`` kecamatan, ``53.xx.yy.zzzz`` desa/kelurahan), name, parent codes and the BPS
code of its regency. :func:`build_places_table` re-derives it from the SQL (fetched pinned,
with its sha256, like the boundaries); the tests check the committed table against it.

:func:`resolve_places` reads case-file text hierarchically: the regency narrows the
kecamatan, the kecamatan narrows the village. Decisions written down here:

* Prefixes ``Desa``, ``Ds.``, ``Kel.``, ``Kelurahan``, ``Kec.``, ``Kecamatan`` are
  stripped; case, punctuation and spacing are ignored ("Wae Mulu" = "Waemulu",
  "O'besi" = "Obesi").
* **A village name alone that occurs in several places gets no code** (``ambiguous``):
  76 names are shared by 156 villages of NTT as written (83 names and 173 villages once
  spacing and punctuation are ignored: "Tesabela" / "Tesa Bela"). The same holds for
  kecamatan names shared by regencies.
* Fuzzy matching (rapidfuzz ``ratio`` ≥ :data:`FUZZY_THRESHOLD`, a lead of
  :data:`FUZZY_MARGIN` over the next candidate, names of at least
  :data:`FUZZY_MIN_LENGTH` letters) is tried **only within a known parent**: a kecamatan
  within its regency, a village within its kecamatan (or its regency when no kecamatan is
  given). Never across NTT.
* "Kel." / "Kelurahan" and "Desa" / "Ds." also say which kind of village is meant: Kupang
  Timur has both a kelurahan and a desa named Oesao.
* A place that exists, but in another parent than the one given (a village of kecamatan B
  written with kecamatan A), is a ``conflict``: flagged, never forced into either.

Examples
--------
>>> from migration_ntt import places
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
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions

CODE_LIST_REPOSITORY = "cahyadsn/wilayah"
CODE_LIST_COMMIT = "d68e8d5516f969d1905d0b2940f20034becb0db7"
CODE_LIST_URL = (
    f"https://raw.githubusercontent.com/{CODE_LIST_REPOSITORY}/{CODE_LIST_COMMIT}/db/wilayah.sql"
)
CODE_LIST_SHA256 = "c4c3396d9380d4edee072af1d9dff83573b574d7cd00a6562cf82e200e954031"
PLACES_FILE = "places.csv"
LEVELS = ("district", "village")
FUZZY_THRESHOLD = 90.0
FUZZY_MARGIN = 5.0
FUZZY_MIN_LENGTH = 5
PLACE_MATCHES = ("exact", "fuzzy", "ambiguous", "conflict", "unmatched", "not_given")

_ROW = re.compile(r"\(\s*'(53(?:\.[0-9]+)*)'\s*,\s*'((?:[^'\\]|\\.|'')*)'\s*\)")
_DISTRICT_PREFIXES = ("kecamatan", "kec", "distrik", "district", "subdistrict", "sub district")
_VILLAGE_PREFIXES = ("desa", "ds", "kelurahan", "kel", "village", "dsa")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


# --- the gazetteer -----------------------------------------------------------------------


def fetch_code_list(mirror: str | Path | None = None) -> Path:
    """A verified copy of the pinned ``db/wilayah.sql`` (mirror first, then download)."""
    from migration_ntt.ingest.download import fetch_pinned

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
    codes = regions.resolve_codes(places["regency_code"], scheme="kemendagri")
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
            f"{path}: gazetteer not found. Run from a migration-ntt checkout or set "
            f"{config.HOME_ENV} to the project root."
        )
    return pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)


def places(level: str = "district") -> pd.DataFrame:
    """The kecamatan (``level="district"``, 315) or desa/kelurahan (``"village"``, 3,442).

    Columns: ``kemendagri_code, level, name, district_code, district_name, regency_code,
    bps_code, village_type``.

    Examples
    --------
    >>> from migration_ntt import places
    >>> places.places("district").set_index("kemendagri_code").loc["53.21.01", "name"]
    'Malaka Tengah'
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    table = _places_cached()
    return table[table["level"] == level].reset_index(drop=True).copy()


# --- the resolver -----------------------------------------------------------------------------


def _fold(text: object) -> str:
    import unicodedata

    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", ascii_text.lower().replace("'", "")).strip()


def _key(text: object, prefixes: tuple[str, ...]) -> str:
    tokens = _fold(text).split()
    joined = " ".join(tokens)
    for prefix in sorted(prefixes, key=len, reverse=True):
        if joined.startswith(prefix + " ") and len(joined) > len(prefix) + 1:
            joined = joined[len(prefix) + 1 :]
            break
    return joined.replace(" ", "")


@lru_cache(maxsize=1)
def _index() -> dict[str, dict]:
    """Keys → place codes, by level, with the parent of each place."""
    table = _places_cached()
    out: dict[str, dict] = {"district": {}, "village": {}}
    for row in table.itertuples(index=False):
        prefixes = _DISTRICT_PREFIXES if row.level == "district" else _VILLAGE_PREFIXES
        out[row.level].setdefault(_key(row.name, prefixes), []).append(row)
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


def _fuzzy(key: str, candidates: list, prefixes: tuple[str, ...]) -> tuple[object, str, float]:
    """Best candidate by rapidfuzz ratio with a margin (see the module docstring)."""
    from rapidfuzz import fuzz

    if len(key) < FUZZY_MIN_LENGTH or not candidates:
        return None, "unmatched", np.nan
    scored = sorted(
        ((fuzz.ratio(key, _key(c.name, prefixes)), c) for c in candidates),
        key=lambda item: item[0],
        reverse=True,
    )
    best, place = scored[0]
    if best < FUZZY_THRESHOLD:
        return None, "unmatched", np.nan
    rival = next((s for s, c in scored[1:] if c.kemendagri_code != place.kemendagri_code), 0.0)
    if best - rival < FUZZY_MARGIN:
        return None, "ambiguous", float(best)
    return place, "fuzzy", float(best)


def _district(text: object, bps_code: str | None) -> tuple[object, str, float]:
    if not _fold(text):
        return None, "not_given", np.nan
    key = _key(text, _DISTRICT_PREFIXES)
    found = _index()["district"].get(key, [])
    if bps_code is not None:
        inside = [p for p in found if p.bps_code == bps_code]
        if len(inside) == 1:
            return inside[0], "exact", 100.0
        if len(inside) > 1:
            return None, "ambiguous", np.nan
        if found:
            return None, "conflict", np.nan
        return _fuzzy(key, _children()[0].get(bps_code, []), _DISTRICT_PREFIXES)
    if len(found) == 1:
        return found[0], "exact", 100.0
    return None, ("ambiguous" if found else "unmatched"), np.nan


_TYPE_PREFIXES = {"kelurahan": "kelurahan", "kel": "kelurahan", "desa": "desa", "ds": "desa"}


def _village_type(text: object) -> str | None:
    """``"Kel. Oesao"`` → kelurahan, ``"Desa Oesao"`` → desa, else None."""
    first = _fold(text).split()[:1]
    return _TYPE_PREFIXES.get(first[0]) if first else None


def _village(text: object, district: object, bps_code: str | None) -> tuple[object, str, float]:
    if not _fold(text):
        return None, "not_given", np.nan
    key = _key(text, _VILLAGE_PREFIXES)
    found = _index()["village"].get(key, [])
    kind = _village_type(text)
    if kind is not None and any(p.village_type == kind for p in found):
        found = [p for p in found if p.village_type == kind]  # the prefix says which
    if district is not None:
        inside = [p for p in found if p.district_code == district.kemendagri_code]
        pool = _children()[1].get(district.kemendagri_code, [])
    elif bps_code is not None:
        inside = [p for p in found if p.bps_code == bps_code]
        pool = _children()[2].get(bps_code, [])
    else:
        inside, pool = found, []
    if len(inside) == 1:
        return inside[0], "exact", 100.0
    if len(inside) > 1:
        return None, "ambiguous", np.nan
    if found and (district is not None or bps_code is not None):
        return None, "conflict", np.nan
    return _fuzzy(key, pool, _VILLAGE_PREFIXES)


def _resolve_one(village: object, district: object, bps_code: str | None) -> tuple:
    place_d, match_d, score_d = _district(district, bps_code)
    place_v, match_v, score_v = _village(village, place_d, bps_code)
    district_code = place_d.kemendagri_code if place_d is not None else None
    if place_v is not None and district_code is None and match_d in {"not_given", "unmatched"}:
        district_code = place_v.district_code  # the village tells its kecamatan
    village_code = place_v.kemendagri_code if place_v is not None else None
    unit = (
        place_v.bps_code
        if place_v is not None
        else place_d.bps_code
        if place_d is not None
        else None
    )
    match = match_v if match_v != "not_given" else match_d
    if "conflict" in (match_d, match_v):
        match = "conflict"
    scores = [s for s in (score_d, score_v) if not np.isnan(s)]
    return (
        district_code,
        village_code,
        unit or bps_code,
        match,
        match_d,
        match_v,
        min(scores) if scores else np.nan,
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
        ``district_match``, ``village_match`` and ``score`` (100 exact, the fuzzy score,
        NaN when nothing matched). Each distinct combination is resolved once.

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
        ],
    )
    out = table.iloc[codes].reset_index(drop=True)
    return out.astype({"score": float})


#: What each ``place_match`` of a clean record means.
MATCH_MEANINGS = {
    "exact": "name found in its regency (spelling, spacing and prefixes aside)",
    "fuzzy": "close spelling of one name in its regency or kecamatan",
    "ambiguous": "name shared by several places: no code for it (a kecamatan known "
    "beside it keeps its code)",
    "conflict": "village and kecamatan or regency disagree: flagged, no village code forced",
    "unmatched": "name not found",
    "not_given": "no kecamatan or village in the record",
}


def match_summary(records: object) -> pd.DataFrame:
    """How the places of clean records were resolved: ``match, rows, share_pct, meaning``
    and whether the record has a ``district_code`` (what the kecamatan chain counts).

    ``records``: a :class:`~migration_ntt.ingest.records.CleanResult`, its clean table, or
    a ``*_clean.parquet`` path.

    Examples
    --------
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(300, seed=1)
    >>> table = match_summary(records.clean_records(messy, secret="x"))
    >>> int(table["rows"].sum()) == len(records.clean_records(messy, secret="x").clean)
    True
    """
    from migration_ntt.ingest.records.counts import read_clean

    clean, _ = read_clean(records)
    if "place_match" not in clean.columns:
        raise ValueError("the clean table has no place_match column (cleaned before places)")
    match = clean["place_match"].astype(str)
    coded = clean["district_code"].notna()
    table = (
        pd.DataFrame({"match": match, "with_kecamatan_code": coded})
        .value_counts()
        .rename("rows")
        .reset_index()
    )
    order = {name: i for i, name in enumerate(PLACE_MATCHES)}
    table = table.sort_values(
        ["match", "with_kecamatan_code"], key=lambda s: s.map(order) if s.name == "match" else -s
    ).reset_index(drop=True)
    table["share_pct"] = (100 * table["rows"] / max(1, len(clean))).round(1)
    table["meaning"] = table["match"].map(MATCH_MEANINGS)
    return table


__all__ = [
    "CODE_LIST_COMMIT",
    "MATCH_MEANINGS",
    "PLACE_MATCHES",
    "build_places_table",
    "fetch_code_list",
    "match_summary",
    "places",
    "resolve_places",
]
