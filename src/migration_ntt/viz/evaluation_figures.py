"""The charts of a programme evaluation: the event study, and the smoothed-rate map with
the regencies that have the programme marked.

Figures take tables: the event-time table, the programme's name and the number of
permutations, not the evaluation object (:mod:`migration_ntt.pipeline.evaluations` passes
them)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt.ingest.programmes import programme_label
from migration_ntt.labels import check_language, format_number, label
from migration_ntt.results import HotspotResult
from migration_ntt.viz import charts, maps
from migration_ntt.viz.export import DEFAULT_FORMATS, export_figures
from migration_ntt.viz.hotspot_figures import result_shapes

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def evaluation_maps(
    event_time: pd.DataFrame,
    programme: str,
    permutations: int,
    hotspots: HotspotResult,
    table: pd.DataFrame,
    lang: str,
) -> dict[str, Figure]:
    """The event-study chart of an evaluation (its ``event_time`` table, ``permutations``
    reassignments) and the smoothed-rate map with the regencies that have ``programme``
    (a ``<programme>_active`` column of ``table``) marked."""
    check_language(lang)
    name = hotspots.label(lang)
    active = f"{programme}_active"
    programme_name = programme_label(programme, lang)
    figures = {
        "event_study": charts.event_study_plot(
            event_time,
            lang,
            title=label("event_study_title", lang, programme=programme_name, count=name),
            source=hotspots.credit[lang],
            caveat=label(
                "event_study_caveat", lang, permutations=format_number(permutations, lang)
            ),
            synthetic=hotspots.synthetic,
        )
    }
    shapes = result_shapes(hotspots)
    pooled = hotspots.rates[hotspots.rates["period"] == "pooled"]
    pooled_shapes = shapes[["bps_code", "name", "geometry"]].merge(
        pooled.drop(columns=["name"]), on="bps_code", how="left"
    )
    if hotspots.synthetic:
        pooled_shapes.attrs["synthetic"] = True
    year = int(table["year"].max())
    having = table.loc[(table["year"] == year) & (table[active] == 1), "bps_code"]
    figure = maps.choropleth(
        pooled_shapes,
        "eb_spatial",
        lang=lang,
        title=label("programme_map_title", lang, count=name, programme=programme_name),
        source=hotspots.credit[lang],
        period=hotspots.periods["pooled"],
        notes=[label("caveat", lang)],
    )
    figures["map"] = maps.mark_units(
        figure,
        pooled_shapes,
        having,
        label("programme_present", lang, programme=programme_name, year=year),
    )
    return figures


def evaluation_figures(
    event_time: pd.DataFrame,
    programme: str,
    permutations: int,
    hotspots: HotspotResult,
    table: pd.DataFrame,
    lang: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """Export :func:`evaluation_maps` to ``figures/<count>_evaluation_<programme>_*``."""
    figures = evaluation_maps(event_time, programme, permutations, hotspots, table, lang)
    stem = f"{hotspots.count}_evaluation_{programme}_{{}}".format
    return export_figures(figures, stem, lang, formats)
