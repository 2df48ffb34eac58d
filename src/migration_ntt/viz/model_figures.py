"""The charts of fitted count models: forest plots for staff and researchers, observed
against expected counts, and the map of residuals; exported in the chosen formats.

Figures take tables: :class:`ModelChartData` holds what the charts show (the IRR table, the
observed and expected counts, the residuals with their polygons, the texts), made from the
fitted models by :func:`migration_ntt.pipeline.models.model_chart_data`; no model object
reaches this module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.labels import count_labels, format_number, label
from migration_ntt.panel import count_metadata
from migration_ntt.viz import charts
from migration_ntt.viz.export import DEFAULT_FORMATS, export_figures

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure


@dataclass
class ModelChartData:
    """What the model charts show, in one language.

    Attributes
    ----------
    outcome : str
        The count modelled.
    coefficients : DataFrame
        The IRR table of every model (``models.model_table``).
    observed_expected : DataFrame
        Observed and expected counts of the last (pooled) model.
    residuals : GeoDataFrame or None
        The last model's residuals on the regency polygons (None: no residual map).
    model_name : str
        The last model's name in the language.
    caveat : str
        What the last model can and cannot say.
    default_source : str
        The credit when the caller gives none.
    per_sd : bool
        Terms are per standard deviation.
    residual_moran : dict
        Moran's I of the residuals (``moran_i``, ``p_sim``), empty when not computed.
    years : list of int
        The years of the last model.
    """

    outcome: str
    coefficients: pd.DataFrame
    observed_expected: pd.DataFrame
    residuals: gpd.GeoDataFrame | None
    model_name: str
    caveat: str
    default_source: str
    per_sd: bool
    residual_moran: dict = field(default_factory=dict)
    years: list[int] = field(default_factory=list)


def model_charts(
    data: ModelChartData,
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

    ``data`` is in ``lang``; ``labels`` names the outcome, ``credit`` is the source line per
    language; given the ``panel`` the models were fitted on, both (and the synthetic mark)
    come from it. The residual map is drawn when ``data`` has residuals on polygons.
    """
    wanted = set(MODEL_FILES if only is None else only)
    unknown = wanted - set(MODEL_FILES)
    if unknown:
        raise ValueError(f"unknown chart(s) {sorted(unknown)}; choose from {list(MODEL_FILES)}")
    if panel is not None:
        meta = count_metadata(panel, data.outcome, labels)
        labels, credit = meta["labels"], credit or meta["credit"]
        synthetic = synthetic or bool(meta["synthetic"])
    labels = dict(labels or count_labels(data.outcome))
    name = labels[lang]
    source = credit[lang] if credit else data.default_source
    figures: dict[str, Figure] = {}
    for key, audience in (("forest", "staff"), ("forest_researcher", "researcher")):
        if key in wanted:
            title_key = "coefficient_title_staff" if audience == "staff" else "coefficient_title"
            figures[key] = charts.coefficient_plot(
                data.coefficients,
                lang,
                title=label(title_key, lang, count=name, unit=labels[f"unit_{lang}"]),
                unit=labels[f"unit_{lang}"],
                per_sd=data.per_sd,
                caveat=label("caveat", lang),
                source=source,
                synthetic=synthetic,
                audience=audience,
            )
    if "observed_expected" in wanted:
        figures["observed_expected"] = charts.observed_vs_expected(
            data.observed_expected,
            lang,
            title=f"{label('observed_vs_expected_title', lang, count=name)} — {data.model_name}",
            caveat=data.caveat,
            source=source,
            synthetic=synthetic,
        )
    if data.residuals is None or "residual_map" not in wanted:  # no polygons: no residual map
        return figures
    moran = data.residual_moran
    note = ""
    if moran:
        note = (
            f"Moran's I = {format_number(moran['moran_i'], lang, 2)}, "
            f"p = {format_number(moran['p_sim'], lang, 2)}"
        )
    figures["residual_map"] = charts.residual_map(
        data.residuals,
        lang,
        title=f"{label('residual_map_title', lang, count=name)} — {data.model_name}",
        notes=[note, label("caveat", lang)],
        period=", ".join(map(str, data.years)),
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
    data: ModelChartData,
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
    charts = model_charts(
        data, lang, labels, credit=credit, synthetic=synthetic, panel=panel, only=only
    )
    return export_figures(charts, lambda key: f"{data.outcome}_{MODEL_FILES[key]}", lang, formats)
