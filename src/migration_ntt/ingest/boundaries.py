"""Regency and district boundaries: download, verify, parse, repair, cache.

The polygons come from ``cahyadsn/wilayah_boundaries`` (MIT), pinned at commit
:data:`COMMIT`, as MySQL files ``INSERT INTO wilayah_boundaries(kode,nama,lat,lng,path)``
whose ``path`` is a JSON string of **[lat, lng]** pairs (note the order). The files are
not committed here: :func:`load_boundaries` fetches them once, checks their sha256, and
caches the parsed result as GeoParquet, so a second call reads one local file.

Where the file comes from, in order:

1. the parsed cache (``data/cache``, or ``MIGRATION_NTT_CACHE``);
2. a local mirror folder (``mirror=`` or ``MIGRATION_NTT_MIRROR``; CI points it at
   ``../shared/data``), searched for the file name;
3. the pinned public address, with pooch.

A wrong hash, a truncated file, or no network and no mirror raise :class:`BoundaryError`
with what to do; nothing is cached from a bad file.

Geometries are repaired with ``shapely.make_valid`` (the source has islet shells nested in
larger shells of the same unit) and keyed by ``bps_code`` through :mod:`migration_ntt.regions`
(the files carry Kemendagri codes only).

Examples
--------
>>> from migration_ntt.ingest import boundaries
>>> gdf = boundaries.load_boundaries()
>>> len(gdf), gdf.crs.to_epsg(), bool(gdf.is_valid.all())
(22, 4326, True)
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from migration_ntt import config, regions
from migration_ntt.download import DownloadError, fetch_pinned

if TYPE_CHECKING:
    import geopandas as gpd

REPOSITORY = "cahyadsn/wilayah_boundaries"
COMMIT = "3c5a7960f4d227a38489094d84252bdbb3f978a5"
BASE_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}/"
NTT_PROVINCE = "53"
LICENCE = "MIT (cahyadsn/wilayah_boundaries); codes and names per Kepmendagri 2025"

_ROW = re.compile(
    r"\(\s*'(?P<kode>[0-9.]+)'\s*,\s*'(?P<nama>(?:[^'\\]|\\.|'')*)'\s*,\s*"
    r"(?P<lat>-?[0-9.]+)\s*,\s*(?P<lng>-?[0-9.]+)\s*,\s*'(?P<path>[^']*)'\s*\)"
)


class BoundaryError(RuntimeError):
    """A boundary file could not be obtained or read; the message says what to do."""


def _hashes() -> dict[str, str]:
    text = resources.files("migration_ntt").joinpath("data/boundary_sha256.csv").read_text()
    table = pd.read_csv(pd.io.common.StringIO(text), dtype=str)
    return dict(zip(table["path"], table["sha256"], strict=True))


def remote_path(level: str, province: str = NTT_PROVINCE) -> str:
    """Path of the SQL file inside the upstream repository."""
    folder = {"regency": "kab", "district": "kec"}[level]
    return f"db/{folder}/wilayah_boundaries_{folder}_{province}.sql"


def fetch_sql(
    level: str = "regency", province: str = NTT_PROVINCE, mirror: str | Path | None = None
) -> Path:
    """Return a verified local copy of one upstream SQL file (mirror first, then download).

    Raises
    ------
    BoundaryError
        Hash mismatch (the file is not what the pinned commit holds), or no mirror copy
        and the download failed.
    """

    upstream = remote_path(level, province)
    expected = _hashes().get(upstream)
    if expected is None:
        raise BoundaryError(f"no pinned sha256 for {upstream}: province code {province!r} unknown")
    try:
        return fetch_pinned(
            BASE_URL + upstream,
            expected,
            label=f"{upstream}@{COMMIT[:7]}",
            mirror=mirror,
            hints=("boundaries/raw", "boundaries/raw/national_kab", "raw"),
            store="sql",
        )
    except DownloadError as error:
        raise BoundaryError(str(error)) from error


def _depth(nested: object) -> int:
    depth = 0
    while isinstance(nested, list) and nested:
        nested = nested[0]
        depth += 1
    return depth


def _geometry(path_json: str):
    from shapely.geometry import MultiPolygon, Polygon

    coordinates = json.loads(path_json)

    def ring(points: list[list[float]]) -> np.ndarray:
        array = np.asarray(points, dtype=float)
        return array[:, ::-1]  # [lat, lng] → (lng, lat)

    def polygon(rings: list) -> Polygon:
        return Polygon(ring(rings[0]), [ring(hole) for hole in rings[1:]])

    depth = _depth(coordinates)
    if depth == 3:
        return polygon(coordinates)
    if depth == 4:
        return MultiPolygon([polygon(part) for part in coordinates])
    raise ValueError(f"unexpected coordinate nesting depth {depth}")


def parse_boundary_sql(path: str | Path) -> gpd.GeoDataFrame:
    """Parse one ``wilayah_boundaries`` SQL file into a GeoDataFrame (lon/lat, EPSG:4326).

    Columns: ``kode`` (Kemendagri code), ``nama``, ``label_lon``, ``label_lat``,
    ``geometry`` (repaired), ``repaired`` (True where the source geometry was invalid).

    Raises
    ------
    BoundaryError
        No INSERT rows, or a file cut short (the last statement does not end with ``;``),
        or a row whose coordinates cannot be read — naming the file and the row.
    """
    import geopandas as gpd
    import shapely

    path = Path(path)
    text = path.read_text(encoding="utf-8", errors="replace")
    start = text.find("INSERT INTO")
    if start < 0:
        raise BoundaryError(f"{path}: no 'INSERT INTO wilayah_boundaries' statement found")
    body = text[start:].rstrip()
    if not body.endswith(";"):
        raise BoundaryError(
            f"{path}: the file ends in the middle of a row (no closing ';'): it is truncated. "
            "Delete it and fetch it again."
        )
    records = []
    for number, found in enumerate(_ROW.finditer(body), start=1):
        try:
            geometry = _geometry(found.group("path"))
        except (ValueError, json.JSONDecodeError, IndexError) as error:
            raise BoundaryError(
                f"{path}, row {number} (kode {found.group('kode')}), column 'path': "
                f"expected a JSON list of [lat, lng] pairs ({error})"
            ) from error
        records.append(
            {
                "kode": found.group("kode"),
                "nama": found.group("nama").replace("''", "'").replace("\\'", "'"),
                "label_lat": float(found.group("lat")),
                "label_lon": float(found.group("lng")),
                "geometry": geometry,
            }
        )
    if not records:
        raise BoundaryError(f"{path}: the INSERT statement holds no readable rows")
    frame = gpd.GeoDataFrame(records, geometry="geometry", crs="EPSG:4326")
    invalid = ~frame.is_valid
    frame["repaired"] = invalid.to_numpy()
    if invalid.any():
        fixed = shapely.make_valid(frame.geometry[invalid].to_numpy())
        frame.loc[invalid, "geometry"] = [_polygonal(geom) for geom in fixed]
    return frame


def _polygonal(geometry):
    """Keep the polygonal part of a repaired geometry (make_valid may add lines/points)."""
    from shapely.geometry import GeometryCollection, MultiPolygon, Polygon

    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    if isinstance(geometry, GeometryCollection):
        parts = []
        for part in geometry.geoms:
            if isinstance(part, Polygon):
                parts.append(part)
            elif isinstance(part, MultiPolygon):
                parts.extend(part.geoms)
        return MultiPolygon(parts)
    return geometry


def _attach_codes(frame: gpd.GeoDataFrame, level: str) -> gpd.GeoDataFrame:
    regency_code = frame["kode"].str.slice(0, 5)
    resolved = regions.resolve_codes(regency_code.tolist(), scheme="kemendagri")
    frame = frame.copy()
    if level == "regency":
        frame.insert(0, "bps_code", resolved["bps_code"].to_numpy())
        frame.insert(1, "kemendagri_code", frame.pop("kode"))
        frame.insert(2, "name", resolved["name"].to_numpy())
        frame["name"] = frame["name"].fillna(frame["nama"])
    else:
        frame.insert(0, "district_code", frame.pop("kode"))
        frame.insert(1, "district_name", frame.pop("nama"))
        frame.insert(2, "bps_code", resolved["bps_code"].to_numpy())
        frame.insert(3, "kemendagri_code", regency_code.to_numpy())
    return frame


def load_boundaries(
    level: str = "regency",
    mirror: str | Path | None = None,
    *,
    province: str = NTT_PROVINCE,
    refresh: bool = False,
) -> gpd.GeoDataFrame:
    """Boundaries of NTT regencies (or districts), keyed by ``bps_code``, in EPSG:4326.

    Parameters
    ----------
    level : {"regency", "district"}
        ``"district"`` gives the kecamatan, each with the ``bps_code`` of its regency.
    mirror : str or Path, optional
        Folder searched for the SQL file before any download (default:
        ``MIGRATION_NTT_MIRROR``).
    province : str
        Kemendagri province code; ``"53"`` is NTT. Other provinces (regency level) are
        available for comparison and benchmarks; their units carry no BPS code.
    refresh : bool
        Ignore the parsed cache and parse the SQL again.

    Returns
    -------
    geopandas.GeoDataFrame
        Regency level: ``bps_code, kemendagri_code, name, nama, label_lat, label_lon,
        repaired, geometry``, sorted by ``bps_code``; ``attrs`` holds the source and licence.

    Examples
    --------
    >>> from migration_ntt.ingest import boundaries
    >>> boundaries.load_boundaries().set_index("bps_code").loc["5321", "name"]
    'Kabupaten Malaka'
    """
    import geopandas as gpd

    if level not in {"regency", "district"}:
        raise ValueError(f"level must be 'regency' or 'district', got {level!r}")
    cache = config.cache_dir() / f"boundaries_{level}_{province}_{COMMIT[:7]}.parquet"
    if cache.is_file() and not refresh:
        frame = gpd.read_parquet(cache)
    else:
        sql = fetch_sql(level, province, mirror)
        frame = _attach_codes(parse_boundary_sql(sql), level)
        sort_key = (
            "bps_code" if level == "regency" and province == NTT_PROVINCE else frame.columns[0]
        )
        frame = frame.sort_values([sort_key, frame.columns[1]]).reset_index(drop=True)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, suffix=".parquet.part")
        os.close(handle)
        frame.to_parquet(temporary)
        os.replace(temporary, cache)
    frame.attrs.update(
        {
            "source": f"{REPOSITORY}@{COMMIT[:7]}:{remote_path(level, province)}",
            "licence": LICENCE,
            "schematic": False,
        }
    )
    return frame


def province_codes() -> list[str]:
    """Kemendagri province codes with a pinned regency boundary file (38 provinces)."""
    codes = [path.split("_")[-1].removesuffix(".sql") for path in _hashes() if "/kab/" in path]
    return sorted(set(codes))


def load_national_regencies(mirror: str | Path | None = None) -> gpd.GeoDataFrame:
    """Every regency and city of Indonesia (about 514 units), for comparisons and benchmarks.

    Units outside NTT have no BPS code here; ``kode`` (Kemendagri) is their id.
    """
    import geopandas as gpd

    frames = [load_boundaries("regency", mirror, province=code) for code in province_codes()]
    national = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    if "kode" not in national.columns:
        national["kode"] = national["kemendagri_code"]
    national["kode"] = national["kode"].fillna(national.get("kemendagri_code"))
    return national


# Rough geographic arrangement of the 22 units (column = west→east, row = south→north).
TILE_LAYOUT = {
    "5315": (0, 3),
    "5313": (1, 3),
    "5319": (2, 3),
    "5312": (3, 3),
    "5318": (4, 3),
    "5311": (5, 3),
    "5310": (6, 3),
    "5309": (7, 3),
    "5308": (8, 3),
    "5307": (10, 3),
    "5317": (0, 1),
    "5301": (1, 1),
    "5316": (2, 1),
    "5302": (3, 1),
    "5305": (8, 2),
    "5306": (9, 2),
    "5371": (6, 1),
    "5303": (7, 1),
    "5304": (8, 1),
    "5321": (9, 1),
    "5320": (5, 0),
    "5314": (6, 0),
}


def tile_grid() -> gpd.GeoDataFrame:
    """A schematic tile map of the 22 units, for maps when real boundaries are unavailable.

    Each unit is a unit square placed in its rough geographic position (Flores and Alor
    along the top, Sumba bottom-left, Timor bottom-right, Sabu and Rote below). The
    coordinates are not geographic (``crs`` is None) and ``attrs["schematic"]`` is True:
    maps drawn on it must say so, and it must not be used for spatial weights.

    Examples
    --------
    >>> from migration_ntt.ingest import boundaries
    >>> grid = boundaries.tile_grid()
    >>> len(grid), grid.attrs["schematic"]
    (22, True)
    """
    import geopandas as gpd
    from shapely.geometry import box

    table = regions.regencies()
    geometry = [
        box(x + 0.05, y + 0.05, x + 0.95, y + 0.95)
        for x, y in (TILE_LAYOUT[code] for code in table["bps_code"])
    ]
    grid = gpd.GeoDataFrame(
        table[["bps_code", "kemendagri_code", "name", "short_name"]], geometry=geometry, crs=None
    )
    grid.attrs.update({"schematic": True, "source": "schematic tile layout (migration-ntt)"})
    return grid
