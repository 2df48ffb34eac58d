"""The workshop file: every validation rule with a bad file (file, sheet, row, column),
Indonesian headers, CSV and template."""

from __future__ import annotations

import pandas as pd
import pytest

from migration_ntt import strategy

from ..workshops import workshop_content, write_workshop


def _break(content: dict, sheet: str, index: int, column: str, value) -> dict:
    content[sheet][index][column] = value
    return content


@pytest.mark.parametrize(
    ("sheet", "index", "column", "value", "message"),
    [
        ("factors", 0, "weight", 1.5, "not in [0, 1]"),
        ("factors", 0, "weight", 0.35, "sum to 1.0500, not 1 ± 0.001"),
        ("factors", 0, "rating", 2, "strength must be a whole number from 3 to 4"),
        ("factors", 2, "rating", 3, "weakness must be a whole number from 1 to 2"),
        ("factors", 4, "rating", 5, "opportunity must be a whole number from 1 to 4"),
        ("factors", 4, "rating", 2.5, "whole number"),
        ("factors", 1, "kind", "kekuatan besar", "not strength, weakness"),
        ("qspm", 0, "as", 5, "whole number from 1 to 4, or '–'"),
        ("qspm", 0, "as", "tinggi", "whole number from 1 to 4, or '–'"),
        ("qspm", 0, "factor", "S9", "is not a factor of the factors sheet"),
        ("qspm", 0, "tows", "XY", "is not SO, WO, ST or WT"),
        ("space", 0, "score", 7, "must be from +1 to +6"),
        ("space", 1, "score", 2, "must be from -6 to -1"),
        ("space", 0, "dimension", "QQ", "is not FS, CA, ES or IS"),
    ],
)
def test_every_rule_names_file_sheet_row_and_column(tmp_path, sheet, index, column, value, message):
    path = tmp_path / "bad.xlsx"
    content = _break(workshop_content(), sheet, index, column, value)
    with pd.ExcelWriter(path) as writer:
        for name, rows in content.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(strategy.WorkshopError) as caught:
        strategy.read_workshop(path)
    text = str(caught.value)
    assert str(path) in text
    assert f"sheet {sheet}" in text
    assert "row" in text
    assert f"column '{column}'" in text or ("sum to" in message and "column 'weight'" in text)
    assert message in text
    if "sum to" not in message:
        assert f"row {index + 2}," in text  # the spreadsheet row: header is row 1


def test_not_bearing_dash_is_accepted_and_counts_nothing(workshop):
    missing = workshop.qspm[workshop.qspm["factor"] == "S2"]["attractiveness"]
    assert missing.isna().all()


def test_indonesian_headers_and_kinds_are_read(tmp_path):
    content = workshop_content()
    renamed = {
        "factor": "faktor",
        "kind": "jenis",
        "respondent": "responden",
        "weight": "bobot",
        "rating": "peringkat",
    }
    kinds = {
        "strength": "kekuatan",
        "weakness": "kelemahan",
        "opportunity": "peluang",
        "threat": "ancaman",
    }
    content["faktor"] = [
        {renamed[k]: (kinds[v] if k == "kind" else v) for k, v in row.items()}
        for row in content.pop("factors")
    ]
    loaded = strategy.read_workshop(write_workshop(tmp_path, content))
    assert strategy.ife(loaded.factors).loc["pooled", "total"] == pytest.approx(2.55)


def test_csv_workshop_needs_a_sheet_column(tmp_path):
    path = tmp_path / "w.csv"
    pd.DataFrame(workshop_content()["factors"]).to_csv(path, index=False)
    with pytest.raises(strategy.WorkshopError, match=r"w\.csv, column 'sheet'"):
        strategy.read_workshop(path)
    rows = [{"sheet": s, **r} for s, table in workshop_content().items() for r in table]
    pd.DataFrame(rows).to_csv(path, index=False)
    loaded = strategy.read_workshop(path)
    assert strategy.efe(loaded.factors).loc["pooled", "total"] == pytest.approx(2.50)


def test_missing_column_and_missing_file(tmp_path):
    content = workshop_content()
    for row in content["factors"]:
        del row["rating"]
    with pytest.raises(strategy.WorkshopError, match="sheet factors: missing column"):
        strategy.read_workshop(write_workshop(tmp_path, content))
    with pytest.raises(strategy.WorkshopError, match="file not found"):
        strategy.read_workshop(tmp_path / "absent.xlsx")


def test_template_round_trips(tmp_path):
    for lang in ("id", "en"):
        loaded = strategy.read_workshop(strategy.write_template(tmp_path / f"t_{lang}.xlsx", lang))
        assert set(loaded.factors["kind"]) == {"strength", "weakness", "opportunity", "threat"}


def test_csv_rows_of_one_sheet_under_both_names_are_checked_together(tmp_path):
    path = tmp_path / "mixed.csv"
    rows = [
        {"sheet": "factors" if i % 2 else "faktor", **r}
        for i, r in enumerate(workshop_content()["factors"])
    ]
    rows[0]["rating"] = 9  # S1, a strength, on a "faktor" row
    pd.DataFrame(rows).to_csv(path, index=False)
    with pytest.raises(strategy.WorkshopError, match=r"row 2, column 'rating': 9 for a strength"):
        strategy.read_workshop(path)
    rows[0]["rating"] = 4
    pd.DataFrame(rows).to_csv(path, index=False)
    assert strategy.ife(strategy.read_workshop(path).factors).loc[
        "pooled", "total"
    ] == pytest.approx(2.55)
