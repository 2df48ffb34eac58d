"""The case log for offices that stay in Excel: drop-downs from the gazetteer, dates as dates.

``write_template("log_kasus.xlsx")`` writes a workbook with three sheets:

``Kasus``
    One row per case under a frozen header (the Indonesian headers the cleaner knows; the
    English in each header's comment). Drop-down lists (data validation) for the event
    type, regency, kecamatan (only those of the chosen regency), desa/kelurahan (only
    those of the chosen kecamatan), status, destination country and region, sex and the
    source of the information; the date column accepts dates only, shown as dd/mm/yyyy;
    age and year accept whole numbers in range.
``Petunjuk``
    How to fill it in, in Bahasa Indonesia and English.
``Daftar``
    The lists (hidden): 22 regencies, 315 kecamatan in one column per regency and 3,442
    desa in one column per kecamatan, each a named range that the dependent drop-downs
    look up with ``INDIRECT``.

There is no column for names, phones or passports; the NIK is optional and marked
sensitive. A filled log cleans with no mapping (:mod:`migration_ntt.ingest.records`):
places by name within their parent, the values of the drop-downs as the cleaner's own
vocabulary.

Examples
--------
>>> import tempfile, pathlib
>>> from openpyxl import load_workbook
>>> from migration_ntt.ingest.intake import write_template
>>> path = write_template(pathlib.Path(tempfile.mkdtemp()) / "log.xlsx")
>>> load_workbook(path).sheetnames
['Kasus', 'Petunjuk', 'Daftar']
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from migration_ntt import regions
from migration_ntt.ingest.intake.choices import choice_lists
from migration_ntt.ingest.records.form import FIXED_CHOICES

DATA_ROWS = 2_000
"""Rows prepared with drop-downs (more can be added by copying a row down)."""


@dataclass(frozen=True)
class Column:
    """One column of the ``Kasus`` sheet."""

    header: str
    english: str
    width: int
    choices: str | None = None  # a named range, or a formula giving one
    kind: str = "text"  # text, date, whole


def _fixed(list_name: str) -> list[str]:
    return [label_id for _, label_id, _ in FIXED_CHOICES[list_name]]


# Drop-down values the cleaner reads as its own vocabulary (tests/ingest/intake checks
# every one of them).
EVENT_TYPES = [label for label in _fixed("event_type") if label != "Tidak diketahui"]
STATUSES = ["Prosedural", "Non-prosedural", "Tidak diketahui"]
SEXES = _fixed("sex")
SOURCES = _fixed("info_source")

COLUMNS = (
    Column("ID kasus", "Case id (your own number)", 10),
    Column("Jenis kejadian", "Type of event", 30, "jenis_kejadian"),
    Column("Tanggal kejadian", "Date of the event (dd/mm/yyyy)", 16, kind="date"),
    Column("Bulan kejadian", "Month, when only the month is known (1-12)", 12, kind="month"),
    Column("Tahun kejadian", "Year, when the date is not known", 12, kind="year"),
    Column("Kabupaten/Kota", "Home regency or city", 28, "kabupaten"),
    Column("Kecamatan", "Home kecamatan (choose the regency first)", 24, "kecamatan"),
    Column("Desa/Kelurahan", "Home village (choose the kecamatan first)", 24, "desa"),
    Column("Status keberangkatan", "Departure status (procedural or not)", 20, "status"),
    Column("Negara tujuan", "Destination country", 22, "negara"),
    Column("Wilayah tujuan", "Destination region or city", 20, "wilayah"),
    Column("Jenis kelamin", "Sex", 14, "jenis_kelamin"),
    Column("Umur", "Age at the event (years)", 8, kind="age"),
    Column("NIK", "National ID number: optional, SENSITIVE (never written out)", 20),
    Column("Sumber informasi", "Source of the information", 22, "sumber"),
)

INSTRUCTIONS = (
    ("Petunjuk pengisian", "How to fill in this log"),
    (
        "Satu baris untuk satu kasus. Jangan menulis nama, nomor telepon atau paspor.",
        "One row per case. Do not write names, phone or passport numbers.",
    ),
    (
        "Pilih dari daftar (panah di sel). Kecamatan hanya muncul setelah kabupaten dipilih, "
        "desa setelah kecamatan.",
        "Choose from the lists (arrow in the cell). Kecamatan appear once the regency is "
        "chosen, villages once the kecamatan is.",
    ),
    (
        "Tanggal: tulis sebagai tanggal (dd/mm/yyyy). Bila hanya bulan atau tahun yang "
        "diketahui, kosongkan tanggal dan isi Bulan dan/atau Tahun.",
        "Date: enter a date (dd/mm/yyyy). When only the month or the year is known, leave the "
        "date blank and fill Month and/or Year.",
    ),
    (
        "Jenazah atau peti jenazah yang dipulangkan dicatat sebagai 'Meninggal di luar negeri'.",
        "A body or coffin brought home is recorded as 'Meninggal di luar negeri' (died abroad).",
    ),
    (
        "Prosedural: berangkat lewat P3MI/BP3MI dengan perjanjian kerja dan visa kerja. "
        "Non-prosedural: tanpa itu.",
        "Procedural: left through a licensed agency or BP3MI with a contract and a work visa. "
        "Non-procedural: without them.",
    ),
    (
        "NIK boleh dikosongkan. Bila diisi, paket mengubahnya menjadi kunci anonim dan tidak "
        "pernah menyimpannya.",
        "The NIK may be left blank. If given, the package turns it into an anonymous key and "
        "never writes it out.",
    ),
    (
        "Lalu: migration-ntt all --records log_kasus.xlsx",
        "Then: migration-ntt all --records log_kasus.xlsx",
    ),
)


def _write_list(sheet, column: int, header: str, values: list[str]) -> str:
    """Write ``values`` under ``header`` in a column of the lists sheet; its range."""
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=column, value=header)
    for row, value in enumerate(values, start=2):
        sheet.cell(row=row, column=column, value=value)
    letter = get_column_letter(column)
    return f"Daftar!${letter}$2:${letter}${max(len(values), 1) + 1}"


def _lists(workbook) -> None:
    """The ``Daftar`` sheet and its named ranges."""
    from openpyxl.workbook.defined_name import DefinedName

    sheet = workbook.create_sheet("Daftar")
    lists = choice_lists()
    units = regions.regencies()
    districts = regions.places.places("district")
    villages = regions.places.places("village")

    def name(key: str, values: list[str], column: int, header: str) -> None:
        workbook.defined_names[key] = DefinedName(
            key, attr_text=_write_list(sheet, column, header, values)
        )

    name("jenis_kejadian", EVENT_TYPES, 1, "Jenis kejadian")
    name("kabupaten", units["name"].tolist(), 2, "Kabupaten/Kota")
    _write_list(sheet, 3, "Kode BPS", units["bps_code"].tolist())
    name("status", STATUSES, 4, "Status")
    country = lists[lists["list_name"] == "country"]
    name("negara", country["label_id"].tolist(), 5, "Negara")
    region = lists[lists["list_name"] == "destination_region"]
    name("wilayah", region["label_id"].tolist(), 6, "Wilayah")
    name("jenis_kelamin", SEXES, 7, "Jenis kelamin")
    name("sumber", SOURCES, 8, "Sumber informasi")
    # kecamatan keys: regency code | kecamatan name → kecamatan code (for the desa lists)
    keys = (districts["bps_code"] + "|" + districts["name"]).tolist()
    name("kunci_kecamatan", keys, 9, "Kunci kecamatan")
    name("kode_kecamatan", districts["kemendagri_code"].str.replace(".", "").tolist(), 10, "Kode")
    column = 11
    for code, group in districts.groupby("bps_code", sort=True):
        name(f"kec_{code}", sorted(group["name"]), column, f"Kecamatan {code}")
        column += 1
    for code, group in villages.groupby("district_code", sort=True):
        key = f"desa_{code.replace('.', '')}"
        name(key, sorted(group["name"]), column, f"Desa {code}")
        column += 1
    sheet.sheet_state = "hidden"


def _validation(column: Column, letter: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    first = f"{letter}2"
    if column.choices == "kecamatan":
        formula = 'INDIRECT("kec_"&INDEX(Daftar!$C:$C,MATCH($F2,Daftar!$B:$B,0)))'
    elif column.choices == "desa":
        formula = (
            'INDIRECT("desa_"&INDEX(kode_kecamatan,MATCH(INDEX(Daftar!$C:$C,'
            'MATCH($F2,Daftar!$B:$B,0))&"|"&$G2,kunci_kecamatan,0)))'
        )
    elif column.choices:
        formula = column.choices
    else:
        formula = None
    if formula is not None:
        rule = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
        rule.error = "Pilih dari daftar / choose from the list"
    elif column.kind == "date":
        rule = DataValidation(type="date", operator="between", formula1="32874", formula2="73051")
        rule.error = "Tanggal dd/mm/yyyy / a date"
    elif column.kind in {"month", "year", "age"}:
        low, high = {"month": (1, 12), "year": (1990, 2100), "age": (10, 90)}[column.kind]
        rule = DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
        )
        rule.error = f"{low}–{high}"
    else:
        return None
    rule.showErrorMessage = True
    rule.add(f"{first}:{letter}{DATA_ROWS + 1}")
    return rule


def write_template(path: str | Path) -> Path:
    """Write the Excel case log (module docstring).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook()
    cases = workbook.active
    cases.title = "Kasus"
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        cell = cases.cell(row=1, column=index, value=column.header)
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(column.english, "migration-ntt")
        cases.column_dimensions[letter].width = column.width
        if column.kind == "date":
            for row in range(2, DATA_ROWS + 2):
                cases.cell(row=row, column=index).number_format = "DD/MM/YYYY"
        rule = _validation(column, letter)
        if rule is not None:
            cases.add_data_validation(rule)
    cases.freeze_panes = "A2"
    guide = workbook.create_sheet("Petunjuk")
    guide.column_dimensions["A"].width = guide.column_dimensions["B"].width = 70
    for row, (indonesian, english) in enumerate(INSTRUCTIONS, start=1):
        for col, text in enumerate((indonesian, english), start=1):
            cell = guide.cell(row=row, column=col, value=text)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(bold=row == 1)
    _lists(workbook)
    workbook.save(path)
    return path
