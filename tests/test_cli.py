"""The command line: happy paths, --help, and bad input with exit code 2 and no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from migration_ntt import cli
from migration_ntt.ingest import synthetic


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "migration_ntt.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "command",
    ["clean", "build", "hotspots", "models", "figures", "report", "all", "resolve", "regions"],
)
def test_help_for_every_command(command, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main([command, "--help"])
    assert caught.value.code == 0
    assert "usage: migration-ntt" in capsys.readouterr().out


def test_clean_happy_path(tmp_path, project_home, capsys):
    path, _truth = synthetic.write_synthetic_csv(tmp_path / "cases_synthetic.csv", 300, seed=4)
    out = tmp_path / "out"
    assert cli.main(["clean", str(path), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "adds up" in printed
    assert (out / "cases_synthetic_clean.parquet").exists()
    assert (out / "cases_synthetic_rejects.csv").exists()
    assert (out / "cases_synthetic_report.txt").read_text().startswith("Source:")


def test_clean_with_columns_file(tmp_path, project_home, capsys):
    data = tmp_path / "odd.csv"
    data.write_text("Asal Kab,Kapan,Apa\nMalaka,2024-01-01,deportasi\n")
    mapping = tmp_path / "columns.json"
    mapping.write_text(
        json.dumps({"regency": "Asal Kab", "event_date": "Kapan", "event_type": "Apa"})
    )
    assert cli.main(["clean", str(data), "--columns", str(mapping), "--out", str(tmp_path)]) == 0
    capsys.readouterr()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["clean", "no/such/file.csv"], "file not found"),
        (["figures", "--lang", "fr"], "unknown language 'fr'"),
        (["all", "--lang", "xx"], "unknown language 'xx'"),
    ],
)
def test_bad_input_exits_2_with_a_message(arguments, message):
    result = run(*arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_kind_of_file(shared_data):
    iom = next((shared_data / "indicators" / "raw" / "iom_missing_migrants").glob("*.csv"))
    result = run("clean", str(iom))
    assert result.returncode == 2
    assert iom.name in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_columns_file(tmp_path):
    data = tmp_path / "cases.csv"
    data.write_text("Kabupaten,Tanggal\nMalaka,2024-01-01\n")
    bad = tmp_path / "columns.json"
    bad.write_text("{not json")
    result = run("clean", str(data), "--columns", str(bad))
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr


def test_resolve_command(capsys):
    assert cli.main(["resolve", "Kab. TTS", "Sumba"]) == 0
    printed = capsys.readouterr().out
    assert "5304" in printed
    assert "ambiguous" in printed
