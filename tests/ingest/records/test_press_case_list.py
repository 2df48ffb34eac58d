"""A real first case file: a press-coded list cleans without losing status, deaths, dates,
destinations or places, and every column and every decision is visible (issue 19)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from migration_ntt.ingest import records, synthetic, synthetic_press
from migration_ntt.ingest.records import countries, dates, fields, overrides
from migration_ntt.ingest.synthetic_words import MONTHS_ID, MONTHS_ID_SHORT
from migration_ntt.regions import places

SECRET = "press"
DEATH_PHRASES = (
    "body repatriated",
    "jenazah tiba",
    "peti jenazah",
    "remains",
    "coffin arrived",
    "Jenazah PMI dipulangkan",
    "body_repatriated",
    "repatriation of remains",
)


@pytest.fixture(scope="module")
def press(tmp_path_factory):
    folder = tmp_path_factory.mktemp("press")
    path, truth = synthetic_press.write_press_case_list(folder / "press_cases_synthetic.csv")
    result = records.clean_records(path, secret=SECRET)
    clean = result.clean.set_index("source_row")
    truth = truth.set_axis(truth.index + 2)  # file row = header row 1 + position + 1
    return path, result, clean, truth.loc[clean.index]


def test_nothing_is_rejected_and_every_row_is_accounted(press):
    path, result, clean, _ = press
    assert result.report.accounted
    assert result.report.n_input == len(pd.read_csv(path)) == len(clean)


def test_every_header_is_accounted_for(press):
    path, result, _, _ = press
    columns = result.report.columns.set_index("header")
    assert list(columns.index) == list(pd.read_csv(path, nrows=0).columns)
    assert columns.loc["procedural", "field"] == "status"
    assert columns.loc["procedural", "how"] == "package name"
    assert columns.loc["case_no", "field"] == "record_id"
    for unused in ("date_meaning", "cause", "source", "note"):
        assert columns.loc[unused, "how"] == "unused"
    summary = result.report.summary()
    assert "Unused columns: 'date_meaning', 'cause', 'source', 'note'" in summary
    assert "status ← 'procedural' (package name)" in summary


def test_status_deaths_and_destinations_equal_the_truth(press):
    _, _, clean, truth = press
    assert (clean["procedural"].to_numpy() == truth["procedural"].to_numpy()).all()
    assert (clean["event_type"].to_numpy() == truth["event_type"].to_numpy()).all()
    deaths = (clean["event_type"] == "death_abroad").sum()
    assert deaths == (truth["event_type"] == "death_abroad").sum() > 50
    got = clean["destination_iso3"].astype(object).where(clean["destination_iso3"].notna())
    assert (got.fillna("-").to_numpy() == truth["destination_iso3"].fillna("-").to_numpy()).all()
    region = clean["destination_region"].astype(object).fillna("-").to_numpy()
    assert (region == truth["destination_region"].fillna("-").to_numpy()).all()
    assert {"KHM", "MMR", "SEN", "LAO", "FJI", "POL", "AUS"} <= set(clean["destination_iso3"])


def test_partial_dates_are_kept_with_their_precision_and_counted_by_year(press):
    _, result, clean, truth = press
    assert (clean["date_precision"].to_numpy() == truth["date_precision"].to_numpy()).all()
    assert (clean["year"].to_numpy() == truth["year"].to_numpy()).all()
    known = truth["month"].notna()
    assert (clean.loc[known, "event_month"].astype(float) == truth.loc[known, "month"]).all()
    assert clean.loc[~known, "event_month"].isna().all()
    assert clean.loc[clean["date_precision"] != "day", "event_date"].isna().all()
    counts = records.count_records(result.clean)
    by_year = counts.groupby("year")["value"].sum()
    expected = truth.groupby("year").size()
    assert (by_year.reindex(expected.index) == expected).all()


def test_places_as_the_press_writes_them_with_zero_wrong_codes(press):
    path, result, clean, truth = press
    coded = clean["district_code"].notna()
    assert (
        clean.loc[coded, "district_code"].to_numpy() == truth.loc[coded, "district_code"].to_numpy()
    ).all()  # zero wrong kecamatan codes
    village = clean["village_code"].notna()
    assert (
        clean.loc[village, "village_code"].to_numpy()
        == truth.loc[village, "village_code"].to_numpy()
    ).all()
    scenario = truth["place_scenario"]
    misspelled = scenario == "misspelled"
    assert clean.loc[misspelled, "district_code"].notna().mean() >= 0.9
    old_parent = scenario == "old_parent"
    assert clean.loc[old_parent, "district_code"].notna().all()
    assert (clean["flag_place_regency_corrected"] == truth["regency_corrected"]).all()
    assert (clean["bps_code"].to_numpy() == truth["bps_code"].to_numpy()).all()
    historic = scenario == "historic"
    assert (clean.loc[historic, "place_match"] == "historic").all()
    assert clean.loc[historic, "district_code"].isna().all()
    decided = scenario == "historic_with_village"
    with_code = truth.loc[decided, "district_code"].notna()
    assert (
        clean.loc[decided & with_code.reindex(clean.index, fill_value=False), "district_code"]
        .notna()
        .all()
    )
    listed = result.report.historic_places
    assert "Tasifeto Barat" in " ".join(listed["successors"])
    assert set(listed["value"]) <= set(pd.read_csv(path)["district"].dropna())


def test_rules_are_counted_per_field(press):
    _, result, clean, _ = press
    table = result.report.decision_table().set_index("field")
    assert table.loc["status", "exact"] == (clean["procedural"] != "unknown").sum()
    event = table.loc["event_type"]
    assert event["exact"] + event["rule"] + event.get("fuzzy", 0) == len(clean)
    assert table.loc["event_date", "month"] == (clean["date_precision"] == "month").sum()
    assert "Decided, district:" in result.report.summary()


def test_a_clean_table_written_as_csv_cleans_again_to_the_same_table(press, tmp_path):
    for source, name in (
        (press[1], "press"),
        (records.clean_records(synthetic.generate_records(800, seed=3)[0], secret=SECRET), "gen"),
    ):
        path = tmp_path / f"{name}_clean.csv"
        source.clean.to_csv(path, index=False)
        again = records.clean_records(path, secret=SECRET)
        columns = [c for c in records.CONTRACT if c not in {"source_file", "source_row"}]
        first = source.clean[columns].reset_index(drop=True)
        second = again.clean[columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(first, second, check_dtype=False)
        assert again.report.n_rejects == 0
        assert set(again.report.columns["how"]) <= {"package name", "recomputed"}


def test_a_file_with_one_unused_column_says_so():
    frame = pd.DataFrame(
        {"Kabupaten": ["Malaka"], "Tanggal": ["2024-03-01"], "Sumber berita": ["Pos Kupang"]}
    )
    report = records.clean_records(frame, secret=SECRET).report
    assert "Unused columns: 'Sumber berita'" in report.summary()
    assert ("column", "Sumber berita", "unused") in set(map(tuple, report.to_frame().to_numpy()))


def test_columns_nobody_named_are_mapped_by_content_and_rivals_are_not():
    frame = pd.DataFrame(
        {
            "Kabupaten": ["Malaka", "Belu", "Ende", "Alor"],
            "Tanggal": ["2024-03-01"] * 4,
            "Ket.": ["ilegal", "non prosedural", "resmi", "tdk resmi"],
            "Apa": ["jenazah", "deportasi", "jenazah", "TPPO"],
        }
    )
    out = records.clean_records(frame, secret=SECRET)
    columns = out.report.columns.set_index("header")
    assert columns.loc["Ket.", "field"] == "status"
    assert columns.loc["Ket.", "detail"] == "by content (100 % of values read)"
    assert out.clean["procedural"].tolist() == [
        "non_prosedural",
        "non_prosedural",
        "prosedural",
        "non_prosedural",
    ]
    assert out.clean["event_type"].tolist()[:2] == ["death_abroad", "deportation"]
    rivals = frame.assign(**{"Ket. 2": frame["Ket."]})
    out = records.clean_records(rivals, secret=SECRET)
    columns = out.report.columns.set_index("header")
    assert columns.loc["Ket.", "how"] == "unused"
    assert "--map status=" in columns.loc["Ket. 2", "detail"]
    assert (out.clean["procedural"] == "unknown").all()
    chosen = records.clean_records(rivals, {"status": "Ket. 2"}, secret=SECRET)
    assert chosen.report.columns.set_index("header").loc["Ket. 2", "how"] == "user mapping"


def test_a_value_map_wins_over_the_rules_and_is_counted(tmp_path):
    frame = pd.DataFrame(
        {
            "Kabupaten": ["Malaka", "Kab. Kpg", "Belu"],
            "Tanggal": ["2024-03-01"] * 3,
            "Status": ["jalur belakang", "jalur belakang", "resmi"],
        }
    )
    before = records.clean_records(frame, secret=SECRET)
    assert before.clean["procedural"].tolist() == ["unknown", "prosedural"]
    assert before.report.n_rejects == 1  # "Kab. Kpg" is no regency the rules can read
    path = overrides.write_value_map(before.report, tmp_path / "values.csv")
    filled = pd.read_csv(path, keep_default_na=False)
    assert {"field", "raw_value", "rows", "best_guess", "canonical"} <= set(filled.columns)
    assert filled.set_index("raw_value").loc["jalur belakang", "rows"] == 2
    filled["canonical"] = filled["raw_value"].map(
        {"jalur belakang": "non_prosedural", "Kab. Kpg": "5303"}
    )
    filled.to_csv(path, index=False)
    after = records.clean_records(frame, secret=SECRET, values=path)
    assert after.clean["procedural"].tolist() == ["non_prosedural"] * 2 + ["prosedural"]
    assert after.clean["bps_code"].tolist() == ["5321", "5303", "5306"]
    decided = after.report.decision_table().set_index("field")
    assert decided.loc["status", "override"] == 2
    assert decided.loc["regency", "override"] == 1


def test_a_bad_value_map_names_file_row_and_column(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text("field,raw_value,canonical\nstatus,x,illegal\ncolour,y,red\n")
    with pytest.raises(records.RecordsError) as caught:
        overrides.read_values(path)
    message = str(caught.value)
    assert f"{path}, row 2, column canonical: 'illegal' is not a status value" in message
    assert "row 3, column field: 'colour'" in message


# --- the vocabularies, property by property ---------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    year=st.integers(1990, 2025),
    month=st.integers(1, 12),
    layout=st.sampled_from(["iso", "slash", "dash", "short", "long", "english"]),
)
def test_month_dates_in_every_layout_keep_year_and_month(year, month, layout):
    text = {
        "iso": f"{year}-{month:02d}",
        "slash": f"{month:02d}/{year}",
        "dash": f"{month}-{year}",
        "short": f"{MONTHS_ID_SHORT[month - 1]} {year}",
        "long": f"{MONTHS_ID[month - 1].upper()} {year}",
        "english": pd.Timestamp(year, month, 1).strftime("%B %Y"),
    }[layout]
    parts = dates.parse_date_parts([text])
    assert (parts.years[0], parts.months[0], parts.precision[0]) == (year, month, "month")
    assert np.isnat(parts.dates[0])


@settings(max_examples=60, deadline=None)
@given(country=st.sampled_from(list(pycountry.countries)), lang=st.sampled_from(["en", "id"]))
def test_every_country_is_read_by_its_english_or_indonesian_name(country, lang):
    name = countries.country_name(country.alpha_3, lang)
    assert countries.parse_destination(name)[0] == country.alpha_3
    assert countries.parse_destination(country.alpha_3)[0] == country.alpha_3


@settings(max_examples=60, deadline=None)
@given(
    phrase=st.sampled_from(DEATH_PHRASES),
    upper=st.booleans(),
    separator=st.sampled_from([" ", "_", "-", "  "]),
)
def test_a_body_or_remains_brought_home_is_a_death(phrase, upper, separator):
    text = phrase.replace(" ", separator)
    assert fields.parse_event_type(text.upper() if upper else text) == "death_abroad"


@settings(max_examples=80, deadline=None)
@given(
    position=st.integers(0, 314),
    kind=st.sampled_from(synthetic_press.MISSPELLINGS),
    seed=st.integers(0, 10_000),
)
def test_a_misspelled_kecamatan_gets_its_code_or_none_never_another(position, kind, seed):
    district = places.places("district").iloc[position]
    written = synthetic_press.misspell(district["name"], kind, np.random.default_rng(seed))
    out = places.resolve_places(district=[written], bps_code=[district["bps_code"]])
    code = out["district_code"].iloc[0]
    assert pd.isna(code) or code == district["kemendagri_code"]


def test_shared_village_names_never_get_a_code_from_the_regency_alone():
    villages = places.places("village")
    key = villages["name"].str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    shared = villages[key.duplicated(keep=False)]
    in_one_regency = shared[shared.duplicated(["bps_code"], keep=False)]
    out = places.resolve_places(village=in_one_regency["name"], bps_code=in_one_regency["bps_code"])
    twins = (
        key.loc[in_one_regency.index]
        .groupby(in_one_regency["bps_code"].to_numpy())
        .transform(lambda s: s.duplicated(keep=False))
        .to_numpy()
    )
    assert out.loc[twins, "village_code"].isna().all()
    assert (out.loc[twins, "match"] == "ambiguous").all()
