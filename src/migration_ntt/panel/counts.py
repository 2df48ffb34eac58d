"""What a panel's counts say: which columns are counts, known zeros, observed values with
their completeness, coverage by year, events per legal placement, and each count's name,
source line and synthetic flag (:func:`count_metadata`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from migration_ntt.labels import PUBLISHED_CREDIT, RECORDS_CREDIT, count_labels, label

#: The year of the only by-regency list of legal placements covering all 22 units.
LEGAL_PLACEMENTS_YEAR = 2013


def with_known_zeros(panel: pd.DataFrame, count: str) -> pd.DataFrame:
    """A copy of ``panel`` with ``count`` = 0 where a **complete** report does not name
    the unit (see :func:`observed_counts`); other gaps stay missing. Models and
    evaluations use it, so a regency with no deaths in a complete year is a zero, not
    left out.

    Examples
    --------
    >>> from migration_ntt.panel import build_panel
    >>> table = build_panel(write=False)
    >>> filled = with_known_zeros(table, "pmi_deaths_abroad")
    >>> int(filled.loc[filled["year"] == 2024, "pmi_deaths_abroad"].notna().sum())
    22
    """
    known_zero = _known_zero(panel, count)
    if not known_zero.any():
        return panel
    out = panel.copy()
    out.loc[known_zero, count] = 0.0
    return out


def _known_zero(panel: pd.DataFrame, count: str) -> pd.Series:
    """Rows where a complete report of known period does not name the unit (none for a
    count without a completeness column, e.g. a simulated or own-records count)."""
    kind = panel.get(f"{count}_completeness")
    if kind is None:
        return pd.Series(False, index=panel.index)
    return panel[count].isna() & kind.eq("complete") & panel[f"{count}_coverage"].notna()


def observed_counts(panel: pd.DataFrame, count: str) -> pd.DataFrame:
    """What each regency-year says about ``count``, with the report's completeness applied.

    Parameters
    ----------
    panel : pandas.DataFrame
        A regency × year panel.
    count : str
        A count column with its ``_coverage`` (and ``_completeness``) columns.

    Returns
    -------
    pandas.DataFrame
        ``bps_code, year, observed, unnamed_max, status, person_years``: ``status`` is
        ``named`` (the report gives the count), ``zero_complete`` (a complete list does
        not name the unit: ``observed`` = 0), ``censored`` (a top-N list does not name it:
        ``observed`` missing, the count is at most ``unnamed_max``) or ``missing``. Only
        years with a report of known period are kept. Counts without a completeness
        column (case records, zero-filled) are all ``named``.

    Examples
    --------
    >>> from migration_ntt.panel import build_panel
    >>> table = build_panel(write=False)
    >>> seen = observed_counts(table, "pmi_deaths_abroad")
    >>> int(seen.loc[seen["year"].eq(2024), "status"].isin(["named", "zero_complete"]).sum())
    22
    """
    coverage = panel[f"{count}_coverage"]
    part = panel[coverage.notna()]
    value = part[count]
    kind = part.get(f"{count}_completeness", pd.Series(None, index=part.index, dtype=object))
    status = np.select(
        [value.notna(), _known_zero(part, count), kind.eq("top_n")],
        ["named", "zero_complete", "censored"],
        default="missing",
    )
    bound = part.get(f"{count}_unnamed_max", pd.Series(np.nan, index=part.index))
    return pd.DataFrame(
        {
            "bps_code": part["bps_code"].to_numpy(),
            "year": part["year"].to_numpy(),
            "observed": np.where(status == "zero_complete", 0.0, value.astype(float)),
            "unnamed_max": np.where(status == "censored", bound.astype(float), np.nan),
            "status": status,
            "person_years": (part["population"] * coverage.loc[part.index]).to_numpy(),
        }
    )


def count_columns(panel: pd.DataFrame) -> list[str]:
    """The count columns of a panel: every column with a ``<column>_coverage`` beside it.

    Examples
    --------
    >>> import pandas as pd
    >>> count_columns(pd.DataFrame(columns=["a", "a_coverage", "population"]))
    ['a']
    """
    return [c for c in panel.columns if f"{c}_coverage" in panel.columns]


def default_count(panel: pd.DataFrame) -> str:
    """The panel's case-record count if it has one, else ``pmi_deaths_abroad``."""
    made = list(panel.attrs.get("record_counts", {}))
    return made[0] if made else "pmi_deaths_abroad"


def count_source_label(panel: pd.DataFrame, count: str) -> dict[str, str]:
    """The labels of ``count`` in this panel (``attrs["count_labels"]``, else the defaults)."""
    return panel.attrs.get("count_labels", {}).get(count) or count_labels(count)


def per_legal_placements(panel: pd.DataFrame, count: str) -> pd.DataFrame:
    """Non-procedural events per 100 legal placements, by regency, where both exist.

    The events are ``count`` per full year (each year's value divided by its coverage,
    averaged over the years with a value); the placements are the
    :data:`LEGAL_PLACEMENTS_YEAR` list (the only one covering all 22 regencies).

    The regencies left out, and why, are named in ``attrs["left_out"]``.

    **Caveat** (``attrs["caveat"]``): official placements come mostly from Sumba,
    Kabupaten Kupang and Belu, non-procedural deportations and returns from Flores Timur,
    Lembata, TTS, Malaka and Ende; a per-population rate mixes how many leave with how they
    leave, and this ratio separates them only roughly: the placements are from another
    year, and a regency with almost no legal placements gets a huge ratio.

    Examples
    --------
    >>> from migration_ntt import panel
    >>> table = panel.per_legal_placements(panel.build_panel(write=False), "pmi_deportees")
    >>> list(table.columns)[:3]
    ['bps_code', 'name', 'events_per_year']
    """
    year = LEGAL_PLACEMENTS_YEAR
    placements = f"legal_placements_{year}"
    if count not in panel.columns or placements not in panel.columns:
        raise KeyError(f"panel has no {count!r} or {placements!r} column")
    coverage = panel.get(f"{count}_coverage", pd.Series(1.0, index=panel.index))
    per_year = (panel[count] / coverage.where(coverage > 0)).groupby(panel["bps_code"]).mean()
    table = (
        panel.groupby("bps_code")
        .agg(name=("name", "first"), placements=(placements, "first"))
        .assign(events_per_year=per_year)
        .reset_index()
    )
    table["per_100_legal"] = (100 * table["events_per_year"] / table["placements"]).where(
        table["placements"] > 0
    )
    out = table[["bps_code", "name", "events_per_year", "placements", "per_100_legal"]]
    out = out.rename(columns={"placements": placements})
    missing = out[out["per_100_legal"].isna()]
    no_count = missing.loc[missing["events_per_year"].isna(), "name"].str.removeprefix("Kabupaten ")
    no_legal = missing.loc[missing["events_per_year"].notna(), "name"].str.removeprefix(
        "Kabupaten "
    )
    out = out.dropna(subset=["per_100_legal"])
    out = out.sort_values("per_100_legal", ascending=False, ignore_index=True)
    out.attrs["caveat"] = (
        f"{count} per full year (average of the years reported) per 100 legal placements of "
        f"{year}: different years, and official placements come mostly from Sumba, "
        "Kabupaten Kupang and Belu while non-procedural deportations and returns come from "
        "Flores Timur, Lembata, TTS, Malaka and Ende; a regency with few legal placements "
        "gets a very large ratio. A rough contrast of how people leave, not a rate."
    )
    left_out = []
    if len(no_count):
        left_out.append(f"no {count} reported: {', '.join(no_count)}")
    if len(no_legal):
        left_out.append(f"no legal placements in {year}: {', '.join(no_legal)}")
    out.attrs["left_out"] = (
        f"{len(out)} of {len(table)} regencies have both numbers; not shown ("
        + "; ".join(left_out)
        + ")."
        if left_out
        else f"All {len(table)} regencies have both numbers."
    )
    return out


def coverage_summary(panel: pd.DataFrame) -> pd.DataFrame:
    """Per count and year: units with a value, the period covered and the source.

    Examples
    --------
    >>> from migration_ntt import panel
    >>> summary = panel.coverage_summary(panel.build_panel(write=False))
    >>> set(summary.columns) >= {"count", "year", "units_with_value", "coverage"}
    True
    """
    rows = []
    for count in count_columns(panel):
        for year, group in panel.groupby("year"):
            present = group[count].notna()
            if not present.any():
                continue
            rows.append(
                {
                    "count": count,
                    "year": year,
                    "units_with_value": int(present.sum()),
                    "total": float(group[count].sum()),
                    "period": f"{group[f'{count}_period_start'].iloc[0]:%d %b} – "
                    f"{group[f'{count}_period_end'].iloc[0]:%d %b %Y}",
                    "coverage": group[f"{count}_coverage"].iloc[0],
                    "source": group[f"{count}_source"].iloc[0],
                }
            )
    return pd.DataFrame(rows)


def count_metadata(
    panel: pd.DataFrame, count: str | None, label: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Name, labels, kind of source, credit line and synthetic flag of a panel's count.

    Parameters
    ----------
    panel : DataFrame
        A panel of :func:`~migration_ntt.panel.build_panel`.
    count : str, optional
        A count column (default: :func:`default_count`).
    label : dict, optional
        ``{"id": …, "en": …}`` naming the count (default: the panel's label).

    Returns
    -------
    dict
        ``count, labels, source_kind`` (``records`` or ``published``), ``credit`` (per
        language), ``synthetic`` and the record ``accounting``.

    Raises
    ------
    ValueError
        ``count`` is not a count column of the panel (the message lists them).
    """
    count = count or default_count(panel)
    columns = count_columns(panel)
    if count not in columns:
        raise ValueError(
            f"count {count!r} is not a count column of the panel; count columns: "
            f"{', '.join(columns)}"
        )
    made = panel.attrs.get("record_counts", {}).get(count)
    synthetic_column = f"{count}_synthetic"
    synthetic = bool(
        synthetic_column in panel.columns and panel[synthetic_column].fillna(False).any()
    )
    labels = count_labels(count, dict(label)) if label else count_source_label(panel, count)
    if made is not None or synthetic_column in panel.columns:
        kind = "records"
        credit = records_credit(str(panel[f"{count}_source"].dropna().iloc[0]), synthetic)
    else:
        kind, credit = "published", dict(PUBLISHED_CREDIT)
    return {
        "count": count,
        "labels": labels,
        "source_kind": kind,
        "credit": credit,
        "synthetic": synthetic,
        "accounting": (made or {}).get("accounting", {}),
    }


def records_credit(source: str, synthetic: bool, population: bool = True) -> dict[str, str]:
    """The credit line of figures made from case records, per language."""
    files = source.removeprefix("case records: ").replace(" (SYNTHETIC DATA)", "")
    out = {}
    for lang in ("id", "en"):
        text = RECORDS_CREDIT[lang].format(
            files=files, synthetic=f" ({label('synthetic_mark', lang)})" if synthetic else ""
        )
        out[lang] = text if population else text.rsplit(";", 1)[0]
    return out
