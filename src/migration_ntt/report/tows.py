"""The TOWS pairing table of a strategy workshop as Markdown, LaTeX and XLSX, headers in
Bahasa Indonesia or English; an illustrative workshop says so in the first line of each."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

TOWS_HEADERS = {
    "en": {
        "quadrant": "Quadrant",
        "internal": "Internal factors",
        "external": "External factors",
        "strategies": "Strategies",
    },
    "id": {
        "quadrant": "Kuadran",
        "internal": "Faktor internal",
        "external": "Faktor eksternal",
        "strategies": "Strategi",
    },
}
ILLUSTRATIVE_NOTE = {
    "en": "ILLUSTRATIVE: invented judgements showing the method, not BP3MI's.",
    "id": "ILUSTRASI: penilaian rekaan untuk menunjukkan metode, bukan penilaian BP3MI.",
}


def export_tows(
    table: pd.DataFrame, stem: Path, lang: str = "id", *, illustrative: bool = False
) -> list[Path]:
    """Write the TOWS table as Markdown, LaTeX and XLSX (``stem`` + ``.md/.tex/.xlsx``),
    headers in ``lang``; an illustrative workshop's files say so in their first line."""
    shown = table.rename(columns=TOWS_HEADERS[lang])
    note = ILLUSTRATIVE_NOTE[lang] if illustrative else ""
    stem.parent.mkdir(parents=True, exist_ok=True)
    markdown = stem.with_suffix(".md")
    markdown.write_text(
        (f"*{note}*\n\n" if note else "") + shown.to_markdown(index=False) + "\n", encoding="utf-8"
    )
    latex = stem.with_suffix(".tex")
    body = shown.style.hide(axis="index").to_latex(hrules=True)
    latex.write_text((f"% {note}\n" if note else "") + body, encoding="utf-8")
    excel = stem.with_suffix(".xlsx")
    with pd.ExcelWriter(excel) as writer:
        shown.to_excel(writer, sheet_name="TOWS", index=False, startrow=2 if note else 0)
        if note:
            writer.sheets["TOWS"].cell(row=1, column=1, value=note)
    return [markdown, latex, excel]
