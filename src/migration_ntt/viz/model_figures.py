"""The charts of fitted count models: forest plots for staff and researchers, observed
against expected counts, and the map of residuals; exported in the chosen formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import pandas as pd

from migration_ntt import models
from migration_ntt.labels import count_labels, format_number, label
from migration_ntt.models import CountModelResult
from migration_ntt.panel import count_metadata
from migration_ntt.viz import charts
from migration_ntt.viz.export import DEFAULT_FORMATS, export_figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def model_charts(
    results: Sequence[CountModelResult],
    lang: str,
    labels: Mapping[str, str] | None = None,
    *,
    credit: Mapping[str, str] | None = None,
    synthetic: bool = False,
    panel: pd.DataFrame | None = None,
    only: Sequence[str] | None = None,
) -> dict[str, Figure]:
    """Forest plot of all models, observed vs expected and residual map of the last (pooled)
    model, as figures (keys ``forest``, ``forest_researcher``, ``observed_expected``,
    ``residual_map``; ``only`` draws a subset).

    ``labels`` names the outcome, ``credit`` is the source line per language; given the
    ``panel`` the models were fitted on, both (and the synthetic mark) come from it. The
    residual map is drawn when the last model was fitted with the polygons (``shapes=``).
    """
    wanted = set(MODEL_FILES if only is None else only)
    unknown = wanted - set(MODEL_FILES)
    if unknown:
        raise ValueError(f"unknown chart(s) {sorted(unknown)}; choose from {list(MODEL_FILES)}")
    outcome = results[0].outcome
    if panel is not None:
        meta = count_metadata(panel, outcome, labels)
        labels, credit = meta["labels"], credit or meta["credit"]
        synthetic = synthetic or bool(meta["synthetic"])
    labels = dict(labels or count_labels(outcome))
    name = labels[lang]
    source = credit[lang] if credit else models.MODEL_SOURCE[lang]
    table = models.model_table(results, lang)
    last = results[-1]
    figures: dict[str, Figure] = {}
    for key, audience in (("forest", "staff"), ("forest_researcher", "researcher")):
        if key in wanted:
            title_key = "coefficient_title_staff" if audience == "staff" else "coefficient_title"
            figures[key] = charts.coefficient_plot(
                table,
                lang,
                title=label(title_key, lang, count=name, unit=labels[f"unit_{lang}"]),
                unit=labels[f"unit_{lang}"],
                per_sd=last.standardised,
                caveat=label("caveat", lang),
                source=source,
                synthetic=synthetic,
                audience=audience,
            )
    if "observed_expected" in wanted:
        figures["observed_expected"] = charts.observed_vs_expected(
            models.observed_expected(last),
            lang,
            title=f"{label('observed_vs_expected_title', lang, count=name)} — "
            f"{models.model_name(last.name, lang)}",
            caveat=last.caveat(lang),
            source=source,
            synthetic=synthetic,
        )
    if last.shapes is None or "residual_map" not in wanted:  # no polygons: no residual map
        return figures
    shapes = last.shapes.merge(models.residual_table(last), on="bps_code", how="left")
    moran = last.residual_moran
    note = ""
    if moran:
        note = (
            f"Moran's I = {format_number(moran['moran_i'], lang, 2)}, "
            f"p = {format_number(moran['p_sim'], lang, 2)}"
        )
    figures["residual_map"] = charts.residual_map(
        shapes,
        lang,
        title=f"{label('residual_map_title', lang, count=name)} — "
        f"{models.model_name(last.name, lang)}",
        notes=[note, label("caveat", lang)],
        period=", ".join(map(str, last.years)),
        source=source,
        synthetic=synthetic,
    )
    return figures


MODEL_FILES = {
    "forest": "models_forest",
    "forest_researcher": "models_forest_researcher",
    "observed_expected": "models_observed_expected",
    "residual_map": "models_residual_map",
}


def model_figures(
    results: Sequence[CountModelResult],
    lang: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
    labels: Mapping[str, str] | None = None,
    *,
    credit: Mapping[str, str] | None = None,
    synthetic: bool = False,
    panel: pd.DataFrame | None = None,
    only: Sequence[str] | None = None,
) -> list[Path]:
    """Export :func:`model_charts` to ``figures/<outcome>_models_*_<lang>.*`` (``only``:
    a subset of :data:`MODEL_FILES`)."""
    paths: list[Path] = []
    charts = model_charts(
        results, lang, labels, credit=credit, synthetic=synthetic, panel=panel, only=only
    )
    for key, figure in charts.items():
        paths += export_figure(figure, f"{results[0].outcome}_{MODEL_FILES[key]}", lang, formats)
        plt.close(figure)
    return paths
