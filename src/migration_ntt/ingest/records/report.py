"""The cleaning report: what :func:`clean_records` did, as tidy tables, text, HTML and rich.

It says where every input row went (clean, rejected with a reason, duplicate; blank rows
skipped), **what became of every column of the file** (the field it was mapped to and how:
known header, the package's own name, by content, user mapping; or *unused*), how many rows
of each field were decided by each rule (exact, rule, fuzzy, override, stated unknown,
unrecognised, missing; for places their match kinds), and **which strings of each field it
could not read, with how many rows** ("Unprosedural" 582 would have been visible at once).
Personal fields (name, NIK, birth date, passport, phone, address) are counted but their
values are never listed.

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
>>> r.columns = pd.DataFrame({"header": ["Status", "cause"], "field": ["status", None],
...     "how": ["known header", "unused"], "detail": [None, None]})
>>> "Unused columns: 'cause'" in r.summary()
True
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from migration_ntt.ingest.records import exports

# Fields whose raw values may be listed in a report (the others identify people).
LISTABLE_FIELDS = (
    "event_date",
    "sex",
    "age",
    "event_year",
    "event_month",
    "regency",
    "regency_code",
    "district",
    "village",
    "destination",
    "destination_region",
    "status",
    "event_type",
)
RULE_ORDER = (
    "exact",
    "code",
    "rule",
    "day",
    "month",
    "year",
    "fuzzy",
    "historic",
    "override",
    "stated_unknown",
    "ambiguous",
    "conflict",
    "unrecognised",
    "unmatched",
    "missing",
    "not_given",
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
    columns: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["header", "field", "how", "detail"])
    )
    decisions: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["field", "header", "mapped", "rule", "rows"])
    )
    historic_places: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["value", "successors", "rows"])
    )

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
        rows += [
            ("column", r.header, f"{r.field} ({r.how})" if pd.notna(r.field) else r.how)
            for r in self.columns.itertuples()
        ]
        rows += [(f"decided:{r.field}", r.rule, r.rows) for r in self.decisions.itertuples()]
        rows += [
            ("historic_kecamatan", r.value, f"{r.rows} rows; successors: {r.successors}")
            for r in self.historic_places.itertuples()
        ]
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
        tool = self.details.get("export_tool")
        if tool:
            lines.append(f"Read as: {exports.DESCRIPTIONS.get(tool, tool)} (no mapping needed)")
        lines += self.column_lines()
        lines += self.decision_lines()
        for r in self.reject_reasons.itertuples():
            lines.append(f"Rejected, {r.reason}: {r.rows:,}")
        renamed = self.details.get("record_ids_renamed")
        if renamed:
            lines.append(
                f"Record ids: {renamed:,} rows had a blank or repeated id and are named "
                "<file>:<row> instead"
            )
        from_place = self.details.get("regency_from_place")
        if from_place:
            lines.append(f"Regency from the kecamatan or village (none written): {from_place:,}")
        corrected = self.details.get("regency_corrected_by_place")
        if corrected:
            lines.append(
                f"Regency corrected by the kecamatan (written under the regency it belonged "
                f"to before a split; flag_place_regency_corrected): {corrected:,}"
            )
        for r in self.historic_places.itertuples():
            lines.append(
                f"Historic kecamatan {r.value!r} ({r.rows:,}): split into {r.successors}; "
                "no kecamatan code unless the village decides"
            )
        lines += self._unrecognised_lines(limit)
        return "\n".join(lines)

    def column_lines(self) -> list[str]:
        """Every column of the file: mapped (field ← header, how), or not used."""
        if self.columns.empty:
            return [
                "Fields: "
                + ", ".join(f"{r.field} ← '{r.header}'" for r in self.field_mapping.itertuples())
            ]
        used = self.columns[
            self.columns["field"].notna() & (self.columns["how"] != "not read (personal)")
        ]
        lines = [
            "Fields: "
            + ", ".join(
                f"{r.field} ← '{r.header}' ({r.detail if r.how == 'by content' else r.how})"
                for r in used.itertuples()
            )
        ]
        for how, label in (
            ("not read (personal)", "Recognised, never read (personal)"),
            ("recomputed", "The package's own output columns, made again (not read)"),
            ("form field", "Asked by the form for its own logic (not analysed)"),
            ("export metadata", "Export metadata (not read)"),
            ("unused", "Unused columns"),
        ):
            part = self.columns[self.columns["how"] == how]
            if len(part):
                listed = ", ".join(
                    f"'{r.header}'" + (f" ({r.detail})" if isinstance(r.detail, str) else "")
                    for r in part.itertuples()
                )
                lines.append(f"{label}: {listed}")
        return lines

    def columns_view(self) -> pd.DataFrame:
        """:attr:`columns` for reading: "–" where a header feeds no field or needs no
        detail."""
        return self.columns.fillna("–")

    def decision_table(self) -> pd.DataFrame:
        """Rows decided by each rule, one row per field (rules as columns, in order)."""
        if self.decisions.empty:
            return pd.DataFrame(columns=["field", "header", "mapped"])
        wide = self.decisions.pivot_table(
            index=["field", "header", "mapped"],
            columns="rule",
            values="rows",
            aggfunc="sum",
            fill_value=0,
        ).reset_index()
        rules = [r for r in RULE_ORDER if r in wide.columns]
        rules += [
            r for r in wide.columns if r not in rules and r not in {"field", "header", "mapped"}
        ]
        wide.columns.name = None
        return wide[["field", "header", "mapped", *rules]]

    def decision_lines(self) -> list[str]:
        """One line per field: how many rows each rule decided."""
        lines = []
        for r in self.decision_table().to_dict("records"):
            counts = [
                f"{rule} {int(r[rule]):,}"
                for rule in RULE_ORDER
                if rule in r and int(r[rule]) and rule not in {"missing", "not_given"}
            ]
            if counts:
                lines.append(f"Decided, {r['field']}: " + ", ".join(counts))
        return lines

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
        mapping = (
            self.columns.fillna("").to_html(index=False)
            if len(self.columns)
            else (self.field_mapping.to_html(index=False))
        )
        decided = self.decision_table().to_html(index=False)
        reasons = self.reject_reasons.to_html(index=False)
        unrecognised = (
            self.unrecognised.sort_values(["field", "rows"], ascending=[True, False])
            .groupby("field")
            .head(20)
            .fillna("–")  # no best guess
            .to_html(index=False)
        )
        status = "adds up" if self.accounted else "<b>does not add up</b>"
        blank = f"; {self.blank_rows:,} blank rows skipped" if self.blank_rows else ""
        return (
            f"<h4>Cleaning report: {html.escape(self.source_file)}</h4>"
            f"<p>{self.n_input:,} rows in = {self.n_clean:,} clean + {self.n_rejects:,} "
            f"rejected + {self.n_duplicates:,} duplicates ({status}){blank}.</p>"
            f"<h5>Every column of the file</h5>{mapping}"
            f"<h5>Rows decided by each rule</h5>{decided}<h5>Parse quality</h5>{quality}"
            f"<h5>Reject reasons</h5>{reasons}"
            f"<h5>Unrecognised strings (up to 20 per field)</h5>{unrecognised}"
        )
