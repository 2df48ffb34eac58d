"""The strategy step: a workshop read, its matrices and Monte Carlo computed, the evidence
each rating cites linked to the package's current values, and the tables, figures and TOWS
export written (``data/processed/strategy[_illustrative]_*``, ``figures/strategy*``,
``reports/strategy*_tows_*``).

Evidence citations in the ``evidence`` cell of a factor:

* ``rate:<count>@<regency>``: the pooled rate per 100,000 of a count;
* ``panel:<column>@<regency>[@<year>]``: a panel value (latest year with a value);
* ``evaluation:<programme>``: the programme's before-and-after IRR, interval and p;
* anything else: kept as written, "text (not linked)".
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_ntt import config, evaluation, regions
from migration_ntt.ingest import boundaries
from migration_ntt.ingest.programmes import load_programmes
from migration_ntt.ingest.workshop import ILLUSTRATIVE, Workshop, read_workshop
from migration_ntt.panel import build_panel
from migration_ntt.report.tows import export_tows
from migration_ntt.spatial.regency_hotspots import rate_table
from migration_ntt.strategy import (
    StrategyUncertainty,
    efe,
    ie_cell,
    ife,
    monte_carlo,
    qspm,
    space,
    tows,
)
from migration_ntt.viz import strategy_charts
from migration_ntt.viz.export import export_figures

_EVIDENCE = re.compile(
    r"^(?P<kind>rate|panel|evaluation):(?P<what>[^@]+)(?:@(?P<where>[^@]+))?(?:@(?P<year>\d{4}))?$"
)


def evidence_table(
    workshop: Workshop,
    panel: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
) -> pd.DataFrame:
    """What each factor's rating rested on, with the current value from the package.

    The ``evidence`` cell of a factor may cite:

    * ``rate:<count>@<regency>``: the pooled rate per 100,000 of a count (hotspot chain);
    * ``panel:<column>@<regency>[@<year>]``: a panel value (latest year with a value);
    * ``evaluation:<programme>``: the programme's before-and-after IRR, interval and p
      (:func:`migration_ntt.evaluation.evaluate_programme`, 999 permutations);
    * anything else: kept as written, ``status`` "text (not linked)".

    Parameters
    ----------
    workshop : Workshop
    panel : DataFrame, optional
        Default: the published panel.
    progress : callable, optional
        Receives a line as each cited item is looked up (a programme evaluation takes a
        few seconds).

    Returns
    -------
    pandas.DataFrame
        ``factor, kind, evidence, value, period, source, status`` (one row per factor
        citing evidence).
    """
    cited = workshop.factors.drop_duplicates("factor")
    cited = cited[cited["evidence"].astype(str).str.len() > 0]
    rows = []
    table = panel
    pooled_rates: dict[str, tuple[pd.DataFrame, dict[str, str]]] = {}  # one chain per count
    for item in cited.itertuples():
        match = _EVIDENCE.match(item.evidence.strip())
        row = {
            "factor": item.factor,
            "kind": item.kind,
            "evidence": item.evidence,
            "value": "",
            "period": "",
            "source": "",
            "status": "text (not linked)",
        }
        if match is None:
            rows.append(row)
            continue
        if table is None:
            table = build_panel(write=False)
        kind, what, where, year = (
            match["kind"],
            match["what"].strip(),
            match["where"],
            match["year"],
        )
        if progress is not None:
            progress(f"{item.factor}: {item.evidence.strip()}")
        try:
            code = _regency_code(where) if where else None
            if kind == "rate":
                if what not in pooled_rates:
                    pooled_rates[what] = _pooled_rates(table, what)
                value, period, source = _rate_evidence(table, what, code, *pooled_rates[what])
            elif kind == "panel":
                value, period, source = _panel_evidence(table, what, code, year)
            else:
                value, period, source = _evaluation_evidence(table, what)
            row.update(value=value, period=period, source=source, status="linked")
        except (KeyError, ValueError, LookupError) as error:
            row.update(status=f"not found: {error}")
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["factor", "kind", "evidence", "value", "period", "source", "status"]
    )


def _regency_code(name: str) -> str:
    resolved = regions.resolve([name.strip()])
    code = resolved["bps_code"].iloc[0]
    if code is None or (isinstance(code, float) and math.isnan(code)) or pd.isna(code):
        raise LookupError(f"{name!r} is not one of the 22 regencies")
    return str(code)


def _pooled_rates(table: pd.DataFrame, count: str) -> tuple[pd.DataFrame, dict[str, str]]:
    rates, periods = rate_table(table, boundaries.load_boundaries(), count)
    return rates[rates["period"] == "pooled"].set_index("bps_code"), periods


def _rate_evidence(
    table: pd.DataFrame, count: str, code: str | None, pooled: pd.DataFrame, periods: dict
) -> tuple[str, str, str]:
    if code is None or code not in pooled.index:
        raise KeyError(f"no pooled rate of {count} for {code}")
    row = pooled.loc[code]
    value = f"{row['rate']:.1f} per 100,000 ({row['ci_low']:.1f}–{row['ci_high']:.1f})"
    reports = table[f"{count}_source"].dropna().astype(str).nunique()
    return value, periods["pooled"], f"{reports} published reports ({count}_source in the panel)"


def _panel_evidence(
    table: pd.DataFrame, column: str, code: str | None, year: str | None
) -> tuple[str, str, str]:
    if column not in table.columns:
        raise KeyError(f"no panel column {column!r}")
    rows = table[table[column].notna()]
    if code is not None:
        rows = rows[rows["bps_code"] == code]
    if year is not None:
        rows = rows[rows["year"] == int(year)]
    if rows.empty:
        raise LookupError(f"no value of {column} for {code or 'NTT'}")
    latest = rows.sort_values("year").iloc[-1]
    period = str(latest.get(f"{column}_year", latest["year"]))
    source = (
        str(latest[f"{column}_source"])
        if f"{column}_source" in table.columns
        else "src/migration_ntt/data/indicators/ntt_indicators_long.csv (source per row)"
    )
    return f"{latest[column]:g}", period, source


def _evaluation_evidence(table: pd.DataFrame, programme: str) -> tuple[str, str, str]:
    result = evaluation.evaluate_programme(
        table, programme, permutations=999, programmes=load_programmes()
    )
    years = f"{int(table['year'].min())}–{int(table['year'].max())}"
    value = (
        f"IRR {result.irr:.2f} ({result.ci_low:.2f}–{result.ci_high:.2f}), "
        f"p = {result.p_randomisation:.3f}"
    )
    return value, years, "migration_ntt.evaluation (randomisation over adoption, 999)"


@dataclass
class StrategyResult:
    """Result of :func:`run_strategy`: the matrices, their uncertainty and the files."""

    workshop: Workshop
    ife: pd.DataFrame
    efe: pd.DataFrame
    ie: tuple[str, str]
    space: dict | None
    tows: pd.DataFrame
    qspm: pd.DataFrame
    uncertainty: StrategyUncertainty
    evidence: pd.DataFrame
    files: list[Path]


def run_strategy(
    path: str | Path = ILLUSTRATIVE,
    *,
    languages: Sequence[str] = ("id", "en"),
    draws: int = 2_000,
    seed: int = 20_251_129,
    formats: Sequence[str] = ("png",),
    evidence: bool = True,
    write: bool = True,
) -> StrategyResult:
    """Read a workshop, compute every matrix and its Monte Carlo, write tables, figures and
    the TOWS export. Files: ``data/processed/strategy[_illustrative]_*.csv``,
    ``figures/strategy_{ie,space,qspm}_{lang}.*``, ``reports/strategy_tows_{lang}.*``.

    Examples
    --------
    >>> result = run_strategy(draws=200, evidence=False, write=False)
    >>> from migration_ntt.strategy import IE_CELLS
    >>> result.ie[0] in IE_CELLS[1] + IE_CELLS[2]
    True

    Parameters
    ----------
    path : path
        The workshop file (default: the illustrative workshop shipped with the package).
    languages : sequence of {"id", "en"}
    draws, seed : int
        Monte Carlo draws and seed (:func:`migration_ntt.strategy.monte_carlo`).
    formats : sequence of str
        Figure formats.
    evidence : bool
        Link each factor's cited evidence to the package's current values.
    write : bool
        Write tables, figures and the TOWS export.

    Returns
    -------
    StrategyResult
    """
    workshop = read_workshop(path)
    internal, external = ife(workshop.factors), efe(workshop.factors)
    cell = ie_cell(internal.loc["pooled", "total"], external.loc["pooled", "total"])
    position = space(workshop.space) if len(workshop.space) else None
    pairing = tows(workshop.factors, workshop.qspm)
    totals = qspm(workshop.factors, workshop.qspm) if len(workshop.qspm) else pd.DataFrame()
    uncertainty = monte_carlo(workshop, draws=draws, seed=seed)
    cited = evidence_table(workshop) if evidence else pd.DataFrame()
    files: list[Path] = []
    if write:
        tag = "strategy_illustrative" if workshop.illustrative else "strategy"
        folder = config.processed_dir()
        folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "ife": internal.reset_index(),
            "efe": external.reset_index(),
            "qspm": totals,
            "ranking": uncertainty.ranking,
            "ie_cells": uncertainty.ie_cells.rename_axis("cell").reset_index(),
            "tows": pairing,
            "evidence": cited,
        }
        if position is not None:
            tables["space"] = pd.DataFrame([position])
        for name, table in tables.items():
            out = folder / f"{tag}_{name}.csv"
            table.assign(illustrative=workshop.illustrative, source=workshop.source_name).to_csv(
                out, index=False
            )
            files.append(out)
        source = workshop.source_name
        for lang in languages:
            figures = {
                "ie": strategy_charts.ie_figure(
                    internal.loc["pooled", "total"],
                    external.loc["pooled", "total"],
                    lang,
                    points=uncertainty.ie_points,
                    cell_share=float(uncertainty.ie_cells.get(cell[0], 0.0)),
                    source=source,
                    illustrative=workshop.illustrative,
                ),
            }
            if position is not None:
                figures["space"] = strategy_charts.space_figure(
                    position, lang, source=source, illustrative=workshop.illustrative
                )
            if len(uncertainty.ranking):
                figures["qspm"] = strategy_charts.qspm_figure(
                    uncertainty.ranking, lang, source=source, illustrative=workshop.illustrative
                )
            files += export_figures(figures, f"{tag}_{{}}".format, lang, formats)
            files += export_tows(
                pairing,
                config.reports_dir() / f"{tag}_tows_{lang}",
                lang,
                illustrative=workshop.illustrative,
            )
    return StrategyResult(
        workshop=workshop,
        ife=internal,
        efe=external,
        ie=cell,
        space=position,
        tows=pairing,
        qspm=totals,
        uncertainty=uncertainty,
        evidence=cited,
        files=files,
    )
