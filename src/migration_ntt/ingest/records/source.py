"""An opened case file: its headers, its batches of rows, the rows it could not read.

:class:`Source` is what :func:`~.read.open_source` returns for any format; each reader
(:mod:`.read_text`, :mod:`.read_sheets`, DataFrames) yields :class:`Batch` es of the wanted
columns as Arrow strings with each row's number as the file shows it. The header row is the
one naming the most known fields (:func:`find_header`).
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from migration_ntt.ingest.readers import cell_text
from migration_ntt.ingest.readers import sniff_delimiter as sniff_text
from migration_ntt.ingest.records import exports
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.mapping import header_field
from migration_ntt.text import fold

DELIMITERS = (",", ";", "\t", "|")
HEAD_LINES = 30
MAX_HEAD_LINE_CHARS = 1 << 24  # a longer line is read, but not searched for a header
BATCH_ROWS = 100_000
MAX_QUOTED_LINES = 200  # a quoted cell spanning more lines than this is a broken quote
TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ".tab", ""}


class FastPathFailed(Exception):
    """The fast reader met something only the exact reader handles (internal)."""


@dataclass
class Problem:
    """A row that could not be read as a record (it is rejected with this reason)."""

    row: int
    reason: str  # "field_count" or "broken_quote"
    detail: str


@dataclass
class Batch:
    """Some rows of the file: the needed columns (Arrow strings) and their row numbers."""

    columns: dict[str, pa.Array]
    rows: np.ndarray


@dataclass
class Source:
    """An opened case file (see :func:`open_source`)."""

    source_file: str
    headers: list[str]
    header_row: int | None
    details: dict[str, object]
    synthetic: bool
    _reader: Callable[[Source, list[str], int], Iterator[Batch]]
    problems: list[Problem] = field(default_factory=list)
    blank_rows: int = 0
    force_exact: bool = False

    encode: set[str] = field(default_factory=set)

    def batches(
        self,
        wanted: Sequence[str],
        batch_rows: int = BATCH_ROWS,
        encode: Sequence[str] = (),
    ) -> Iterator[Batch]:
        """Yield batches of the ``wanted`` headers (problems and blank rows are counted).

        Columns in ``encode`` (few distinct values) may come dictionary-encoded, when the
        fast reader can do it while parsing. Raises :class:`FastPathFailed` when the fast
        reader finds a file it cannot read exactly; set ``force_exact`` and call again
        (the caller restarts its work).
        """
        self.problems = []
        self.blank_rows = 0
        self.encode = set(encode)
        missing = [h for h in wanted if h not in self.headers]
        if missing:
            raise RecordsError(f"{self.source_file}: no column(s) {', '.join(missing)}")
        yield from self._reader(self, list(wanted), batch_rows)


# --- header detection ------------------------------------------------------------------------


def header_score(cells: Sequence[object]) -> int:
    """How many fields a row names as headers; a KoboToolbox or ODK Central export's
    header row (:mod:`.exports`) also counts every column it recognises."""
    known = {header_field(c) for c in cells if header_field(c)}
    export = exports.recognise([str(c) for c in cells])
    if export is None:
        return len(known)
    return len(known | {f for f in export.fields.values() if f}) + len(export.how)


def find_header(
    grid: Sequence[Sequence[object]], where: str, columns: Mapping[str, str] | None
) -> int:
    """Index (0-based) of the header row among the first rows of a file.

    The header is the row naming the most known fields (or the headers given in
    ``columns``); at least two are needed.
    """
    wanted = {fold(header) for header in (columns or {}).values()}
    best_row, best_score = None, 0
    for number, cells in enumerate(grid[:HEAD_LINES]):
        texts = [str(c) if c is not None else "" for c in cells]
        score = header_score(texts) + 10 * len(wanted & {fold(c) for c in texts})
        if score > best_score:
            best_row, best_score = number, score
    if best_row is None or best_score < 2:
        first = next((row for row in grid if any(str(c or "").strip() for c in row)), ())
        shown = ", ".join(str(c) for c in first if str(c or "").strip())[:200]
        raise RecordsError(
            f"{where}: no header row found in the first {HEAD_LINES} rows (the first row reads: "
            f"{shown}). Expected column names such as Nama, NIK, JK, Tgl Lahir, Kabupaten/Kota "
            "Asal, Negara Tujuan, Status, Jenis Kasus, Tanggal Kejadian; or pass "
            "columns={field: header}."
        )
    return best_row


def unique_headers(headers: Sequence[object]) -> list[str]:
    """Headers made unique (``Status``, ``Status_1``), blanks named ``column_N``."""
    seen: dict[str, int] = {}
    out = []
    for number, header in enumerate(headers):
        name = str(header).strip().lstrip("\ufeff") if header is not None else ""
        name = name or f"column_{number + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}_{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


def sniff_delimiter(lines: Sequence[str]) -> str:
    """The delimiter that gives the most cells, consistently, over the first lines
    (:func:`migration_ntt.ingest.readers.sniff_delimiter` on those lines)."""

    return sniff_text("\n".join(lines[:HEAD_LINES]))


class RowBuilder:
    """Collect rows (lists of cell texts) into a :class:`Batch` of Arrow string arrays."""

    def __init__(self, wanted: list[str], positions: list[int]) -> None:
        self.wanted, self.positions = wanted, positions
        self.cells: list[list[str | None]] = [[] for _ in wanted]
        self.rows: list[int] = []

    @property
    def size(self) -> int:
        return len(self.rows)

    def add(self, number: int, fields: Sequence[object]) -> None:
        self.rows.append(number)
        for column, position in zip(self.cells, self.positions, strict=True):
            value = fields[position] if position < len(fields) else None
            text = cell_text(value)
            column.append(text if text else None)

    def flush(self) -> Batch:
        batch = Batch(
            columns={
                name: pa.array(values, type=pa.string())
                for name, values in zip(self.wanted, self.cells, strict=True)
            },
            rows=np.asarray(self.rows, dtype=np.int64),
        )
        self.cells = [[] for _ in self.wanted]
        self.rows = []
        return batch


def detect_encoding(head: bytes) -> str:
    """BOM, UTF-16 without BOM (NUL bytes every other byte), UTF-8, else cp1252 or latin-1."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        odd_nuls = sample[1::2].count(0) / max(1, len(sample[1::2]))
        even_nuls = sample[0::2].count(0) / max(1, len(sample[0::2]))
        if odd_nuls > 0.4 and even_nuls < 0.1:
            return "utf-16-le"
        if even_nuls > 0.4 and odd_nuls < 0.1:
            return "utf-16-be"
    for encoding in ("utf-8", "cp1252"):
        try:
            head.decode(encoding)
            return encoding
        except UnicodeDecodeError as error:
            if encoding == "utf-8" and error.start >= len(head) - 3:
                return encoding  # a character cut at the end of the sample
    return "latin-1"
