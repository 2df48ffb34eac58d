"""Build the regency × year panel from the published tallies, covariates, programmes and
(optionally) the user's own case records. See :mod:`migration_ntt.panel` for its columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest import indicators, tallies
from migration_ntt.ingest.programmes import load_programmes, programme_columns
from migration_ntt.ingest.records.counts import count_column, period_years
from migration_ntt.labels import count_labels
from migration_ntt.panel.attrs import Shared, SharedList
from migration_ntt.panel.counts import LEGAL_PLACEMENTS_YEAR, count_columns
from migration_ntt.panel.district import build_district_panel
from migration_ntt.panel.io import write_panel
from migration_ntt.panel.specs import record_specs

COUNTS = (
    "pmi_deaths_abroad",
    "pmi_troubled_returnees",
    "pmi_placements_legal",
    "pmi_deportees",
    "tppo_suspects",
    "tppo_victims",
    "tppo_police_reports",
    "cpmi_nonprocedural_prevented",
)
#: Enforcement counts: each also as ``<count>_per_100k`` (per 100,000 person-years of the
#: period its report covers) where reported.
ENFORCEMENT_COUNTS = (
    "tppo_suspects",
    "tppo_victims",
    "tppo_police_reports",
    "cpmi_nonprocedural_prevented",
)
POPULATION_SERIES = ("population_bps", "population_sp2020", "population_sp2010")
COVARIATES = (
    "poverty_rate_pct",
    "mean_years_schooling_rls",
    "open_unemployment_rate_pct",
    "hdi_ipm",
    "n_desa",
    "n_kelurahan",
    "area_km2",
    "stunting_prevalence_ssgi_pct",
    "ikp_score",
    "fsva_priority_class",
    "prevalence_undernourishment_pou_pct",
    "hh_without_electricity_pct",
)
#: Covariates whose published year is an *edition*: the FSVA/IKP edition of year N mostly
#: describes year N − 1. The panel files each value under its data year (edition − lag),
#: and ``<covariate>_year`` is that data year.
DATA_YEAR_LAG = {"ikp_score": 1, "fsva_priority_class": 1, "hh_without_electricity_pct": 1}
# Reports naming fewer units than this do not displace a by-regency list of the same year.
MIN_UNITS_PER_REPORT = 5
DEFAULT_YEARS = range(2018, 2026)
# How children are combined into parents when harmonising to older boundaries.
_WEIGHTED_BY_POPULATION = (
    "poverty_rate_pct",
    "mean_years_schooling_rls",
    "open_unemployment_rate_pct",
    "hdi_ipm",
)


def _nearest_by_unit(values: pd.DataFrame, years: list[int], label: str) -> pd.DataFrame:
    """For each unit and panel year, the value from the nearest year (ties: the later)."""
    grid = pd.MultiIndex.from_product(
        [regions.regencies()["bps_code"], years], names=["bps_code", "year"]
    ).to_frame(index=False)
    if values.empty:
        return grid.assign(**{label: np.nan, f"{label}_year": pd.NA})
    merged = grid.merge(
        values[["bps_code", "year", "value", *[c for c in values.columns if c == "series"]]].rename(
            columns={"year": "value_year"}
        ),
        on="bps_code",
        how="left",
    )
    merged["distance"] = (merged["year"] - merged["value_year"]).abs()
    merged = merged.sort_values(
        ["bps_code", "year", "distance", "value_year"], ascending=[True, True, True, False]
    ).drop_duplicates(["bps_code", "year"])
    out = merged.rename(columns={"value": label, "value_year": f"{label}_year"})
    out[f"{label}_year"] = out[f"{label}_year"].astype("Int64")
    keep = ["bps_code", "year", label, f"{label}_year"]
    if "series" in out.columns:
        out = out.rename(columns={"series": f"{label}_series"})
        keep.append(f"{label}_series")
    return out[keep]


def _counts(table: pd.DataFrame, years: list[int], non_units: pd.DataFrame) -> pd.DataFrame:
    chosen = tallies.select_reports(table, list(COUNTS), min_units=MIN_UNITS_PER_REPORT)
    chosen = chosen[chosen["year"].isin(years)]
    completeness = tallies.report_completeness(chosen, non_units)
    grid = pd.MultiIndex.from_product(
        [regions.regencies()["bps_code"], years], names=["bps_code", "year"]
    ).to_frame(index=False)
    for count in COUNTS:
        rows = chosen[chosen["indicator"] == count]
        per_unit = rows[["bps_code", "year", "value"]].rename(columns={"value": count})
        per_year = (
            rows.groupby("year")
            .agg(
                period_start=("period_start", "first"),
                period_end=("period_end", "first"),
                coverage=("coverage", "first"),
                units=("units", "first"),
                source=("source", "first"),
            )
            .add_prefix(f"{count}_")
            .reset_index()
        )
        kinds = completeness.loc[
            completeness["indicator"] == count,
            ["year", "completeness", "unnamed_max", "stated_total"],
        ].add_prefix(f"{count}_")
        kinds = kinds.rename(columns={f"{count}_year": "year"})
        grid = (
            grid.merge(per_unit, on=["bps_code", "year"], how="left")
            .merge(per_year, on="year", how="left")
            .merge(kinds, on="year", how="left")
        )
        grid[f"{count}_units"] = grid[f"{count}_units"].astype("Int64")
    return grid


def build_panel(
    years: list[int] | range | None = None,
    *,
    harmonise_to: int | None = None,
    write: bool = True,
    indicator_data: indicators.IndicatorData | None = None,
    records: object = None,
    select: Mapping[str, object] | None = None,
    name: str = "cases",
    period: Sequence[object] | None = None,
    complete: bool = True,
    label: Mapping[str, str] | None = None,
    level: str = "regency",
    programmes: pd.DataFrame | str | Path | bool | None = None,
) -> pd.DataFrame:
    """Build the regency × year panel and (by default) write it to ``data/processed``.

    ``level="district"`` builds the kecamatan × year panel of ``records`` instead
    (:func:`build_district_panel`).

    Parameters
    ----------
    years : list of int, optional
        Panel years. Default: the years of the records' period when ``records`` is given,
        else 2018–2025 (the years with by-regency death reports).
    records : CleanResult, DataFrame, path or dict, optional
        A clean case table (:func:`migration_ntt.ingest.records.clean_records` output, its
        ``.clean`` DataFrame, or a saved ``*_clean.parquet``/``.csv``). Adds the count
        column ``name``. For several count columns, a dict ``{name: spec}`` where ``spec``
        is a dict with ``records`` and optionally ``select``, ``period``, ``complete``,
        ``label`` (the other arguments are then ignored).
    select : mapping, optional
        Filter before counting, e.g. ``{"procedural": "non_prosedural"}`` or
        ``{"event_type": ["death_abroad", "deportation"]}``.
    name : str
        Name of the count column (default ``"cases"``).
    period : (start, end), optional
        The period the records cover; default the whole calendar years from the file's
        first to last event date. ``<name>_coverage`` is each year's part of it.
    complete : bool
        True (a register): zero where a unit had no record. False: a unit the file never
        names is missing, as in press tallies.
    label : dict, optional
        ``{"id": …, "en": …}`` naming the count in titles and tables (default: described
        from ``select``, else "Kasus" / "Cases"); kept in ``attrs["count_labels"]``.
    harmonise_to : int, optional
        Use the boundaries of that year: units created later are added into the unit they
        were split from (Malaka into Belu for ``harmonise_to=2012``). Counts and
        population are summed (missing if any part is missing), rates are
        population-weighted means, areas and villages summed.
    write : bool
        Write ``panel.parquet``, ``panel.csv``, ``regencies.gpkg`` (geometry and the latest
        value of each column) and ``panel.manifest.json``.
    indicator_data : IndicatorData, optional
        Default: :func:`migration_ntt.ingest.indicators.load_indicators`.
    programmes : DataFrame, path or bool, optional
        Programme starts (:func:`migration_ntt.ingest.programmes.load_programmes`); a path
        is a programme log file or folder read together with the published rows; default:
        the published rows and every log in ``data/raw/programmes``; ``False``: none.
        Adds ``<programme>_active``, ``_share_of_year``, ``_since``, ``_count`` (and
        ``_per_100_villages``) per programme.

    Returns
    -------
    pandas.DataFrame
        One row per ``bps_code`` × year (22 rows per year, fewer with ``harmonise_to``),
        with ``kemendagri_code`` and ``name`` beside the code.
    """
    if level == "district":
        if records is None:
            raise ValueError("the kecamatan panel is made from case records: give records=")
        return build_district_panel(
            records, select=select, name=name, period=period, complete=complete,
            label=label, years=years, write=write,
        )  # fmt: skip
    if level != "regency":
        raise ValueError(f"level must be 'regency' or 'district', got {level!r}")
    specs = record_specs(records, select, name, period, complete, label)
    if years is None and specs:
        years = sorted(
            {y for spec in specs.values() for y in period_years(spec["records"], spec["period"])}
        )
    years = list(years if years is not None else DEFAULT_YEARS)
    data = indicator_data or indicators.load_indicators()
    table = data.table

    panel = _counts(table, years, data.non_units)
    record_counts = []
    for count_name, spec in specs.items():
        if count_name in panel.columns:
            raise ValueError(f"name {count_name!r} is already a panel column: choose another")
        counted = count_column(
            spec["records"],
            count_name,
            select=spec["select"],
            period=spec["period"],
            complete=spec["complete"],
            years=years,
        )
        panel = panel.merge(counted.table, on=["bps_code", "year"], how="left")
        record_counts.append((counted, spec["label"]))

    population_rows = tallies.best_values(table, list(POPULATION_SERIES))
    population_rows = population_rows.assign(
        series=population_rows["indicator"] + " " + population_rows["year"].astype(str)
    )
    # Prefer BPS projections over census counts of the same year (stable sort keeps order).
    population_rows["rank"] = population_rows["indicator"].map(
        {name: rank for rank, name in enumerate(POPULATION_SERIES)}
    )
    population_rows = population_rows.sort_values("rank").drop_duplicates(["bps_code", "year"])
    panel = panel.merge(
        _nearest_by_unit(population_rows, years, "population"), on=["bps_code", "year"], how="left"
    )

    for covariate in COVARIATES:
        rows = tallies.best_values(table, [covariate])
        if covariate in DATA_YEAR_LAG:
            rows = rows.assign(year=rows["year"] - DATA_YEAR_LAG[covariate])
        panel = panel.merge(
            _nearest_by_unit(rows, years, covariate), on=["bps_code", "year"], how="left"
        )

    grdp = tallies.best_values(table, ["grdp_constant_prices"])
    grdp_year = int(grdp["year"].max()) if len(grdp) else None
    if grdp_year is not None:
        population_that_year = _nearest_by_unit(population_rows, [grdp_year], "population")
        per_capita = grdp.merge(population_that_year[["bps_code", "population"]], on="bps_code")
        per_capita = per_capita.assign(value=per_capita["value"] / per_capita["population"])
        panel = panel.merge(
            _nearest_by_unit(
                per_capita[["bps_code", "year", "value"]], years, "grdp_per_capita_million_rp"
            ),
            on=["bps_code", "year"],
            how="left",
        )
    panel["density_per_km2"] = panel["population"] / panel["area_km2"]
    panel = panel.assign(
        **{
            f"{count}_per_100k": (
                1e5 * panel[count] / (panel["population"] * panel[f"{count}_coverage"])
            ).round(3)
            for count in ENFORCEMENT_COUNTS
        }
    )
    panel = panel.merge(_legal_placements(table, population_rows), on="bps_code", how="left")
    programme_table = _programme_table(programmes, data)
    if programme_table is not None and len(programme_table):
        villages = (
            panel.groupby("bps_code")[["n_desa", "n_kelurahan"]].first().fillna(0).sum(axis=1)
        )
        panel = panel.merge(
            programme_columns(programme_table, years, villages.to_dict()),
            on=["bps_code", "year"],
            how="left",
        )

    if harmonise_to is not None:
        panel = harmonise(panel, harmonise_to)

    reference = regions.regencies().set_index("bps_code")
    panel = panel.copy()  # one block per dtype before inserting
    panel.insert(1, "kemendagri_code", panel["bps_code"].map(reference["kemendagri_code"]))
    panel.insert(2, "name", panel["bps_code"].map(reference["name"]))
    panel = panel.sort_values(["year", "bps_code"], ignore_index=True)
    panel.attrs["harmonise_to"] = harmonise_to
    panel.attrs["programmes"] = SharedList(
        sorted(programme_table["programme"].unique()) if programme_table is not None else []
    )
    panel.attrs["record_counts"] = Shared({c.name: c.describe() for c, _ in record_counts})
    # Province-level: deaths split into non-procedural and procedural where a report gives
    # both (:func:`migration_ntt.ingest.tallies.procedural_split`), for the brief; as
    # records with ISO dates, so the attrs still go into Parquet metadata as JSON.
    split = tallies.procedural_split(data)
    for column in ("period_start", "period_end"):
        split[column] = split[column].dt.strftime("%Y-%m-%d")
    panel.attrs["procedural_split"] = SharedList(split.to_dict("records"))
    panel.attrs["count_labels"] = Shared(
        {c.name: count_labels(c.name, given, select=c.select) for c, given in record_counts}
    )

    if write:
        write_panel(
            panel,
            data,
            {"years": years, "harmonise_to": harmonise_to},
            record_counts=[c for c, _ in record_counts],
        )
    return panel


def _programme_table(programmes, data) -> pd.DataFrame | None:
    """``programmes=`` of :func:`build_panel` as a programme table (None: none)."""
    if programmes is False:
        return None
    if isinstance(programmes, pd.DataFrame):
        return programmes
    path = None if programmes in (None, True) else programmes
    return load_programmes(path, indicator_data=data)


def _legal_placements(table: pd.DataFrame, population_rows: pd.DataFrame) -> pd.DataFrame:
    """Legal placements per 100,000 in :data:`LEGAL_PLACEMENTS_YEAR` (one value per unit)."""
    year = LEGAL_PLACEMENTS_YEAR
    chosen = tallies.best_values(table, ["pmi_placements_legal"])  # the largest list wins
    chosen = chosen[chosen["year"] == year][["bps_code", "value", "source"]]
    population = _nearest_by_unit(population_rows, [year], "population")[["bps_code", "population"]]
    merged = chosen.merge(population, on="bps_code", how="left")
    return pd.DataFrame(
        {
            "bps_code": merged["bps_code"],
            f"legal_placements_{year}": merged["value"],
            f"legal_placements_per_100k_{year}": (
                1e5 * merged["value"] / merged["population"]
            ).round(2),
            f"legal_placements_{year}_source": merged["source"],
        }
    )


def harmonise(panel: pd.DataFrame, to_year: int) -> pd.DataFrame:
    """Aggregate units created after ``to_year`` into their parents (see :func:`build_panel`)."""
    codes = panel["bps_code"]
    target, _ = regions.codes_at_year(codes, pd.Series(float(to_year), index=codes.index))
    frame = panel.assign(bps_code=target)
    weights = frame["population"]
    sums = [*count_columns(panel), "population", "n_desa", "area_km2"]
    grouped = frame.groupby(["bps_code", "year"], sort=True)
    out = grouped[sums].sum(min_count=1)
    # A sum is only a sum when every part is present.
    incomplete = grouped[sums].agg(lambda s: s.isna().any())
    out = out.mask(incomplete)
    for column in _WEIGHTED_BY_POPULATION:
        weighted = (
            (frame[column] * weights).groupby([frame["bps_code"], frame["year"]]).sum(min_count=1)
        )
        total = (
            weights.where(frame[column].notna()).groupby([frame["bps_code"], frame["year"]]).sum()
        )
        out[column] = weighted / total
    first_columns = [
        c for c in panel.columns if c not in out.columns and c not in {"bps_code", "year"}
    ]
    out = out.join(grouped[first_columns].first())
    out["density_per_km2"] = out["population"] / out["area_km2"]
    return out.reset_index()[panel.columns]
