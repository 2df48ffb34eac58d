"""The default hotspot analysis on the embedded real data (what ``migration-ntt hotspots`` runs).

Question: which regencies lose disproportionately many migrant workers to death abroad,
and do they cluster?

1. Rates per 100,000 person-years for each report year (person-years = population ×
   the fraction of the year the report covers) and **pooled** over all report years: for
   each regency, the deaths of the years in which a report names it, over the
   person-years of those same years. A regency never named has no rate (not zero).
2. Empirical-Bayes smoothing (global and spatial; islands fall back to global).
3. Weights: queen contiguity with the documented NTT sea links for the island regencies
   (``island_policy="links"``); the sensitivity table repeats the global statistic under
   other schemes.
4. Global Moran's I of EB-standardised rates (Assunção–Reis), local Moran of
   EB-standardised rates (LISA) and Gi* of the spatially smoothed rates, seeded, with
   BH q-values.

Everything is written to ``data/processed/hotspots_*.csv`` with manifests; maps to
``figures/`` in Bahasa Indonesia and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_ntt import config
from migration_ntt.manifest import write_manifest

COUNT = "pmi_deaths_abroad"
ISLAND_POLICY = "links"


@dataclass
class HotspotResult:
    """Tables of the default hotspot analysis."""

    rates: pd.DataFrame  # long: one row per unit and period ("2018", …, "pooled")
    lisa: pd.DataFrame
    gi: pd.DataFrame
    global_stats: pd.DataFrame
    sensitivity: pd.DataFrame
    connectivity: pd.DataFrame
    connectivity_summary: str
    periods: dict[str, str]
    sources: list[str]
    permutations: int = 9_999
    island_policy: str = ISLAND_POLICY


def _period_text(frame: pd.DataFrame) -> str:
    start, end = frame[f"{COUNT}_period_start"].iloc[0], frame[f"{COUNT}_period_end"].iloc[0]
    return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}"


def rate_table(
    panel: pd.DataFrame, shapes, *, island_policy: str = ISLAND_POLICY
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Crude and EB rates of PMI deaths abroad for every report year and pooled."""
    from migration_ntt.spatial import rates, weights

    reported = panel[panel[COUNT].notna() & panel[f"{COUNT}_coverage"].notna()]
    frames, periods = [], {}
    geometry = shapes[["bps_code", "name", "geometry"]]
    for year, part in reported.groupby("year"):
        if part[COUNT].notna().sum() < 5:
            continue
        units = geometry.merge(
            part[["bps_code", COUNT, "population", f"{COUNT}_coverage"]], on="bps_code"
        )
        graph, _ = weights.build_weights(units, island_policy=island_policy)
        table = rates.smoothed_rates(
            units, COUNT, "population", graph, coverage_col=f"{COUNT}_coverage"
        )
        periods[str(year)] = _period_text(part)
        frames.append(table.assign(period=str(year)))
    pooled = (
        reported.assign(person_years=reported["population"] * reported[f"{COUNT}_coverage"])
        .groupby("bps_code")
        .agg(
            count=(COUNT, "sum"),
            person_years=("person_years", "sum"),
            years=("year", lambda y: ", ".join(map(str, sorted(y)))),
        )
        .reset_index()
    )
    units = geometry.merge(pooled, on="bps_code")
    graph, _ = weights.build_weights(units, island_policy=island_policy)
    table = rates.smoothed_rates(units, "count", "person_years", graph)
    table["years"] = units["years"].to_numpy()
    frames.append(table.assign(period="pooled"))
    periods["pooled"] = ", ".join(p for p in periods if p != "pooled")
    long = pd.concat(frames, ignore_index=True)
    return long, periods


def run_hotspots(
    *, permutations: int = 9_999, island_policy: str = ISLAND_POLICY, write: bool = True
) -> HotspotResult:
    """Run the default analysis (module docstring) and write its tables."""
    from migration_ntt import panel as panel_module
    from migration_ntt.ingest import boundaries
    from migration_ntt.spatial import hotspots, weights

    table = panel_module.build_panel(write=False)
    shapes = boundaries.load_boundaries()
    rates_long, periods = rate_table(table, shapes, island_policy=island_policy)
    pooled = rates_long[(rates_long["period"] == "pooled") & rates_long["count"].notna()]
    units = shapes[["bps_code", "name", "geometry"]].merge(
        pooled[["bps_code", "count", "person_years", "rate", "eb_spatial"]], on="bps_code"
    )
    graph, report = weights.build_weights(units, island_policy=island_policy)
    lisa = hotspots.local_moran_rate(
        units, "count", "person_years", graph, permutations=permutations
    )
    gi = hotspots.local_g(units, "eb_spatial", graph, permutations=permutations)
    global_rows = [
        {
            "statistic": "Moran's I, EB-standardised rates (Assunção–Reis)",
            **hotspots.moran_rate(units, "count", "person_years", graph, permutations=permutations),
        },
        {
            "statistic": "Moran's I, spatial-EB rates",
            **hotspots.global_moran(units, "eb_spatial", graph, permutations=permutations),
        },
    ]
    sensitivity = weights.compare_weights(units, "eb_spatial", permutations=permutations)
    sources = sorted(set(table[f"{COUNT}_source"].dropna()))
    result = HotspotResult(
        rates=rates_long,
        lisa=lisa,
        gi=gi,
        global_stats=pd.DataFrame(global_rows),
        sensitivity=sensitivity,
        connectivity=report.to_frame(),
        connectivity_summary=report.summary(),
        periods=periods,
        sources=sources,
        permutations=permutations,
        island_policy=island_policy,
    )
    if write:
        write_hotspots(result, {"permutations": permutations, "island_policy": island_policy})
    return result


def write_hotspots(result: HotspotResult, parameters: dict[str, object]) -> dict[str, Path]:
    """Write the hotspot tables (CSV) and one manifest to ``data/processed``."""
    folder = config.processed_dir()
    paths = {
        "rates": folder / "hotspots_rates.csv",
        "lisa": folder / "hotspots_lisa.csv",
        "gi": folder / "hotspots_gi.csv",
        "global": folder / "hotspots_global.csv",
        "sensitivity": folder / "hotspots_weights_sensitivity.csv",
        "connectivity": folder / "hotspots_connectivity.csv",
    }
    result.rates.to_csv(paths["rates"], index=False)
    result.lisa.to_csv(paths["lisa"], index=False)
    result.gi.to_csv(paths["gi"], index=False)
    result.global_stats.to_csv(paths["global"], index=False)
    result.sensitivity.to_csv(paths["sensitivity"], index=False)
    result.connectivity.to_csv(paths["connectivity"], index=False)
    write_manifest(
        paths["rates"],
        inputs=[
            config.raw_dir() / "indicators" / "ntt_indicators_long.csv",
            config.reference_dir() / "ntt_sea_links.csv",
        ],
        parameters=parameters,
        outputs=list(paths.values())[1:],
        sources=result.sources,
    )
    return paths


def hotspot_figures(
    result: HotspotResult, lang: str, *, formats=("png", "pdf", "svg")
) -> list[Path]:
    """Maps of the default analysis in one language: per-year small multiples, pooled crude
    and EB rates, LISA clusters, Gi* hot spots, and the interactive HTML map."""
    import matplotlib.pyplot as plt

    from migration_ntt.ingest import boundaries
    from migration_ntt.viz import interactive, maps
    from migration_ntt.viz.export import export_figure
    from migration_ntt.viz.labels import label

    shapes = boundaries.load_boundaries()
    source = "BP3MI/BP2MI NTT (press reports), BPS population"
    pooled = result.rates[result.rates["period"] == "pooled"]
    pooled_shapes = shapes[["bps_code", "name", "geometry"]].merge(
        pooled.drop(columns=["name"]), on="bps_code", how="left"
    )
    years_text = result.periods["pooled"]
    notes = [label("caveat", lang)]
    paths: list[Path] = []

    per_year = result.rates[result.rates["period"] != "pooled"]
    fig = maps.small_multiples(
        shapes, per_year, "rate", facet="period", lang=lang, source=source, period=years_text
    )
    paths += export_figure(fig, "deaths_rate_by_year", lang, formats)
    plt.close(fig)

    fig = maps.choropleth(
        pooled_shapes,
        "rate",
        lang=lang,
        title=f"{label('deaths_rate_title', lang)} ({label('pooled', lang)})",
        source=source,
        period=years_text,
        notes=notes,
    )
    paths += export_figure(fig, "deaths_rate_pooled", lang, formats)
    plt.close(fig)

    fig = maps.choropleth(
        pooled_shapes,
        "eb_spatial",
        lang=lang,
        title=label("deaths_eb_title", lang),
        source=source,
        period=years_text,
        notes=notes,
    )
    paths += export_figure(fig, "deaths_rate_eb", lang, formats)
    plt.close(fig)

    from migration_ntt.viz.labels import format_number

    significance = label(
        "significance_note", lang, permutations=format_number(result.permutations, lang)
    )
    policy = {
        "links": {"id": "jalur laut", "en": "sea links"},
        "knn": {"id": "tetangga terdekat", "en": "nearest unit"},
        "none": {"id": "tanpa tetangga", "en": "no neighbours"},
    }[result.island_policy][lang]
    weights_note = label("weights_note", lang, method="queen", policy=policy)
    fig = maps.lisa_map(
        shapes,
        result.lisa,
        lang=lang,
        source=source,
        period=years_text,
        notes=[significance, weights_note],
    )
    paths += export_figure(fig, "deaths_lisa", lang, formats)
    plt.close(fig)

    fig = maps.hotspot_map(
        shapes,
        result.gi,
        lang=lang,
        source=source,
        period=years_text,
        notes=[significance, weights_note],
    )
    paths += export_figure(fig, "deaths_hotspots_gi", lang, formats)
    plt.close(fig)

    layer_frame = pooled_shapes.merge(result.lisa[["bps_code", "label"]], on="bps_code", how="left")
    layer_frame["label"] = layer_frame["label"].map(
        lambda v: label(v, lang) if isinstance(v, str) else label("no_data", lang)
    )
    layers = {
        "rate": label("deaths_rate_title", lang),
        "eb_spatial": label("deaths_eb_title", lang),
    }
    tooltip = {
        "count": "n",
        "rate": label("deaths_rate_title", lang),
        "ci_low": "95% CI (low)",
        "ci_high": "95% CI (high)",
        "eb_spatial": "EB",
        "label": "LISA",
    }
    fmap = interactive.interactive_map(layer_frame, layers, lang=lang, tooltip_columns=tooltip)
    paths.append(interactive.save_map(fmap, config.figures_dir() / f"deaths_map_{lang}.html"))
    return paths


def pooled_summary(result: HotspotResult) -> pd.DataFrame:
    """Top regencies by pooled rate, with CI and cluster label (for the brief)."""
    pooled = result.rates[(result.rates["period"] == "pooled") & result.rates["rate"].notna()]
    merged = pooled.merge(result.lisa[["bps_code", "label"]], on="bps_code", how="left")
    return merged.sort_values("rate", ascending=False)[
        [
            "bps_code",
            "name",
            "count",
            "rate",
            "ci_low",
            "ci_high",
            "eb_spatial",
            "label",
            "unreliable",
        ]
    ].reset_index(drop=True)


__all__ = ["HotspotResult", "hotspot_figures", "pooled_summary", "rate_table", "run_hotspots"]
