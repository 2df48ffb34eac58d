"""Field parsers: dates, sex, destination, and status and event type by rule, not by list."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migration_ntt.ingest.records import fields

# --- status ---------------------------------------------------------------------------------

# Spellings seen in real files and press (issue 11), none of them in any list of the code.
NON_PROCEDURAL = [
    "Unprosedural",
    "non-prosedual",
    "Non Prosedur",
    "TKI Illegal",
    "tdk resmi",
    "unprocedural",
    "NP",
    "Non Prosedural",
    "non-prosedural",
    "Tidak Resmi",
    "ilegal",
    "PMI ILEGAL",
    "tidak sesuai prosedur",
    "bukan jalur resmi",
    "tanpa dokumen",
    "undocumented",
    "unofficial",
    "TKI gelap",
    "Nonprosedural",
    "non procedural",
    "jalur tidak resmi",
    "irregular",
]
PROCEDURAL = [
    "Resmi",
    "Prosedural",
    "procedural",
    "Legal",
    "P",
    "sesuai prosedur",
    "berdokumen",
    "documented",
    "jalur resmi",
    "PMI Prosedural",
]
NEITHER = ["proses", "prosesi", "?", "-", "lain-lain", "legal/ilegal", "remsi", "Malaysia"]


@pytest.mark.parametrize("text", NON_PROCEDURAL)
def test_non_procedural_spellings(text):
    assert fields.parse_status(text) == "non_prosedural"


@pytest.mark.parametrize("text", PROCEDURAL)
def test_procedural_spellings(text):
    assert fields.parse_status(text) == "prosedural"


@pytest.mark.parametrize("text", NEITHER)
def test_near_misses_and_conflicts_stay_unknown(text):
    # "proses"/"prosesi" are 3 edits from "prosedur": the one-edit rule never reaches them;
    # "remsi" is a typo of a 5-letter stem, which must match exactly; a value naming both
    # statuses is not guessed.
    assert fields.parse_status(text) == "unknown"


def _case(draw_bool: bool, text: str) -> str:
    return text.upper() if draw_bool else text.lower()


def _one_edit(word: str, position: int, kind: int) -> str:
    position = min(max(position, 1), len(word) - 2)
    if kind == 0:  # drop
        return word[:position] + word[position + 1 :]
    if kind == 1:  # double
        return word[:position] + word[position] + word[position:]
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]  # swap


@settings(max_examples=150, deadline=None)
@given(
    negation=st.sampled_from(["non", "un", "tidak", "tdk", "tanpa", "bukan", "Non", "TIDAK"]),
    stem=st.sampled_from(["prosedural", "procedural", "prosedur", "dokumen", "resmi"]),
    joiner=st.sampled_from([" ", "-", "  ", "_", ""]),
    upper=st.booleans(),
    edit=st.tuples(st.integers(3, 9), st.integers(0, 2)),
    typo=st.booleans(),
)
def test_generated_negated_variants_are_non_procedural(negation, stem, joiner, upper, edit, typo):
    word = _one_edit(stem, *edit) if typo and len(stem) >= 6 else stem
    if joiner == "" and negation.lower() in {"tdk"}:
        joiner = " "  # "tdkresmi" is not a form anybody writes
    text = _case(upper, f"{negation}{joiner}{word}")
    assert fields.parse_status(text) == "non_prosedural", text


@settings(max_examples=100, deadline=None)
@given(
    stem=st.sampled_from(["ilegal", "illegal", "prosedural", "procedural"]),
    edit=st.tuples(st.integers(1, 9), st.integers(0, 2)),
    prefix=st.sampled_from(["", "PMI ", "TKI ", "status: "]),
    upper=st.booleans(),
)
def test_one_letter_typos_of_long_stems_are_read(stem, edit, prefix, upper):
    text = _case(upper, prefix + _one_edit(stem, *edit))
    expected = "non_prosedural" if "legal" in stem else "prosedural"
    assert fields.parse_status(text) == expected, text


def test_token_rule_is_documented_by_examples():
    assert fields.token_matches("prosedual", "prosedur*")
    assert fields.token_matches("prosedurnya", "prosedur*")
    assert not fields.token_matches("proses", "prosedur*")
    assert not fields.token_matches("remsi", "resmi")  # short stems: exact only
    assert fields.token_matches("ileggal", "ilegal*")


# --- event type ----------------------------------------------------------------------------

EVENTS = [
    ("PMI meninggal", "death_abroad"),
    ("Meninggal Dunia", "death_abroad"),
    ("Meningal dunia", "death_abroad"),
    ("Jenasah", "death_abroad"),
    ("Jenasah dipulangkan", "death_abroad"),
    ("MD", "death_abroad"),
    ("Korban TPPO", "trafficking_victim"),
    ("korban perdagangan orang", "trafficking_victim"),
    ("human trafficking", "trafficking_victim"),
    ("Deportasi, korban TPPO", "trafficking_victim"),
    ("Dideportasi", "deportation"),
    ("deportasi dari Malaysia", "deportation"),
    ("Deprotasi", "deportation"),
    ("Pencegahan", "prevented_departure"),
    ("digagalkan keberangkatan", "prevented_departure"),
    ("gagal berangkat", "prevented_departure"),
    ("PMI Bermasalah", "repatriation_troubled"),
    ("Pemulangan PMI bermasalah", "repatriation_troubled"),
    ("Repatriasi", "repatriation_troubled"),
    ("Penempatan", "placement"),
    ("Berangkat resmi", "placement"),
    ("lain-lain", "unknown"),
    ("", "unknown"),
]


@pytest.mark.parametrize(("text", "event"), EVENTS)
def test_event_types(text, event):
    assert fields.parse_event_type(text) == event


@settings(max_examples=80, deadline=None)
@given(
    word_event=st.sampled_from(
        [
            ("meninggal", "death_abroad"),
            ("deportasi", "deportation"),
            ("pemulangan", "repatriation_troubled"),
            ("penempatan", "placement"),
            ("pencegahan", "prevented_departure"),
        ]
    ),
    edit=st.tuples(st.integers(2, 8), st.integers(0, 2)),
    upper=st.booleans(),
)
def test_one_letter_typos_of_event_words(word_event, edit, upper):
    word, event = word_event
    assert fields.parse_event_type(_case(upper, "PMI " + _one_edit(word, *edit))) == event


# --- dates, sex, destinations ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Agustus 2024", "2024-08-12"),
        ("12 Agt 2024", "2024-08-12"),
        ("2024-08-12", "2024-08-12"),
        ("2024-08-12 13:45:00", "2024-08-12"),
        ("12/08/2024", "2024-08-12"),
        ("12-08-24", "2024-08-12"),
        ("12.08.2024", "2024-08-12"),
        ("45516", "2024-08-12"),
        ("Aug 12, 2024", "2024-08-12"),
        ("31/02/2024", None),
        ("13/13/2024", None),
    ],
)
def test_date_formats(text, expected):
    date, _ = fields.parse_date(text)
    assert (pd.isna(date) and expected is None) or date == pd.Timestamp(expected)


def test_bare_years_are_years_without_a_date():
    assert fields.parse_date("2024")[1] == 2024
    assert pd.isna(fields.parse_date("2024")[0])
    # implausible years are still read: the cleaner rejects them with a reason
    assert fields.parse_date("2099")[1] == 2099


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Malaysia (Sabah)", "MYS"),
        ("Sarawak", "MYS"),
        ("Kuala Lumpur", "MYS"),
        ("Singapura", "SGP"),
        ("Hongkong", "HKG"),
        ("Taiwan", "TWN"),
        ("Arab Saudi", "SAU"),
        ("Mars", None),
    ],
)
def test_destinations(text, iso3):
    assert fields.parse_destination(text) == iso3


@pytest.mark.parametrize(
    ("text", "sex"),
    [("L", "male"), ("Perempuan", "female"), ("Pria", "male"), ("W", "female"), ("x", None)],
)
def test_sex(text, sex):
    assert fields.parse_sex(text) == sex


def test_cache_parses_each_distinct_value_once_and_counts_unrecognised_rows():
    calls = []

    def parse(values):
        calls.append(list(values))
        return [fields.parse_status(v) for v in values]

    cache = fields.FieldCache(parse, lambda r: r != "unknown")
    first = cache.lookup(pa.array(["resmi", "??", "resmi", None, "??"]))
    second = cache.lookup(pa.array(["??", "ilegal"]))
    assert calls == [["resmi", "??"], ["ilegal"]]
    results = cache.results()
    assert [results[c] if c >= 0 else None for c in first] == [
        "prosedural",
        "unknown",
        "prosedural",
        None,
        "unknown",
    ]
    assert results[second[1]] == "non_prosedural"
    assert cache.unrecognised == {"??": 3}
