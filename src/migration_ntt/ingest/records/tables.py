"""The clean table's contract, and the parsed batches kept until the end of a file.

:data:`CONTRACT` is the column order of the clean table (DESIGN.md, plus the partial-date
and destination-region columns); :func:`validate` checks it vectorised on every batch (a
failure is a bug of the cleaner, never of the user's file); :func:`clean_schema` gives the
same rules as a pandera schema for users' own checks. :class:`Parts` keeps the parsed
batches (in memory, or spilled to Parquet with ``out=``) and the compact arrays the
duplicate search needs; :class:`Writer` writes the three tables part by part.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt import privacy, regions
from migration_ntt.ingest.records import dates, read
from migration_ntt.ingest.records import vocabulary as vocab
from migration_ntt.ingest.records.batch import MAX_AGE, MIN_EVENT_YEAR, Parsed

CONTRACT = (
    "record_id",
    "source_file",
    "source_row",
    "event_type",
    "event_date",
    "year",
    "bps_code",
    "procedural",
    "sex",
    "age",
    "destination_iso3",
    "person_key",
    "district_code",
    "village_code",
    "event_month",
    "date_precision",
    "destination_region",
)
VALIDATION_SAMPLE = 1_000

STRINGS = {pa.string(): pd.StringDtype("pyarrow", na_value=np.nan)}
STRINGS[pa.large_string()] = STRINGS[pa.string()]
STRINGS[pa.int8()] = pd.Int8Dtype()


class Parts:
    """The parsed batches: compact arrays in memory, tables in memory or spilled to disk."""

    def __init__(self, workdir: Path | None) -> None:
        self.workdir = workdir
        self.tables: list[pa.Table] = []
        self.writer = None
        self.compact: dict[str, list[np.ndarray]] = {
            name: [] for name in ("digests", "has_key", "day", "event", "usable", "source_row")
        }
        self.rejected_raw: list[pa.Table] = []
        self.record_ids: list[pa.Array] = []
        self.n = 0

    def add(self, parsed: Parsed) -> None:
        table = parsed.table
        if self.workdir is not None:
            import pyarrow.parquet as pq

            plain = decode(table)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.workdir / "parsed.parquet", plain.schema)
            self.writer.write_table(plain)
        else:
            self.tables.append(table)
        reason = table.column("reason")
        usable = np.asarray(reason.is_null().to_numpy(zero_copy_only=False))
        for name, values in (
            ("digests", parsed.digests),
            ("has_key", parsed.has_key),
            ("day", parsed.day),
            ("event", parsed.event),
            ("usable", usable),
            ("source_row", table.column("source_row").to_numpy()),
        ):
            self.compact[name].append(values)
        self.rejected_raw.append(parsed.rejected_raw)
        if parsed.record_ids is not None:
            self.record_ids.append(parsed.record_ids)
        self.n += table.num_rows

    def array(self, name: str) -> np.ndarray:
        """One compact array for the whole file (its batch pieces are released)."""
        items = self.compact[name]
        if not items:
            shape = (0, privacy.DIGEST_BYTES) if name == "digests" else (0,)
            return np.zeros(shape, dtype=np.uint8 if name == "digests" else np.int64)
        if len(items) > 1:
            joined = np.concatenate(items)
            items.clear()
            items.append(joined)
        return items[0]

    def batches(self):
        """The parsed tables again, in order."""
        if self.workdir is None:
            yield from self.tables
            return
        import pyarrow.parquet as pq

        if self.writer is not None:
            self.writer.close()
            self.writer = None
        path = self.workdir / "parsed.parquet"
        if path.exists():
            for batch in pq.ParquetFile(path).iter_batches(batch_size=read.BATCH_ROWS):
                yield pa.Table.from_batches([batch])


def decode(table: pa.Table) -> pa.Table:
    """Dictionary columns as plain strings (for writing and for pandas)."""
    columns = [
        pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column
        for column in table.columns
    ]
    return pa.table(columns, names=table.column_names)


def record_ids(stem: str, source_rows: pa.Array | pa.ChunkedArray | np.ndarray) -> pa.Array:
    """``record_id`` = ``<file stem>:<source row>``."""
    if isinstance(source_rows, pa.ChunkedArray):
        source_rows = source_rows.combine_chunks()  # joins on chunks are ~10 × slower
    rows = source_rows if isinstance(source_rows, pa.Array) else pa.array(source_rows)
    return pc.binary_join_element_wise(f"{stem}:", pc.cast(rows, pa.string()), "")


def contract_table(
    parsed: pa.Table,
    stem: str,
    source_file: str,
    keys: pa.Array,
    synthetic: bool,
    ids: pa.Array | None = None,
) -> pa.Table:
    """The clean-table columns in contract order, then the quality columns. ``ids``: the
    file's own record ids (null where the file has none usable: ``<stem>:<row>`` then)."""
    plain = decode(parsed)
    n = plain.num_rows
    made = record_ids(stem, plain.column("source_row"))
    columns = {
        "record_id": made if ids is None else pc.if_else(pc.is_valid(ids), ids, made),
        "source_file": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(n, dtype=np.int32)), pa.array([source_file])
        ).cast(pa.string()),
        "person_key": keys,
    }
    ordered = {name: columns[name] if name in columns else plain.column(name) for name in CONTRACT}
    rest = {
        name: plain.column(name)
        for name in plain.column_names
        if name not in ordered and name != "reason"
    }
    table = pa.table({**ordered, **rest})
    if synthetic:
        table = table.append_column("synthetic", pa.array(np.ones(n, dtype=bool)))
    return table


def validate(table: pa.Table, keys: pa.Array, where: str) -> None:
    """The contract of the clean table, checked vectorised (no row-by-row pass).

    ``table`` holds the parsed columns of the clean rows (categories dictionary-encoded)
    and ``keys`` their person keys. Categories are checked exactly on the distinct values
    in use, ranges with Arrow kernels, the key format (made by construction) on a sample.
    A failure is a bug in the cleaner, not in the user's file.
    """
    problems = []

    def within(name: str, allowed: set[str]) -> None:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = pc.cast(pc.unique(column), pa.string())
        values = set(pc.unique(column).drop_null().to_pylist())
        if not values <= allowed:
            problems.append(f"{name} has {sorted(values - allowed)}")

    if table.num_rows == 0:
        return
    within("event_type", set(vocab.EVENT_TYPES))
    within("procedural", set(vocab.PROCEDURAL))
    within("sex", set(vocab.SEXES))
    within("date_precision", set(dates.PRECISIONS))
    within("bps_code", set(regions.regencies()["bps_code"]))
    if table.column("bps_code").null_count:
        problems.append("bps_code is missing")
    if table.column("date_precision").null_count:
        problems.append("date_precision is missing")
    rows = table.column("source_row").to_numpy()
    if len(rows) > 1 and not (np.diff(rows) > 0).all():  # rows come in file order
        problems.append("source_row is not unique and increasing")
    year = table.column("year")
    if pc.min(year).as_py() < MIN_EVENT_YEAR or pc.max(year).as_py() > 2100:
        problems.append("year out of range")
    age = table.column("age").drop_null()
    if len(age) and (pc.min(age).as_py() < 0 or pc.max(age).as_py() > MAX_AGE):
        problems.append("age out of range")
    destinations = pc.unique(table.column("destination_iso3"))
    if pa.types.is_dictionary(destinations.type):
        destinations = pc.cast(destinations, pa.string())
    destinations = destinations.drop_null()
    if (
        len(destinations)
        and not pc.all(pc.match_substring_regex(destinations, r"^[A-Z]{3}$")).as_py()
    ):
        problems.append("destination_iso3 not ISO3")
    # person keys are made 32 hex characters by construction: their format on a sample
    keys = keys.slice(0, VALIDATION_SAMPLE).drop_null()
    if len(keys) and not pc.all(pc.match_substring_regex(keys, r"^[0-9a-f]{32}$")).as_py():
        problems.append("person_key is not 32 hex characters")
    if problems:
        raise RuntimeError(f"{where}: the clean table breaks its contract: {'; '.join(problems)}")


def clean_schema():
    """The pandera schema of the clean table (DESIGN.md contract), for users' own checks.

    :func:`~.clean.clean_records` checks the same rules vectorised, without a row-by-row pass.
    """
    import pandera.pandas as pandera

    codes = regions.regencies()["bps_code"].tolist()
    return pandera.DataFrameSchema(
        {
            "record_id": pandera.Column(str, unique=True),
            "source_file": pandera.Column(str),
            "source_row": pandera.Column("int64", pandera.Check.ge(0)),
            "event_type": pandera.Column(str, pandera.Check.isin(vocab.EVENT_TYPES)),
            "event_date": pandera.Column("datetime64[ns]", nullable=True),
            "year": pandera.Column("int64", pandera.Check.in_range(MIN_EVENT_YEAR, 2100)),
            "bps_code": pandera.Column(str, pandera.Check.isin(codes)),
            "procedural": pandera.Column(str, pandera.Check.isin(vocab.PROCEDURAL)),
            "sex": pandera.Column(str, pandera.Check.isin(list(vocab.SEXES)), nullable=True),
            "age": pandera.Column(float, pandera.Check.in_range(0, MAX_AGE), nullable=True),
            "destination_iso3": pandera.Column(
                str, pandera.Check.str_matches(r"^[A-Z]{3}$"), nullable=True
            ),
            "person_key": pandera.Column(
                str, pandera.Check.str_matches(r"^[0-9a-f]{32}$"), nullable=True
            ),
            "event_month": pandera.Column("Int8", pandera.Check.in_range(1, 12), nullable=True),
            "date_precision": pandera.Column(str, pandera.Check.isin(dates.PRECISIONS)),
        },
        strict=False,
        coerce=False,
    )


class Writer:
    """Parquet files written part by part (``out=``)."""

    def __init__(self, folder: str | Path, stem: str) -> None:
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths = {
            kind: self.folder / f"{stem}_{kind}.parquet"
            for kind in ("clean", "duplicates", "rejects")
        }
        self.writers: dict[str, object] = {}
        self.rows = {kind: 0 for kind in self.paths}

    def write(self, kind: str, table: pa.Table) -> None:
        import pyarrow.parquet as pq

        if kind not in self.writers:
            self.writers[kind] = pq.ParquetWriter(self.paths[kind], table.schema)
        self.writers[kind].write_table(table)
        self.rows[kind] += table.num_rows

    def close(self, schemas: dict[str, pa.Schema]) -> dict[str, Path]:
        import pyarrow.parquet as pq

        for kind, path in self.paths.items():
            if kind not in self.writers:
                pq.write_table(schemas[kind].empty_table(), path)
        for writer in self.writers.values():
            writer.close()
        return self.paths


def empty_parsed() -> pa.Table:
    """A parsed table with no rows (for the schema of empty outputs)."""
    return pa.table(
        {
            "source_row": pa.array([], pa.int64()),
            **{
                name: pa.array([], pa.string())
                for name in (
                    "event_type",
                    "bps_code",
                    "procedural",
                    "sex",
                    "destination_iso3",
                    "district_code",
                    "village_code",
                )
            },
            "event_date": pa.array([], pa.timestamp("ns")),
            "year": pa.array([], pa.int64()),
            "age": pa.array([], pa.float64()),
            "event_month": pa.array([], pa.int8()),
            "date_precision": pa.array([], pa.string()),
            "destination_region": pa.array([], pa.string()),
            "place_match": pa.array([], pa.string()),
            "regency_match": pa.array([], pa.string()),
        }
    )


def to_pandas(pieces: list[pa.Table]) -> pd.DataFrame:
    """One DataFrame of the pieces; the pieces are released as they are converted (the
    list is emptied), so the Arrow and pandas copies are never both whole in memory."""
    if not pieces:
        return pd.DataFrame(columns=list(CONTRACT))
    table = pa.concat_tables(pieces)
    pieces.clear()
    return table.to_pandas(types_mapper=STRINGS.get, self_destruct=True, split_blocks=True)


def read_table(path: Path) -> pd.DataFrame:
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pandas(types_mapper=STRINGS.get)
