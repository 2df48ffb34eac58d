"""The analytic panel: one row per regency (``bps_code``) and year.

Columns, in groups:

* **counts** (:data:`COUNTS`): PMI deaths abroad, troubled returnees, legal placements,
  deportees, trafficking suspects and victims. Each comes from the single most complete
  report of its year (:func:`migration_ntt.ingest.indicators.select_reports`, never a sum
  of cumulative reports) and carries ``<count>_period_start``, ``<count>_period_end``,
  ``<count>_coverage`` (fraction of the year the report covers), ``<count>_units``
  (units the report names) and ``<count>_source``. A unit the report does not name is
  **missing, not zero** in ``<count>`` itself; ``<count>_completeness`` says what its
  silence means (:func:`migration_ntt.ingest.indicators.report_completeness`):
  ``complete`` (the list accounts for the report's province total: unnamed = 0),
  ``top_n`` (unnamed ≤ ``<count>_unnamed_max``) or ``partial`` (unknown), with the
  report's ``<count>_stated_total``. :func:`observed_counts` applies it.
* **exposure**: ``population`` with ``population_series`` and ``population_year`` saying
  which series and year each value is (BPS projections where published, else the nearest
  census or projection year).
* **covariates** (:data:`COVARIATES`): each with ``<covariate>_year``, the year the value
  is from (the nearest available: most covariates are published for a few years only).
  ``grdp_per_capita_million_rp`` is derived (GRDP at constant prices / population of the
  same year) and ``density_per_km2`` = population / area.
* **counts from the user's own case records** (``records=``): one column per count, made
  by :func:`migration_ntt.ingest.records.counts.count_column`: zero-filled over all 22
  units and every year of the records' period (a register covers every unit), with the
  same ``_period_start``, ``_period_end``, ``_coverage``, ``_units`` and ``_source``
  columns as the published counts (``source`` = "case records: FILE") and a
  ``_synthetic`` flag. The manifest and ``attrs["record_counts"]`` account for every clean
  record: counted, excluded by ``select``, or outside the period.

Every analysis downstream takes the panel and the name of a count column
(:func:`count_columns` lists them).

Examples
--------
>>> from migration_ntt import panel
>>> table = panel.build_panel(write=False)
>>> bool(table.groupby("year").size().eq(22).all())
True

Your own case records, non-procedural cases only:

>>> from migration_ntt.ingest import records, synthetic
>>> messy, _ = synthetic.generate_records(500, seed=3)
>>> cleaned = records.clean_records(messy, secret="demo")
>>> own = panel.build_panel(records=cleaned, select={"procedural": "non_prosedural"},
...                         name="np_cases", write=False)
>>> int(own["np_cases"].isna().sum()), float(own["np_cases_coverage"].min())
(0, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions
from migration_ntt.ingest import indicators
from migration_ntt.ingest.programmes import load_programmes, programme_columns
from migration_ntt.ingest.records.counts import RecordCount, count_column, period_years
from migration_ntt.viz.labels import count_labels

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
#: The year of the only by-regency list of legal placements covering all 22 units.
LEGAL_PLACEMENTS_YEAR = 2013
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
    chosen = indicators.select_reports(table, list(COUNTS), min_units=MIN_UNITS_PER_REPORT)
    chosen = chosen[chosen["year"].isin(years)]
    completeness = indicators.report_completeness(chosen, non_units)
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
    specs = _record_specs(records, select, name, period, complete, label)
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

    population_rows = indicators.best_values(table, list(POPULATION_SERIES))
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
        rows = indicators.best_values(table, [covariate])
        if covariate in DATA_YEAR_LAG:
            rows = rows.assign(year=rows["year"] - DATA_YEAR_LAG[covariate])
        panel = panel.merge(
            _nearest_by_unit(rows, years, covariate), on=["bps_code", "year"], how="left"
        )

    grdp = indicators.best_values(table, ["grdp_constant_prices"])
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
    panel.attrs["programmes"] = (
        sorted(programme_table["programme"].unique()) if programme_table is not None else []
    )
    panel.attrs["record_counts"] = {c.name: c.describe() for c, _ in record_counts}
    # Province-level: deaths split into non-procedural and procedural where a report gives
    # both (:func:`migration_ntt.ingest.indicators.procedural_split`), for the brief; as
    # records with ISO dates, so the attrs still go into Parquet metadata as JSON.
    split = indicators.procedural_split(data)
    for column in ("period_start", "period_end"):
        split[column] = split[column].dt.strftime("%Y-%m-%d")
    panel.attrs["procedural_split"] = split.to_dict("records")
    panel.attrs["count_labels"] = {
        c.name: count_labels(c.name, given, select=c.select) for c, given in record_counts
    }

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
    chosen = indicators.best_values(table, ["pmi_placements_legal"])  # the largest list wins
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


def per_legal_placements(panel: pd.DataFrame, count: str) -> pd.DataFrame:
    """Non-procedural events per 100 legal placements, by regency, where both exist.

    The events are ``count`` per full year (each year's value divided by its coverage,
    averaged over the years with a value); the placements are the
    :data:`LEGAL_PLACEMENTS_YEAR` list (the only one covering all 22 regencies).

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
    out = out.rename(columns={"placements": placements}).dropna(subset=["per_100_legal"])
    out = out.sort_values("per_100_legal", ascending=False, ignore_index=True)
    out.attrs["caveat"] = (
        f"{count} per full year (average of the years reported) per 100 legal placements of "
        f"{year}: different years, and official placements come mostly from Sumba, "
        "Kabupaten Kupang and Belu while non-procedural deportations and returns come from "
        "Flores Timur, Lembata, TTS, Malaka and Ende; a regency with few legal placements "
        "gets a very large ratio. A rough contrast of how people leave, not a rate."
    )
    return out


def _record_specs(records, select, name, period, complete, label) -> dict[str, dict]:
    """``records=`` as a dict of count name → full spec (see :func:`build_panel`)."""
    if records is None:
        return {}
    is_many = isinstance(records, Mapping) and all(
        isinstance(spec, Mapping) and "records" in spec for spec in records.values()
    )
    raw = records if is_many else {name: {"records": records}}
    if not is_many:
        raw[name].update(select=select, period=period, complete=complete, label=label)
    specs = {}
    for count_name, spec in raw.items():
        unknown = set(spec) - {"records", "select", "period", "complete", "label"}
        if unknown:
            raise ValueError(
                f"records[{count_name!r}]: unknown key(s) {sorted(unknown)}; use records, "
                "select, period, complete, label"
            )
        specs[count_name] = {
            "records": spec["records"],
            "select": spec.get("select"),
            "period": spec.get("period"),
            "complete": spec.get("complete", True),
            "label": spec.get("label"),
        }
    return specs


def build_district_panel(
    records: object,
    *,
    select: Mapping[str, object] | None = None,
    name: str = "cases",
    period: Sequence[object] | None = None,
    complete: bool = True,
    label: Mapping[str, str] | None = None,
    years: Sequence[int] | None = None,
    population: pd.DataFrame | str | Path | None = None,
    write: bool = True,
) -> pd.DataFrame:
    """The kecamatan × year panel of case records (315 kecamatan, zero-filled).

    The same rules as the regency chain (:func:`build_panel` with ``records=``): one count
    per kecamatan and year of the records' period, zero where a kecamatan had no record
    (``complete=True``); ``records`` may be a dict of several counts. Records without a
    kecamatan code are counted apart (``attrs["record_counts"][name]["accounting"]
    ["no_district"]``), never guessed.

    Kecamatan population is not in the shipped data: give ``population`` (a table or CSV
    with ``district_code``, ``population`` and optionally ``year``) for rates and the
    Poisson scan; otherwise the column is missing.

    Columns: ``district_code, district_name, bps_code, regency, year``, the counts with
    their ``_period_start, _period_end, _coverage, _units, _source, _synthetic`` columns,
    ``population``. Written to ``data/processed/panel_district.parquet`` / ``.csv`` with a
    manifest.

    Examples
    --------
    >>> from migration_ntt import panel
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(400, seed=3)
    >>> table = panel.build_district_panel(records.clean_records(messy, secret="d"), write=False)
    >>> table["district_code"].nunique(), int(table["cases"].isna().sum())
    (315, 0)
    """
    from migration_ntt import places

    specs = _record_specs(records, select, name, period, complete, label)
    if years is None:
        years = sorted(
            {y for spec in specs.values() for y in period_years(spec["records"], spec["period"])}
        )
    districts = places.places("district")
    reference = regions.regencies().set_index("bps_code")
    table = pd.MultiIndex.from_product(
        [districts["kemendagri_code"], list(years)], names=["district_code", "year"]
    ).to_frame(index=False)
    table.insert(1, "district_name", table["district_code"].map(
        districts.set_index("kemendagri_code")["name"]
    ))  # fmt: skip
    table.insert(2, "bps_code", table["district_code"].map(
        districts.set_index("kemendagri_code")["bps_code"]
    ))  # fmt: skip
    table.insert(3, "regency", table["bps_code"].map(reference["name"]))
    made = []
    for count_name, spec in specs.items():
        counted = count_column(
            spec["records"],
            count_name,
            select=spec["select"],
            period=spec["period"],
            complete=spec["complete"],
            years=list(years),
            level="district",
        )
        table = table.merge(
            counted.table.drop(columns="bps_code"), on=["district_code", "year"], how="left"
        )
        made.append((counted, spec["label"]))
    table["population"] = _district_population(population, table)
    table.attrs["level"] = "district"
    table.attrs["record_counts"] = {c.name: c.describe() for c, _ in made}
    table.attrs["count_labels"] = {
        c.name: count_labels(c.name, given, select=c.select) for c, given in made
    }
    if write:
        from migration_ntt.manifest import write_manifest

        folder = config.processed_dir()
        table.to_parquet(folder / "panel_district.parquet", index=False)
        table.to_csv(folder / "panel_district.csv", index=False)
        inputs: list[Path | str] = [config.reference_dir() / "places.csv"]
        for counted, _ in made:
            inputs += [
                Path(f) if Path(f).is_file() else f"case records: {f}" for f in counted.files
            ]
        write_manifest(
            folder / "panel_district.parquet",
            inputs=inputs,
            parameters={"years": list(years), "record_counts": [c.describe() for c, _ in made]},
            outputs=[folder / "panel_district.csv"],
        )
    return table


def _district_population(population, table: pd.DataFrame) -> pd.Series:
    """The user's kecamatan population per row (by year when given), else missing.

    Errors name the file, the row (as a spreadsheet shows it: header = row 1) and what
    was expected: a known Kemendagri kecamatan code and a positive number.
    """
    if population is None:
        return pd.Series(np.nan, index=table.index)
    where = str(population) if isinstance(population, str | Path) else "population table"
    frame = (
        pd.read_csv(population, dtype={"district_code": str})
        if isinstance(population, str | Path)
        else population.copy()
    )
    missing = [c for c in ("district_code", "population") if c not in frame.columns]
    if missing:
        raise ValueError(
            f"{where}: missing column(s) {missing}; expected district_code (Kemendagri, e.g. "
            "53.21.02), population (and optionally year)"
        )
    frame["district_code"] = frame["district_code"].astype(str).str.strip()
    unknown = ~frame["district_code"].isin(table["district_code"])
    if unknown.any():
        rows = ", ".join(
            f"row {i + 2} ({code!r})"
            for i, code in frame.loc[unknown, "district_code"].head(5).items()
        )
        raise ValueError(
            f"{where}: column district_code: {int(unknown.sum())} value(s) are not NTT "
            f"kecamatan codes (expected e.g. 53.21.02): {rows}"
        )
    values = pd.to_numeric(frame["population"], errors="coerce")
    bad = values.isna() | (values <= 0)
    if bad.any():
        rows = ", ".join(
            f"row {i + 2} ({value!r})" for i, value in frame.loc[bad, "population"].head(5).items()
        )
        raise ValueError(
            f"{where}: column population: {int(bad.sum())} value(s) are not positive "
            f"numbers: {rows}"
        )
    frame["population"] = values
    keys = ["district_code", "year"] if "year" in frame.columns else ["district_code"]
    if frame.duplicated(keys).any():
        first = frame.index[frame.duplicated(keys)][0]
        raise ValueError(f"{where}: row {first + 2}: {keys} repeated; expected one row each")
    merged = table[["district_code", "year"]].merge(
        frame[[*keys, "population"]], on=keys, how="left"
    )
    return pd.Series(merged["population"].to_numpy(dtype=float), index=table.index)


def with_known_zeros(panel: pd.DataFrame, count: str) -> pd.DataFrame:
    """A copy of ``panel`` with ``count`` = 0 where a **complete** report does not name
    the unit (see :func:`observed_counts`); other gaps stay missing. Models and
    evaluations use it, so a regency with no deaths in a complete year is a zero, not
    left out.

    Examples
    --------
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


def latest_values(panel: pd.DataFrame) -> pd.DataFrame:
    """For each unit, the most recent non-missing value of every column (with its year)."""
    ordered = panel.sort_values("year")
    latest = ordered.groupby("bps_code").last()
    return latest.reset_index()


def write_panel(
    panel: pd.DataFrame,
    data: indicators.IndicatorData,
    parameters: dict[str, object],
    record_counts: Sequence[RecordCount] = (),
) -> dict[str, Path]:
    """Write the panel files and their manifest to ``data/processed``.

    The manifest names every case file behind a count ("case records: FILE", hashed when
    the path exists) and its row accounting (``parameters["record_counts"]``).
    """
    from migration_ntt.ingest import boundaries
    from migration_ntt.manifest import write_manifest

    out_dir = config.processed_dir()
    paths = {
        "parquet": out_dir / "panel.parquet",
        "csv": out_dir / "panel.csv",
        "gpkg": out_dir / "regencies.gpkg",
    }
    panel.to_parquet(paths["parquet"], index=False)
    panel.to_csv(paths["csv"], index=False)
    inputs: list[Path | str] = [data.source_file, config.reference_dir() / "regencies.csv"]
    for counted in record_counts:
        inputs += [Path(f) if Path(f).is_file() else f"case records: {f}" for f in counted.files]
    if record_counts:
        parameters = {**parameters, "record_counts": [c.describe() for c in record_counts]}
    try:
        shapes = boundaries.load_boundaries()
        inputs.append(shapes.attrs["source"])
    except boundaries.BoundaryError as error:
        print(f"warning: {error}\nregencies.gpkg uses the schematic tile grid instead.")
        shapes = boundaries.tile_grid().set_crs("EPSG:4326", allow_override=True)
        inputs.append("schematic tile grid (no boundaries available)")
    latest = latest_values(panel).drop(columns=["kemendagri_code", "name"])
    layer = shapes[["bps_code", "kemendagri_code", "name", "geometry"]].merge(
        latest, on="bps_code", how="left"
    )
    for column in layer.columns:
        if pd.api.types.is_datetime64_any_dtype(layer[column]):
            layer[column] = layer[column].dt.strftime("%Y-%m-%d")
    layer.to_file(paths["gpkg"], layer="regencies", driver="GPKG")
    sources = panel.filter(like="_source").melt()["value"].dropna().astype(str).tolist()
    write_manifest(
        paths["parquet"],
        inputs=inputs,
        parameters=parameters,
        outputs=[paths["csv"], paths["gpkg"]],
        sources=sources,
    )
    return paths


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
