"""Value maps: the user's own decisions about values, applied before any rule.

Rules read most of what offices write; what they cannot read is listed in the cleaning
report, and the user decides. A **value map** holds those decisions: one row per field and
raw value, with the canonical value it stands for (OpenRefine's cluster-and-edit, kept as a
file that can be reviewed and reused):

.. code-block:: text

    field,raw_value,canonical
    status,jalur belakang,non_prosedural
    event_type,pulang nama,death_abroad
    destination,Negeri Jiran,MYS
    regency,Kab. Kpg,5303
    district,Kec. Malaka Tgh,53.21.01

Raw values are compared after folding (case, accents, punctuation and spacing aside), and a
value map **wins over every rule** (the report counts its rows under ``override``). The
canonical value must be one the clean table can hold: a status or event type of the
vocabulary, a sex (``male``/``female``), an ISO 3166-1 alpha-3 code, a BPS code (or a name
that resolves to one), a Kemendagri kecamatan or village code. A row whose ``canonical`` is
blank is skipped (a value map written by :func:`write_value_map` and not yet filled in).

:func:`write_value_map` writes every value the rules could not read, with its row count and
the closest known value as a guess, ready to be filled in.

Examples
--------
>>> from migration_ntt.ingest.records import overrides
>>> values = overrides.read_values({"status": {"Jalur Belakang": "non_prosedural"}})
>>> values.lookup("status", "jalur belakang")
'non_prosedural'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.records import countries
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.regions import places
from migration_ntt.text import fold

#: Fields a value map may decide, and what their canonical values are.
OVERRIDABLE = {
    "status": "one of " + ", ".join(vocab.PROCEDURAL),
    "event_type": "one of " + ", ".join(vocab.EVENT_TYPES),
    "sex": "male or female",
    "destination": "an ISO 3166-1 alpha-3 code (MYS, KHM, …)",
    "regency": "a BPS code (5321) or a regency name",
    "district": "a Kemendagri kecamatan code (53.21.01)",
    "village": "a Kemendagri desa/kelurahan code (53.21.01.2001)",
}
COLUMNS = ("field", "raw_value", "canonical")


@dataclass
class ValueMap:
    """Field → folded raw value → canonical value (see the module docstring)."""

    table: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str = "<values>"

    def lookup(self, field_name: str, raw: object) -> str | None:
        """The canonical value for ``raw`` of ``field_name``, or None."""
        decided = self.table.get(field_name)
        return decided.get(fold(raw)) if decided else None

    def __bool__(self) -> bool:
        return any(self.table.values())

    def fields(self) -> list[str]:
        return [name for name, decided in self.table.items() if decided]


def _canonical_ok(field_name: str, value: str) -> bool:
    import pycountry

    if field_name == "status":
        return value in vocab.PROCEDURAL
    if field_name == "event_type":
        return value in vocab.EVENT_TYPES
    if field_name == "sex":
        return value in vocab.SEXES
    if field_name == "destination":
        return pycountry.countries.get(alpha_3=value) is not None
    if field_name == "regency":
        if value in set(regions.regencies()["bps_code"]):
            return True
        return regions.resolve([value])["bps_code"].notna().iloc[0]
    level = "district" if field_name == "district" else "village"
    return value in set(places.places(level)["kemendagri_code"])


def _normalise(field_name: str, value: str) -> str:
    if field_name == "regency" and value not in set(regions.regencies()["bps_code"]):
        return str(regions.resolve([value])["bps_code"].iloc[0])
    if field_name == "destination":
        return value.upper()
    return value


def read_values(source: str | Path | Mapping | ValueMap | None) -> ValueMap:
    """A value map from a CSV file (``field,raw_value,canonical``) or a mapping
    ``{field: {raw: canonical}}``.

    Raises
    ------
    RecordsError
        A missing file or column, an unknown field, or a canonical value the field cannot
        hold, naming the file, row and column and what was expected.
    """
    if source is None:
        return ValueMap()
    if isinstance(source, ValueMap):
        return source
    if isinstance(source, Mapping):
        where = "values="
        rows = [
            (where, field_name, raw, canonical)
            for field_name, table in source.items()
            for raw, canonical in dict(table).items()
        ]
    else:
        path = Path(source)
        where = str(path)
        if not path.is_file():
            raise RecordsError(f"{path}: value map not found")
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise RecordsError(
                f"{path}: a value map needs the columns {', '.join(COLUMNS)}; missing "
                f"{', '.join(missing)} (found: {', '.join(frame.columns)})"
            )
        rows = [
            (f"{path}, row {number + 2}", r.field, r.raw_value, r.canonical)
            for number, r in enumerate(frame.itertuples(index=False))
        ]
    values: dict[str, dict[str, str]] = {}
    problems = []
    for at, field_name, raw, canonical in rows:
        field_name = str(field_name).strip()
        canonical = str(canonical).strip() if canonical is not None else ""
        if not canonical:
            continue  # a guess not yet decided
        if field_name not in OVERRIDABLE:
            problems.append(
                f"{at}, column field: {field_name!r} is not a field a value map can decide "
                f"(expected one of {', '.join(OVERRIDABLE)})"
            )
            continue
        if field_name == "destination":
            canonical = canonical.upper()
        if not _canonical_ok(field_name, canonical):
            problems.append(
                f"{at}, column canonical: {canonical!r} is not a {field_name} value "
                f"(expected {OVERRIDABLE[field_name]})"
            )
            continue
        values.setdefault(field_name, {})[fold(raw)] = _normalise(field_name, canonical)
    if problems:
        raise RecordsError("; ".join(problems))
    return ValueMap(table=values, source=where)


def _guess(field_name: str, raw: str) -> str | None:
    """The closest known value (a suggestion for the user, never applied)."""
    from rapidfuzz import process

    folded = fold(raw)
    if field_name == "status":
        choices = {
            "non prosedural": "non_prosedural",
            "prosedural": "prosedural",
            "ilegal": "non_prosedural",
            "resmi": "prosedural",
        }
    elif field_name == "event_type":
        choices = {
            " ".join(stem.rstrip("*") for stem in stem_text.split()): event
            for event, stems in vocab.EVENT_STEMS
            for stem_text in stems
        }
    elif field_name == "destination":
        choices = {name: iso3 for name, (iso3, _) in countries.lookup().items()}
    elif field_name == "regency":
        table = regions.regencies()
        choices = {fold(n): c for n, c in zip(table["short_name"], table["bps_code"], strict=True)}
    elif field_name == "sex":
        choices = dict(vocab.SEX_WORDS)
    else:
        return None
    best = process.extractOne(folded, list(choices))
    if best is None or best[1] < 60:
        return None
    return choices[best[0]]


def write_value_map(report, path: str | Path) -> Path:
    """Write every value of ``report`` (a :class:`~.report.CleanReport`) that no rule could
    read, with its row count and a guess, as a value map to fill in (module docstring).

    Kecamatan and village names get no guess: the place resolver already tried every
    spelling it can trust.
    """
    path = Path(path)
    rows = []
    for r in report.unrecognised.itertuples(index=False):
        if r.field not in OVERRIDABLE:
            continue
        rows.append(
            {
                "field": r.field,
                "raw_value": r.value,
                "rows": int(r.rows),
                "best_guess": _guess(r.field, str(r.value)),
                "canonical": "",
            }
        )
    table = pd.DataFrame(rows, columns=["field", "raw_value", "rows", "best_guess", "canonical"])
    table = table.sort_values(["field", "rows"], ascending=[True, False], ignore_index=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    return path
