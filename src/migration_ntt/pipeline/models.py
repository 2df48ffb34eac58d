"""The model step of the chain: the default count models of a panel, with the NTT polygons
for the residual diagnostics, and their tables written to ``data/processed``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import config
from migration_ntt.ingest import boundaries
from migration_ntt.manifest import write_manifest
from migration_ntt.models import (
    MODEL_SOURCE,
    CountModelResult,
    default_models,
    format_table,
    model_name,
    model_table,
    observed_expected,
    residual_table,
)
from migration_ntt.viz.export import DEFAULT_FORMATS
from migration_ntt.viz.model_figures import ModelChartData
from migration_ntt.viz.model_figures import model_charts as charts_of
from migration_ntt.viz.model_figures import model_figures as figures_of

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def run_models(
    panel: pd.DataFrame,
    outcome: str | None = None,
    *,
    spatial: bool = True,
    write: bool = True,
) -> list[CountModelResult]:
    """The default models of ``outcome`` (:func:`migration_ntt.models.default_models`).

    Parameters
    ----------
    panel : DataFrame
    outcome : str, optional
        A count column (default: the panel's own count).
    spatial : bool
        Moran's I of the residuals (on the NTT boundaries). Either way the results carry
        the polygons, for the residual map.
    write : bool
        Write the tables (:func:`write_model_tables`).

    Returns
    -------
    list of CountModelResult
    """
    shapes = boundaries.load_boundaries()
    results = default_models(panel, outcome=outcome, shapes=shapes if spatial else None)
    for result in results:
        result.shapes = shapes[["bps_code", "name", "geometry"]]
    if write:
        write_model_tables(results)
    return results


def write_model_tables(results: Sequence[CountModelResult]) -> list[Path]:
    """Write IRR tables (md, tex, html per language), diagnostics and dropped units."""
    folder = config.processed_dir()
    stem = f"models_{results[0].outcome}"
    paths = []
    for lang in ("id", "en"):
        table = model_table(results, lang)
        for fmt, ext in (("markdown", "md"), ("latex", "tex"), ("html", "html")):
            path = folder / f"{stem}_irr_{lang}.{ext}"
            path.write_text(format_table(table, lang, fmt), encoding="utf-8")
            paths.append(path)
    irr = model_table(results, "en")
    irr.to_csv(folder / f"{stem}_irr.csv", index=False)
    diagnostics = pd.DataFrame(
        [
            {
                "model": r.name,
                "family": r.family,
                "family_note": r.family_note,
                "n": r.n,
                "overdispersion_p": r.overdispersion["p_value"],
                "pearson_dispersion": r.overdispersion["pearson_dispersion"],
                "max_vif": r.vif["vif"].max() if len(r.vif) else np.nan,
                "residual_moran_i": r.residual_moran.get("moran_i"),
                "residual_moran_p": r.residual_moran.get("p_sim"),
                "dropped": len(r.dropped),
                "notes": "; ".join(r.notes),
            }
            for r in results
        ]
    )
    diagnostics.to_csv(folder / f"{stem}_diagnostics.csv", index=False)
    pd.concat([r.dropped.assign(model=r.name) for r in results]).to_csv(
        folder / f"{stem}_dropped_units.csv", index=False
    )
    pd.concat([r.loo.assign(model=r.name) for r in results]).to_csv(
        folder / f"{stem}_leave_one_out.csv", index=False
    )
    paths += [
        folder / f"{stem}_irr.csv",
        folder / f"{stem}_diagnostics.csv",
        folder / f"{stem}_dropped_units.csv",
        folder / f"{stem}_leave_one_out.csv",
    ]
    write_manifest(
        folder / f"{stem}_irr.csv",
        inputs=[config.indicators_dir() / "ntt_indicators_long.csv"],
        parameters={"models": [r.name for r in results], "formulas": [r.formula for r in results]},
        outputs=paths[:-4] + paths[-3:],
    )
    return paths


def model_chart_data(results: Sequence[CountModelResult], lang: str) -> ModelChartData:
    """What the model charts show, in ``lang``, made from the fitted models: the IRR table,
    the last model's observed and expected counts and its residuals on the polygons.

    Parameters
    ----------
    results : sequence of CountModelResult
    lang : {"id", "en"}

    Returns
    -------
    ModelChartData
    """
    last = results[-1]
    residuals = None
    if last.shapes is not None:
        residuals = last.shapes.merge(residual_table(last), on="bps_code", how="left")
    return ModelChartData(
        outcome=results[0].outcome,
        coefficients=model_table(results, lang),
        observed_expected=observed_expected(last),
        residuals=residuals,
        model_name=model_name(last.name, lang),
        caveat=last.caveat(lang),
        default_source=MODEL_SOURCE[lang],
        per_sd=last.standardised,
        residual_moran=dict(last.residual_moran or {}),
        years=list(last.years),
    )


def model_charts(
    results: Sequence[CountModelResult], lang: str, labels=None, **options
) -> dict[str, Figure]:
    """:func:`migration_ntt.viz.model_figures.model_charts` of fitted models.

    Parameters
    ----------
    results : sequence of CountModelResult
    lang : {"id", "en"}
    labels : mapping, optional
    **options
        ``credit``, ``synthetic``, ``panel``, ``only``.

    Returns
    -------
    dict of Figure
    """
    return charts_of(model_chart_data(results, lang), lang, labels, **options)


def model_figures(
    results: Sequence[CountModelResult],
    lang: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    labels=None,
    **options,
) -> list[Path]:
    """:func:`migration_ntt.viz.model_figures.model_figures` of fitted models (files in
    ``figures/``).

    Parameters
    ----------
    results : sequence of CountModelResult
    lang : {"id", "en"}
    formats : sequence of str
    labels : mapping, optional
    **options
        ``credit``, ``synthetic``, ``panel``, ``only``.

    Returns
    -------
    list of Path
    """
    return figures_of(model_chart_data(results, lang), lang, formats, labels, **options)
