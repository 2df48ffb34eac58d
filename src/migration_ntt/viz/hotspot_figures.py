"""The maps of a hotspot result: rates by year, pooled and smoothed, LISA and Gi*, and the
offline interactive map; drawn from a :class:`~migration_ntt.results.HotspotResult` (which
carries its polygons) and exported in the chosen formats.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from migration_ntt import config
from migration_ntt.labels import check_language, format_number, label
from migration_ntt.results import HotspotResult
from migration_ntt.spatial.regency_hotspots import MIN_UNITS_PER_YEAR_MAP
from migration_ntt.viz import cluster_maps, interactive, maps
from migration_ntt.viz.export import DEFAULT_FORMATS, export_figures

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.figure import Figure


def result_shapes(result: HotspotResult) -> gpd.GeoDataFrame:
    if result.shapes is None:
        raise ValueError(
            "this hotspot result carries no polygons (shapes): make it with "
            "migration_ntt.analysis.run_hotspots or pass shapes to hotspot_analysis"
        )
    return result.shapes.copy()


def _weights_note(result: HotspotResult, lang: str) -> str:
    policy = {
        "links": {"id": "jalur laut", "en": "sea links"},
        "knn": {"id": "tetangga terdekat", "en": "nearest unit"},
        "none": {"id": "tanpa tetangga", "en": "no neighbours"},
    }[result.island_policy][lang]
    return label("weights_note", lang, method="queen", policy=policy)


def hotspot_maps(
    result: HotspotResult, lang: str, only: Sequence[str] | None = None
) -> dict[str, Figure]:
    """The maps of a hotspot result in ``lang``, as figures (shown inline in a notebook).

    Keys: ``rate_by_year`` (small multiples with shared classes), ``rate_pooled``,
    ``rate_eb``, ``lisa``, ``gi``; ``only`` draws a subset.
    """
    check_language(lang)
    shapes = result_shapes(result)
    if result.synthetic:
        shapes.attrs["synthetic"] = True
    name = result.label(lang)
    pooled = result.rates[result.rates["period"] == "pooled"]
    pooled_shapes = shapes[["bps_code", "name", "geometry"]].merge(
        pooled.drop(columns=["name"]), on="bps_code", how="left"
    )
    pooled_shapes.attrs.update(shapes.attrs)
    years_text = result.periods["pooled"]
    notes = [label("rate_caveat", lang)]  # a descriptive map: no "association, not cause"
    wanted = set(only or MAP_FILES)
    unknown = wanted - set(MAP_FILES)
    if unknown:
        raise ValueError(f"unknown map(s) {sorted(unknown)}; choose from {list(MAP_FILES)}")
    figures: dict[str, Figure] = {}
    per_year = result.rates[result.rates["period"] != "pooled"]
    if "rate_by_year" in wanted and per_year["period"].nunique() > 0:
        by_year_text = years_text
        if result.years_not_mapped:  # say which years have no map, and why
            by_year_text = label(
                "years_not_mapped",
                lang,
                period=years_text,
                years=", ".join(result.years_not_mapped),
                n=MIN_UNITS_PER_YEAR_MAP,
            )
        figures["rate_by_year"] = cluster_maps.small_multiples(
            shapes,
            per_year,
            "rate",
            facet="period",
            lang=lang,
            title=label("small_multiples_title", lang, count=name),
            source=result.credit[lang],
            period=by_year_text,
        )
    if "rate_pooled" in wanted:
        figures["rate_pooled"] = maps.choropleth(
            pooled_shapes,
            "rate",  # Fisher–Jenks (the default) keeps the top rate apart from half its size
            lang=lang,
            title=label("rate_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
            notes=notes,
        )
    if "rate_eb" in wanted:
        figures["rate_eb"] = maps.choropleth(
            pooled_shapes,
            "eb_spatial",
            lang=lang,
            title=label("eb_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
            notes=notes,
        )
    significance = label(
        "significance_note", lang, permutations=format_number(result.permutations, lang)
    )
    cluster_notes = [significance, _weights_note(result, lang)]
    if "lisa" in wanted:
        figures["lisa"] = cluster_maps.lisa_map(
            shapes,
            result.lisa,
            lang=lang,
            title=label("lisa_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
            notes=cluster_notes,
        )
    if "gi" in wanted:
        figures["gi"] = cluster_maps.hotspot_map(
            shapes,
            result.gi,
            lang=lang,
            title=label("gi_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
            notes=cluster_notes,
        )
    return figures


MAP_FILES = {
    "rate_by_year": "rate_by_year",
    "rate_pooled": "rate_pooled",
    "rate_eb": "rate_eb",
    "lisa": "lisa",
    "gi": "hotspots_gi",
}


def hotspot_figures(
    result: HotspotResult,
    lang: str,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    only: Sequence[str] | None = None,
    interactive_map: bool = True,
) -> list[Path]:
    """Export :func:`hotspot_maps` to ``figures/<count>_<map>_<lang>.*`` and write the
    interactive HTML map; return the paths.

    Parameters
    ----------
    result : HotspotResult
    lang : {"id", "en"}
    formats : sequence of {"png", "pdf", "svg"}
    only : sequence of str, optional
        The maps to draw (keys of :data:`MAP_FILES`; an empty list draws none); default all.
    interactive_map : bool
        Also write ``figures/<count>_map_<lang>.html``.

    Returns
    -------
    list of pathlib.Path
    """
    paths: list[Path] = []
    maps_wanted = list(MAP_FILES) if only is None else list(only)
    if maps_wanted:
        figures = hotspot_maps(result, lang, only=maps_wanted)
        paths += export_figures(
            figures, lambda key: f"{result.count}_{MAP_FILES[key]}", lang, formats
        )
    if not interactive_map:
        return paths

    shapes = result_shapes(result)
    pooled = result.rates[result.rates["period"] == "pooled"]
    layer_frame = shapes[["bps_code", "name", "geometry"]].merge(
        pooled.drop(columns=["name"]), on="bps_code", how="left"
    )
    layer_frame = layer_frame.merge(result.lisa[["bps_code", "label"]], on="bps_code", how="left")
    layer_frame["label"] = layer_frame["label"].map(
        lambda v: label(v, lang) if isinstance(v, str) else label("no_data", lang)
    )
    name = result.label(lang)
    rate_title = label("rate_title", lang, count=name)
    pooled_years = result.periods["pooled"]
    smoothed = "dihaluskan (EB)" if lang == "id" else "smoothed (EB)"
    layers = {"rate": pooled_years, "eb_spatial": f"{pooled_years}, {smoothed}"}
    legend_titles = {
        "rate": f"{rate_title}, {pooled_years}",
        "eb_spatial": f"{label('eb_title', lang, count=name)}, {pooled_years}",
    }
    low, high = (
        ("IK 95 % (bawah)", "IK 95 % (atas)") if lang == "id" else ("95% CI (low)", "95% CI (high)")
    )
    layer_frame["period"] = result.periods["pooled"]
    layer_frame["source"] = result.credit[lang]
    # One layer per report year: the layer control is the year control.
    layer_tooltips = {}
    yearly = result.rates[result.rates["period"] != "pooled"]
    for year, part in yearly.groupby("period"):
        columns = {f"{c}_{year}": c for c in ("rate", "ci_low", "ci_high")}
        layer_frame = layer_frame.merge(
            part[["bps_code", *columns.values()]].rename(
                columns={v: k for k, v in columns.items()}
            ),
            on="bps_code",
            how="left",
        )
        layer_frame[f"period_{year}"] = result.periods[year]
        layer_tooltips[f"rate_{year}"] = {
            f"rate_{year}": f"{year}: {rate_title}",
            f"ci_low_{year}": f"{year}: {low}",
            f"ci_high_{year}": f"{year}: {high}",
            f"period_{year}": f"{year}: {label('period', lang)}",
        }
        layers[f"rate_{year}"] = str(year)
        legend_titles[f"rate_{year}"] = f"{rate_title}, {result.periods[year]}"
    tooltip = {
        "count": result.labels[f"unit_{lang}"],
        "rate": rate_title,
        "ci_low": low,
        "ci_high": high,
        "eb_spatial": label("eb_title", lang, count=name),
        "label": "LISA",
        "period": label("period", lang),
        "source": label("source", lang),
    }
    fmap = interactive.interactive_map(
        layer_frame,
        layers,
        lang=lang,
        tooltip_columns=tooltip,
        synthetic=result.synthetic,
        title=name,
        layer_tooltips=layer_tooltips,
        legend_titles=legend_titles,
    )
    target = config.figures_dir() / f"{result.count}_map_{lang}.html"
    paths.append(interactive.save_map(fmap, target))
    return paths
