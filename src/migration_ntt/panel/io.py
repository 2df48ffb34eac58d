"""Write the panel to ``data/processed`` (Parquet, CSV, a GeoPackage of the latest values)
with its manifest."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from migration_ntt import config
from migration_ntt.ingest import boundaries, indicators
from migration_ntt.ingest.records.counts import RecordCount
from migration_ntt.manifest import write_manifest


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
