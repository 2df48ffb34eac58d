"""Clean case-level migrant-worker records: one clean, private, analysable table.

Case lists arrive as Excel or CSV exports, one row per person and event (placement,
prevented departure, deportation, repatriation of a troubled worker, death abroad,
trafficking victim), with headers, spellings and date formats that differ from office to
office. :func:`clean_records` turns any such file into

* ``clean``: the contract of DESIGN.md (``record_id, source_file, source_row,
  event_type, event_date, year, bps_code, procedural, sex, age, destination_iso3,
  person_key`` and ``flag_*`` columns), validated by a pandera schema;
* ``rejects``: rows that cannot be used (no regency and no valid NIK, no event date or
  year, impossible age), with ``source_row``, a ``reason`` code and their
  **non-personal** fields only;
* ``duplicates``: the same person (``person_key``), event type and date (within
  ``dedupe_days``), each pointing to the kept row;
* ``report``: field mapping, parse quality per field, unresolved regency strings, date
  range, reject reasons, and the row accounting (every input row is in exactly one of
  the three tables).

Names, NIK, passport and phone numbers never leave this module: the person key is made
from them (:mod:`migration_ntt.privacy`) and they are dropped.

Work is done per distinct value (a column of a million rows holds a few thousand
distinct dates or place names), never per row in Python.

Header variants recognised (case, spacing and punctuation ignored) are in
:data:`HEADER_VARIANTS`; pass ``columns={"regency": "Asal Kab"}`` for anything else.

Examples
--------
>>> from migration_ntt.ingest import records, synthetic
>>> messy, truth = synthetic.generate_records(200, seed=1)
>>> result = records.clean_records(messy, secret="demo")
>>> result.report.accounted
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import privacy, regions

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
REJECT_REASONS = {
    "no_event_date": "no event date or year could be read",
    "no_regency": "no resolvable regency and no valid NTT NIK",
    "impossible_age": "age below 0 or above 100 (or birth after the event)",
}
MAX_AGE = 100

HEADER_VARIANTS: dict[str, tuple[str, ...]] = {
    "name": (
        "nama",
        "nama lengkap",
        "nama pmi",
        "nama cpmi",
        "nama pekerja",
        "name",
        "full name",
        "nama tki",
    ),
    "nik": (
        "nik",
        "no nik",
        "nomor nik",
        "no ktp",
        "nomor ktp",
        "ktp",
        "nik ktp",
        "national id",
        "id number",
        "no identitas",
    ),
    "sex": ("jk", "l p", "lp", "jenis kelamin", "kelamin", "gender", "sex", "j k"),
    "birth_date": (
        "tgl lahir",
        "tanggal lahir",
        "tgl lhr",
        "date of birth",
        "dob",
        "birth date",
        "lahir",
    ),
    "age": ("umur", "usia", "age", "umur tahun", "usia tahun", "umur thn"),
    "address": ("alamat", "alamat lengkap", "alamat asal", "address"),
    "village": ("desa", "desa kelurahan", "kelurahan", "desa kel", "village"),
    "district": ("kecamatan", "kec", "district", "sub district", "subdistrict"),
    "regency": (
        "kabupaten",
        "kab kota",
        "kabupaten kota",
        "kabupaten kota asal",
        "kab kota asal",
        "daerah asal",
        "asal",
        "kabupaten asal",
        "regency",
        "origin regency",
        "asal daerah",
        "kota kabupaten",
        "kab",
        "asal kabupaten",
    ),
    "destination": (
        "negara tujuan",
        "negara penempatan",
        "tujuan",
        "negara",
        "destination",
        "country",
        "destination country",
        "negara tempat bekerja",
        "negara tujuan penempatan",
    ),
    "status": (
        "status",
        "keterangan",
        "status keberangkatan",
        "status pmi",
        "legal status",
        "jalur",
        "prosedural",
        "status prosedural",
    ),
    "event_type": (
        "jenis kasus",
        "kasus",
        "jenis",
        "jenis kejadian",
        "event",
        "event type",
        "kategori",
        "jenis layanan",
        "case type",
        "jenis peristiwa",
    ),
    "event_date": (
        "tanggal kejadian",
        "tanggal",
        "tgl",
        "tgl kejadian",
        "tanggal kedatangan",
        "tgl kedatangan",
        "tanggal pemulangan",
        "date",
        "event date",
        "tanggal meninggal",
        "tgl meninggal",
        "tanggal peristiwa",
    ),
    "passport": (
        "paspor",
        "no paspor",
        "nomor paspor",
        "passport",
        "passport no",
        "passport number",
    ),
    "phone": (
        "no hp",
        "hp",
        "no telp",
        "telepon",
        "nomor hp",
        "phone",
        "no telepon",
        "whatsapp",
        "wa",
        "telp",
    ),
}

_MONTH_NAMES = {
    "jan": 1,
    "januari": 1,
    "january": 1,
    "feb": 2,
    "peb": 2,
    "februari": 2,
    "pebruari": 2,
    "february": 2,
    "mar": 3,
    "maret": 3,
    "march": 3,
    "apr": 4,
    "april": 4,
    "mei": 5,
    "may": 5,
    "jun": 6,
    "juni": 6,
    "june": 6,
    "jul": 7,
    "juli": 7,
    "july": 7,
    "agu": 8,
    "agt": 8,
    "ags": 8,
    "agust": 8,
    "agus": 8,
    "agustus": 8,
    "aug": 8,
    "august": 8,
    "sep": 9,
    "sept": 9,
    "september": 9,
    "okt": 10,
    "oct": 10,
    "oktober": 10,
    "october": 10,
    "nov": 11,
    "nop": 11,
    "november": 11,
    "nopember": 11,
    "des": 12,
    "dec": 12,
    "desember": 12,
    "december": 12,
}
_SEX = {
    "l": "male",
    "lk": "male",
    "laki": "male",
    "laki laki": "male",
    "lakilaki": "male",
    "pria": "male",
    "m": "male",
    "male": "male",
    "man": "male",
    "p": "female",
    "pr": "female",
    "perempuan": "female",
    "wanita": "female",
    "f": "female",
    "female": "female",
    "woman": "female",
    "w": "female",
}
_DESTINATIONS = {
    "MYS": (
        "malaysia",
        "malaysa",
        "malasya",
        "malaysia sabah",
        "malaysia sarawak",
        "sabah",
        "sarawak",
        "kuala lumpur",
        "kl",
        "johor",
        "johor bahru",
        "penang",
        "selangor",
        "tawau",
        "kota kinabalu",
        "kuching",
        "sandakan",
        "lahad datu",
        "semenanjung",
        "malaysia barat",
        "malaysia timur",
        "negeri sembilan",
        "melaka",
        "pahang",
        "miri",
        "sibu",
        "bintulu",
        "keningau",
    ),
    "SGP": ("singapura", "singapore", "singapur"),
    "HKG": ("hongkong", "hong kong", "hk"),
    "TWN": ("taiwan", "taipei"),
    "SAU": ("arab saudi", "saudi arabia", "saudi", "ksa", "jeddah", "riyadh"),
    "BRN": ("brunei", "brunei darussalam"),
    "ARE": ("uea", "uni emirat arab", "uae", "united arab emirates", "dubai", "abu dhabi"),
    "QAT": ("qatar", "katar"),
    "JPN": ("jepang", "japan"),
    "KOR": ("korea", "korea selatan", "south korea"),
    "TLS": ("timor leste", "timor-leste"),
    "IDN": ("indonesia", "dalam negeri", "domestik", "kalimantan", "nunukan", "batam"),
    "PNG": ("papua nugini", "papua new guinea", "png"),
    "ZAF": ("afrika selatan", "south africa"),
}
_DESTINATION_LOOKUP = {alias: iso3 for iso3, aliases in _DESTINATIONS.items() for alias in aliases}
_NON_PROCEDURAL = (
    "non prosedural",
    "nonprosedural",
    "non procedural",
    "nonprocedural",
    "unprocedural",
    "tidak prosedural",
    "tidak resmi",
    "ilegal",
    "illegal",
    "np",
    "tidak berdokumen",
    "undocumented",
    "tanpa dokumen",
    "unofficial",
    "non resmi",
    "gelap",
    "tki ilegal",
    "pmi ilegal",
)
_PROCEDURAL = (
    "prosedural",
    "procedural",
    "resmi",
    "legal",
    "official",
    "p",
    "berdokumen",
    "documented",
    "sesuai prosedur",
)
_EVENT_KEYWORDS = (
    (
        "death_abroad",
        ("meninggal", "jenazah", "wafat", "death", "died", "dead", "mati", "deceased", "md"),
    ),
    (
        "trafficking_victim",
        ("tppo", "perdagangan orang", "trafficking", "korban tppo", "human trafficking"),
    ),
    ("deportation", ("deportasi", "dideportasi", "deport", "deportee", "deportan")),
    (
        "prevented_departure",
        (
            "pencegahan",
            "dicegah",
            "digagalkan",
            "gagal berangkat",
            "prevented",
            "cegah",
            "penundaan",
        ),
    ),
    (
        "repatriation_troubled",
        (
            "pemulangan",
            "bermasalah",
            "terkendala",
            "repatriasi",
            "repatriation",
            "dipulangkan",
            "returnee",
            "troubled",
            "kepulangan",
        ),
    ),
    (
        "placement",
        (
            "penempatan",
            "berangkat",
            "keberangkatan",
            "placement",
            "placed",
            "diberangkatkan",
            "departure",
        ),
    ),
)


class RecordsError(ValueError):
    """A case file that cannot be cleaned: the message names the file and what is wrong."""


def _fold(text: object) -> str:
    if not isinstance(text, str):
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-z]+", " ", ascii_text.lower()).strip()


_HEADER_LOOKUP = {
    _fold(variant): canonical
    for canonical, variants in HEADER_VARIANTS.items()
    for variant in variants
}


# --- per-distinct-value parsers ---------------------------------------------------------


def _distinct(values: pd.Series) -> tuple[np.ndarray, list]:
    """Codes per row (−1 for missing) and the distinct non-missing values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def _per_distinct(
    values: pd.Series, parse: Callable[[object], object], dtype: object = object
) -> np.ndarray:
    """Apply ``parse`` once per distinct value (missing values get ``parse(None)``)."""
    codes, uniques = _distinct(values)
    parsed = [parse(value) for value in uniques]
    parsed.append(parse(None))
    table = np.empty(len(parsed), dtype=dtype)
    for position, value in enumerate(parsed):
        table[position] = value
    return table[codes]  # code −1 takes the last entry, parse(None)


def _dates_per_distinct(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Parse dates once per distinct string: (datetime64[ns] per row, year per row)."""
    codes, uniques = _distinct(values)
    dates, years = parse_dates([*uniques, None])
    return dates[codes], years[codes]


def _str_series(values: np.ndarray) -> pd.Series:
    """An object array of a few distinct strings (or None) as an arrow-backed str column."""
    import pyarrow as pa

    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    dictionary = pa.array([str(u) for u in uniques], type=pa.string())
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pd.Series(
        pa.DictionaryArray.from_arrays(indices, dictionary).cast(pa.string()), dtype="str"
    )


_DATE_NUMERIC = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})$")
_DATE_WORDS = re.compile(r"^(\d{1,2})\s*[\s\-./]\s*([a-z]+)\.?\s*[\s\-./,]\s*(\d{2,4})$")
_DATE_WORDS_US = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def _full_year(year: int) -> int:
    if year >= 100:
        return year
    return 2000 + year if year <= 40 else 1900 + year  # dd-mm-yy: 00–40 → 2000s


_DATE_PATTERNS = (  # (regex, order of the groups)
    (re.compile(r"^(\d{4})[/\-.](\d{1,2})[/\-.](\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{4}|\d{2})$"), "dmy"),
    (re.compile(r"^(\d{1,2})\s*[\s\-./]\s*([a-z]+)\.?\s*[\s\-./,]\s*(\d{4}|\d{2})$"), "dMy"),
    (re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$"), "Mdy"),
)


def parse_dates(texts: list[object]) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`parse_date`: ``(datetime64[ns] array, year array)``."""
    cleaned = pd.Series([t if isinstance(t, str) else None for t in texts], dtype=object)
    cleaned = (
        cleaned.str.strip()
        .str.lower()
        .str.replace(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$", "", regex=True)
        .str.strip()
    )
    n = len(cleaned)
    parts = pd.DataFrame({"year": np.nan, "month": np.nan, "day": np.nan}, index=range(n))
    for pattern, order in _DATE_PATTERNS:
        todo = parts["year"].isna() & cleaned.notna()
        if not todo.any():
            break
        found = cleaned[todo].str.extract(pattern)
        hit = found.notna().all(axis=1)
        if not hit.any():
            continue
        found = found[hit]
        for position, key in enumerate(order):
            column = found[position]
            if key == "M":
                parts.loc[found.index, "month"] = column.map(_MONTH_NAMES).astype(float)
            elif key == "y":
                years = column.astype(float)
                parts.loc[found.index, "year"] = np.where(
                    years >= 100, years, np.where(years <= 40, 2000 + years, 1900 + years)
                )
            else:
                parts.loc[found.index, {"d": "day", "m": "month"}[key]] = column.astype(float)
    dates = pd.to_datetime(parts, errors="coerce").to_numpy(dtype="datetime64[ns]")
    years = pd.DatetimeIndex(dates).year.to_numpy(dtype=float, copy=True)
    dates = dates.copy()
    # Excel serial day numbers (1954–2064) and bare years.
    serial = pd.to_numeric(
        cleaned.where(cleaned.str.fullmatch(r"\d{5}(\.0+)?") == True),  # noqa: E712
        errors="coerce",
    )
    serial = serial.where((serial >= 20000) & (serial <= 60000))
    from_serial = (_EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")).to_numpy(
        dtype="datetime64[ns]"
    )
    use_serial = serial.notna().to_numpy()
    dates[use_serial] = from_serial[use_serial]
    years[use_serial] = pd.DatetimeIndex(from_serial[use_serial]).year
    bare = pd.to_numeric(
        cleaned.where(cleaned.str.fullmatch(r"\d{4}") == True),  # noqa: E712
        errors="coerce",
    )
    bare = bare.where((bare >= 1900) & (bare <= 2100)).to_numpy()
    years = np.where(np.isnan(years) & ~np.isnan(bare), bare, years)
    return dates, years


def parse_date(text: object) -> tuple[pd.Timestamp, float]:
    """Parse one date as Indonesian offices write it; returns ``(date, year)``.

    Understands ISO (``2024-08-12``, with or without a time), day-first numeric dates
    (``12/08/2024``, ``12-08-24``, ``12.08.2024``), Indonesian and English month names
    and abbreviations (``12 Agustus 2024``, ``12 Agt 2024``, ``Aug 12, 2024``), Excel
    serial day numbers (``45516``) and a bare year (``2024``: no date, but a year).
    Two-digit years 00–40 are 2000–2040, others 1941–1999. Impossible dates (31
    February) give nothing.

    Examples
    --------
    >>> parse_date("12 Agt 2024")
    (Timestamp('2024-08-12 00:00:00'), 2024.0)
    >>> parse_date("2024")
    (NaT, 2024.0)
    """
    dates, years = parse_dates([text])
    return (pd.Timestamp(dates[0]), float(years[0]))


def parse_sex(text: object) -> str | None:
    """Sex: ``L``, ``Laki-laki``, ``Pria``, ``M`` → male; ``P``, ``Wanita``… → female."""
    return _SEX.get(_fold(text))


def parse_destination(text: object) -> str | None:
    """Country names, states and cities (Indonesian or English) → ISO3, e.g. ``"Sabah"`` → MYS."""
    folded = _fold(text)
    if not folded:
        return None
    if folded in _DESTINATION_LOOKUP:
        return _DESTINATION_LOOKUP[folded]
    outside = _fold(re.sub(r"\(.*?\)", " ", text))
    if outside in _DESTINATION_LOOKUP:
        return _DESTINATION_LOOKUP[outside]
    found = {
        iso3
        for alias, iso3 in _DESTINATION_LOOKUP.items()
        if len(alias) > 3 and re.search(rf"\b{re.escape(alias)}\b", folded)
    }
    return found.pop() if len(found) == 1 else None


def parse_status(text: object) -> str:
    """Procedural status: ``resmi`` → prosedural; ``ilegal``, ``NP`` → non_prosedural."""
    folded = _fold(text)
    if not folded:
        return "unknown"
    if folded in _NON_PROCEDURAL or any(
        re.search(rf"\b{re.escape(term)}\b", folded) for term in _NON_PROCEDURAL if len(term) > 2
    ):
        return "non_prosedural"
    if folded in _PROCEDURAL or any(
        re.search(rf"\b{re.escape(term)}\b", folded) for term in _PROCEDURAL if len(term) > 2
    ):
        return "prosedural"
    return "unknown"


def parse_event_type(text: object) -> str:
    """Event description → :data:`EVENT_TYPES` by keyword ("PMI meninggal" → death_abroad)."""
    folded = _fold(text)
    if not folded:
        return "unknown"
    for event_type, keywords in _EVENT_KEYWORDS:
        if any(re.search(rf"\b{re.escape(keyword)}", folded) for keyword in keywords):
            return event_type
    return "unknown"


def _parse_age(text: object) -> float:
    if not isinstance(text, str):
        return np.nan
    found = re.fullmatch(
        r"\s*(-?\d{1,3})(?:[.,]0+)?\s*(?:th|thn|tahun|years?|y)?\.?\s*", text.lower()
    )
    return float(found.group(1)) if found else np.nan


# --- reading ----------------------------------------------------------------------------


@dataclass
class _Input:
    frame: pd.DataFrame  # raw text cells, original headers
    source_file: str
    source_rows: np.ndarray
    header_row: int | None
    details: dict[str, object] = field(default_factory=dict)


def _header_score(cells: list[str]) -> int:
    return len({_HEADER_LOOKUP[_fold(cell)] for cell in cells if _fold(cell) in _HEADER_LOOKUP})


def _find_header(grid: pd.DataFrame, path: Path, columns: Mapping[str, str] | None) -> int:
    wanted = {_fold(header) for header in (columns or {}).values()}
    best_row, best_score = None, 0
    for row_number in range(min(len(grid), 30)):
        cells = [str(cell) for cell in grid.iloc[row_number].tolist()]
        score = _header_score(cells) + 10 * len(wanted & {_fold(cell) for cell in cells})
        if score > best_score:
            best_row, best_score = row_number, score
    if best_row is None or best_score < 2:
        first = next((row for row in grid.itertuples(index=False) if any(map(str, row))), ())
        shown = ", ".join(str(cell) for cell in first if str(cell))[:200]
        raise RecordsError(
            f"{path}: no header row found in the first 30 rows (the first row reads: {shown}). "
            "Expected column names such as Nama, NIK, JK, Tgl Lahir, Kabupaten/Kota Asal, "
            "Negara Tujuan, Status, Jenis Kasus, Tanggal Kejadian; or pass columns={field: header}."
        )
    return best_row


def _read_source(source: object, columns: Mapping[str, str] | None, sheet: object) -> _Input:
    from migration_ntt.ingest.readers import ReadError, read_grid

    if isinstance(source, pd.DataFrame):
        frame = source.copy()
        frame.columns = [str(column) for column in frame.columns]
        frame = frame.astype(object).where(frame.notna(), None)
        frame = frame.map(
            lambda value: None if value is None or not str(value).strip() else str(value).strip()
        )
        return _Input(
            frame.reset_index(drop=True),
            "<DataFrame>",
            np.arange(len(frame)),
            None,
            {"synthetic": bool(source.attrs.get("synthetic")) or "synthetic" in source.columns},
        )
    if not isinstance(source, str | Path):
        raise TypeError(f"source must be a path or a DataFrame, got {type(source).__name__}")
    path = Path(source)
    if not path.exists():
        raise RecordsError(f"{path}: file not found")
    if path.suffix.lower() in {".csv", ".txt", ".tsv", ""}:
        return _read_csv_fast(path, columns)
    try:
        grid = read_grid(path, sheet=sheet)
    except ReadError as error:
        raise RecordsError(str(error)) from error
    try:
        header_row = _find_header(grid, path, columns)
    except RecordsError as error:
        from migration_ntt.ingest.readers import sheet_names

        names = sheet_names(path)
        if len(names) > 1:
            shown = names[sheet] if isinstance(sheet, int) else sheet or names[0]
            raise RecordsError(
                f"{error} This was worksheet {shown!r}; the workbook has: "
                f"{', '.join(names)}. Choose one with sheet= (or --sheet NAME)."
            ) from None
        raise
    headers = _unique_headers([str(cell) for cell in grid.iloc[header_row].tolist()])
    body = grid.iloc[header_row + 1 :].reset_index(drop=True)
    body.columns = headers
    rows = np.arange(header_row + 2, header_row + 2 + len(body))
    body = body.replace("", None)
    blank = body.isna().all(axis=1).to_numpy()
    return _Input(
        body[~blank].reset_index(drop=True),
        str(path),
        rows[~blank],
        header_row + 1,
        {
            "blank_rows_skipped": int(blank.sum()),
            "sheet": sheet or 0,
            "synthetic": "synthetic" in path.name.lower() or "synthetic" in headers,
        },
    )


def _unique_headers(headers: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for number, header in enumerate(headers):
        name = header or f"column_{number + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def _read_csv_fast(path: Path, columns: Mapping[str, str] | None) -> _Input:
    """CSV via pyarrow: header row and delimiter from the first lines, all cells as text."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from migration_ntt.ingest.readers import ENCODINGS, sniff_delimiter

    raw = path.read_bytes()
    if not raw or (len(raw) < (1 << 20) and not raw.strip()):
        raise RecordsError(f"{path}: the file is empty")
    head = raw[: 1 << 16]
    encoding = "utf-8"
    for candidate in ENCODINGS:
        try:
            head.decode(candidate)
            encoding = candidate
            break
        except UnicodeDecodeError:
            continue
    text_head = head.decode(encoding, errors="ignore")
    delimiter = sniff_delimiter(text_head)
    import csv
    import io

    head_rows = list(csv.reader(io.StringIO(text_head), delimiter=delimiter))[:30]
    width = max((len(row) for row in head_rows), default=0)
    grid = pd.DataFrame([[c.strip() for c in row] + [""] * (width - len(row)) for row in head_rows])
    header_row = _find_header(grid, path, columns)
    skip = header_row  # grid rows are the file's lines (csv.reader keeps blank lines)
    malformed: list[tuple[int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        malformed.append(
            (row.number, f"expected {row.expected_columns} cells, got {row.actual_columns}")
        )
        return "skip"

    def read(data: bytes, with_encoding: str) -> pa.Table:
        return pacsv.read_csv(
            pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                skip_rows=skip, encoding=with_encoding, use_threads=True, block_size=1 << 24
            ),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                null_values=[""],
                column_types=dict.fromkeys(grid.iloc[header_row].tolist(), pa.string()),
            ),
        )

    try:
        try:
            table = read(raw, "utf8" if encoding == "utf-8-sig" else encoding)
        except pa.ArrowInvalid as error:
            if "UTF8" not in str(error) and "utf8" not in str(error).lower():
                raise
            malformed.clear()
            encoding = "cp1252"  # valid UTF-8 at the top only: re-read the whole file
            table = read(raw, encoding)
    except pa.ArrowInvalid as error:
        raise RecordsError(f"{path}: cannot be read as a table ({error})") from error
    n_lines = raw.count(b"\n") + (0 if raw.endswith(b"\n") else 1)
    line_starts = None
    if n_lines != skip + 1 + table.num_rows + len(malformed):
        line_starts = _line_numbers(raw)  # blank lines inside: number rows as the file does
    del raw  # the file's bytes are not needed any more (memory: a 160 MB file counts twice)
    headers = _unique_headers([name.strip().lstrip("\ufeff") for name in table.column_names])
    table = table.rename_columns(headers)
    table = table.cast(pa.schema([pa.field(name, pa.string()) for name in headers]))
    frame = table.to_pandas(
        types_mapper={pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}.get,
        self_destruct=True,
    )
    del table
    # Row numbers as the file shows them (1-based lines), skipping blank lines as pyarrow does.
    header_line = skip + 1
    if line_starts is None:
        rows = np.arange(header_line + 1, header_line + 1 + len(frame) + len(malformed))
    else:
        rows = line_starts[line_starts > header_line][: len(frame) + len(malformed)]
    bad_lines = np.array([number for number, _ in malformed], dtype=np.int64)
    if len(bad_lines):
        rows = rows[~np.isin(rows, bad_lines)]
    if len(rows) != len(frame):  # quoted line breaks: fall back to order
        rows = np.arange(header_line + 1, header_line + 1 + len(frame))
    return _Input(
        frame,
        str(path),
        rows,
        header_line,
        {
            "encoding": encoding,
            "delimiter": delimiter,
            "malformed_rows": malformed,
            "synthetic": "synthetic" in path.name.lower() or "synthetic" in headers,
        },
    )


def _line_numbers(raw: bytes) -> np.ndarray | None:
    """1-based numbers of the non-blank lines, or None when the file has no blank lines."""
    if b"\n\n" not in raw and b"\n\r\n" not in raw:
        return None
    buffer = np.frombuffer(raw, dtype=np.uint8)
    newlines = np.flatnonzero(buffer == 10)
    starts = np.concatenate([[0], newlines + 1])
    ends = np.concatenate([newlines, [len(buffer)]])
    lengths = ends - starts
    has_cr = (lengths > 0) & (buffer[np.maximum(ends - 1, 0)] == 13)
    content = lengths - has_cr
    numbers = np.arange(1, len(starts) + 1)
    return numbers[content > 0]


def _physical_lines_before(line_starts: np.ndarray | None, header_row: int) -> int:
    """Lines to skip so that pyarrow's first row is the header (row ``header_row`` of the grid)."""
    if line_starts is None:
        return header_row
    return int(line_starts[header_row] - 1)


# --- the result -------------------------------------------------------------------------


@dataclass
class CleanReport:
    """What :func:`clean_records` did, as tidy tables and a readable summary."""

    source_file: str
    n_input: int
    n_clean: int
    n_rejects: int
    n_duplicates: int
    field_mapping: pd.DataFrame
    field_quality: pd.DataFrame
    unresolved_regencies: pd.DataFrame
    reject_reasons: pd.DataFrame
    date_range: tuple[pd.Timestamp, pd.Timestamp]
    details: dict[str, object]

    @property
    def accounted(self) -> bool:
        """True when clean + rejects + duplicates = input rows."""
        return self.n_clean + self.n_rejects + self.n_duplicates == self.n_input

    def accounting_table(self) -> pd.DataFrame:
        """Where every input row went: clean, each reject reason, duplicates, and the check."""
        rows = [("input rows", self.n_input), ("clean", self.n_clean)]
        rows += [(f"rejected: {r.reason}", r.rows) for r in self.reject_reasons.itertuples()]
        rows += [("duplicates", self.n_duplicates)]
        rows += [("adds up", "yes" if self.accounted else "NO")]
        return pd.DataFrame(rows, columns=["rows", "number"])

    def to_frame(self) -> pd.DataFrame:
        """One tidy table: ``section, item, value``."""
        rows = [
            ("rows", "input", self.n_input),
            ("rows", "clean", self.n_clean),
            ("rows", "rejects", self.n_rejects),
            ("rows", "duplicates", self.n_duplicates),
            ("rows", "accounted", self.accounted),
            ("dates", "first", self.date_range[0]),
            ("dates", "last", self.date_range[1]),
        ]
        rows += [("mapping", r.field, r.header) for r in self.field_mapping.itertuples()]
        for r in self.field_quality.itertuples():
            rows += [
                (f"quality:{r.field}", k, getattr(r, k)) for k in ("parsed", "invalid", "missing")
            ]
        rows += [
            ("unresolved_regency", r.value, r.rows) for r in self.unresolved_regencies.itertuples()
        ]
        rows += [("reject_reason", r.reason, r.rows) for r in self.reject_reasons.itertuples()]
        return pd.DataFrame(rows, columns=["section", "item", "value"])

    def summary(self) -> str:
        """A short plain-text summary."""
        lines = [
            f"Source: {self.source_file}",
            f"Rows: {self.n_input:,} in = {self.n_clean:,} clean + {self.n_rejects:,} rejected"
            f" + {self.n_duplicates:,} duplicates "
            f"({'adds up' if self.accounted else 'DOES NOT ADD UP'})",
        ]
        if pd.notna(self.date_range[0]):
            lines.append(
                f"Event dates: {self.date_range[0]:%Y-%m-%d} to {self.date_range[1]:%Y-%m-%d}"
            )
        lines.append(
            "Fields: "
            + ", ".join(f"{r.field} ← '{r.header}'" for r in self.field_mapping.itertuples())
        )
        for r in self.reject_reasons.itertuples():
            lines.append(f"Rejected, {r.reason}: {r.rows:,}")
        if len(self.unresolved_regencies):
            top = ", ".join(
                f"{r.value!r} ({r.rows})" for r in self.unresolved_regencies.head(5).itertuples()
            )
            lines.append(f"Unresolved regency strings: {top}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def __rich__(self):  # pragma: no cover - terminal rendering
        from rich.table import Table

        table = Table(title=f"Cleaning report: {self.source_file}", show_header=True)
        table.add_column("section")
        table.add_column("item")
        table.add_column("value", justify="right")
        for row in self.to_frame().itertuples():
            table.add_row(str(row.section), str(row.item), str(row.value))
        return table

    def _repr_html_(self) -> str:
        quality = self.field_quality.to_html(index=False)
        mapping = self.field_mapping.to_html(index=False)
        reasons = self.reject_reasons.to_html(index=False)
        unresolved = self.unresolved_regencies.head(20).to_html(index=False)
        status = "adds up" if self.accounted else "<b>does not add up</b>"
        return (
            f"<h4>Cleaning report: {self.source_file}</h4>"
            f"<p>{self.n_input:,} rows in = {self.n_clean:,} clean + {self.n_rejects:,} "
            f"rejected + {self.n_duplicates:,} duplicates ({status}).</p>"
            f"<h5>Field mapping</h5>{mapping}<h5>Parse quality</h5>{quality}"
            f"<h5>Reject reasons</h5>{reasons}<h5>Unresolved regency strings</h5>{unresolved}"
        )


@dataclass
class CleanResult:
    """Output of :func:`clean_records`: ``clean``, ``rejects``, ``duplicates``, ``report``."""

    clean: pd.DataFrame
    rejects: pd.DataFrame
    duplicates: pd.DataFrame
    report: CleanReport


# --- schema -----------------------------------------------------------------------------


def clean_schema():
    """The pandera schema of the clean table (DESIGN.md contract)."""
    import pandera.pandas as pa

    codes = regions.regencies()["bps_code"].tolist()
    return pa.DataFrameSchema(
        {
            "record_id": pa.Column(str, unique=True),
            "source_file": pa.Column(str),
            "source_row": pa.Column("int64", pa.Check.ge(0)),
            "event_type": pa.Column(str, pa.Check.isin(EVENT_TYPES)),
            "event_date": pa.Column("datetime64[ns]", nullable=True),
            "year": pa.Column("int64", pa.Check.in_range(1950, 2100)),
            "bps_code": pa.Column(str, pa.Check.isin(codes)),
            "procedural": pa.Column(str, pa.Check.isin(PROCEDURAL)),
            "sex": pa.Column(str, pa.Check.isin(["male", "female"]), nullable=True),
            "age": pa.Column(float, pa.Check.in_range(0, MAX_AGE), nullable=True),
            "destination_iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), nullable=True),
            "person_key": pa.Column(str, pa.Check.str_matches(r"^[0-9a-f]{32}$"), nullable=True),
        },
        strict=False,
        coerce=False,
    )


# --- the cleaner ------------------------------------------------------------------------


def _map_fields(
    frame: pd.DataFrame, columns: Mapping[str, str] | None, source: str
) -> dict[str, str]:
    mapping: dict[str, str] = {}
    if columns:
        unknown = [name for name in columns if name not in CANONICAL_FIELDS]
        if unknown:
            raise RecordsError(
                f"{source}: unknown field name(s) in columns=: {', '.join(unknown)}; "
                f"fields are {', '.join(CANONICAL_FIELDS)}"
            )
        by_fold = {_fold(header): header for header in frame.columns}
        missing = [
            f"{name} → '{header}'"
            for name, header in columns.items()
            if header not in frame.columns and _fold(header) not in by_fold
        ]
        if missing:
            raise RecordsError(
                f"{source}: column(s) not in the file: {', '.join(missing)}. "
                f"The file has: {', '.join(map(str, frame.columns))}"
            )
        mapping = {
            name: header if header in frame.columns else by_fold[_fold(header)]
            for name, header in columns.items()
        }
    taken = set(mapping.values())
    for header in frame.columns:
        canonical = _HEADER_LOOKUP.get(_fold(header))
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
            f"{source}: missing required field(s): {'; '.join(needed)}. Columns found: "
            f"{', '.join(map(str, frame.columns))}. Pass columns={{field: header}} to map them."
        )
    return mapping


def _column(frame: pd.DataFrame, mapping: dict[str, str], name: str) -> pd.Series:
    if name in mapping:
        return frame[mapping[name]].astype("str")
    return pd.Series(pd.NA, index=frame.index, dtype="str")


def clean_records(
    source: str | Path | pd.DataFrame,
    columns: Mapping[str, str] | None = None,
    *,
    sheet: str | int | None = None,
    secret: str | bytes | None = None,
    dedupe_days: int = 0,
) -> CleanResult:
    """Clean one case file (see the module docstring for what comes out).

    Parameters
    ----------
    source : path or DataFrame
        CSV (any common delimiter and encoding) or XLSX (title rows above the header are
        skipped), or a DataFrame whose columns are the headers.
    columns : mapping, optional
        Canonical field → header in the file, for headers not recognised automatically.
    sheet : str or int, optional
        Worksheet of an XLSX file (default: the first).
    secret : str or bytes, optional
        HMAC secret for ``person_key`` (default ``MIGRATION_NTT_SECRET``; else random per
        run, with a warning).
    dedupe_days : int
        Records of the same person and event type whose dates lie within this many days of
        the previous one are duplicates (0: same date only).

    Returns
    -------
    CleanResult

    Raises
    ------
    RecordsError
        Empty file, no header row, no data rows, missing required fields (event date; and
        regency, NIK or address), unreadable file — the message names the file.
    """
    data = _read_source(source, columns, sheet)
    frame = data.frame
    if frame.shape[1] == 0 or (len(frame) == 0 and not data.details.get("malformed_rows")):
        raise RecordsError(f"{data.source_file}: the file has a header but no data rows")
    mapping = _map_fields(frame, columns, data.source_file)
    n = len(frame)
    get = lambda name: _column(frame, mapping, name)  # noqa: E731

    # Dates and year (per distinct value).
    event_values, year_values = _dates_per_distinct(get("event_date"))
    event_date = pd.Series(event_values)
    year = pd.Series(year_values)
    birth_date = pd.Series(_dates_per_distinct(get("birth_date"))[0])

    # Regency: regency column, then address, then NIK prefix; split-aware by event year.
    regency_text = get("regency").reset_index(drop=True)
    resolved = regions.resolve(regency_text)
    bps_code = resolved["bps_code"].to_numpy(dtype=object)
    regency_match = resolved["match"].to_numpy(dtype=object)
    if "address" in mapping:
        missing_code = pd.isna(bps_code)
        if missing_code.any():
            from_address = regions.resolve(get("address")[missing_code].reset_index(drop=True))
            filled = from_address["bps_code"].to_numpy(dtype=object)
            bps_code[missing_code] = filled
            regency_match[missing_code] = np.where(
                pd.notna(filled), "address", regency_match[missing_code]
            )
    nik_text = get("nik").reset_index(drop=True)
    nik_digits, nik_valid = privacy.normalise_nik(nik_text)
    prefix = nik_digits.str.slice(0, 4).where(nik_valid)
    reference = regions.regencies()
    kemendagri_to_bps = dict(
        zip(reference["kemendagri_code"].str.replace(".", ""), reference["bps_code"], strict=True)
    )
    nik_code = _per_distinct(prefix, kemendagri_to_bps.get)
    from_nik = pd.isna(bps_code) & pd.notna(nik_code)
    mismatch = pd.notna(bps_code) & pd.notna(nik_code) & (bps_code != nik_code)
    bps_code = np.where(from_nik, nik_code, bps_code)
    moved_codes, moved = regions.codes_at_year(pd.Series(bps_code), year)
    bps_code = moved_codes.to_numpy(dtype=object)
    before_split = moved.to_numpy()

    # Categorical fields (per distinct value).
    sex = _per_distinct(get("sex"), parse_sex)
    destination_text = get("destination")
    destination = _per_distinct(destination_text, parse_destination)
    procedural = _per_distinct(get("status"), parse_status)
    event_type = _per_distinct(get("event_type"), parse_event_type)

    # Age: from birth date at the event date, else the age column.
    age_stated = pd.Series(_per_distinct(get("age"), _parse_age, dtype=float))
    age_from_birth = _age_at(birth_date, event_date)
    age = age_from_birth.where(age_from_birth.notna(), age_stated)

    # Person key; after this, names, NIKs, passports and phones are not used again.
    person_key = privacy.person_keys(
        nik_text, get("name").reset_index(drop=True), birth_date, secret
    )

    reason = np.full(n, None, dtype=object)
    reason[((age < 0) | (age > MAX_AGE)).to_numpy()] = "impossible_age"
    reason[pd.isna(bps_code)] = "no_regency"
    reason[year.isna().to_numpy()] = "no_event_date"
    usable = pd.isna(reason)

    import pyarrow as pa
    import pyarrow.compute as pc

    stem = Path(data.source_file).stem if data.source_file != "<DataFrame>" else "df"
    source_rows = np.asarray(data.source_rows, dtype=np.int64)
    record_id = pc.binary_join_element_wise(
        f"{stem}:", pc.cast(pa.array(source_rows), pa.string()), ""
    )
    table = pd.DataFrame(
        {
            "record_id": pd.Series(record_id, dtype="str"),
            "source_file": _str_series(np.full(n, data.source_file, dtype=object)),
            "source_row": source_rows,
            "event_type": _str_series(event_type),
            "event_date": event_date,
            "year": year,
            "bps_code": _str_series(bps_code),
            "procedural": _str_series(procedural),
            "sex": _str_series(sex),
            "age": age,
            "destination_iso3": _str_series(destination),
            "person_key": person_key.reset_index(drop=True),
            "regency_match": _str_series(regency_match),
            "flag_regency_from_nik": from_nik,
            "flag_regency_nik_mismatch": mismatch,
            "flag_before_split": before_split,
            "flag_nik_invalid": ~nik_valid.to_numpy() & nik_text.notna().to_numpy(),
            "flag_date_year_only": event_date.isna().to_numpy() & year.notna().to_numpy(),
            "flag_age_from_birth_date": age_from_birth.notna().to_numpy(),
            "flag_minor": (age < 18).to_numpy(),
            "flag_sex_unknown": pd.isna(sex),
            "flag_destination_unknown": pd.isna(destination) & destination_text.notna().to_numpy(),
            "flag_event_type_unknown": event_type == "unknown",
        }
    )
    if data.details.get("synthetic"):
        table["synthetic"] = True

    # Duplicates are looked for among usable rows only; each table is taken once.
    usable_positions = np.flatnonzero(usable)
    keys = pd.DataFrame(
        {
            "person_key": table["person_key"].take(usable_positions).reset_index(drop=True),
            "event_type": table["event_type"].take(usable_positions).reset_index(drop=True),
            "event_date": table["event_date"].take(usable_positions).reset_index(drop=True),
            "year": table["year"].take(usable_positions).reset_index(drop=True),
            "record_id": table["record_id"].take(usable_positions).reset_index(drop=True),
        }
    )
    duplicate_of = _find_duplicates(keys, dedupe_days)
    is_duplicate = duplicate_of.notna().to_numpy()
    table["year"] = table["year"].fillna(0).astype("int64")
    clean = table.take(usable_positions[~is_duplicate]).reset_index(drop=True)
    duplicates = table.take(usable_positions[is_duplicate]).reset_index(drop=True)
    duplicates["duplicate_of"] = duplicate_of[is_duplicate].reset_index(drop=True)

    rejects = _rejects(frame, mapping, table, reason, usable)
    for malformed_row, message in data.details.get("malformed_rows", []):
        rejects.loc[len(rejects)] = {
            "source_row": malformed_row,
            "reason": "malformed_row",
            "detail": message,
        }

    clean_schema().validate(clean)
    parsed = {
        "event_date": (table["event_date"].notna() | table["year"].notna()).to_numpy(),
        "regency": resolved["bps_code"].notna().to_numpy(),
        "nik": nik_valid.to_numpy(),
        "sex": table["sex"].notna().to_numpy(),
        "birth_date": birth_date.notna().to_numpy(),
        "age": age_stated.notna().to_numpy(),
        "destination": table["destination_iso3"].notna().to_numpy(),
        "status": (table["procedural"] != "unknown").to_numpy(),
        "event_type": (table["event_type"] != "unknown").to_numpy(),
    }
    not_resolved = resolved["bps_code"].isna().to_numpy() & regency_text.notna().to_numpy()
    unresolved = pd.DataFrame(
        {
            "value": regency_text.to_numpy()[not_resolved],
            "match": resolved["match"].to_numpy()[not_resolved],
        }
    )
    report = _report(data, mapping, frame, parsed, unresolved, (clean, rejects, duplicates))
    return CleanResult(clean=clean, rejects=rejects, duplicates=duplicates, report=report)


def _age_at(birth: pd.Series, event: pd.Series) -> pd.Series:
    years = event.dt.year - birth.dt.year
    before_birthday = (event.dt.month < birth.dt.month) | (
        (event.dt.month == birth.dt.month) & (event.dt.day < birth.dt.day)
    )
    return (years - before_birthday.astype(float)).astype(float)


def _find_duplicates(clean: pd.DataFrame, dedupe_days: int) -> pd.Series:
    """``record_id`` of the kept row for each duplicate (missing for kept rows).

    Rows are ordered by person, event type, day and input order; a row within
    ``dedupe_days`` of the previous row of the same person and event type is a duplicate
    of the first row of that chain. Rows without a person key are never duplicates.
    """
    out = pd.Series(pd.NA, index=clean.index, dtype="str")
    person, _ = pd.factorize(clean["person_key"], use_na_sentinel=True)
    event, _ = pd.factorize(clean["event_type"], use_na_sentinel=True)
    # A year-only record counts as 1 January of its year.
    year_days = (clean["year"].to_numpy(dtype=float).astype(np.int64) - 1970).astype(
        "datetime64[Y]"
    )
    january_first = year_days.astype("datetime64[D]")
    day = clean["event_date"].to_numpy().astype("datetime64[D]")
    day = np.where(np.isnat(day), january_first, day).astype(np.int64)
    order = np.lexsort((np.arange(len(clean)), day, event, person))
    person_sorted, event_sorted, day_sorted = person[order], event[order], day[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = (
        (person_sorted[1:] == person_sorted[:-1])
        & (event_sorted[1:] == event_sorted[:-1])
        & (person_sorted[1:] >= 0)
        & (day_sorted[1:] - day_sorted[:-1] <= dedupe_days)
    )
    if not same.any():
        return out
    chain = np.cumsum(~same) - 1
    first_of_chain = order[np.flatnonzero(~same)]
    kept_position = first_of_chain[chain]
    duplicate_positions = order[same]
    record_ids = clean["record_id"].to_numpy()
    out.iloc[duplicate_positions] = record_ids[kept_position[same]]
    return out


def _rejects(
    frame: pd.DataFrame,
    mapping: dict[str, str],
    table: pd.DataFrame,
    reason: np.ndarray,
    usable: np.ndarray,
) -> pd.DataFrame:
    """Rejected rows: source_row, reason, and the raw non-personal fields."""
    rows = np.flatnonzero(~usable)
    out = pd.DataFrame({"source_row": table["source_row"].to_numpy()[rows], "reason": reason[rows]})
    out["detail"] = out["reason"].map(REJECT_REASONS)
    for name, header in mapping.items():
        if name in PERSONAL_FIELDS:
            continue
        out[f"raw_{name}"] = frame[header].iloc[rows].to_numpy()
    return out.reset_index(drop=True)


def _report(
    data: _Input,
    mapping: dict[str, str],
    frame: pd.DataFrame,
    parsed: dict[str, np.ndarray],
    unresolved: pd.DataFrame,
    result: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
) -> CleanReport:
    """Field mapping, parse quality (``parsed``: field → rows read), unresolved regencies."""
    clean, rejects, duplicates = result
    quality_rows = []
    for name, read in parsed.items():
        given = (
            frame[mapping[name]].notna().to_numpy()
            if name in mapping
            else np.zeros(len(frame), dtype=bool)
        )
        quality_rows.append(
            {
                "field": name,
                "parsed": int((given & read).sum()),
                "invalid": int((given & ~read).sum()),
                "missing": int((~given).sum()),
            }
        )
    unresolved_table = (
        unresolved.value_counts(["value", "match"])
        .rename("rows")
        .reset_index()[["value", "rows", "match"]]
    )
    reasons = rejects["reason"].value_counts().rename_axis("reason").reset_index(name="rows")
    dates = clean["event_date"].dropna()
    n_input = len(frame) + len(data.details.get("malformed_rows", []))
    details = {key: value for key, value in data.details.items() if key != "malformed_rows"}
    details["header_row"] = data.header_row
    details["malformed_rows"] = len(data.details.get("malformed_rows", []))
    return CleanReport(
        source_file=data.source_file,
        n_input=n_input,
        n_clean=len(clean),
        n_rejects=len(rejects),
        n_duplicates=len(duplicates),
        field_mapping=pd.DataFrame(sorted(mapping.items()), columns=["field", "header"]),
        field_quality=pd.DataFrame(quality_rows),
        unresolved_regencies=unresolved_table,
        reject_reasons=reasons,
        date_range=(dates.min() if len(dates) else pd.NaT, dates.max() if len(dates) else pd.NaT),
        details=details,
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
    paths["report_text"].write_text(result.report.summary() + "\n", encoding="utf-8")
    if len(result.clean):
        paths["counts"] = folder / f"{stem}_counts.csv"
        count_records(result.clean).to_csv(paths["counts"], index=False)
    return paths


def count_table(
    clean: object,
    *,
    select: Mapping[str, object] | None = None,
    period: object = None,
    complete: bool = True,
) -> pd.DataFrame:
    """Counts as a regency × year table for reading (regency names as rows, zero-filled).

    Examples
    --------
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(200, seed=1)
    >>> table = records.count_table(records.clean_records(messy, secret="s"))
    >>> table.shape[0]
    22
    """
    counted = count_column(clean, "n", select=select, period=period, complete=complete)
    names = regions.regencies().set_index("bps_code")["name"]
    wide = counted.table.pivot_table(
        index="bps_code", columns="year", values="n", aggfunc="first", dropna=False
    )
    wide.index = [str(names[code]).removeprefix("Kabupaten ") for code in wide.index]
    wide.index.name = "regency"
    return wide.astype("Int64")


from migration_ntt.ingest.records.counts import count_column, count_records  # noqa: E402
