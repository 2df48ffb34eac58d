"""clean_records: recovery on synthetic truth, row accounting, privacy, dates, streaming."""

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
    sex_given = _column(messy, "sex").loc[clean.index].fillna("").str.strip().ne("")
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
        "district_code",
        "village_code",
        "event_month",
        "date_precision",
        "destination_region",
    ]
    assert contract == list(result.clean.columns[: len(contract)])
    assert all(
        column.startswith("flag_")
        for column in result.clean.columns
        if column not in contract and column not in {"regency_match", "place_match", "synthetic"}
    )
    records.clean_schema().validate(result.clean)
    assert result.clean["synthetic"].all()  # synthetic input stays labelled


# A 16-digit number standing alone (a hex person key may contain digit runs inside it).
NIK_LIKE = re.compile(r"(?<![0-9A-Za-z])(\d{16}|\d{4} \d{4} \d{4} \d{4})(?![0-9A-Za-z])")


def _column(messy: pd.DataFrame, field: str) -> pd.Series:
    """The column of a canonical field in a generated file, whatever its header style."""
    headers = {style[field] for style in synthetic.HEADER_STYLES}
    return messy[next(c for c in messy.columns if c in headers)]


def test_no_personal_data_in_any_output(result, messy_and_truth):
    messy, _ = messy_and_truth
    names = set(_column(messy, "name"))
    passports = set(_column(messy, "passport"))
    phones = set(_column(messy, "phone"))
    outputs = [result.clean, result.rejects, result.duplicates, result.report.to_frame()]
    text = "\n".join(frame.astype(str).to_csv(index=False) for frame in outputs)
    text += result.report.summary() + result.report._repr_html_()
    assert not NIK_LIKE.search(text)
    niks = {re.sub(r"\D", "", value) for value in _column(messy, "nik").dropna()}
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


def test_implausible_event_dates_are_rejected_with_a_reason():
    frame = pd.DataFrame(
        {
            "Kabupaten": ["Malaka"] * 6,
            "Tanggal": ["2099-05-01", "1890-05-01", "31/02/2024", "", "2024", "2026-12-01"],
            "Jenis Kasus": ["Deportasi"] * 6,
        }
    )
    out = records.clean_records(frame, secret=SECRET, as_of="2026-11-29")
    reasons = out.rejects.set_index("source_row")["reason"].to_dict()
    assert reasons == {
        0: "event_date_out_of_range",
        1: "event_date_out_of_range",
        2: "invalid_event_date",
        3: "no_event_date",
        5: "event_date_out_of_range",
    }
    assert out.clean["source_row"].tolist() == [4]  # a bare year is a year
    assert out.clean["date_precision"].tolist() == ["year"]
    assert out.clean["event_date"].isna().all()  # no invented 1 January
    assert out.rejects.set_index("source_row").loc[2, "raw_event_date"] == "31/02/2024"


@pytest.fixture(scope="module")
def synthetic_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("file")
    path, truth = synthetic.write_synthetic_csv(
        folder / "k_synthetic.csv", 4000, seed=12, messiness=0.6
    )
    return path, truth


@pytest.mark.parametrize("batch_rows", [1, 97, 1000])
def test_results_do_not_depend_on_the_batch_size(synthetic_file, batch_rows):
    path, _ = synthetic_file
    one = records.clean_records(path, secret=SECRET)
    many = records.clean_records(path, secret=SECRET, batch_rows=batch_rows)
    pd.testing.assert_frame_equal(one.clean, many.clean)
    pd.testing.assert_frame_equal(one.rejects, many.rejects)
    pd.testing.assert_frame_equal(one.duplicates, many.duplicates)
    pd.testing.assert_frame_equal(one.report.unrecognised, many.report.unrecognised)
    pd.testing.assert_frame_equal(one.report.field_quality, many.report.field_quality)


def test_streaming_to_a_folder_gives_the_same_tables(synthetic_file, tmp_path):
    path, truth = synthetic_file
    memory = records.clean_records(path, secret=SECRET)
    written = records.clean_records(path, secret=SECRET, out=tmp_path, batch_rows=500)
    assert written.paths["clean"].exists()
    assert written.report.n_clean == len(memory.clean)
    pd.testing.assert_frame_equal(memory.clean, written.clean)
    pd.testing.assert_frame_equal(memory.duplicates, written.duplicates)
    pd.testing.assert_frame_equal(
        memory.rejects.astype(str), written.rejects.astype(str), check_dtype=False
    )
    _accounted(written, len(truth))


def test_the_status_spellings_of_real_files_are_counted_right(tmp_path):
    statuses = ["Unprosedural", "non-prosedual", "Non Prosedur", "TKI Illegal", "tdk resmi",
                "unprocedural", "NP", "Resmi", "prosedural"]  # fmt: skip
    frame = pd.DataFrame(
        {"Kabupaten": "Ende", "Tanggal": "2024-01-01", "Status": statuses, "Jenis Kasus": "MD"}
    )
    out = records.clean_records(frame, secret=SECRET)
    assert out.clean["procedural"].tolist() == ["non_prosedural"] * 7 + ["prosedural"] * 2
    assert out.report.unrecognised[out.report.unrecognised["field"] == "status"].empty


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
    blank = sum(all(not (v or "").strip() for v in row.values()) for row in rows)
    assert out.report.blank_rows == blank
    _accounted(out, len(frame) - blank)  # blank rows are skipped, not input
