"""The case record as an XLSForm, for ODK Collect and KoboToolbox (offline on Android).

``write_xlsform("kasus_pmi.xlsx")`` writes the three sheets of an XLSForm
(https://xlsform.org): ``survey`` (the questions of
:mod:`migration_ntt.ingest.records.form`, labels and hints in Bahasa Indonesia and
English), ``choices`` (the fixed lists; regency → kecamatan →
desa/kelurahan as cascading selects from the package's gazetteer, filtered by
``choice_filter``; every ISO 3166-1 country; the destination regions the cleaner knows)
and ``settings`` (form id, version, default language). Upload it to KoboToolbox or ODK
Central as it is; their exports clean with no mapping
(:mod:`migration_ntt.ingest.records.exports`).

Examples
--------
>>> import tempfile, pathlib
>>> from migration_ntt.ingest.intake import write_xlsform
>>> path = write_xlsform(pathlib.Path(tempfile.mkdtemp()) / "kasus.xlsx")
>>> import pandas as pd
>>> pd.read_excel(path, sheet_name="settings")["form_id"].iloc[0]
'migration_ntt_case'
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from migration_ntt import __version__
from migration_ntt.ingest.intake.choices import choice_lists, survey_questions
from migration_ntt.ingest.records.form import FORM_ID, GROUP, LANGUAGES
from migration_ntt.labels import check_language

TITLES = {
    "id": "Catatan kasus PMI (migration-ntt)",
    "en": "Migrant-worker case record (migration-ntt)",
}


def survey_sheet() -> pd.DataFrame:
    """The ``survey`` sheet: consent first, then every question in the group ``case``
    (asked only when the informant agrees)."""
    rows = []
    for question in survey_questions():
        if question.name == "event_type":  # everything after consent sits in the group
            rows.append(
                {
                    "type": "begin_group",
                    "name": GROUP,
                    f"label::{LANGUAGES['id']}": "Kasus",
                    f"label::{LANGUAGES['en']}": "Case",
                    "relevant": "${consent} = 'yes'",
                }
            )
        row = {
            "type": question.kind,
            "name": question.name,
            f"label::{LANGUAGES['id']}": question.label[0],
            f"label::{LANGUAGES['en']}": question.label[1],
            f"hint::{LANGUAGES['id']}": question.hint[0],
            f"hint::{LANGUAGES['en']}": question.hint[1],
            "required": "yes" if question.required else "",
            "relevant": question.relevant,
            "constraint": question.constraint,
            f"constraint_message::{LANGUAGES['id']}": question.constraint_message[0],
            f"constraint_message::{LANGUAGES['en']}": question.constraint_message[1],
            "appearance": question.appearance,
            "choice_filter": question.choice_filter,
            "calculation": question.calculation,
        }
        rows.append(row)
    rows.append({"type": "end_group", "name": GROUP})
    return pd.DataFrame(rows).fillna("")


def choices_sheet() -> pd.DataFrame:
    """The ``choices`` sheet (XLSForm column names)."""
    lists = choice_lists()
    return lists.rename(
        columns={
            "label_id": f"label::{LANGUAGES['id']}",
            "label_en": f"label::{LANGUAGES['en']}",
        }
    )


def settings_sheet(lang: str = "id") -> pd.DataFrame:
    """The ``settings`` sheet: form id, title, version (the package's and today's date)
    and the language the form opens in."""
    check_language(lang)
    return pd.DataFrame(
        [
            {
                "form_title": TITLES[lang],
                "form_id": FORM_ID,
                "version": f"{__version__}+{date.today():%Y%m%d}",
                "default_language": LANGUAGES[lang],
            }
        ]
    )


def write_xlsform(path: str | Path, lang: str = "id") -> Path:
    """Write the XLSForm of a case record (module docstring).

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    lang : {"id", "en"}
        The language the form opens in (both are in the form; the user can switch).

    Returns
    -------
    Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        survey_sheet().to_excel(writer, sheet_name="survey", index=False)
        choices_sheet().to_excel(writer, sheet_name="choices", index=False)
        settings_sheet(lang).to_excel(writer, sheet_name="settings", index=False)
    return path
