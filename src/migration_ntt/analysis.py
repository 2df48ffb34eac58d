"""The default chain the CLI runs, for **any count column** of the panel.

Question: which regencies have disproportionately many cases of the count at hand (PMI
deaths abroad in the published tallies, or the non-procedural cases of the user's own case
file), and do they cluster?

1. Rates per 100,000 person-years for each year and **pooled** over all years
   (person-years = population × the fraction of the year the count covers). For a
   published tally, a regency's pooled rate uses the years in which a report names it (a
   regency never named has no rate, not zero); for case records, every year of the
   register (zeros included).
2. Empirical-Bayes smoothing (global and spatial; islands fall back to global).
3. Weights: queen contiguity with the documented NTT sea links for the island regencies
   (``island_policy="links"``); the sensitivity table repeats the global statistic under
   other schemes.
4. Global Moran's I of EB-standardised rates (Assunção–Reis), local Moran of
   EB-standardised rates (LISA) and Gi* of the spatially smoothed rates, seeded, with
   BH q-values.
5. Count models (:func:`migration_ntt.models.default_models`), their charts, and the brief.

Titles, legends and tables name the count from :func:`migration_ntt.viz.labels.count_labels`
(a trafficking-case map is never titled "deaths"); figures made from synthetic records
carry the synthetic mark. Tables go to ``data/processed/hotspots_<count>_*.csv``, figures
to ``figures/<count>_*_{id,en}.*``, briefs to ``reports/brief_<count>_{id,en}.html``.

Examples
--------
>>> from migration_ntt import analysis, panel
>>> table = panel.build_panel(write=False)
>>> result = analysis.run_hotspots(table, count="pmi_deaths_abroad", permutations=99,
...                                write=False)
>>> result.count, result.labels["en"]
('pmi_deaths_abroad', 'PMI deaths abroad')
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt import config
from migration_ntt.manifest import write_manifest

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from migration_ntt.evaluation import ProgrammeEvaluation
    from migration_ntt.models import CountModelResult

#: Programmes :func:`run_chain` evaluates by default (those with regencies adopting them
#: within the years of the published data).
EVALUATED_PROGRAMMES = ("ltsa", "task_force", "church")

COUNT = "pmi_deaths_abroad"
ISLAND_POLICY = "links"
MIN_UNITS_PER_YEAR_MAP = 5
PUBLISHED_CREDIT = {
    "id": "BP3MI/BP2MI NTT (laporan di media), penduduk BPS",
    "en": "BP3MI/BP2MI NTT (press reports), BPS population",
}
RECORDS_CREDIT = {
    "id": "catatan kasus: {files}{synthetic}; penduduk BPS",
    "en": "case records: {files}{synthetic}; BPS population",
}


@dataclass
class HotspotResult:
    """Tables of the hotspot analysis of one count column.

    ``labels`` names the count (``{"id", "en", "unit_id", "unit_en"}``); ``source_kind``
    is ``"records"`` (the user's case file) or ``"published"`` (press-quoted tallies);
    ``credit`` is the source line printed on every figure, per language.
    """

    count: str
    labels: dict[str, str]
    source_kind: str
    credit: dict[str, str]
    synthetic: bool
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
    record_accounting: dict[str, int] = field(default_factory=dict)

    def label(self, lang: str) -> str:
        """The count's name in ``lang`` (title form)."""
        return self.labels[lang]


def count_metadata(
    panel: pd.DataFrame, count: str | None, label: Mapping[str, str] | None = None
) -> dict[str, object]:
    """Name, labels, kind of source, credit line and synthetic flag of a panel's count.

    Raises
    ------
    ValueError
        ``count`` is not a count column of the panel (the message lists them).
    """
    from migration_ntt import panel as panel_module
    from migration_ntt.viz.labels import count_labels

    count = count or panel_module.default_count(panel)
    columns = panel_module.count_columns(panel)
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
    labels = (
        count_labels(count, dict(label)) if label else panel_module.count_source_label(panel, count)
    )
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
    from migration_ntt.viz.labels import label

    files = source.removeprefix("case records: ").replace(" (SYNTHETIC DATA)", "")
    out = {}
    for lang in ("id", "en"):
        text = RECORDS_CREDIT[lang].format(
            files=files, synthetic=f" ({label('synthetic_mark', lang)})" if synthetic else ""
        )
        out[lang] = text if population else text.rsplit(";", 1)[0]
    return out


def _period_text(frame: pd.DataFrame, count: str) -> str:
    start, end = frame[f"{count}_period_start"].iloc[0], frame[f"{count}_period_end"].iloc[0]
    return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}"


def _year_span(years: Sequence[str]) -> str:
    from migration_ntt.models import year_ranges

    return year_ranges(int(y) for y in years)


def rate_table(
    panel: pd.DataFrame,
    shapes,
    count: str = COUNT,
    *,
    island_policy: str = ISLAND_POLICY,
) -> tuple[pd.DataFrame, dict[str, str]]:
    """Crude and EB rates of ``count`` for every year with at least 5 units, and pooled.

    Each year's report is read with its completeness
    (:func:`migration_ntt.panel.observed_counts`): a regency a complete list does not name
    has zero that year; the pooled rate is the censored-Poisson estimate of
    :func:`migration_ntt.spatial.pooled.pooled_rates` (zeros where a list is complete,
    censored below the smallest named count where it is a top-N list, nothing where it is
    partial). The pooled rows say which (``method``, ``years``, ``years_censored``).
    """
    from migration_ntt import panel as panel_module
    from migration_ntt.spatial import pooled as pooled_module
    from migration_ntt.spatial import rates, weights

    coverage = f"{count}_coverage"
    reported = panel[panel[count].notna() & panel[coverage].notna()]
    if reported.empty:
        raise ValueError(f"count {count!r} has no value with a known period in the panel")
    seen = panel_module.observed_counts(panel, count)
    known = seen[seen["status"].isin(["named", "zero_complete"])]
    frames, periods = [], {}
    geometry = shapes[["bps_code", "name", "geometry"]]
    for year, part in known.groupby("year"):
        if part["observed"].notna().sum() < MIN_UNITS_PER_YEAR_MAP:
            continue
        units = geometry.merge(part[["bps_code", "observed", "person_years"]], on="bps_code")
        graph, _ = weights.build_weights(units, island_policy=island_policy)
        table = rates.smoothed_rates(units, "observed", "person_years", graph)
        periods[str(year)] = _period_text(panel[panel["year"] == year], count)
        frames.append(table.assign(period=str(year)))
    pooled = pooled_module.pooled_rates(seen)
    units = geometry.merge(pooled, on="bps_code")
    graph, _ = weights.build_weights(units, island_policy=island_policy)
    table = rates.smoothed_rates(units, "count", "person_years", graph)
    # The interval of a censored estimate is its profile interval, not Garwood's.
    for column in ("ci_low", "ci_high", "count_named", "years", "years_censored", "method"):
        table[column] = units[column].to_numpy()
    table["unreliable"] = rates.flag_unreliable(
        table["count_named"], table["rate"], table["ci_low"], table["ci_high"]
    )
    frames.append(table.assign(period="pooled"))
    periods["pooled"] = _year_span(sorted({str(y) for y in known["year"]}))
    long = pd.concat(frames, ignore_index=True)
    return long, periods


def run_hotspots(
    panel: pd.DataFrame | None = None,
    *,
    count: str | None = COUNT,
    label: Mapping[str, str] | None = None,
    permutations: int = 9_999,
    island_policy: str = ISLAND_POLICY,
    write: bool = True,
) -> HotspotResult:
    """Run the hotspot analysis (module docstring) on one count column and write its tables.

    Parameters
    ----------
    panel : pandas.DataFrame, optional
        From :func:`migration_ntt.panel.build_panel` (default: the published data).
    count : str, optional
        Any count column of the panel (``None``: the panel's case-record count if it has
        one, else ``pmi_deaths_abroad``).
    label : dict, optional
        ``{"id": …, "en": …}`` naming the count (default: the panel's label for it).
    permutations : int
        Conditional permutations for every local and global statistic (seeded).
    island_policy : {"links", "knn", "none"}
        See :mod:`migration_ntt.spatial.weights`.
    write : bool
        Write ``data/processed/hotspots_<count>_*.csv`` and a manifest.
    """
    from migration_ntt import panel as panel_module
    from migration_ntt.ingest import boundaries
    from migration_ntt.spatial import hotspots, weights

    if permutations < 1:
        raise ValueError(f"permutations must be a positive number, got {permutations}")
    table = panel if panel is not None else panel_module.build_panel(write=False)
    meta = count_metadata(table, count, label)
    count = str(meta["count"])
    shapes = boundaries.load_boundaries()
    rates_long, periods = rate_table(table, shapes, count, island_policy=island_policy)
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
    sources = sorted(set(table[f"{count}_source"].dropna().astype(str)))
    result = HotspotResult(
        count=count,
        labels=dict(meta["labels"]),
        source_kind=str(meta["source_kind"]),
        credit=dict(meta["credit"]),
        synthetic=bool(meta["synthetic"]),
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
        record_accounting=dict(meta["accounting"]),
    )
    if write:
        write_hotspots(
            result,
            {"count": count, "permutations": permutations, "island_policy": island_policy},
        )
    return result


def write_hotspots(result: HotspotResult, parameters: dict[str, object]) -> dict[str, Path]:
    """Write the hotspot tables (CSV) and one manifest to ``data/processed``."""
    folder = config.processed_dir()
    stem = f"hotspots_{result.count}"
    paths = {
        "rates": folder / f"{stem}_rates.csv",
        "lisa": folder / f"{stem}_lisa.csv",
        "gi": folder / f"{stem}_gi.csv",
        "global": folder / f"{stem}_global.csv",
        "sensitivity": folder / f"{stem}_weights_sensitivity.csv",
        "connectivity": folder / f"{stem}_connectivity.csv",
    }
    synthetic = {"synthetic": True} if result.synthetic else {}
    result.rates.assign(**synthetic).to_csv(paths["rates"], index=False)
    result.lisa.assign(**synthetic).to_csv(paths["lisa"], index=False)
    result.gi.assign(**synthetic).to_csv(paths["gi"], index=False)
    result.global_stats.assign(**synthetic).to_csv(paths["global"], index=False)
    result.sensitivity.assign(**synthetic).to_csv(paths["sensitivity"], index=False)
    result.connectivity.to_csv(paths["connectivity"], index=False)
    write_manifest(
        paths["rates"],
        inputs=[
            config.raw_dir() / "indicators" / "ntt_indicators_long.csv",
            config.reference_dir() / "ntt_sea_links.csv",
        ],
        parameters={**parameters, "record_accounting": result.record_accounting},
        outputs=list(paths.values())[1:],
        sources=result.sources,
    )
    return paths


def _weights_note(result: HotspotResult, lang: str) -> str:
    from migration_ntt.viz.labels import label

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
    from migration_ntt.ingest import boundaries
    from migration_ntt.viz import maps
    from migration_ntt.viz.labels import check_language, format_number, label

    check_language(lang)
    shapes = boundaries.load_boundaries()
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
        figures["rate_by_year"] = maps.small_multiples(
            shapes,
            per_year,
            "rate",
            facet="period",
            lang=lang,
            title=label("small_multiples_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
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
        figures["lisa"] = maps.lisa_map(
            shapes,
            result.lisa,
            lang=lang,
            title=label("lisa_title", lang, count=name),
            source=result.credit[lang],
            period=years_text,
            notes=cluster_notes,
        )
    if "gi" in wanted:
        figures["gi"] = maps.hotspot_map(
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
    result: HotspotResult, lang: str, *, formats: Sequence[str] = ("png", "pdf", "svg")
) -> list[Path]:
    """Export :func:`hotspot_maps` to ``figures/<count>_<map>_<lang>.*`` and write the
    interactive HTML map; return the paths."""
    import matplotlib.pyplot as plt

    from migration_ntt.ingest import boundaries
    from migration_ntt.viz import interactive
    from migration_ntt.viz.export import export_figure
    from migration_ntt.viz.labels import label

    paths: list[Path] = []
    for key, figure in hotspot_maps(result, lang).items():
        paths += export_figure(figure, f"{result.count}_{MAP_FILES[key]}", lang, formats)
        plt.close(figure)

    shapes = boundaries.load_boundaries()
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


def pooled_summary(result: HotspotResult) -> pd.DataFrame:
    """Regencies by pooled rate, highest first, with CI and cluster label (for the brief)."""
    pooled = result.rates[(result.rates["period"] == "pooled") & result.rates["rate"].notna()]
    merged = pooled.merge(result.lisa[["bps_code", "label"]], on="bps_code", how="left")
    if "count_named" not in merged.columns:  # results written before censoring existed
        merged = merged.assign(count_named=merged["count"], method="exact")
    columns = ["bps_code", "name", "count", "count_named", "method", "rate", "ci_low"]
    columns += ["ci_high", "eb_spatial", "label", "unreliable"]
    return merged.sort_values("rate", ascending=False)[columns].reset_index(drop=True)


# --- model charts ---------------------------------------------------------------------


def model_charts(
    results: Sequence[CountModelResult],
    lang: str,
    labels: Mapping[str, str] | None = None,
    *,
    credit: Mapping[str, str] | None = None,
    synthetic: bool = False,
    panel: pd.DataFrame | None = None,
) -> dict[str, Figure]:
    """Forest plot of all models, observed vs expected and residual map of the last (pooled)
    model, as figures (keys ``forest``, ``observed_expected``, ``residual_map``).

    ``labels`` names the outcome, ``credit`` is the source line per language; given the
    ``panel`` the models were fitted on, both (and the synthetic mark) come from it.
    """
    from migration_ntt import models
    from migration_ntt.ingest import boundaries
    from migration_ntt.viz import charts
    from migration_ntt.viz.labels import count_labels, format_number, label

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
    figures = {
        "forest": charts.coefficient_plot(
            table,
            lang,
            title=label("coefficient_title_staff", lang, count=name, unit=labels[f"unit_{lang}"]),
            unit=labels[f"unit_{lang}"],
            per_sd=last.standardised,
            caveat=label("caveat", lang),
            source=source,
            synthetic=synthetic,
        ),
        "forest_researcher": charts.coefficient_plot(
            table,
            lang,
            title=label("coefficient_title", lang, count=name),
            unit=labels[f"unit_{lang}"],
            per_sd=last.standardised,
            caveat=label("caveat", lang),
            source=source,
            synthetic=synthetic,
            audience="researcher",
        ),
        "observed_expected": charts.observed_vs_expected(
            models.observed_expected(last),
            lang,
            title=f"{label('observed_vs_expected_title', lang, count=name)} — "
            f"{models.model_name(last.name, lang)}",
            caveat=last.caveat(lang),
            source=source,
            synthetic=synthetic,
        ),
    }
    shapes = boundaries.load_boundaries().merge(
        models.residual_table(last), on="bps_code", how="left"
    )
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
    formats: Sequence[str] = ("png", "pdf", "svg"),
    labels: Mapping[str, str] | None = None,
    *,
    credit: Mapping[str, str] | None = None,
    synthetic: bool = False,
    panel: pd.DataFrame | None = None,
) -> list[Path]:
    """Export :func:`model_charts` to ``figures/<outcome>_models_*_<lang>.*``."""
    import matplotlib.pyplot as plt

    from migration_ntt.viz.export import export_figure

    paths: list[Path] = []
    charts = model_charts(results, lang, labels, credit=credit, synthetic=synthetic, panel=panel)
    for key, figure in charts.items():
        paths += export_figure(figure, f"{results[0].outcome}_{MODEL_FILES[key]}", lang, formats)
        plt.close(figure)
    return paths


# --- the whole chain --------------------------------------------------------------------


@dataclass
class ChainResult:
    """Everything :func:`run_chain` made: the panel, the results and the files written."""

    panel: pd.DataFrame
    hotspots: HotspotResult
    models: list[CountModelResult]
    figures: list[Path]
    tables: list[Path]
    briefs: list[Path]
    seconds: dict[str, float]
    evaluations: list[ProgrammeEvaluation] = field(default_factory=list)


def run_chain(
    panel: pd.DataFrame | None = None,
    *,
    count: str | None = None,
    label: Mapping[str, str] | None = None,
    languages: Sequence[str] = ("id", "en"),
    permutations: int = 9_999,
    island_policy: str = ISLAND_POLICY,
    formats: Sequence[str] = ("png", "pdf", "svg"),
    spatial_diagnostics: bool = True,
    progress: Callable[[str], None] | None = None,
    scan: DistrictScan | None = None,
    evaluate: Sequence[str] = EVALUATED_PROGRAMMES,
    evaluation_permutations: int = 999,
) -> ChainResult:
    """Panel → hotspots → models → evaluations → figures → briefs for one count, writing
    every output.

    With ``scan`` (a :func:`district_scan` of the same records) its maps are drawn and the
    brief names the kecamatan clusters. ``evaluate`` names the programmes to evaluate
    (:func:`run_evaluations`); the brief's "Enforcement and protection" section reports
    them with the programme overview and coverage gaps.

    Examples
    --------
    The same chain on your own records (see README, "Your own case file, end to end")::

        from migration_ntt import analysis, panel
        from migration_ntt.ingest import records

        cleaned = records.clean_records("kasus_2024.xlsx")
        table = panel.build_panel(records=cleaned, select={"procedural": "non_prosedural"},
                                  name="np_cases")
        analysis.run_chain(table, count="np_cases")
    """
    from migration_ntt import models, report
    from migration_ntt import panel as panel_module

    say = progress or (lambda _message: None)
    seconds: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        say(f"[{name}]")
        out = work()
        seconds[name] = time.perf_counter() - start
        say(f"  ({seconds[name]:.1f} s)")
        return out

    table = panel if panel is not None else step("build", panel_module.build_panel)
    hotspots = step(
        "hotspots",
        lambda: run_hotspots(
            table,
            count=count,
            label=label,
            permutations=permutations,
            island_policy=island_policy,
        ),
    )
    results = step(
        "models",
        lambda: models.default_models(table, outcome=hotspots.count, spatial=spatial_diagnostics),
    )
    tables = models.write_model_tables(results)
    evaluations, skipped = step(
        "evaluation",
        lambda: run_evaluations(
            table, hotspots.count, evaluate, permutations=evaluation_permutations, say=say
        ),
    )
    for evaluation_result in evaluations:
        tables += write_evaluation(evaluation_result)
    figures: list[Path] = []

    def draw() -> None:
        for lang in languages:
            figures.extend(hotspot_figures(hotspots, lang, formats=formats))
            figures.extend(
                model_figures(
                    results,
                    lang,
                    formats,
                    hotspots.labels,
                    credit=hotspots.credit,
                    synthetic=hotspots.synthetic,
                )
            )
            if scan is not None:
                figures.extend(scan_figures(scan, lang, formats))
            for evaluation_result in evaluations:
                figures.extend(
                    evaluation_figures(evaluation_result, hotspots, table, lang, formats)
                )

    step("figures", draw)
    briefs = step(
        "report",
        lambda: [
            report.build_brief(
                hotspots,
                results,
                lang,
                scan=scan,
                evaluations=evaluations,
                overview=programme_overview(table, hotspots, lang),
                not_evaluated=skipped,
                panel=table,
            )
            for lang in languages
        ],
    )
    return ChainResult(
        panel=table,
        hotspots=hotspots,
        models=results,
        figures=figures,
        tables=tables,
        briefs=briefs,
        seconds=seconds,
        evaluations=evaluations,
    )


# --- enforcement, protection and collaboration: programmes and their evaluation ----------


def run_evaluations(
    table: pd.DataFrame,
    outcome: str,
    programmes: Sequence[str] = EVALUATED_PROGRAMMES,
    *,
    permutations: int = 999,
    say: Callable[[str], None] | None = None,
    **options: object,
) -> tuple[list[ProgrammeEvaluation], dict[str, str]]:
    """:func:`migration_ntt.evaluation.evaluate_programme` for each programme; those that
    cannot be evaluated are returned with the reason (never dropped silently)."""
    from migration_ntt import evaluation
    from migration_ntt.ingest.programmes import load_programmes

    if "programmes" not in options:  # read once, not once per programme
        options["programmes"] = load_programmes()
    done, skipped = [], {}
    for programme in programmes:
        try:
            result = evaluation.evaluate_programme(
                table, programme, outcome, permutations=permutations, **options
            )
        except ValueError as error:
            skipped[programme] = str(error)
            if say:
                say(f"{programme}: not evaluated: {error}")
            continue
        done.append(result)
        if say:
            say(result.summary().splitlines()[0])
    return done, skipped


def programme_overview(
    table: pd.DataFrame, hotspots: HotspotResult | None = None, lang: str = "en"
) -> pd.DataFrame:
    """Each programme of the panel: how many regencies have it in the latest year, and
    (with ``hotspots``) the regencies in the top third of the smoothed rate without it
    (the coverage gap)."""
    from migration_ntt import evaluation
    from migration_ntt.ingest.programmes import programme_kind, programme_label
    from migration_ntt.viz.labels import check_language
    from migration_ntt.viz.labels import regency_name_in_text as _short_name

    check_language(lang)
    latest = table[table["year"] == table["year"].max()]
    rates = pooled_summary(hotspots) if hotspots is not None else None
    rows = []
    for column in [c for c in table.columns if c.endswith("_active")]:
        programme = column.removesuffix("_active")
        having = latest.loc[latest[column] == 1, "name"].tolist()
        gaps = (
            evaluation.coverage_gaps(table, programme, rates)["name"].tolist()
            if rates is not None
            else []
        )
        rows.append(
            {
                "programme": programme,
                "label": programme_label(programme, lang),
                "kind": programme_kind(programme),
                "year": int(latest["year"].max()),
                "regencies_with_it": len(having),
                "names": ", ".join(_short_name(n) for n in having),
                "top_third_without_it": ", ".join(_short_name(n) for n in gaps),
            }
        )
    return pd.DataFrame(rows)


def evaluation_maps(
    result: ProgrammeEvaluation, hotspots: HotspotResult, table: pd.DataFrame, lang: str
) -> dict[str, Figure]:
    """The event-study chart of an evaluation and the smoothed-rate map with the
    programme's regencies marked."""
    from migration_ntt.ingest import boundaries
    from migration_ntt.ingest.programmes import programme_label
    from migration_ntt.viz import charts, maps
    from migration_ntt.viz.labels import check_language, format_number, label

    check_language(lang)
    name = hotspots.label(lang)
    programme = programme_label(result.programme, lang)
    figures = {
        "event_study": charts.event_study_plot(
            result.event_time,
            lang,
            title=label("event_study_title", lang, programme=programme, count=name),
            source=hotspots.credit[lang],
            caveat=label(
                "event_study_caveat", lang, permutations=format_number(result.permutations, lang)
            ),
            synthetic=hotspots.synthetic,
        )
    }
    shapes = boundaries.load_boundaries()
    pooled = hotspots.rates[hotspots.rates["period"] == "pooled"]
    pooled_shapes = shapes[["bps_code", "name", "geometry"]].merge(
        pooled.drop(columns=["name"]), on="bps_code", how="left"
    )
    if hotspots.synthetic:
        pooled_shapes.attrs["synthetic"] = True
    year = int(table["year"].max())
    having = table.loc[
        (table["year"] == year) & (table[f"{result.programme}_active"] == 1), "bps_code"
    ]
    figure = maps.choropleth(
        pooled_shapes,
        "eb_spatial",
        lang=lang,
        title=label("programme_map_title", lang, count=name, programme=programme),
        source=hotspots.credit[lang],
        period=hotspots.periods["pooled"],
        notes=[label("caveat", lang)],
    )
    figures["map"] = maps.mark_units(
        figure, pooled_shapes, having, label("programme_present", lang, programme=programme,
                                             year=year)
    )  # fmt: skip
    return figures


def evaluation_figures(
    result: ProgrammeEvaluation,
    hotspots: HotspotResult,
    table: pd.DataFrame,
    lang: str,
    formats: Sequence[str] = ("png", "pdf", "svg"),
) -> list[Path]:
    """Export :func:`evaluation_maps` to ``figures/<count>_evaluation_<programme>_*``."""
    import matplotlib.pyplot as plt

    from migration_ntt.viz.export import export_figure

    paths: list[Path] = []
    for key, figure in evaluation_maps(result, hotspots, table, lang).items():
        stem = f"{hotspots.count}_evaluation_{result.programme}_{key}"
        paths += export_figure(figure, stem, lang, formats)
        plt.close(figure)
    return paths


def write_evaluation(result: ProgrammeEvaluation) -> list[Path]:
    """Event-time estimates, cohorts and a summary of an evaluation to
    ``data/processed/evaluation_<outcome>_<programme>_*`` (with a manifest)."""
    folder = config.processed_dir()
    stem = folder / f"evaluation_{result.outcome}_{result.programme}"
    paths = [
        stem.with_name(stem.name + "_event_time.csv"),
        stem.with_name(stem.name + "_cohorts.csv"),
        stem.with_name(stem.name + "_summary.md"),
    ]
    result.event_time.to_csv(paths[0], index=False)
    result.cohorts.to_csv(paths[1], index=False)
    paths[2].write_text(
        "\n\n".join(["# " + result.summary().splitlines()[0], *result.notes]) + "\n",
        encoding="utf-8",
    )
    write_manifest(
        paths[0],
        inputs=[config.processed_dir() / "panel.parquet"],
        parameters={
            "programme": result.programme,
            "outcome": result.outcome,
            "permutations": result.permutations,
            "seed": result.seed,
            "irr": result.irr,
            "ci": [result.ci_low, result.ci_high],
            "p_randomisation": result.p_randomisation,
        },
        outputs=paths[1:],
    )
    return paths


# --- below the regency: scan statistics of case records by kecamatan ----------------------


@dataclass
class DistrictScan:
    """A scan statistic of case records over the 315 kecamatan (:func:`district_scan`).

    ``districts`` holds the kecamatan polygons with ``cases`` (and ``controls`` or
    ``population``, and ``share_pct`` for Bernoulli); ``clusters`` is the scan's cluster
    table with the kecamatan and regency names of each cluster.
    """

    result: object
    model: str
    districts: object
    clusters: pd.DataFrame
    labels: dict[str, str]
    credit: dict[str, str]
    synthetic: bool
    period: str
    accounting: dict[str, int] = field(default_factory=dict)

    def significant(self, alpha: float = 0.05) -> pd.DataFrame:
        return self.clusters[self.clusters["p_value"] <= alpha]


#: Policy maps of kecamatan counts show 1–4 as one class, and hide a share of fewer
#: records (the small-cell rule of :func:`migration_ntt.privacy.suppress_small_counts`).
SMALL_CELL = 5


def _count_bins(counts: pd.Series, k: int = 3) -> list[float]:
    """Class bounds 0 | 1–4 | ``k`` Fisher–Jenks classes of the counts of 5 or more."""
    from migration_ntt.viz import maps

    larger = counts[counts >= SMALL_CELL]
    upper = maps.classify(larger, "fisherjenks", k).tolist() if len(larger) else []
    return [0, SMALL_CELL - 1, *upper]


def _cases_and_controls(select: Mapping[str, object] | None) -> tuple[dict, dict]:
    """The Bernoulli comparison: the selected records against the same records of the
    other status ("non-procedural cases, procedural controls")."""
    chosen = dict(select or {"procedural": "non_prosedural"})
    status = chosen.get("procedural")
    values = [status] if isinstance(status, str) else list(status or [])
    if values not in (["non_prosedural"], ["prosedural"]):
        raise ValueError(
            "the Bernoulli scan compares the share of one procedural status among all "
            "records: select procedural=non_prosedural (or prosedural), with any other "
            "condition you like"
        )
    other = "prosedural" if values == ["non_prosedural"] else "non_prosedural"
    return chosen, {**chosen, "procedural": other}


def district_scan(
    records: object,
    *,
    model: str = "bernoulli",
    select: Mapping[str, object] | None = None,
    population: object = None,
    period: Sequence[object] | None = None,
    permutations: int = 999,
    seed: int | None = None,
    max_size: float = 0.5,
    max_temporal: float = 0.5,
    label: Mapping[str, str] | None = None,
    write: bool = True,
) -> DistrictScan:
    """Scan the kecamatan for clusters of case records (:mod:`migration_ntt.spatial.scan`).

    * ``"bernoulli"`` (default): where is the share of non-procedural migrants among all
      migrants in the records unusually high? Cases are the selected records (default
      ``{"procedural": "non_prosedural"}``), controls the same records of the other status.
    * ``"poisson"``: the selected records against the kecamatan ``population`` (a table or
      CSV with ``district_code, population``: not in the shipped data).
    * ``"space_time_permutation"``: the selected records by kecamatan and year: emerging
      local clusters, no denominator needed.

    Records without a kecamatan code are left out and counted (``accounting``).
    """
    from migration_ntt import panel as panel_module
    from migration_ntt.ingest import boundaries
    from migration_ntt.spatial import scan
    from migration_ntt.viz.labels import count_labels

    if model not in scan.MODELS:
        raise ValueError(f"model must be one of {scan.MODELS}, got {model!r}")
    if model == "bernoulli":
        case_select, control_select = _cases_and_controls(select)
        specs = {
            "cases": {"records": records, "select": case_select, "period": period},
            "controls": {"records": records, "select": control_select, "period": period},
        }
    else:
        case_select = dict(select or {})
        specs = {"cases": {"records": records, "select": case_select or None, "period": period}}
        if model == "poisson" and population is None:
            raise ValueError("the Poisson scan needs population= (kecamatan population table)")
    table = panel_module.build_district_panel(specs, population=population, write=False)
    made = table.attrs["record_counts"]["cases"]
    shapes = boundaries.load_boundaries("district")[["district_code", "geometry"]]
    names = table.drop_duplicates("district_code")[
        ["district_code", "district_name", "bps_code", "regency"]
    ]
    synthetic = bool(table["cases_synthetic"].any())
    options = {
        "id_col": "district_code",
        "permutations": permutations,
        "seed": seed if seed is not None else scan.SEED,
        "max_size": max_size,
    }
    if model == "space_time_permutation":
        data = shapes.merge(table[["district_code", "year", "cases"]], on="district_code")
        result = scan.scan_statistic(
            data, "cases", model=model, time="year", max_temporal=max_temporal, **options
        )
    else:
        totals = table.groupby("district_code", as_index=False)[
            [c for c in ("cases", "controls") if c in table.columns]
        ].sum()
        totals = totals.merge(
            table.groupby("district_code", as_index=False)["population"].first(),
            on="district_code",
        )
        data = shapes.merge(totals, on="district_code")
        if model == "poisson":
            if data["population"].isna().any():
                missing = data.loc[data["population"].isna(), "district_code"].head(5).tolist()
                raise ValueError(f"population missing for kecamatan {missing} …")
            result = scan.scan_statistic(data, "cases", population="population", **options)
        else:
            result = scan.scan_statistic(
                data, "cases", model="bernoulli", controls="controls", **options
            )
    districts = shapes.merge(names, on="district_code")
    if model == "space_time_permutation":
        districts = districts.merge(
            table.groupby("district_code", as_index=False)["cases"].sum(), on="district_code"
        )
    else:
        districts = districts.merge(data.drop(columns="geometry"), on="district_code")
    if model == "bernoulli":
        trials = districts["cases"] + districts["controls"]
        # a share of 1 or 2 records says nothing and may reveal a person's status
        districts["share_pct"] = 100 * districts["cases"] / trials.where(trials >= SMALL_CELL)
    if synthetic:
        districts.attrs["synthetic"] = True
    clusters = _name_clusters(result, names)
    labels = count_labels("cases", dict(label) if label else None, select=case_select)
    credit = records_credit(made["source"], synthetic, population=model == "poisson")
    out = DistrictScan(
        result=result,
        model=model,
        districts=districts,
        clusters=clusters,
        labels=labels,
        credit=credit,
        synthetic=synthetic,
        period=f"{made['period'][0]} – {made['period'][1]}",
        accounting=dict(made["accounting"]),
    )
    if write:
        write_scan(out)
    return out


def _name_clusters(result, names: pd.DataFrame) -> pd.DataFrame:
    """The cluster table with the kecamatan and regency names of each cluster."""
    members = result.members.merge(names, on="district_code", how="left")
    listed = members.groupby("cluster_id").agg(
        kecamatan=("district_name", lambda s: ", ".join(s.astype(str))),
        regencies=("regency", lambda s: ", ".join(dict.fromkeys(s.astype(str)))),
    )
    clusters = result.clusters.merge(listed, left_on="cluster_id", right_index=True, how="left")
    centre = names.set_index("district_code")["district_name"]
    clusters.insert(2, "centre_name", clusters["centre_id"].map(centre))
    return clusters


def write_scan(scan_result: DistrictScan) -> dict[str, Path]:
    """Clusters and members of a kecamatan scan to ``data/processed/scan_<model>_*.csv``."""
    folder = config.processed_dir()
    stem = f"scan_{scan_result.model}"
    paths = {
        "clusters": folder / f"{stem}_clusters.csv",
        "members": folder / f"{stem}_members.csv",
    }
    synthetic = {"synthetic": True} if scan_result.synthetic else {}
    scan_result.clusters.assign(**synthetic).to_csv(paths["clusters"], index=False)
    scan_result.result.members.assign(**synthetic).to_csv(paths["members"], index=False)
    write_manifest(
        paths["clusters"],
        inputs=[config.reference_dir() / "places.csv"],
        parameters={**scan_result.result.parameters, "accounting": scan_result.accounting},
        outputs=[paths["members"]],
    )
    return paths


def scan_maps(scan_result: DistrictScan, lang: str) -> dict[str, Figure]:
    """Kecamatan maps of a scan: the counts (and the share for Bernoulli) and the clusters."""
    from migration_ntt.ingest import boundaries
    from migration_ntt.viz import maps
    from migration_ntt.viz.labels import check_language, format_number, label

    check_language(lang)
    regencies = boundaries.load_boundaries()
    name = scan_result.labels[lang]
    source = scan_result.credit[lang]
    parameters = scan_result.result.parameters
    figures = {
        "counts": maps.district_choropleth(
            scan_result.districts,
            "cases",
            regencies,
            lang=lang,
            title=label("district_count_title", lang, count=name),
            legend_title=scan_result.labels[f"unit_{lang}"],
            scheme="user",
            bins=_count_bins(scan_result.districts["cases"]),
            source=source,
            period=scan_result.period,
            synthetic=scan_result.synthetic,
        )
    }
    if scan_result.model == "bernoulli":
        figures["share"] = maps.district_choropleth(
            scan_result.districts,
            "share_pct",
            regencies,
            lang=lang,
            title=label("district_share_title", lang, count=name),
            legend_title="%",
            missing_label=label("few_records", lang, n=SMALL_CELL),
            source=source,
            period=scan_result.period,
            synthetic=scan_result.synthetic,
        )
    note = label(
        "scan_note",
        lang,
        size=f"{format_number(100 * parameters['max_size'], lang)}%",
        of={"population": {"id": "penduduk", "en": "population"},
            "cases and controls": {"id": "semua catatan", "en": "records"},
            "cases": {"id": "kasus", "en": "cases"}}[parameters["size_of"]][lang],
        permutations=format_number(parameters["permutations"], lang),
    )  # fmt: skip
    figures["clusters"] = maps.scan_map(
        scan_result.districts,
        scan_result.clusters,
        scan_result.result.members,
        regencies,
        lang=lang,
        title=label("scan_title", lang, count=name),
        source=source,
        period=scan_result.period,
        notes=[note],
        synthetic=scan_result.synthetic,
    )
    return figures


def scan_figures(
    scan_result: DistrictScan, lang: str, formats: Sequence[str] = ("png", "pdf", "svg")
) -> list[Path]:
    """Export :func:`scan_maps` to ``figures/scan_<model>_<map>_<lang>.*``."""
    import matplotlib.pyplot as plt

    from migration_ntt.viz.export import export_figure

    paths: list[Path] = []
    for key, figure in scan_maps(scan_result, lang).items():
        paths += export_figure(figure, f"scan_{scan_result.model}_{key}", lang, formats)
        plt.close(figure)
    return paths


__all__ = [
    "EVALUATED_PROGRAMMES",
    "ChainResult",
    "DistrictScan",
    "HotspotResult",
    "count_metadata",
    "district_scan",
    "evaluation_figures",
    "evaluation_maps",
    "hotspot_figures",
    "hotspot_maps",
    "model_charts",
    "model_figures",
    "pooled_summary",
    "programme_overview",
    "rate_table",
    "run_chain",
    "run_evaluations",
    "run_hotspots",
    "scan_figures",
    "scan_maps",
    "write_evaluation",
]
