"""The cleaning report: what :func:`clean_records` did, as tidy tables, text, HTML and rich.

It says where every input row went (clean, rejected with a reason, duplicate; blank rows
skipped), how each field was mapped and how well it parsed, and **which strings of each
field it could not read, with how many rows** ("Unprosedural" 582 would have been visible
at once). Personal fields (name, NIK, birth date, passport, phone, address) are counted
but their values are never listed.

Examples
--------
>>> from migration_ntt.ingest.records import report
>>> import pandas as pd
>>> r = report.CleanReport(source_file="k.csv", n_input=3, n_clean=2, n_rejects=1,
...     n_duplicates=0, field_mapping=pd.DataFrame({"field": ["status"], "header": ["Status"]}),
...     field_quality=pd.DataFrame(), unrecognised=pd.DataFrame(
...         {"field": ["status"], "value": ["Unprosedurel?"], "rows": [1]}),
...     reject_reasons=pd.DataFrame({"reason": ["no_regency"], "rows": [1]}),
...     date_range=(pd.NaT, pd.NaT), details={})
>>> "Unrecognised status: 'Unprosedurel?' (1)" in r.summary()
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

# Fields whose raw values may be listed in a report (the others identify people).
LISTABLE_FIELDS = (
    "event_date",
    "sex",
    "age",
    "regency",
    "district",
    "village",
    "destination",
    "status",
    "event_type",
)
SUMMARY_VALUES = 5


@dataclass
class CleanReport:
    """What :func:`clean_records` did, as tidy tables and a readable summary.

    ``unrecognised`` lists, per field, each distinct string that could not be read and
    the number of rows it stood in (``match`` says why for regencies and places).
    """

    source_file: str
    n_input: int
    n_clean: int
    n_rejects: int
    n_duplicates: int
    field_mapping: pd.DataFrame
    field_quality: pd.DataFrame
    unrecognised: pd.DataFrame
    reject_reasons: pd.DataFrame
    date_range: tuple[pd.Timestamp, pd.Timestamp]
    details: dict[str, object]
    blank_rows: int = 0

    @property
    def accounted(self) -> bool:
        """True when clean + rejects + duplicates = input rows."""
        return self.n_clean + self.n_rejects + self.n_duplicates == self.n_input

    @property
    def unresolved_regencies(self) -> pd.DataFrame:
        """The regency strings that resolved to no unit: ``value, rows, match``."""
        part = self.unrecognised[self.unrecognised["field"] == "regency"]
        return part.drop(columns="field").reset_index(drop=True)

    def accounting_table(self) -> pd.DataFrame:
        """Where every input row went: clean, each reject reason, duplicates, and the check."""
        rows = [("input rows", self.n_input), ("clean", self.n_clean)]
        rows += [(f"rejected: {r.reason}", r.rows) for r in self.reject_reasons.itertuples()]
        rows += [("duplicates", self.n_duplicates)]
        rows += [("blank rows skipped (not input)", self.blank_rows)]
        rows += [("adds up", "yes" if self.accounted else "NO")]
        return pd.DataFrame(rows, columns=["rows", "number"])

    def to_frame(self) -> pd.DataFrame:
        """One tidy table: ``section, item, value``."""
        rows = [
            ("rows", "input", self.n_input),
            ("rows", "clean", self.n_clean),
            ("rows", "rejects", self.n_rejects),
            ("rows", "duplicates", self.n_duplicates),
            ("rows", "blank_skipped", self.blank_rows),
            ("rows", "accounted", self.accounted),
            ("dates", "first", self.date_range[0]),
            ("dates", "last", self.date_range[1]),
        ]
        rows += [("mapping", r.field, r.header) for r in self.field_mapping.itertuples()]
        for r in self.field_quality.itertuples():
            rows += [
                (f"quality:{r.field}", k, getattr(r, k)) for k in ("parsed", "invalid", "missing")
            ]
        rows += [
            (f"unrecognised:{r.field}", r.value, r.rows) for r in self.unrecognised.itertuples()
        ]
        rows += [("reject_reason", r.reason, r.rows) for r in self.reject_reasons.itertuples()]
        return pd.DataFrame(rows, columns=["section", "item", "value"])

    def _unrecognised_lines(self, limit: int | None) -> list[str]:
        lines = []
        for name, part in self.unrecognised.groupby("field", sort=False):
            shown = part.sort_values("rows", ascending=False)
            more = len(shown) - (limit or len(shown))
            listed = ", ".join(f"{r.value!r} ({r.rows:,})" for r in shown.head(limit).itertuples())
            tail = f", … {more:,} more" if more > 0 else ""
            lines.append(f"Unrecognised {name}: {listed}{tail}")
        return lines

    def summary(self, limit: int | None = SUMMARY_VALUES) -> str:
        """A short plain-text summary (``limit`` unrecognised strings per field; None: all)."""
        lines = [
            f"Source: {self.source_file}",
            f"Rows: {self.n_input:,} in = {self.n_clean:,} clean + {self.n_rejects:,} rejected"
            f" + {self.n_duplicates:,} duplicates "
            f"({'adds up' if self.accounted else 'DOES NOT ADD UP'})"
            + (f"; {self.blank_rows:,} blank rows skipped" if self.blank_rows else ""),
        ]
        if pd.notna(self.date_range[0]):
            lines.append(
                f"Event dates: {self.date_range[0]:%Y-%m-%d} to {self.date_range[1]:%Y-%m-%d}"
            )
        lines.append(
            "Fields: "
            + ", ".join(f"{r.field} ← '{r.header}'" for r in self.field_mapping.itertuples())
        )
        for r in self.reject_reasons.itertuples():
            lines.append(f"Rejected, {r.reason}: {r.rows:,}")
        lines += self._unrecognised_lines(limit)
        return "\n".join(lines)

    def full_text(self) -> str:
        """The summary with every unrecognised string (for ``report.txt``)."""
        return self.summary(limit=None)

    def __str__(self) -> str:
        return self.summary()

    def __rich__(self):  # pragma: no cover - terminal rendering
        from rich.table import Table

        table = Table(title=f"Cleaning report: {self.source_file}", show_header=True)
        table.add_column("section")
        table.add_column("item")
        table.add_column("value", justify="right")
        for row in self.to_frame().itertuples():
            table.add_row(str(row.section), str(row.item), str(row.value))
        return table

    def _repr_html_(self) -> str:
        quality = self.field_quality.to_html(index=False)
        mapping = self.field_mapping.to_html(index=False)
        reasons = self.reject_reasons.to_html(index=False)
        unrecognised = (
            self.unrecognised.sort_values(["field", "rows"], ascending=[True, False])
            .groupby("field")
            .head(20)
            .to_html(index=False)
        )
        status = "adds up" if self.accounted else "<b>does not add up</b>"
        blank = f"; {self.blank_rows:,} blank rows skipped" if self.blank_rows else ""
        return (
            f"<h4>Cleaning report: {html.escape(self.source_file)}</h4>"
            f"<p>{self.n_input:,} rows in = {self.n_clean:,} clean + {self.n_rejects:,} "
            f"rejected + {self.n_duplicates:,} duplicates ({status}){blank}.</p>"
            f"<h5>Field mapping</h5>{mapping}<h5>Parse quality</h5>{quality}"
            f"<h5>Reject reasons</h5>{reasons}"
            f"<h5>Unrecognised strings (up to 20 per field)</h5>{unrecognised}"
        )
