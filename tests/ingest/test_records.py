"""Tests for clean_records: recovery on synthetic truth, row accounting, privacy, bad input."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migration_ntt.ingest import records, synthetic

SECRET = "test-secret"


@pytest.fixture(scope="module")
def messy_and_truth() -> tuple[pd.DataFrame, pd.DataFrame]:
    return synthetic.generate_records(6000, seed=11, messiness=0.6)


@pytest.fixture(scope="module")
def result(messy_and_truth) -> records.CleanResult:
    return records.clean_records(messy_and_truth[0], secret=SECRET)


def _accounted(result: records.CleanResult, n_rows: int) -> None:
    rows = np.concatenate(
        [result.clean["source_row"], result.rejects["source_row"], result.duplicates["source_row"]]
    )
    assert len(rows) == n_rows
    assert len(np.unique(rows)) == n_rows
    assert result.report.accounted
    assert result.report.n_input == n_rows


def test_every_row_is_in_exactly_one_table(result, messy_and_truth):
    _accounted(result, len(messy_and_truth[0]))


def test_recovery_against_the_truth(result, messy_and_truth):
    messy, truth = messy_and_truth
    clean = result.clean.set_index("source_row")
    expected = truth.loc[clean.index]
    resolvable = expected["regency_resolvable"]
    assert (
        clean.loc[resolvable, "bps_code"] == expected.loc[resolvable, "bps_code"]
    ).mean() >= 0.99
    sex_given = messy.loc[clean.index].iloc[:, 2].fillna("").str.strip().ne("")
    assert (clean.loc[sex_given, "sex"] == expected.loc[sex_given, "sex"]).mean() >= 0.99
    assert (clean["event_date"] == expected["event_date"]).mean() >= 0.99
    assert (clean["destination_iso3"] == expected["destination_iso3"]).mean() >= 0.99
    assert (clean["procedural"] == expected["procedural"]).mean() >= 0.99
    assert (clean["event_type"] == expected["event_type"]).mean() >= 0.99
    with_age = expected["age"].notna()
    assert (clean.loc[with_age, "age"] - expected.loc[with_age, "age"]).abs().le(1).mean() >= 0.99


def test_expected_rejects_are_rejected_with_their_reason(result, messy_and_truth):
    _, truth = messy_and_truth
    rejected = result.rejects.set_index("source_row")["reason"]
    originals = truth[(truth["duplicate_of_row"] < 0) & truth["expected_reject"].notna()]
    assert set(originals.index) <= set(rejected.index)
    assert (rejected.loc[originals.index] == originals["expected_reject"]).all()
    # and few rows are rejected that the generator did not make unusable
    surprising = set(rejected.index) - set(truth.index[truth["expected_reject"].notna()])
    assert len(surprising) <= 0.01 * len(truth)


def test_duplicates_point_to_their_kept_twin(result, messy_and_truth):
    _, truth = messy_and_truth
    kept_ids = set(result.clean["record_id"])
    assert result.duplicates["duplicate_of"].isin(kept_ids).all()
    # each generated copy whose original is usable ends up as one clean + one duplicate
    copies = truth[(truth["duplicate_of_row"] >= 0) & truth["expected_reject"].isna()]
    duplicate_rows = set(result.duplicates["source_row"])
    found = [
        (row in duplicate_rows) != (original in duplicate_rows)
        for row, original in zip(copies.index, copies["duplicate_of_row"], strict=True)
    ]
    assert np.mean(found) >= 0.98


def test_clean_table_follows_the_contract(result):
    contract = [
        "record_id",
        "source_file",
        "source_row",
        "event_type",
        "event_date",
        "year",
        "bps_code",
        "procedural",
        "sex",
        "age",
        "destination_iso3",
        "person_key",
    ]
    assert contract == list(result.clean.columns[: len(contract)])
    assert all(
        column.startswith("flag_")
        for column in result.clean.columns
        if column not in contract and column not in {"regency_match", "synthetic"}
    )
    records.clean_schema().validate(result.clean)
    assert result.clean["synthetic"].all()  # synthetic input stays labelled


# A 16-digit number standing alone (a hex person key may contain digit runs inside it).
NIK_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{16}|\d{4} \d{4} \d{4} \d{4})(?![0-9A-Za-z])")


def test_no_personal_data_in_any_output(result, messy_and_truth):
    messy, _ = messy_and_truth
    names = set(messy.iloc[:, 0])
    passports = set(messy.iloc[:, 12])
    phones = set(messy.iloc[:, 13])
    outputs = [result.clean, result.rejects, result.duplicates, result.report.to_frame()]
    text = "\n".join(frame.astype(str).to_csv(index=False) for frame in outputs)
    text += result.report.summary() + result.report._repr_html_()
    assert not NIK_LIKE.search(text)
    niks = {re.sub(r"\D", "", value) for value in messy.iloc[:, 1].dropna()}
    assert not any(nik in text for nik in niks if len(nik) >= 12)
    assert not any(name in text for name in names)
    assert not any(value in text for value in passports | phones)


def test_person_key_links_across_runs_with_the_same_secret(messy_and_truth):
    messy = messy_and_truth[0].head(300)
    first = records.clean_records(messy, secret=SECRET).clean["person_key"]
    second = records.clean_records(messy, secret=SECRET).clean["person_key"]
    other = records.clean_records(messy, secret="another").clean["person_key"]
    assert first.equals(second)
    assert not (first == other).any()


def test_without_a_secret_a_warning_says_keys_will_not_link(messy_and_truth, monkeypatch):
    monkeypatch.delenv("MIGRATION_NTT_SECRET", raising=False)
    from migration_ntt.privacy import UnlinkableKeyWarning

    with pytest.warns(UnlinkableKeyWarning, match="will not link"):
        records.clean_records(messy_and_truth[0].head(50))


def test_dedupe_days_links_events_close_in_time():
    base = {"NIK": "5321014501900001", "Kabupaten": "Malaka", "Jenis Kasus": "Deportasi"}
    frame = pd.DataFrame(
        [
            {**base, "Tanggal": "2024-01-01"},
            {**base, "Tanggal": "2024-01-03"},
            {**base, "Tanggal": "2024-03-01"},
        ]
    )
    exact = records.clean_records(frame, secret=SECRET)
    assert len(exact.duplicates) == 0
    near = records.clean_records(frame, secret=SECRET, dedupe_days=5)
    assert near.duplicates["source_row"].tolist() == [1]
    assert near.duplicates["duplicate_of"].tolist() == ["df:0"]


def test_regency_from_nik_and_mismatch_flag():
    frame = pd.DataFrame(
        {
            "NIK": ["5321014501900001", "5321014501900002", "1234"],
            "Kabupaten": ["", "Belu", ""],
            "Tanggal": ["2024-01-01"] * 3,
            "Jenis Kasus": ["Deportasi"] * 3,
        }
    )
    out = records.clean_records(frame, secret=SECRET)
    clean = out.clean.set_index("source_row")
    assert clean.loc[0, "bps_code"] == "5321"
    assert clean.loc[0, "flag_regency_from_nik"]
    assert clean.loc[1, "bps_code"] == "5306"
    assert clean.loc[1, "flag_regency_nik_mismatch"]
    assert out.rejects["reason"].tolist() == ["no_regency"]


def test_year_before_split_maps_to_parent():
    frame = pd.DataFrame(
        {
            "Kabupaten": ["Malaka", "Malaka"],
            "Tanggal": ["2011-05-01", "2015-05-01"],
            "Jenis Kasus": ["meninggal", "meninggal"],
        }
    )
    clean = records.clean_records(frame, secret=SECRET).clean
    assert clean["bps_code"].tolist() == ["5306", "5321"]
    assert clean["flag_before_split"].tolist() == [True, False]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 Agustus 2024", "2024-08-12"),
        ("12 Agt 2024", "2024-08-12"),
        ("2024-08-12", "2024-08-12"),
        ("12/08/2024", "2024-08-12"),
        ("12-08-24", "2024-08-12"),
        ("45516", "2024-08-12"),
        ("Aug 12, 2024", "2024-08-12"),
        ("31/02/2024", None),
    ],
)
def test_date_formats(text, expected):
    date, _ = records.parse_date(text)
    assert (pd.isna(date) and expected is None) or date == pd.Timestamp(expected)


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
    assert records.parse_destination(text) == iso3


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("resmi", "prosedural"),
        ("Tidak Resmi", "non_prosedural"),
        ("ilegal", "non_prosedural"),
        ("unprocedural", "non_prosedural"),
        ("non prosedural", "non_prosedural"),
        ("NP", "non_prosedural"),
        ("Prosedural", "prosedural"),
        ("?", "unknown"),
    ],
)
def test_status(text, status):
    assert records.parse_status(text) == status


@pytest.mark.parametrize(
    ("text", "sex"),
    [("L", "male"), ("Perempuan", "female"), ("Pria", "male"), ("W", "female"), ("x", None)],
)
def test_sex(text, sex):
    assert records.parse_sex(text) == sex


# --- files and bad input -------------------------------------------------------------------


def _write(path, text: str, encoding: str = "utf-8") -> str:
    path.write_bytes(text.encode(encoding))
    return str(path)


CSV_BODY = (
    "Nama;NIK;JK;Kabupaten/Kota Asal;Negara Tujuan;Status;Jenis Kasus;Tanggal Kejadian\n"
    "Maria Tefa;5321014501900001;P;Malaká;Malaysia;ilegal;meninggal;12 Agustus 2024\n"
    "Yohanes Bria;5304014501900001;L;TTS;Sabah;resmi;deportasi;2024-02-01\n"
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "latin-1"])
def test_csv_encodings_delimiters_and_title_rows(tmp_path, encoding):
    text = "LAPORAN KASUS PMI 2024\nBP3MI NTT\n\n" + CSV_BODY
    path = _write(tmp_path / f"cases_{encoding}.csv", text, encoding)
    out = records.clean_records(path, secret=SECRET)
    assert out.clean["bps_code"].tolist() == ["5321", "5304"]
    assert out.clean["source_row"].tolist() == [5, 6]  # lines as the file shows them
    assert (
        out.report.field_mapping.set_index("field").loc["regency", "header"]
        == "Kabupaten/Kota Asal"
    )


def test_tab_delimited_and_xlsx_with_title_rows(tmp_path):
    tab = _write(tmp_path / "cases.tsv", CSV_BODY.replace(";", "\t"))
    assert len(records.clean_records(tab, secret=SECRET).clean) == 2
    frame = pd.read_csv(tmp_path / "cases.tsv", sep="\t", dtype=str)
    xlsx = tmp_path / "cases.xlsx"
    with pd.ExcelWriter(xlsx) as writer:
        pd.DataFrame([["DATA PMI BERMASALAH"], [""]]).to_excel(writer, header=False, index=False)
        frame.to_excel(writer, startrow=3, index=False)
    out = records.clean_records(xlsx, secret=SECRET)
    assert out.clean["bps_code"].tolist() == ["5321", "5304"]
    assert out.clean["source_row"].tolist() == [5, 6]


def test_columns_mapping_for_unrecognised_headers(tmp_path):
    path = _write(tmp_path / "odd.csv", "Asal Kab,Kapan,Apa\nMalaka,2024-01-01,deportasi\n")
    with pytest.raises(records.RecordsError, match=r"no header row found.*pass columns="):
        records.clean_records(path, secret=SECRET)
    out = records.clean_records(
        path, {"regency": "Asal Kab", "event_date": "Kapan", "event_type": "Apa"}, secret=SECRET
    )
    assert out.clean["event_type"].tolist() == ["deportation"]
    with pytest.raises(records.RecordsError, match="not in the file"):
        records.clean_records(path, {"regency": "Nope", "event_date": "Kapan"}, secret=SECRET)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("Nama;NIK;Kabupaten;Tanggal\n", "no data rows"),
        ("just some text\nwithout any header\n", "no header row"),
    ],
)
def test_bad_files_name_the_file(tmp_path, content, message):
    path = _write(tmp_path / "bad.csv", content)
    with pytest.raises(records.RecordsError, match=message) as caught:
        records.clean_records(path, secret=SECRET)
    assert "bad.csv" in str(caught.value)


def test_missing_file():
    with pytest.raises(records.RecordsError, match="file not found"):
        records.clean_records("no/such/file.csv", secret=SECRET)


def test_a_different_kind_of_file_is_refused(shared_data):
    iom = next((shared_data / "indicators" / "raw" / "iom_missing_migrants").glob("*.csv"))
    with pytest.raises(records.RecordsError, match=r"no header row found.*Reported Date") as caught:
        records.clean_records(iom, secret=SECRET)
    assert iom.name in str(caught.value)


def test_synthetic_file_round_trip(tmp_path):
    path, truth = synthetic.write_synthetic_csv(tmp_path / "cases_synthetic.csv", 500, seed=3)
    assert path.read_text().startswith(synthetic.SYNTHETIC_TITLE)
    out = records.clean_records(path, secret=SECRET)
    _accounted(out, len(truth))
    assert out.clean["synthetic"].all()
    with pytest.raises(ValueError, match="synthetic"):
        synthetic.write_synthetic_csv(tmp_path / "cases.csv", 10)


def test_count_records_long_format(result):
    counts = records.count_records(result.clean)
    assert counts["value"].sum() == len(result.clean)
    assert (
        counts["indicator"].str.match(r"records_[a-z_]+_(prosedural|non_prosedural|unknown)").all()
    )
    assert counts["note"].str.contains("SYNTHETIC").all()


JUNK = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.integers(-(10**17), 10**17).map(str),
    st.sampled_from(
        [
            "",
            "  ",
            "TTS",
            "31/02/2024",
            "2024",
            "Malaysia",
            "L",
            "NP",
            "5321014501900001",
            "12 Agt 2024",
            "-5",
            "150",
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                header: JUNK
                for header in [
                    "Nama",
                    "NIK",
                    "JK",
                    "Umur",
                    "Kabupaten",
                    "Negara Tujuan",
                    "Status",
                    "Jenis Kasus",
                    "Tanggal",
                ]
            }
        ),
        min_size=1,
        max_size=25,
    )
)
def test_junk_in_every_column_only_raises_records_error_and_accounts(rows):
    frame = pd.DataFrame(rows)
    try:
        out = records.clean_records(frame, secret=SECRET)
    except records.RecordsError:
        return
    _accounted(out, len(frame))
