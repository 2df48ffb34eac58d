"""The ``records=`` argument of the panel builders: one case file or several counts."""

from __future__ import annotations

from collections.abc import Mapping


def record_specs(records, select, name, period, complete, label) -> dict[str, dict]:
    """``records=`` as a dict of count name → full spec (see :func:`build_panel`)."""
    if records is None:
        return {}
    is_many = isinstance(records, Mapping) and all(
        isinstance(spec, Mapping) and "records" in spec for spec in records.values()
    )
    raw = records if is_many else {name: {"records": records}}
    if not is_many:
        raw[name].update(select=select, period=period, complete=complete, label=label)
    specs = {}
    for count_name, spec in raw.items():
        unknown = set(spec) - {"records", "select", "period", "complete", "label"}
        if unknown:
            raise ValueError(
                f"records[{count_name!r}]: unknown key(s) {sorted(unknown)}; use records, "
                "select, period, complete, label"
            )
        specs[count_name] = {
            "records": spec["records"],
            "select": spec.get("select"),
            "period": spec.get("period"),
            "complete": spec.get("complete", True),
            "label": spec.get("label"),
        }
    return specs
