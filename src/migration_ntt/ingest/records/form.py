"""The questions of the package's intake form: one case record, asked the same way on a
phone (the XLSForm of :mod:`migration_ntt.ingest.intake`) and read back from its exports
(:mod:`.exports`).

The names of the questions that carry data are the clean table's own column names
(``event_type``, ``event_date``, ``procedural``, ``bps_code``, ``district_code`` …),
so that an export cleans with no mapping; the place questions store the gazetteer's codes,
not names, so that no spelling is ever guessed.

No question asks for a name, a phone or a passport number. The NIK is optional and marked
sensitive: the cleaner turns it into a keyed person key and never writes it.

Examples
--------
>>> from migration_ntt.ingest.records import form
>>> [q.name for q in form.QUESTIONS if q.name.endswith("_code")]
['bps_code', 'district_code', 'village_code']
>>> form.QUESTIONS[2].feeds, form.QUESTIONS[2].label
('event_type', ('Jenis kejadian', 'Type of event'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migration_ntt.labels import MONTH_NAMES

FORM_ID = "migration_ntt_case"
GROUP = "case"
"""The group holding every question after consent: exports write ``case/event_type``
(KoboToolbox) or ``case-event_type`` (ODK Central)."""
LANGUAGES = {"id": "Indonesian (id)", "en": "English (en)"}


@dataclass(frozen=True)
class Question:
    """One row of the form's ``survey`` sheet (XLSForm column names)."""

    kind: str
    name: str
    label: tuple[str, str]  # Indonesian, English
    hint: tuple[str, str] = ("", "")
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    constraint_message: tuple[str, str] = ("", "")
    appearance: str = ""
    choice_filter: str = ""
    calculation: str = ""
    sensitive: bool = False
    feeds: str | None = None  # the cleaner's field this question fills
    options: dict = field(default_factory=dict)

    @property
    def list_name(self) -> str | None:
        """The choice list of a ``select_one``."""
        return self.kind.split()[1] if self.kind.startswith("select_one ") else None


DEFINITION_ID = (
    "Prosedural: berangkat lewat P3MI/BP3MI dengan perjanjian kerja, visa kerja dan "
    "pelindungan UU 18/2017. Non-prosedural: tanpa itu (lewat calo, visa turis, jalur tikus)."
)
DEFINITION_EN = (
    "Procedural: left through a licensed agency (P3MI) or BP3MI with a work contract, work "
    "visa and the protection of Law 18/2017. Non-procedural: without them (a broker, a "
    "tourist visa, an unofficial crossing)."
)

QUESTIONS: tuple[Question, ...] = (
    Question(
        "note",
        "consent_note",
        (
            "Jelaskan kepada pemberi informasi: data ini dipakai BP3MI dan mitra untuk "
            "mencegah pemberangkatan non-prosedural. Tidak ada nama yang dicatat.",
            "Tell the informant: this record helps BP3MI and its partners prevent "
            "non-procedural departures. No name is recorded.",
        ),
    ),
    Question(
        "select_one yes_no",
        "consent",
        ("Pemberi informasi setuju?", "Does the informant agree?"),
        required=True,
    ),
    Question(
        "select_one event_type",
        "event_type",
        ("Jenis kejadian", "Type of event"),
        (
            "Jenazah atau peti jenazah yang dipulangkan = meninggal.",
            "A body brought home = a death.",
        ),
        required=True,
        feeds="event_type",
    ),
    Question(
        "select_one date_precision",
        "date_precision",
        ("Tanggal kejadian diketahui sampai", "The date of the event is known to the"),
        required=True,
    ),
    Question(
        "date",
        "event_date",
        ("Tanggal kejadian", "Date of the event"),
        required=True,
        relevant="${date_precision} = 'day'",
        constraint=". <= today()",
        constraint_message=("Tanggal di masa depan", "A date in the future"),
        feeds="event_date",
    ),
    Question(
        "integer",
        "event_year",
        ("Tahun kejadian", "Year of the event"),
        required=True,
        relevant="${date_precision} = 'month' or ${date_precision} = 'year'",
        constraint=". >= 1990 and . <= 2100",
        constraint_message=("Tahun 1990–2100", "A year from 1990 to 2100"),
        feeds="event_year",
    ),
    Question(
        "select_one month",
        "event_month",
        ("Bulan kejadian", "Month of the event"),
        required=True,
        relevant="${date_precision} = 'month'",
        feeds="event_month",
    ),
    Question(
        "select_one regency",
        "bps_code",
        ("Kabupaten/kota asal", "Home regency or city"),
        ("Tempat tinggal PMI sebelum berangkat.", "Where the worker lived before leaving."),
        required=True,
        appearance="minimal autocomplete",
        feeds="regency_code",
    ),
    Question(
        "select_one district",
        "district_code",
        ("Kecamatan asal", "Home kecamatan (district)"),
        ("Kosongkan bila tidak tahu.", "Leave blank if not known."),
        appearance="minimal autocomplete",
        choice_filter="bps_code = ${bps_code}",
        feeds="district_code",
    ),
    Question(
        "select_one village",
        "village_code",
        ("Desa/kelurahan asal", "Home village (desa/kelurahan)"),
        ("Kosongkan bila tidak tahu.", "Leave blank if not known."),
        relevant="${district_code} != ''",
        appearance="minimal autocomplete",
        choice_filter="district_code = ${district_code}",
        feeds="village_code",
    ),
    Question(
        "select_one procedural",
        "procedural",
        ("Status keberangkatan", "Departure status"),
        (DEFINITION_ID, DEFINITION_EN),
        required=True,
        feeds="status",
    ),
    Question(
        "select_one country",
        "destination_iso3",
        ("Negara tujuan", "Destination country"),
        appearance="minimal autocomplete",
        feeds="destination",
    ),
    Question(
        "select_one destination_region",
        "destination_region",
        ("Wilayah/kota tujuan", "Destination region or city"),
        ("Kosongkan bila tidak tahu.", "Leave blank if not known."),
        relevant="",  # set below from the regions the package knows
        choice_filter="iso3 = ${destination_iso3}",
        feeds="destination_region",
    ),
    Question(
        "select_one sex",
        "sex",
        ("Jenis kelamin", "Sex"),
        feeds="sex",
    ),
    Question(
        "select_one age_known",
        "age_known",
        ("Umur diketahui sebagai", "Age known as"),
    ),
    Question(
        "integer",
        "age_stated",
        ("Umur saat kejadian (tahun)", "Age at the event (years)"),
        relevant="${age_known} = 'age'",
        constraint=". >= 10 and . <= 90",
        constraint_message=("Umur 10–90", "An age from 10 to 90"),
    ),
    Question(
        "integer",
        "birth_year",
        ("Tahun lahir", "Year of birth"),
        (
            "Umur dihitung dari tahun kejadian (±1 tahun).",
            "Age is counted from the year of the event (±1 year).",
        ),
        relevant="${age_known} = 'birth_year'",
        constraint=". >= 1930 and . <= 2020",
        constraint_message=("Tahun 1930–2020", "A year from 1930 to 2020"),
    ),
    Question(
        "calculate",
        "age",
        ("Umur", "Age"),
        calculation=(
            "if(${age_known} = 'age', ${age_stated}, if(${age_known} = 'birth_year', "
            "coalesce(${event_year}, format-date(${event_date}, '%Y')) - ${birth_year}, ''))"
        ),
        feeds="age",
    ),
    Question(
        "text",
        "nik",
        ("NIK (boleh dikosongkan)", "NIK, national ID number (optional)"),
        (
            "DATA SENSITIF: isi hanya bila ada di dokumen. Paket mengubahnya menjadi kunci "
            "anonim dan tidak pernah menyimpannya.",
            "SENSITIVE: fill only from a document. The package turns it into an anonymous "
            "key and never writes it out.",
        ),
        constraint="regex(., '^[0-9]{16}$')",
        constraint_message=("NIK 16 angka", "An NIK has 16 digits"),
        sensitive=True,
        feeds="nik",
    ),
    Question(
        "select_one info_source",
        "info_source",
        ("Sumber informasi", "Source of the information"),
    ),
)

FIXED_CHOICES: dict[str, list[tuple[str, str, str]]] = {
    "yes_no": [("yes", "Ya", "Yes"), ("no", "Tidak", "No")],
    "event_type": [
        ("placement", "Penempatan (berangkat bekerja)", "Placement (left to work)"),
        ("prevented_departure", "Keberangkatan dicegah", "Departure prevented"),
        ("deportation", "Dideportasi", "Deported"),
        ("repatriation_troubled", "Dipulangkan bermasalah", "Returned in trouble"),
        ("death_abroad", "Meninggal di luar negeri", "Died abroad"),
        ("trafficking_victim", "Korban TPPO (perdagangan orang)", "Trafficking victim"),
        ("unknown", "Tidak diketahui", "Not known"),
    ],
    "date_precision": [
        ("day", "Tanggal", "Day"),
        ("month", "Bulan saja", "Month only"),
        ("year", "Tahun saja", "Year only"),
    ],
    "procedural": [
        ("prosedural", "Prosedural", "Procedural"),
        ("non_prosedural", "Non-prosedural", "Non-procedural"),
        ("unknown", "Tidak diketahui", "Not known"),
    ],
    "sex": [("male", "Laki-laki", "Male"), ("female", "Perempuan", "Female")],
    "age_known": [
        ("age", "Umur", "Age"),
        ("birth_year", "Tahun lahir", "Year of birth"),
        ("unknown", "Tidak diketahui", "Not known"),
    ],
    "info_source": [
        ("family", "Keluarga", "Family"),
        ("bp3mi", "BP3MI / Disnaker", "BP3MI / labour office"),
        ("police", "Polisi / imigrasi", "Police / immigration"),
        ("church", "Gereja / lembaga agama", "Church / religious body"),
        ("ngo", "LSM / shelter", "NGO / shelter"),
        ("press", "Media", "Press"),
        ("other", "Lainnya", "Other"),
    ],
}
MONTHS_ID, MONTHS_EN = MONTH_NAMES["id"], MONTH_NAMES["en"]


#: Form questions that feed no field of the cleaner directly (asked for the form's logic).
FORM_ONLY = tuple(q.name for q in QUESTIONS if q.feeds is None)
