"""Programmes: the published rows, the user's programme log, panel columns."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt.ingest import indicators, programmes, tallies


@pytest.fixture(scope="module")
def published():
    return programmes.load_programmes(include_log=False)


def test_published_rows_give_starts_by_regency(published):
    assert set(published.columns) == set(programmes.COLUMNS)
    assert published["bps_code"].notna().all()
    ltsa = programmes.adoption(published, "ltsa").set_index("bps_code")
    # Kota Kupang: "launched in Kupang city on 4 Sep 2017" (note of the source row)
    assert ltsa.loc["5371", "start_date"] == pd.Timestamp("2017-09-04")
    assert ltsa.loc["5371", "start_basis"] == "stated"
    # Sikka: "inaugurated 14 Mar 2019"
    assert ltsa.loc["5310", "start_date"] == pd.Timestamp("2019-03-14")
    # Kabupaten Kupang: "existed before 14 Mar 2019, opening year not stated"
    assert ltsa.loc["5303", "start_basis"] == "present_by"
    # SBD's centre is reported abandoned: kept, flagged, not an end
    sbd = published[(published["programme"] == "ltsa") & (published["bps_code"] == "5317")]
    assert "not_functioning" in set(sbd["status"])


def test_rows_not_about_one_regency_are_listed_not_spread(published):
    apart = programmes.not_regency(published)
    assert {"province or Polda: not one regency", "not a regency (e.g. a Catholic deanery)"} <= set(
        apart["reason"]
    )
    assert apart["regency"].str.contains("Dekenat").any()
    assert apart["regency"].str.contains("Polda").any()


def test_a_programme_log_is_read_with_indonesian_headers(tmp_path):
    log = tmp_path / "kegiatan_2025.csv"
    log.write_text(
        "kabupaten,program,tanggal_mulai,tanggal_selesai,intensitas,satuan,sumber,catatan\n"
        "Malaka,Sosialisasi gereja,9 Maret 2025,,350,persons,laporan BP3MI,Paroki Betun\n"
        "TTS,Satgas TPPO,2024-11-02,04/11/2024,12,persons,Polres TTS,terminal Soe\n"
        "Kota Kupang,posyandu_migran,2024-01-15,,,,,a programme of our own\n",
        encoding="utf-8",
    )
    table = programmes.read_programme_log(log)
    assert table["bps_code"].tolist() == ["5321", "5304", "5371"]
    assert table["programme"].tolist() == ["church", "task_force", "posyandu_migran"]
    assert table.loc[0, "start_date"] == pd.Timestamp("2025-03-09")
    assert table.loc[1, "end_date"] == pd.Timestamp("2024-11-04")
    assert table.loc[0, "intensity"] == 350
    assert table.loc[2, "intensity"] == 1
    assert table["origin"].eq("log: kegiatan_2025.csv").all()
    combined = programmes.load_programmes(tmp_path)
    assert "posyandu_migran" in set(combined["programme"])
    assert (combined["origin"] == "published").any()


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Sumba,church,2025-01-01", r"row 2: column regency: 'Sumba' is not one of the 22"),
        ("Malaka,church,kemarin", r"row 2: column start_date: 'kemarin' is not a date"),
        ("Malaka,church,2025-01-01,2024-01-01", r"row 2: column end_date: 2024-01-01 is before"),
        ("Malaka,church,2025-01-01,,banyak", r"row 2: column intensity: 'banyak' is not a number"),
        ("Malaka,,2025-01-01", r"row 2: column programme is empty"),
        ("Malaka,123,2025-01-01", r"row 2: column programme: '123' is not a programme name"),
    ],
)
def test_bad_log_rows_name_file_row_column_and_expectation(tmp_path, row, message):
    log = tmp_path / "log.csv"
    log.write_text("regency,programme,start_date,end_date,intensity\n" + row + "\n")
    with pytest.raises(programmes.ProgrammeError, match=message) as caught:
        programmes.read_programme_log(log)
    assert str(log) in str(caught.value)


def test_a_log_without_required_columns_is_refused(tmp_path):
    log = tmp_path / "log.csv"
    log.write_text("kabupaten,tanggal\nMalaka,2025-01-01\n")
    with pytest.raises(programmes.ProgrammeError, match=r"missing column\(s\) \['programme'\]"):
        programmes.read_programme_log(log)


def test_the_template_and_readme_ship_and_are_skipped():
    from migration_ntt import config

    folder = config.package_data_dir() / "programmes"
    assert (folder / "README.md").exists()
    template = pd.read_csv(folder / "template_programmes.csv")
    assert list(template.columns) == [
        "regency", "programme", "start_date", "end_date", "intensity", "unit", "source", "note",
    ]  # fmt: skip
    assert template.empty
    assert all(not p.name.startswith("template") for p in programmes.log_files(folder))


def test_programme_columns_follow_start_end_and_villages():
    table = pd.DataFrame(
        {
            "bps_code": ["5321", "5321", "5304"],
            "programme": ["desmigratif", "desmigratif", "task_force"],
            "start_date": pd.to_datetime(["2018-07-01", "2020-01-01", "2019-01-01"]),
            "end_date": pd.to_datetime([None, None, "2020-06-30"]),
            "intensity": [2.0, 3.0, 1.0],
            "unit": ["villages", "villages", "task force"],
            "source": "test",
            "note": "",
            "start_basis": "stated",
            "status": "started",
            "origin": "log: test",
        }
    )
    grid = programmes.programme_columns(table, [2017, 2018, 2019, 2020, 2021], {"5321": 200})
    malaka = grid[grid["bps_code"] == "5321"].set_index("year")
    assert malaka["desmigratif_active"].tolist() == [0, 1, 1, 1, 1]
    assert malaka.loc[2018, "desmigratif_share_of_year"] == pytest.approx(184 / 365, abs=1e-3)
    assert malaka["desmigratif_since"].tolist()[1:] == [0, 1, 2, 3]
    assert malaka["desmigratif_per_100_villages"].tolist() == [0, 1.0, 1.0, 2.5, 2.5]
    tts = grid[grid["bps_code"] == "5304"].set_index("year")
    assert tts["task_force_active"].tolist() == [0, 0, 1, 1, 0]  # ended mid-2020
    assert grid.groupby("year").size().eq(22).all()


def test_single_batches_are_events_not_period_totals():
    table = indicators.load_indicators().table
    batch = table[table["note"].str.contains("one deportation batch of 208", na=False)]
    assert len(batch)
    assert batch["event_only"].all()
    chosen = tallies.select_reports(table, ["pmi_deportees"])
    assert not chosen["event_only"].any()
    assert 2021 not in set(chosen["year"])  # 2021 has only the single batch
