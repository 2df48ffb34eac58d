"""The kecamatan × year panel of the user's case records (315 kecamatan, zero-filled)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions
from migration_ntt.ingest.records.counts import count_column, period_years
from migration_ntt.labels import count_labels
from migration_ntt.manifest import write_manifest
from migration_ntt.panel.attrs import Shared
from migration_ntt.panel.specs import record_specs
from migration_ntt.regions import places


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

    Parameters
    ----------
    records : CleanResult, DataFrame, path or dict
        The cleaned records (or ``{name: {"records": …, "select": …}}`` for several counts).
    select : dict, optional
        Which records are counted.
    name : str
        The count's column name.
    period : (start, end), optional
    complete : bool
        The records are a register (zero where a kecamatan has none).
    label : dict, optional
        ``{"id", "en"}`` naming the count.
    years : sequence of int, optional
    population : DataFrame or path, optional
        ``district_code, population`` (and optionally ``year``).
    write : bool
        Write ``data/processed/panel_district.*``.

    Returns
    -------
    pandas.DataFrame
        One row per kecamatan and year.

    Examples
    --------
    >>> from migration_ntt import panel
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(400, seed=3)
    >>> table = panel.build_district_panel(records.clean_records(messy, secret="d"), write=False)
    >>> table["district_code"].nunique(), int(table["cases"].isna().sum())
    (315, 0)
    """

    specs = record_specs(records, select, name, period, complete, label)
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
    table.attrs["record_counts"] = Shared({c.name: c.describe() for c, _ in made})
    table.attrs["count_labels"] = Shared(
        {c.name: count_labels(c.name, given, select=c.select) for c, given in made}
    )
    if write:
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
