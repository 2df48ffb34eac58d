"""Programmes of enforcement, protection and collaboration, by regency and start.

What BP3MI NTT and its partners do, as one table: one row per regency × programme ×
start, from two sources:

* the **published rows** of the indicator table (:data:`PROGRAMMES` says which indicator
  belongs to which programme): one-stop service centres (LTSA), Desmigratif villages,
  trafficking task forces, P4MI posts, regency MoUs with BP2MI, church collaboration,
  immigration-guided villages, local regulations, safe-migration socialisations;
* the **user's own programme log**: every CSV/XLSX file in ``data/raw/programmes/``
  (files whose name starts with ``template`` or ``_`` are skipped), one row per event or
  start, e.g. every church socialisation, task-force operation or LTSA opening with its
  date, regency and reach. Its README (``migration_ntt/data/programmes``, copied by
  ``migration-ntt init``) documents the columns in Bahasa Indonesia and English.

Decisions (the published rows rarely give an opening date):

* ``start_date`` is the date a note states for the row's own year next to "launched",
  "inaugurated", "signed", "formed", "opened", "designated" or "held" ("launched … on 4
  Sep 2017"); otherwise 1 January of the row's year. ``start_basis`` says which:
  ``"stated"``, ``"present_by"`` (the note only says the programme existed or operated
  then: it may have started earlier) or ``"year"``.
* A programme reported as not functioning (``ltsa_operational`` = 0) gives a row with
  ``status="not_functioning"``: it does not end the programme in the panel (the note
  rarely says since when) but every evaluation lists it.
* Rows about the province, Polda or a Catholic deanery are not about one regency; they
  are listed in ``attrs["not_regency"]`` with the reason, never spread over regencies.
  A province-wide programme cannot be evaluated across regencies (it is collinear with the
  year effects).

Examples
--------
>>> from migration_ntt.ingest import programmes
>>> table = programmes.load_programmes(include_log=False)
>>> sorted(table.loc[table["programme"] == "ltsa", "bps_code"].unique())
['5303', '5310', '5317', '5371']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions
from migration_ntt.ingest import indicators
from migration_ntt.ingest.records.fields import parse_dates

#: Programme → its published indicators, kind (the forest-plot group), unit of intensity
#: and labels. ``indicators`` map an indicator to how its value is read: ``"presence"``
#: (1 = there), ``"count"`` (the value is the intensity, e.g. villages), ``"event"`` (one
#: event per row; the value is its reach when a unit is given).
PROGRAMMES: dict[str, dict[str, object]] = {
    "ltsa": {
        "indicators": {"ltsa_present": "presence", "ltsa_operational": "presence"},
        "kind": "protection",
        "unit": "centre",
        "id": "LTSA (layanan terpadu satu atap)",
        "en": "One-stop service centre (LTSA)",
    },
    "desmigratif": {
        "indicators": {
            "desmigratif_villages_new": "count",
            "desmigratif_villages_cumulative": "count",
        },
        "kind": "protection",
        "unit": "villages",
        "id": "Desa Migran Produktif (Desmigratif)",
        "en": "Desmigratif villages",
    },
    "task_force": {
        "indicators": {
            "satgas_tppo_present": "presence",
            "gt_tppo_present": "presence",
            "tppo_coordination_team_present": "presence",
        },
        "kind": "enforcement",
        "unit": "task force",
        "id": "Satgas / gugus tugas TPPO",
        "en": "Trafficking task force",
    },
    "p4mi": {
        "indicators": {"p4mi_post_present": "presence"},
        "kind": "protection",
        "unit": "post",
        "id": "Pos P4MI",
        "en": "P4MI service post",
    },
    "regency_mou": {
        "indicators": {"pemkab_bp2mi_mou": "presence", "pemkab_kemenp2mi_mou": "presence"},
        "kind": "collaboration",
        "unit": "MoU",
        "id": "Nota kesepahaman pemkab–BP2MI/KemenP2MI",
        "en": "Regency MoU with BP2MI/KemenP2MI",
    },
    "church": {
        "indicators": {
            "church_safe_migration_socialization": "event",
            "church_migration_pastoral_meeting": "event",
            "church_parishes_in_migration_socialization": "count",
        },
        "kind": "collaboration",
        "unit": "events",
        "id": "Kerja sama gereja (sosialisasi, pastoral migran)",
        "en": "Church collaboration (socialisation, migrant pastoral care)",
    },
    "socialization": {
        "indicators": {
            "pemkab_bp3mi_safe_migration_socialization": "event",
            "safe_migration_socialization_participants": "event",
        },
        "kind": "collaboration",
        "unit": "events",
        "id": "Sosialisasi migrasi aman",
        "en": "Safe-migration socialisation",
    },
    "immigration_village": {
        "indicators": {"desa_binaan_imigrasi_villages": "count"},
        "kind": "enforcement",
        "unit": "villages",
        "id": "Desa binaan imigrasi",
        "en": "Immigration-guided villages",
    },
    "local_regulation": {
        "indicators": {
            "perda_pmi_protection_present": "presence",
            "perbup_pmi_protection_present": "presence",
        },
        "kind": "protection",
        "unit": "regulation",
        "id": "Perda/Perbup pelindungan PMI",
        "en": "Local regulation on PMI protection",
    },
}
PROGRAMME_KINDS = ("enforcement", "protection", "collaboration")
COLUMNS = (
    "bps_code",
    "programme",
    "start_date",
    "end_date",
    "intensity",
    "unit",
    "source",
    "note",
    "start_basis",
    "status",
    "origin",
)
#: Names users write in their log → programme (after lower-casing and folding spaces).
ALIASES = {
    "ltsa": "ltsa",
    "layanan terpadu satu atap": "ltsa",
    "one-stop service centre": "ltsa",
    "one stop service": "ltsa",
    "desmigratif": "desmigratif",
    "desa migran produktif": "desmigratif",
    "satgas": "task_force",
    "satgas tppo": "task_force",
    "gugus tugas tppo": "task_force",
    "gugus tugas": "task_force",
    "task force": "task_force",
    "operasi satgas": "task_force",
    "p4mi": "p4mi",
    "pos p4mi": "p4mi",
    "mou": "regency_mou",
    "nota kesepahaman": "regency_mou",
    "gereja": "church",
    "church": "church",
    "sosialisasi gereja": "church",
    "church socialisation": "church",
    "church socialization": "church",
    "paroki": "church",
    "sosialisasi": "socialization",
    "sosialisasi migrasi aman": "socialization",
    "socialisation": "socialization",
    "socialization": "socialization",
    "desa binaan imigrasi": "immigration_village",
    "perda": "local_regulation",
    "perbup": "local_regulation",
}
#: Headers of a programme log, English or Indonesian → column.
LOG_HEADERS = {
    "regency": "regency",
    "kabupaten": "regency",
    "kabupaten/kota": "regency",
    "programme": "programme",
    "program": "programme",
    "start_date": "start_date",
    "tanggal_mulai": "start_date",
    "tanggal": "start_date",
    "date": "start_date",
    "end_date": "end_date",
    "tanggal_selesai": "end_date",
    "intensity": "intensity",
    "intensitas": "intensity",
    "jumlah": "intensity",
    "unit": "unit",
    "satuan": "unit",
    "source": "source",
    "sumber": "source",
    "note": "note",
    "catatan": "note",
    "keterangan": "note",
    "kecamatan": "kecamatan",
}
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
_STARTED = re.compile(
    r"(?i)\b(?:launched|inaugurated|signed|signing|formed|opened|opening|designated|held|"
    r"since)\b"
    rf"[^.;]{{0,80}}?\b(\d{{1,2}})\s+({_MONTHS})[a-z]*\.?\s+(\d{{4}})\b"
)
_PRESENT_BY = re.compile(
    r"(?i)\b(?:existed|already|operating|presence as of|not stated|by that date|built in|"
    r"listed as existing|named as|long-established|established)\b"
)


class ProgrammeError(ValueError):
    """A bad row in a programme log: the message names the file, row and column."""


def programme_label(programme: str, lang: str = "en") -> str:
    """The programme's name in ``lang`` (the key itself for a user-defined programme)."""
    info = PROGRAMMES.get(programme)
    return str(info[lang]) if info else programme.replace("_", " ")


def programme_kind(programme: str) -> str:
    """``enforcement``, ``protection`` or ``collaboration`` (``other`` if user-defined)."""
    info = PROGRAMMES.get(programme)
    return str(info["kind"]) if info else "other"


def _start(note: str, year: int) -> tuple[pd.Timestamp, str]:
    for day, month, found_year in _STARTED.findall(note or ""):
        if int(found_year) == year:
            return pd.Timestamp(f"{found_year}-{month[:3].title()}-{int(day):02d}"), "stated"
    basis = "present_by" if _PRESENT_BY.search(note or "") else "year"
    return pd.Timestamp(year=year, month=1, day=1), basis


def _published(indicator_data) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Programme rows of the indicator table, and the rows not about one regency."""

    data = indicator_data or indicators.load_indicators()
    owner = {
        indicator: (programme, reading)
        for programme, info in PROGRAMMES.items()
        for indicator, reading in info["indicators"].items()
    }
    rows = []
    table = data.table[data.table["indicator"].isin(owner)]
    for row in table.itertuples():
        programme, reading = owner[row.indicator]
        if pd.isna(row.year):
            continue  # undated ("formed at some point"): cannot place a start
        start, basis = _start(str(row.note), int(row.year))
        not_functioning = reading == "presence" and row.indicator.endswith("_operational")
        if reading == "presence" and row.value == 0 and not not_functioning:
            continue  # "no task force" is not a start
        unit = str(PROGRAMMES[programme]["unit"])
        intensity = row.value if reading == "count" else 1.0
        if reading == "event" and str(row.unit) == "persons":
            unit, intensity = "persons reached", row.value
        rows.append(
            {
                "bps_code": row.bps_code,
                "programme": programme,
                "start_date": start,
                "end_date": pd.NaT,
                "intensity": float(intensity),
                "unit": unit,
                "source": row.source,
                "note": f"{row.indicator}: {row.note}",
                "start_basis": basis,
                "status": "not_functioning" if not_functioning and row.value == 0 else "started",
                "origin": "published",
            }
        )
    others = data.non_units[data.non_units["indicator"].isin(owner)].copy()
    others["programme"] = others["indicator"].map(lambda i: owner[i][0])
    others["reason"] = (
        others["match"]
        .map(
            {
                "province": "province or Polda: not one regency",
                "unmatched": "not a regency (e.g. a Catholic deanery)",
            }
        )
        .fillna("not one regency")
    )
    return pd.DataFrame(rows, columns=list(COLUMNS)), others[
        ["regency", "year", "indicator", "programme", "value", "reason", "source"]
    ].reset_index(drop=True)


def _programme_name(text: object, where: str) -> str:
    key = re.sub(r"\s+", " ", str(text).strip().lower())
    if not key or key == "nan":
        raise ProgrammeError(f"{where}: column programme is empty; expected e.g. ltsa, church")
    if key in ALIASES:
        return ALIASES[key]
    slug = re.sub(r"[^0-9a-z]+", "_", key).strip("_")
    if slug in PROGRAMMES:
        return slug
    if not slug or not slug[0].isalpha():
        raise ProgrammeError(
            f"{where}: column programme: {text!r} is not a programme name; expected one of "
            f"{', '.join(PROGRAMMES)} or a new name in letters, digits and _"
        )
    return slug


def _read_log_file(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in {".xlsx", ".xls"}:
        raw = pd.read_excel(path, dtype=str)
    else:
        raw = pd.read_csv(path, dtype=str, sep=None, engine="python", encoding="utf-8-sig")
    raw.columns = [LOG_HEADERS.get(str(c).strip().lower(), str(c).strip()) for c in raw.columns]
    missing = [c for c in ("regency", "programme", "start_date") if c not in raw.columns]
    if missing:
        raise ProgrammeError(
            f"{path}: missing column(s) {missing}; expected regency (kabupaten), programme "
            "(program), start_date (tanggal_mulai) and optionally end_date, intensity, unit, "
            "source, note (see the README that migration-ntt init writes in data/raw/programmes)"
        )
    return raw.dropna(how="all").reset_index(drop=True)


def read_programme_log(path: str | Path) -> pd.DataFrame:
    """One programme log (CSV/XLSX, English or Indonesian headers) as programme rows.

    Every row is checked; the first bad one raises :class:`ProgrammeError` naming the
    file, the row as a spreadsheet shows it (header = row 1), the column and what was
    expected.
    """

    path = Path(path)
    if not path.exists():
        raise ProgrammeError(f"{path}: file not found")
    raw = _read_log_file(path)
    resolved = regions.resolve(raw["regency"].fillna(""))
    starts, _ = parse_dates(raw["start_date"].tolist())
    ends, _ = parse_dates(raw["end_date"].tolist()) if "end_date" in raw else (None, None)
    rows = []
    for i, row in raw.iterrows():
        where = f"{path}: row {i + 2}"
        if pd.isna(resolved.loc[i, "bps_code"]):
            raise ProgrammeError(
                f"{where}: column regency: {row['regency']!r} is not one of the 22 regencies "
                f"({resolved.loc[i, 'match']}); expected e.g. Malaka, TTS, Kota Kupang"
            )
        start = pd.Timestamp(starts[i])
        if pd.isna(start):
            raise ProgrammeError(
                f"{where}: column start_date: {row['start_date']!r} is not a date; expected "
                "e.g. 2024-08-12 or 12/08/2024"
            )
        end = pd.Timestamp(ends[i]) if ends is not None else pd.NaT
        if ends is not None and pd.notna(row.get("end_date")) and str(row["end_date"]).strip():
            if pd.isna(end):
                raise ProgrammeError(
                    f"{where}: column end_date: {row['end_date']!r} is not a date; expected "
                    "e.g. 2025-12-31, or empty while the programme runs"
                )
            if end < start:
                raise ProgrammeError(f"{where}: column end_date: {end:%Y-%m-%d} is before start")
        intensity = 1.0
        text = row.get("intensity")
        if pd.notna(text) and str(text).strip():
            try:
                intensity = float(str(text).replace(",", "."))
            except ValueError:
                raise ProgrammeError(
                    f"{where}: column intensity: {text!r} is not a number; expected e.g. 120 "
                    "(people reached, villages) or empty"
                ) from None
            if intensity < 0:
                raise ProgrammeError(f"{where}: column intensity: {text!r} is negative")
        programme = _programme_name(row["programme"], where)
        unit = row.get("unit")
        rows.append(
            {
                "bps_code": resolved.loc[i, "bps_code"],
                "programme": programme,
                "start_date": start,
                "end_date": end,
                "intensity": intensity,
                "unit": str(unit)
                if pd.notna(unit)
                else str(PROGRAMMES.get(programme, {}).get("unit", "events")),
                "source": str(row.get("source")) if pd.notna(row.get("source")) else str(path),
                "note": str(row.get("note")) if pd.notna(row.get("note")) else "",
                "start_basis": "stated",
                "status": "started",
                "origin": f"log: {path.name}",
            }
        )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def log_files(folder: str | Path | None = None) -> list[Path]:
    """The programme logs in ``folder`` (default ``data/raw/programmes``), templates aside."""
    folder = Path(folder) if folder is not None else config.raw_dir() / "programmes"
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in {".csv", ".txt", ".xlsx", ".xls"}
        and not p.name.lower().startswith(("template", "_"))
    )


def load_programmes(
    path: str | Path | Sequence[str | Path] | None = None,
    *,
    include_published: bool = True,
    include_log: bool = True,
    indicator_data: object = None,
) -> pd.DataFrame:
    """Every programme start by regency: the published rows and the user's programme log.

    Parameters
    ----------
    path : path, folder or list of paths, optional
        Programme log file(s); default: every log in ``data/raw/programmes/``.
    include_published, include_log : bool
        Which sources to read.

    Returns
    -------
    pandas.DataFrame
        One row per regency × programme × start: ``bps_code, programme, start_date,
        end_date, intensity, unit, source, note, start_basis, status, origin``, sorted by
        programme, regency and start. ``attrs["not_regency"]`` lists (as records) the
        published rows about the province, Polda or a deanery, with the reason they are
        not used.
    """
    parts, not_regency = [], pd.DataFrame()
    if include_published:
        published, not_regency = _published(indicator_data)
        parts.append(published)
    if include_log:
        if path is None:
            files = log_files()
        elif isinstance(path, str | Path) and Path(path).is_dir():
            files = log_files(path)
        elif isinstance(path, str | Path):
            files = [Path(path)]
        else:
            files = [Path(p) for p in path]
        parts += [read_programme_log(file) for file in files]
    table = pd.concat([p for p in parts if len(p)], ignore_index=True) if parts else None
    if table is None or table.empty:
        table = pd.DataFrame(columns=list(COLUMNS))
    table = table.sort_values(["programme", "bps_code", "start_date"], ignore_index=True)
    table.attrs["not_regency"] = not_regency.to_dict("records")
    return table


def not_regency(programmes: pd.DataFrame) -> pd.DataFrame:
    """The published programme rows not about one regency (province, Polda, a Catholic
    deanery) that :func:`load_programmes` lists in ``attrs["not_regency"]``, as a table."""
    return pd.DataFrame(
        programmes.attrs.get("not_regency", []),
        columns=["regency", "year", "indicator", "programme", "value", "reason", "source"],
    )


def adoption(programmes: pd.DataFrame, programme: str) -> pd.DataFrame:
    """First start (and last end) of ``programme`` per regency: ``bps_code, start_date,
    end_date, start_basis, rows, intensity`` (rows not functioning are left out)."""
    part = programmes[
        (programmes["programme"] == programme) & (programmes["status"] != "not_functioning")
    ]
    if part.empty:
        return pd.DataFrame(
            columns=["bps_code", "start_date", "end_date", "start_basis", "rows", "intensity"]
        )
    part = part.sort_values("start_date")
    first = part.groupby("bps_code", as_index=False).first()
    grouped = part.groupby("bps_code")
    ends = grouped["end_date"].agg(lambda s: s.max() if s.notna().all() else pd.NaT)
    return pd.DataFrame(
        {
            "bps_code": first["bps_code"],
            "start_date": first["start_date"],
            "end_date": first["bps_code"].map(ends),
            "start_basis": first["start_basis"],
            "rows": first["bps_code"].map(grouped.size()),
            "intensity": first["bps_code"].map(grouped["intensity"].sum()),
        }
    )


def programme_columns(
    programmes: pd.DataFrame,
    years: Sequence[int],
    villages: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Panel columns of every programme for all 22 regencies and ``years``.

    Per programme: ``<programme>_active`` (1 from the year of its first start, until the
    year of its end if all its rows end), ``<programme>_share_of_year`` (the part of each
    year it was active: the start year counts from the start date), ``<programme>_since``
    (years since the first start; missing before), ``<programme>_count`` (starts or events
    so far) and, for programmes counted in villages, ``<programme>_per_100_villages``
    (cumulative villages per 100 desa/kelurahan, from ``villages``: bps_code → number).
    """
    grid = pd.MultiIndex.from_product(
        [regions.regencies()["bps_code"], list(years)], names=["bps_code", "year"]
    ).to_frame(index=False)
    columns: dict[str, object] = {}
    year_start = pd.to_datetime(grid["year"].astype(str) + "-01-01")
    year_end = pd.to_datetime(grid["year"].astype(str) + "-12-31")
    for programme in sorted(programmes["programme"].unique()):
        first = adoption(programmes, programme).set_index("bps_code")
        start = grid["bps_code"].map(first["start_date"])
        end = grid["bps_code"].map(first["end_date"])
        active = start.notna() & (start <= year_end) & (end.isna() | (end >= year_start))
        days = (
            np.minimum(year_end, end.fillna(year_end))
            - np.maximum(year_start, start.fillna(year_start))
        ).dt.days + 1
        share = np.where(active, days / ((year_end - year_start).dt.days + 1), 0.0)
        columns[f"{programme}_active"] = active.astype(int).to_numpy()
        columns[f"{programme}_share_of_year"] = np.round(share, 4)
        columns[f"{programme}_since"] = (grid["year"] - start.dt.year).where(active).to_numpy()
        part = programmes[
            (programmes["programme"] == programme) & (programmes["status"] != "not_functioning")
        ]
        events = part.assign(year=part["start_date"].dt.year)
        columns[f"{programme}_count"] = _cumulative(
            grid, events.groupby(["bps_code", "year"]).size()
        )
        if PROGRAMMES.get(programme, {}).get("unit") == "villages" and villages is not None:
            total = grid["bps_code"].map(villages).to_numpy(dtype=float)
            intensity = events.groupby(["bps_code", "year"])["intensity"].sum()
            columns[f"{programme}_per_100_villages"] = np.round(
                100 * _cumulative(grid, intensity) / total, 3
            )
    return pd.concat([grid, pd.DataFrame(columns, index=grid.index)], axis=1)


def _cumulative(grid: pd.DataFrame, per_year: pd.Series) -> np.ndarray:
    """Running total over the years up to each grid row (earlier years included)."""
    if per_year.empty:
        return np.zeros(len(grid))
    frame = per_year.rename("value").reset_index()
    wide = frame.pivot_table(index="bps_code", columns="year", values="value", aggfunc="sum")
    years = sorted(set(wide.columns) | set(grid["year"]))
    running = wide.reindex(columns=years).fillna(0).cumsum(axis=1)
    long = running.reset_index().melt(id_vars="bps_code", var_name="year", value_name="total")
    merged = grid[["bps_code", "year"]].merge(long, on=["bps_code", "year"], how="left")
    return merged["total"].fillna(0).to_numpy(dtype=float)


__all__ = [
    "ALIASES",
    "PROGRAMMES",
    "PROGRAMME_KINDS",
    "ProgrammeError",
    "adoption",
    "load_programmes",
    "log_files",
    "not_regency",
    "programme_columns",
    "programme_kind",
    "programme_label",
    "read_programme_log",
]
