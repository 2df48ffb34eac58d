"""What the batches of one case file share while it is parsed.

:class:`State` holds, per field, what each distinct string parsed to
(:class:`~.fields.FieldCache`, with the user's value map applied first), the category
strings of the output columns (:class:`Categories`), parse-quality counts and the rows each
rule decided. The parsers it caches are here too: dates with their precision, years and
months, regency names and codes (BPS or Kemendagri numbering), and places
(``village␟kecamatan␟regency`` keys resolved by :func:`migration_ntt.regions.resolve_places`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from migration_ntt import regions
from migration_ntt.ingest.records import countries, dates
from migration_ntt.ingest.records import fields as parsers
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.overrides import ValueMap
from migration_ntt.regions import places

MAX_AGE = 100
MIN_EVENT_YEAR = 1950
REJECT_REASONS = {
    "no_event_date": "no event date or year given",
    "invalid_event_date": "the event date cannot be read or is not a calendar date (31 February)",
    "event_date_out_of_range": "the event date is before 1950 or after the date of cleaning",
    "no_regency": "no resolvable regency and no valid NTT NIK",
    "impossible_age": "age below 0 or above 100 (or birth after the event)",
    "field_count": "the row has more or fewer cells than the header",
    "broken_quote": "a quote opens a cell and is never closed",
}
REGENCY_MATCHES = (*regions.MATCH_KINDS, "code", "override", "address", "nik", "place")
RULE_INDEX = {rule: i for i, rule in enumerate(parsers.RULES)}
PRECISION_CODES = ("", *dates.PRECISIONS)  # position = code; "" = nothing read

PLACE_SEPARATOR = "\x1f"
DATE_RESULT = np.dtype(
    [("date", "datetime64[ns]"), ("year", "f8"), ("month", "f8"), ("precision", "i1")]
)


class Categories:
    """Category strings of one output column, growing as batches bring new ones."""

    def __init__(self, initial: tuple[str, ...] = ()) -> None:
        self.values: list[str] = list(initial)
        self._index = {value: i for i, value in enumerate(self.values)}
        self._seen: dict[tuple[int, str], np.ndarray] = {}

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

    def rows(
        self, cache: parsers.FieldCache, codes: np.ndarray, extract=None, part: str = ""
    ) -> np.ndarray:
        """Per-row category positions (−1: none) from :meth:`FieldCache.lookup` codes, with
        one Python step per *distinct* value, each only once per file: ``extract`` picks the
        category from a result, ``part`` names it (results only grow, so the positions of
        the results already seen are kept)."""
        results = cache.results()
        memo = (id(cache), part)
        known = self._seen.get(memo, np.zeros(0, dtype=np.int64))
        if len(known) < len(results):
            new = results[len(known) :]
            known = np.concatenate(
                [
                    known,
                    np.fromiter(
                        (self.position(extract(r) if extract else r) for r in new),
                        dtype=np.int64,
                        count=len(new),
                    ),
                ]
            )
            self._seen[memo] = known
        return np.append(known, -1)[codes]


def _with_overrides(parse, values: ValueMap, name: str, make):
    """``parse`` over distinct texts, with the value map's decisions first."""

    def run(texts: list[str]) -> np.ndarray:
        out = parsers.objects([parse(t) for t in texts])
        if values:
            for i, text in enumerate(texts):
                decided = values.lookup(name, text)
                if decided is not None:
                    out[i] = make(decided)
        return out

    return run


def _dates(texts: list[str]) -> np.ndarray:
    parts = dates.parse_date_parts(texts)
    out = np.empty(len(texts), dtype=DATE_RESULT)
    out["date"], out["year"], out["month"] = parts.dates, parts.years, parts.months
    out["precision"] = [PRECISION_CODES.index(p) for p in parts.precision]
    return out


def _year(text: str) -> float:
    try:
        value = float(text.strip())
    except ValueError:
        return np.nan
    return value if value.is_integer() and 1000 <= value <= 2999 else np.nan


def _month(text: str) -> float:
    folded = parsers.fold(text)
    if folded in vocab.MONTH_NAMES:
        return float(vocab.MONTH_NAMES[folded])
    try:
        value = float(folded)
    except ValueError:
        return np.nan
    return value if value.is_integer() and 1 <= value <= 12 else np.nan


def _regency_codes(scheme: str):
    """Parser of regency code texts: BPS (``5321``) or Kemendagri (``53.21``) codes."""
    table = regions.regencies()
    bps = set(table["bps_code"])
    kemendagri = dict(zip(table["kemendagri_code"], table["bps_code"], strict=True))
    same = {code for code in bps if kemendagri.get(f"{code[:2]}.{code[2:]}") == code}

    def parse(text: str) -> tuple[str | None, str]:
        value = text.strip().removesuffix(".0")
        if "." in value:
            return kemendagri.get(value), "code"
        if len(value) != 4 or not value.isdigit():
            return None, "unmatched"
        if scheme == "bps" or value in same:
            return (value if value in bps else None), "code"
        if scheme == "kemendagri":
            return kemendagri.get(f"{value[:2]}.{value[2:]}"), "code"
        return None, "ambiguous"  # 4 digits that mean different units in BPS and Kemendagri

    return parse


def _regency_names(values: ValueMap):
    def parse(texts: list[str]) -> np.ndarray:
        resolved = regions.resolve(texts)
        out = [
            (code if isinstance(code, str) else None, match)
            for code, match in zip(resolved["bps_code"], resolved["match"], strict=True)
        ]
        if values:
            for i, text in enumerate(texts):
                decided = values.lookup("regency", text)
                if decided is not None:
                    out[i] = (decided, "override")
        return parsers.objects(out)

    return parse


def _places_of(values: list[str]) -> np.ndarray:
    """Joined ``village␟kecamatan␟bps_code`` keys → (district code, village code, match,
    district match, village match, place regency, regency corrected?, successors)."""
    parts = [value.split(PLACE_SEPARATOR) for value in values]
    found = places.resolve_places(
        village=[p[0] or None for p in parts],
        district=[p[1] or None for p in parts],
        bps_code=[p[2] or None for p in parts],
    )

    def texts(name: str) -> list:
        return [c if isinstance(c, str) else None for c in found[name].tolist()]

    return parsers.objects(
        list(
            zip(
                texts("district_code"),
                texts("village_code"),
                found["match"].tolist(),
                found["district_match"].tolist(),
                found["village_match"].tolist(),
                texts("bps_code"),
                found["regency_corrected"].tolist(),
                found["successors"].tolist(),
                strict=True,
            )
        )
    )


def _has_code(results: np.ndarray) -> np.ndarray:
    return np.array([r[0] is not None for r in results], dtype=bool)


def _recognised_rule(results: np.ndarray) -> np.ndarray:
    return np.array([r[-1] not in {"unrecognised", "missing"} for r in results], dtype=bool)


REGENCY_RULES = {
    "exact": "exact",
    "alias": "exact",
    "code": "exact",
    "fuzzy": "fuzzy",
    "override": "override",
}


@dataclass
class State:
    """Caches and counters shared by the batches of one file."""

    key: bytes
    as_of: pd.Timestamp
    value_map: ValueMap = field(default_factory=ValueMap)
    code_scheme: str = "auto"
    caches: dict[str, parsers.FieldCache] = field(default_factory=dict)
    place_unrecognised: dict[str, Counter] = field(
        default_factory=lambda: {"district": Counter(), "village": Counter()}
    )
    historic: Counter = field(default_factory=Counter)
    regency_from_place: int = 0
    regency_corrected: int = 0
    rules: dict[str, Counter] = field(default_factory=dict)
    quality: dict[str, np.ndarray] = field(default_factory=dict)
    categories: dict[str, Categories] = field(default_factory=dict)

    def __post_init__(self) -> None:
        v = self.value_map

        def scalar(parse, name, make):
            return parsers.FieldCache(_with_overrides(parse, v, name, make), _recognised_rule)

        self.caches = {
            "event_date": parsers.FieldCache(_dates, lambda r: r["precision"] > 0),
            "birth_date": parsers.FieldCache(_dates, lambda r: ~np.isnat(r["date"])),
            "event_year": parsers.scalar_cache(_year),
            "event_month": parsers.scalar_cache(_month),
            "age": parsers.scalar_cache(parsers.parse_age),
            "sex": scalar(parsers.sex_with_rule, "sex", lambda d: (d, "override")),
            "status": scalar(parsers.status_with_rule, "status", lambda d: (d, "override")),
            "event_type": scalar(
                parsers.event_type_with_rule, "event_type", lambda d: (d, "override")
            ),
            "destination": scalar(
                countries.parse_destination, "destination", lambda d: (d, None, "override")
            ),
            "destination_region": scalar(
                countries.parse_destination, "destination", lambda d: (d, None, "override")
            ),
            "regency": parsers.FieldCache(_regency_names(v), _has_code),
            "regency_code": parsers.FieldCache(
                lambda texts: parsers.objects([_regency_codes(self.code_scheme)(t) for t in texts]),
                _has_code,
            ),
            "address": parsers.FieldCache(_regency_names(ValueMap()), _has_code),
            "place": parsers.FieldCache(_places_of, lambda r: np.ones(len(r), dtype=bool)),
        }
        self.categories = {
            "event_type": Categories(vocab.EVENT_TYPES),
            "procedural": Categories(vocab.PROCEDURAL),
            "sex": Categories(vocab.SEXES),
            "bps_code": Categories(tuple(regions.regencies()["bps_code"])),
            "destination_iso3": Categories(),
            "destination_region": Categories(),
            "regency_match": Categories(REGENCY_MATCHES),
            "reason": Categories(tuple(REJECT_REASONS)),
            "district_code": Categories(),
            "village_code": Categories(),
            "place_match": Categories(places.PLACE_MATCHES),
            "date_precision": Categories(dates.PRECISIONS),
        }

    def count(self, name: str, given: np.ndarray, read_ok: np.ndarray) -> None:
        """Add a batch to the parse-quality counts: parsed, invalid, missing."""
        row = np.array(
            [int((given & read_ok).sum()), int((given & ~read_ok).sum()), int((~given).sum())]
        )
        self.quality[name] = self.quality.get(name, np.zeros(3, dtype=np.int64)) + row

    def decided(self, name: str, rules: np.ndarray, labels: tuple[str, ...]) -> None:
        """Add a batch's per-row rule codes (positions in ``labels``) to the rule counts."""
        counts = np.bincount(rules, minlength=len(labels))
        tally = self.rules.setdefault(name, Counter())
        for label, rows in zip(labels, counts, strict=False):
            if rows:
                tally[label] += int(rows)

    def decided_by_rule(self, name: str, codes: np.ndarray, rule_of) -> None:
        """Rule counts from cache codes (−1: blank → ``missing``) and a result → rule."""
        results = self.caches[name].results()
        table = np.array([RULE_INDEX[rule_of(r)] for r in results] + [RULE_INDEX["missing"]])
        self.decided(name, table[codes], parsers.RULES)
