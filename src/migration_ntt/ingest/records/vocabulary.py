"""Words the case-record cleaner understands: headers, months, sex, destinations, status and
event stems.

Data, not logic: the rules that use these tables live in :mod:`.fields`. Everything is
matched after folding (lower case, accents removed, punctuation → space).

**Status and event types are matched by stems, not by a list of spellings.** A token
matches a stem when it equals it, when it starts with a prefix stem (written with a
trailing ``*``: ``prosedur*`` matches "prosedural", "prosedur", "prosedurnya"), or when
it is one edit (a letter dropped, added, changed or two neighbours swapped) away from a
stem of at least :data:`FUZZY_MIN_LETTERS` letters. Shorter stems ("resmi", "legal",
"gelap", "tppo") must match exactly, so that "proses", "prosesi" or "remis" are never taken
for a status word.

A status is **non-procedural** when a procedure stem is negated (a negation word up to
:data:`NEGATION_WINDOW` tokens before it, or glued to it: "non-prosedural",
"unprocedural", "tidak resmi", "tdk resmi", "tanpa dokumen", "bukan jalur resmi"), or when
an irregularity stem appears ("ilegal", "illegal", "gelap"); **procedural** when a
procedure stem appears without negation ("resmi", "sesuai prosedur"); otherwise unknown
(and listed in the cleaning report).
"""

from __future__ import annotations

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

MONTH_NAMES = {
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

SEX_WORDS = {
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

DESTINATIONS = {
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


FUZZY_MIN_LETTERS = 6
NEGATION_WINDOW = 2
NEGATIONS = ("non", "un", "tidak", "tdk", "tak", "tanpa", "bukan", "not", "no", "without")
# Negations that can be glued to a stem ("nonprosedural", "unprocedural", "tidakresmi").
GLUED_NEGATIONS = ("non", "un", "tidak", "tdk", "tanpa", "bukan")
PROCEDURE_STEMS = (
    "prosedur*",
    "procedur*",
    "resmi",
    "dokumen*",
    "berdokumen",
    "document*",
    "legal",
    "official",
    "terdaftar",
    "registered",
)
IRREGULAR_STEMS = ("ilegal*", "illegal*", "gelap", "irregular*", "undocumented")
# Whole-value codes used in office registers.
STATUS_CODES = {"np": "non_prosedural", "p": "prosedural"}

# Event types in order of precedence: the first type with a matching stem wins
# ("deportasi, korban TPPO" is a trafficking victim; "gagal berangkat" a prevented
# departure, not a placement). A stem of several words must match them in sequence.
EVENT_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "death_abroad",
        (
            "meninggal*",
            "wafat",
            "jenazah",
            "kematian",
            "tewas",
            "mati",
            "mayat",
            "death*",
            "died",
            "dead",
            "deceased",
            "md",
        ),
    ),
    (
        "trafficking_victim",
        ("tppo", "perdagangan orang", "perdagangan manusia", "trafficking", "trafficked"),
    ),
    ("deportation", ("deport*", "dideport*")),
    (
        "prevented_departure",
        (
            "pencegahan",
            "dicegah",
            "cegah",
            "digagalkan",
            "gagal berangkat",
            "prevent*",
            "penundaan",
            "ditunda",
            "intercept*",
        ),
    ),
    (
        "repatriation_troubled",
        (
            "pemulangan",
            "dipulangkan",
            "bermasalah",
            "terkendala",
            "repatria*",
            "returnee*",
            "troubled",
            "kepulangan",
            "pulang",
        ),
    ),
    (
        "placement",
        (
            "penempatan",
            "ditempatkan",
            "berangkat",
            "keberangkatan",
            "diberangkatkan",
            "placement*",
            "placed",
            "departure",
            "departed",
        ),
    ),
)
