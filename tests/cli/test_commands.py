"""The command line: happy paths, --help, and bad input with exit code 2 and no traceback."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from migration_ntt import cli
from migration_ntt.ingest import synthetic


def run(*args: str) -> subprocess.CompletedProcess:
    """``migration-ntt ARGS`` in this process (as the console script runs it): its exit
    code, standard output and standard error. An exception the command does not turn into a
    message propagates and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as exit_:  # argparse's own errors and --help
            code = exit_.code
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


@pytest.fixture(autouse=True)
def _own_project(project_home):
    """Every command of this module writes into a throw-away project."""
    return project_home


def test_console_script_exits_2_with_a_message_and_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "migration_ntt.cli", "clean", "no/such/file.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "migration-ntt clean: " in result.stderr
    assert "file not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_worker_count_in_the_environment_exits_2(monkeypatch):
    monkeypatch.setenv("MIGRATION_NTT_WORKERS", "many")
    result = run("evaluate", "--programme", "ltsa", "--evaluation-permutations", "99")
    assert result.returncode == 2
    assert "MIGRATION_NTT_WORKERS='many': expected a whole number of at least 1" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        "clean",
        "build",
        "hotspots",
        "models",
        "figures",
        "report",
        "all",
        "resolve",
        "regions",
        "scan",
        "evaluate",
        "form",
        "init",
        "template",
    ],
)
def test_help_for_every_command(command, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main([command, "--help"])
    assert caught.value.code == 0
    assert "usage: migration-ntt" in capsys.readouterr().out


def test_every_option_of_every_command_has_help_text():
    parser = cli.build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in commands.choices.items():
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help, f"{name} {action.option_strings or action.dest} has no help"


def test_clean_happy_path(tmp_path, project_home, capsys):
    path, _truth = synthetic.write_synthetic_csv(tmp_path / "cases_synthetic.csv", 300, seed=4)
    out = tmp_path / "out"
    assert (
        cli.main(["clean", str(path), "--out", str(out), "--secret", "s", "--dedupe-days", "3"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "adds up" in printed
    assert (out / "cases_synthetic_clean.parquet").exists()
    assert (out / "cases_synthetic_rejects.csv").exists()
    assert (out / "cases_synthetic_report.txt").read_text().startswith("Source:")
    counts = pd.read_csv(out / "cases_synthetic_counts.csv", dtype={"bps_code": str})
    assert counts["bps_code"].nunique() == 22
    assert (counts["value"] == 0).any()  # zero-filled regency × year cells


def test_all_on_own_records_writes_the_whole_chain(tmp_path, project_home, capsys):
    path, _truth = synthetic.write_synthetic_csv(tmp_path / "kasus_synthetic.csv", 1500, seed=6)
    argv = [
        "all",
        "--records",
        str(path),
        "--select",
        "procedural=non_prosedural",
        "--name",
        "np_cases",
        "--permutations",
        "99",
        "--lang",
        "en",
        "--secret",
        "s",
    ]
    assert cli.main(argv) == 0
    printed = capsys.readouterr().out
    assert "records counted" in printed
    assert "[clean (synthetic demo)" not in printed  # the user's file, not the demo
    assert (project_home / "data" / "processed" / "panel.parquet").exists()
    assert (project_home / "data" / "processed" / "hotspots_np_cases_rates.csv").exists()
    assert (project_home / "data" / "processed" / "models_np_cases_irr_en.md").exists()
    assert (project_home / "figures" / "np_cases_rate_pooled_en.png").exists()
    assert (project_home / "figures" / "np_cases_models_forest_en.png").exists()
    brief = (project_home / "reports" / "brief_np_cases_en.html").read_text()
    assert "Non-procedural PMI cases (case records)" in brief


def test_figures_alone_draws_maps_and_model_charts(project_home, capsys):
    argv = ["figures", "--lang", "en", "--permutations", "99", "--formats", "png,svg"]
    assert cli.main(argv) == 0
    names = {p.name for p in (project_home / "figures").iterdir()}
    assert "pmi_deaths_abroad_rate_pooled_en.png" in names
    assert "pmi_deaths_abroad_rate_pooled_en.svg" in names  # SVG when asked
    assert not any(name.endswith(".pdf") for name in names)  # and only what was asked
    assert "pmi_deaths_abroad_models_forest_en.png" in names
    assert "pmi_deaths_abroad_map_en.html" in names
    capsys.readouterr()


def test_clean_with_columns_file(tmp_path, project_home, capsys):
    data = tmp_path / "odd.csv"
    data.write_text("Asal Kab,Kapan,Apa\nMalaka,2024-01-01,deportasi\n")
    mapping = tmp_path / "columns.json"
    mapping.write_text(
        json.dumps({"regency": "Asal Kab", "event_date": "Kapan", "event_type": "Apa"})
    )
    assert cli.main(["clean", str(data), "--columns", str(mapping), "--out", str(tmp_path)]) == 0
    capsys.readouterr()


def test_clean_a_press_list_lists_every_column_and_writes_a_value_map(
    tmp_path, project_home, capsys
):
    from migration_ntt.ingest import synthetic_press

    path, _ = synthetic_press.write_press_case_list(tmp_path / "press_synthetic.csv", 120, seed=2)
    values = tmp_path / "values.csv"
    argv = ["clean", str(path), "--out", str(tmp_path / "out"), "--secret", "s"]
    assert cli.main([*argv, "--write-value-map", str(values)]) == 0
    out, err = capsys.readouterr()
    assert "status ← 'procedural' (package name)" in out
    assert "Unused columns: 'date_meaning', 'cause', 'source', 'note'" in out
    assert "Decided, event_type:" in out
    assert f"→ {values}" in err
    table = pd.read_csv(values, keep_default_na=False)
    assert list(table.columns) == ["field", "raw_value", "rows", "best_guess", "canonical"]
    mapped = ["--map", "status=note"]  # a column chosen by hand
    assert cli.main([*argv, *mapped]) == 0
    assert "status ← 'note' (user mapping)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["clean", "no/such/file.csv"], "file not found"),
        (["figures", "--lang", "fr"], "unknown language 'fr'"),
        (["all", "--formats", "png,jpg"], "expected a comma-separated list of png, pdf, svg"),
        (["all", "--lang", "xx"], "unknown language 'xx'"),
        (["hotspots", "--permutations", "-5"], "expected 99 to 999,999 permutations"),
        (["hotspots", "--permutations", "0"], "expected 99 to 999,999 permutations"),
        (["report", "--permutations", "many"], "expected a whole number"),
        (["clean", "x.csv", "--dedupe-days", "-1"], "expected 0 or more"),
        (["all", "--select", "procedural"], "expected COLUMN=VALUE"),
        (["all", "--period", "2024"], "expected START:END"),
        (["all", "--name", "my cases"], "simple column name"),
        (["hotspots", "--count", "nothing_like_this"], "not a count of the panel"),
        (["build", "--records", "no/such/kasus.csv"], "file not found"),
        (["all", "--label-id", "Kasus saja"], "give both --label-id and --label-en"),
        (["clean", "x.csv", "--map", "colour=Warna"], "unknown field 'colour'"),
        (["clean", "x.csv", "--map", "status"], "expected FIELD=HEADER"),
        (["clean", "x.csv", "--values", "no/such/values.csv"], "value map not found"),
    ],
)
def test_bad_input_exits_2_with_a_message(arguments, message):
    result = run(*arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_selection_and_period_on_records_exit_2(tmp_path):
    path, _truth = synthetic.write_synthetic_csv(tmp_path / "k_synthetic.csv", 200, seed=1)
    for extra, message in [
        (["--select", "status=ilegal"], "cannot select on 'status'"),
        (["--select", "procedural=ilegal"], "Valid values of procedural"),
        (["--period", "2031-01-01:2031-12-31"], "holds none of the"),
    ]:
        result = run("build", "--records", str(path), "--secret", "s", *extra)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr
        assert "Traceback" not in result.stderr


def test_columns_must_be_a_json_object(tmp_path):
    data = tmp_path / "cases.csv"
    data.write_text("Kabupaten,Tanggal\nMalaka,2024-01-01\n")
    as_list = tmp_path / "columns.json"
    as_list.write_text('["regency", "event_date"]')
    result = run("clean", str(data), "--columns", str(as_list))
    assert result.returncode == 2
    assert "expected a JSON object" in result.stderr
    assert "Traceback" not in result.stderr


def test_workbook_with_header_on_another_sheet_names_the_sheets(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Catatan"
    workbook.active.append(["Data PMI 2024, lihat sheet berikutnya"])
    cases = workbook.create_sheet("Kasus")
    cases.append(["Kabupaten", "Tanggal Kejadian", "Jenis Kasus"])
    cases.append(["Malaka", "2024-01-05", "Deportasi"])
    path = tmp_path / "kasus.xlsx"
    workbook.save(path)
    result = run("clean", str(path))
    assert result.returncode == 2
    assert "'Catatan'" in result.stderr
    assert "Catatan, Kasus" in result.stderr
    assert "--sheet" in result.stderr
    missing = run("clean", str(path), "--sheet", "Nope")
    assert missing.returncode == 2
    assert "no worksheet 'Nope'" in missing.stderr
    good = run("clean", str(path), "--sheet", "Kasus", "--out", str(tmp_path / "o"))
    assert good.returncode == 0, good.stderr


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


def test_evaluate_prints_cohorts_and_writes_outputs(project_home, capsys):
    argv = ["evaluate", "--programme", "ltsa", "--lang", "en", "--permutations", "99"]
    assert cli.main([*argv, "--evaluation-permutations", "99"]) == 0
    printed = capsys.readouterr().out
    assert "ltsa → pmi_deaths_abroad: IRR" in printed
    assert "2019 (2: Kabupaten Kupang, Kabupaten Sikka)" in printed
    assert "top_third_without_it" in printed
    folder = project_home / "data" / "processed"
    assert (folder / "evaluation_pmi_deaths_abroad_ltsa_event_time.csv").exists()
    assert (
        project_home / "figures" / "pmi_deaths_abroad_evaluation_ltsa_event_study_en.png"
    ).exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["evaluate", "--programme", "nothing"], "no column 'nothing_active'"),
        (["evaluate", "--programme", "local_regulation"], "nothing to compare"),
        (["evaluate", "--outcome", "nope"], "--outcome nope: not a column"),
        (["evaluate", "--within", "province"], "invalid choice"),
        (["evaluate", "--programmes", "no/such/log.csv"], "--programmes file or folder not found"),
    ],
)
def test_evaluate_bad_input_exits_2(arguments, message):
    result = run(*arguments, "--evaluation-permutations", "99")
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_programme_log_exits_2_naming_the_row(tmp_path):
    log = tmp_path / "kegiatan.csv"
    log.write_text("kabupaten,program,tanggal_mulai\nSumba,church,2025-01-01\n")
    result = run("build", "--programmes", str(log))
    assert result.returncode == 2
    assert "kegiatan.csv: row 2: column regency: 'Sumba'" in result.stderr


def test_strategy_runs_the_illustrative_workshop_and_rejects_a_bad_one(tmp_path, project_home):
    import pandas as pd

    result = run("strategy", "--no-evidence", "--draws", "200", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "ILLUSTRATIVE" in result.stdout
    assert "IE cell" in result.stdout
    template = tmp_path / "lokakarya.xlsx"
    assert run("strategy", "--template", str(template)).returncode == 0
    factors = pd.read_excel(template, sheet_name="factors")
    factors.loc[0, "bobot"] = 0.9  # internal weights now sum to 1.4
    bad = tmp_path / "bad.xlsx"
    with pd.ExcelWriter(bad) as writer:
        factors.to_excel(writer, sheet_name="factors", index=False)
    result = run("strategy", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f"{bad}, sheet factors, rows 2–3, column 'weight'" in result.stderr


def test_form_and_template_are_written_where_asked(tmp_path, project_home):
    from openpyxl import load_workbook

    form = run("form", "--out", str(tmp_path / "kasus.xlsx"), "--lang", "en")
    assert form.returncode == 0, form.stderr
    assert f"→ {tmp_path / 'kasus.xlsx'}" in form.stdout
    assert load_workbook(tmp_path / "kasus.xlsx").sheetnames == ["survey", "choices", "settings"]
    log = run("template")  # default place: data/intake/ of the project
    assert log.returncode == 0, log.stderr
    assert (project_home / "data" / "intake" / "log_kasus_pmi.xlsx").exists()
    for arguments in (["form", "--out"], ["template", "--out"], ["init"]):
        unwritable = run(*arguments, "/proc/no/such/place.xlsx")
        assert unwritable.returncode == 2
        assert "cannot write here" in unwritable.stderr
    bad = run("form", "--lang", "fr")
    assert bad.returncode == 2
    assert "invalid choice: 'fr'" in bad.stderr
