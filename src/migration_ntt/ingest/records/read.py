"""Read a case file as it comes, in batches: format, encoding, delimiter, header row.

What users actually have: CSV or TXT in any common encoding (UTF-8 with or without BOM,
UTF-16 as Excel's "Unicode Text" saves it, cp1252, latin-1) and delimiter (``, ; TAB |``),
title rows above the header, ``.gz`` or ``.zip`` holding one CSV, XLSX workbooks, old
binary ``.xls``, and the ``.xls`` files government systems export that are really an HTML
table or SpreadsheetML (Excel 2003 XML). :func:`open_source` looks at the bytes, not the
file name, and returns a :class:`Source` whose :meth:`~Source.batches` yields the needed
columns as Arrow string arrays with each row's number **as the file shows it** (the line of
a text file, the row of a sheet).

Two ways through a text file:

* **fast**: pyarrow's streaming CSV reader, only the needed columns, blank lines kept as
  empty rows so that row *i* is line *header + i*. It is used when the file holds no NUL
  byte, and it is checked: if any row has the wrong number of cells, or the rows read do
  not match the file's physical line count (a quoted line break), the reading is handed
  over to
* **exact**: a line-by-line reader that knows every line number. A row with too few or
  too many cells becomes a :class:`Problem` ``field_count``; a quote that is never closed
  becomes ``broken_quote`` (that line only: the lines after it are read again, not
  swallowed). NUL bytes are removed. Fields of any length are read.

Memory stays flat: at most one batch of rows is held at a time.

Examples
--------
>>> import tempfile, pathlib
>>> from migration_ntt.ingest.records import read
>>> path = pathlib.Path(tempfile.mkdtemp()) / "k.csv"
>>> _ = path.write_text("LAPORAN\\nKabupaten;Tanggal\\nMalaka;2024-01-02\\n")
>>> source = read.open_source(path)
>>> source.header_row, source.details["delimiter"]
(2, ';')
>>> [batch.rows.tolist() for batch in source.batches(["Kabupaten"])]
[[3]]
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zipfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

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


def _header_score(cells: Sequence[object]) -> int:
    return len({header_field(c) for c in cells if header_field(c)})


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
        score = _header_score(texts) + 10 * len(wanted & {fold(c) for c in texts})
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
    from migration_ntt.ingest.readers import sniff_delimiter as sniff_text

    return sniff_text("\n".join(lines[:HEAD_LINES]))


# --- opening ----------------------------------------------------------------------------------


def open_source(
    source: object,
    columns: Mapping[str, str] | None = None,
    sheet: str | int | None = None,
) -> Source:
    """Open a case file or DataFrame for batched reading (see the module docstring).

    Raises
    ------
    RecordsError
        Missing or empty file, unreadable workbook, a zip that does not hold exactly one
        table, no header row (naming the file and, for workbooks, the sheets).
    """
    if isinstance(source, pd.DataFrame):
        return _frame_source(source)
    if not isinstance(source, str | Path):
        raise TypeError(f"source must be a path or a DataFrame, got {type(source).__name__}")
    path = Path(source)
    if not path.exists():
        raise RecordsError(f"{path}: file not found")
    if path.is_dir():
        raise RecordsError(f"{path}: is a folder, not a file")
    if path.stat().st_size == 0:
        raise RecordsError(f"{path}: the file is empty")
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"PK\x03\x04"):
        return _zip_source(path, columns, sheet)
    if magic.startswith(b"\x1f\x8b"):
        return _text_source(path, lambda: gzip.open(path, "rb"), columns, {"compression": "gzip"})
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        return _grid_source(
            path, _xls_rows(path, sheet), columns, {"format": "xls", "sheet": sheet}
        )
    head = _decoded_head(path)
    lowered = head[:4096].lower().lstrip("\ufeff \r\n\t")
    if "urn:schemas-microsoft-com:office:spreadsheet" in head[:8192]:
        rows = _spreadsheetml_rows(path, sheet)
        return _grid_source(path, rows, columns, {"format": "spreadsheetml", "sheet": sheet})
    if (
        lowered.startswith(("<html", "<!doctype html", "<table", "<?xml"))
        and "<table" in head.lower()
    ):
        return _grid_source(path, _html_rows(path), columns, {"format": "html"})
    return _text_source(path, lambda: open(path, "rb"), columns, {})


def _decoded_head(path: Path, size: int = 1 << 16) -> str:
    with open(path, "rb") as handle:
        raw = handle.read(size)
    encoding = detect_encoding(raw)
    return raw.decode(encoding, errors="ignore")


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


def _zip_source(path: Path, columns, sheet) -> Source:
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise RecordsError(f"{path}: a damaged zip file ({error})") from error
    names = [
        name
        for name in archive.namelist()
        if not name.endswith("/") and not name.startswith("__MACOSX")
    ]
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        archive.close()
        return _grid_source(
            path, _xlsx_rows(path, sheet), columns, {"format": "xlsx", "sheet": sheet}
        )
    if len(names) != 1:
        archive.close()
        raise RecordsError(
            f"{path}: a zip file should hold exactly one table (CSV); it holds "
            f"{len(names)}: {', '.join(names[:10])}"
        )
    member = names[0]
    archive.close()

    def opener():
        return zipfile.ZipFile(path).open(member)

    return _text_source(path, opener, columns, {"compression": "zip", "member": member})


# --- text files ------------------------------------------------------------------------------


def _allow_long_fields() -> None:
    """Let the csv module read cells of any length (its default limit is 128 KiB)."""
    if csv.field_size_limit() < MAX_HEAD_LINE_CHARS * 64:
        csv.field_size_limit(MAX_HEAD_LINE_CHARS * 64)


def _head_lines(opener, encoding: str) -> tuple[list[str], bool]:
    """The first lines (decoded, line ends removed; a giant line cut to its first
    :data:`MAX_HEAD_LINE_CHARS` characters) and whether they hold NUL bytes."""
    with opener() as raw:
        text = io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")
        lines = []
        while len(lines) < HEAD_LINES:
            line = text.readline(MAX_HEAD_LINE_CHARS)
            if not line:
                break
            rest = line
            while rest and not rest.endswith("\n"):  # skip the rest of a giant line
                rest = text.readline(MAX_HEAD_LINE_CHARS)
            lines.append(line.rstrip("\r\n"))
    has_nul = any("\x00" in line for line in lines)
    return [line.replace("\x00", "") for line in lines], has_nul


def _text_source(path: Path, opener, columns, details: dict[str, object]) -> Source:
    with opener() as raw:
        head_bytes = raw.read(1 << 16)
    if not head_bytes.strip(b" \r\n\t\x00\xef\xbb\xbf\xff\xfe"):
        raise RecordsError(f"{path}: the file is empty")
    encoding = detect_encoding(head_bytes)
    _allow_long_fields()
    lines, has_nul = _head_lines(opener, encoding)
    delimiter = sniff_delimiter(lines)
    grid = [next(csv.reader([line], delimiter=delimiter), []) for line in lines]
    header_index = find_header(grid, str(path), columns)
    headers = unique_headers(grid[header_index])
    details = {
        **details,
        "format": "text",
        "encoding": encoding,
        "delimiter": delimiter,
        "nul_bytes": has_nul,
    }
    return Source(
        source_file=str(path),
        headers=headers,
        header_row=header_index + 1,
        details=details,
        synthetic="synthetic" in path.name.lower() or "synthetic" in headers,
        _reader=_text_batches(opener),
    )


def _text_batches(opener):
    def read(source: Source, wanted: list[str], batch_rows: int) -> Iterator[Batch]:
        fast = (
            not source.force_exact
            and not source.details["nul_bytes"]
            and source.details.get("compression") is None
            and source.details["encoding"] in {"utf-8", "utf-8-sig", "cp1252", "latin-1"}
        )
        source.details["reader"] = "fast" if fast else "exact"
        if fast:
            try:
                yield from _fast_batches(source, opener, wanted, batch_rows)
                return
            except FastPathFailed as failed:
                source.details["reader"] = f"exact ({failed})"
                raise
        yield from _exact_batches(source, opener, wanted, batch_rows)

    return read


def _physical_lines(opener) -> int:
    count, last = 0, b"\n"
    with opener() as raw:
        while block := raw.read(1 << 24):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (0 if last == b"\n" else 1)


def _fast_batches(source: Source, opener, wanted, batch_rows) -> Iterator[Batch]:
    import pyarrow.csv as pacsv

    problems: list[str] = []

    def invalid(row) -> str:
        problems.append(f"{row.actual_columns} cells where {row.expected_columns} were expected")
        return "error"

    encoding = source.details["encoding"]
    read_options = pacsv.ReadOptions(
        skip_rows=source.header_row,
        column_names=source.headers,
        encoding="utf8" if encoding in {"utf-8", "utf-8-sig"} else encoding,
        block_size=max(1 << 20, min(1 << 26, batch_rows * 200)),
        use_threads=True,
    )
    parse_options = pacsv.ParseOptions(
        delimiter=source.details["delimiter"],
        invalid_row_handler=invalid,
        ignore_empty_lines=False,
    )
    dictionary = pa.dictionary(pa.int32(), pa.string())
    convert_options = pacsv.ConvertOptions(
        include_columns=wanted,
        column_types={
            name: dictionary if name in source.encode else pa.string() for name in wanted
        },
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    next_row = source.header_row + 1
    lines = _Background(lambda: _physical_lines(opener))  # counted while the rows are read

    def record_batches() -> Iterator[pa.RecordBatch]:
        with opener() as raw:
            yield from pacsv.open_csv(
                raw,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )

    try:
        for record_batch in read_ahead(record_batches()):
            batch, next_row = _batch_from_record_batch(source, record_batch, wanted, next_row)
            if batch is not None:
                yield batch
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError) as error:
        text = str(error)
        if problems:
            raise FastPathFailed("a row with the wrong number of cells") from error
        if "UTF8" in text or "utf8" in text.lower() or isinstance(error, UnicodeDecodeError):
            raise FastPathFailed("text that is not valid UTF-8") from error
        if "straddling" in text or "block size" in text.lower():
            raise FastPathFailed("a very long row") from error
        raise RecordsError(f"{source.source_file}: cannot be read as a table ({text})") from error
    if next_row - 1 != lines.result():
        raise FastPathFailed("rows spanning several lines")


class _Background:
    """Run ``work`` in a thread now; :meth:`result` waits for it (re-raising its error)."""

    def __init__(self, work: Callable[[], object]) -> None:
        import threading

        self._value: object = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                self._value = work()
            except BaseException as error:  # handed to the caller in result()
                self._error = error

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def result(self) -> object:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def read_ahead(items: Iterator[object], depth: int = 2) -> Iterator[object]:
    """Iterate ``items`` in a background thread, ``depth`` items ahead of the consumer.

    pyarrow parses CSV blocks in C++ without the GIL, so reading the next batch overlaps
    with the Python work on the current one. Errors are raised in the consumer; if the
    consumer stops early, the thread stops too.
    """
    import queue
    import threading

    done = object()
    buffer: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put((item, None), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put((done, None))
        except BaseException as error:  # handed to the consumer
            buffer.put((done, error))

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    try:
        while True:
            item, error = buffer.get()
            if item is done:
                if error is not None:
                    raise error
                return
            yield item
    finally:
        stop.set()


def _batch_from_record_batch(source: Source, record_batch, wanted, next_row):
    import pyarrow.compute as pc

    n = record_batch.num_rows
    rows = np.arange(next_row, next_row + n, dtype=np.int64)
    arrays = [record_batch.column(name) for name in wanted]
    blank = np.ones(n, dtype=bool)
    for array in arrays:
        blank &= np.asarray(pc.is_null(array).to_numpy(zero_copy_only=False))
    source.blank_rows += int(blank.sum())
    if blank.all():
        return None, next_row + n
    keep = pa.array(~blank)
    columns = {name: array.filter(keep) for name, array in zip(wanted, arrays, strict=True)}
    return Batch(columns=columns, rows=rows[~blank]), next_row + n


def _exact_batches(source: Source, opener, wanted, batch_rows) -> Iterator[Batch]:
    """Line by line, with true line numbers (module docstring)."""
    delimiter = source.details["delimiter"]
    width = len(source.headers)
    positions = [source.headers.index(name) for name in wanted]
    builder = _RowBuilder(wanted, positions)
    with opener() as raw:
        text = io.TextIOWrapper(
            raw, encoding=source.details["encoding"], errors="replace", newline=""
        )
        lines = _numbered_lines(text, source.header_row)
        pending: list[tuple[int, str]] = []
        while True:
            if pending:
                number, line = pending.pop(0)
            else:
                item = next(lines, None)
                if item is None:
                    break
                number, line = item
            fields, again, problem = _record(number, line, lines, delimiter, width)
            pending = again + pending
            if problem is not None:
                source.problems.append(problem)
            elif fields is None:
                source.blank_rows += 1
            else:
                builder.add(number, fields)
                if builder.size >= batch_rows:
                    yield builder.flush()
    if builder.size:
        yield builder.flush()


def _numbered_lines(text: io.TextIOWrapper, header_row: int) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text, start=1):
        if number <= header_row:
            continue
        yield number, line.rstrip("\r\n").replace("\x00", "")


def _split(line: str, delimiter: str, quoting: int = csv.QUOTE_MINIMAL) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quoting=quoting), [""])


def _fit(number: int, fields: list[str], width: int) -> tuple[list[str] | None, Problem | None]:
    """The cells of a record with ``width`` columns, None for a blank line, or a problem."""
    if not any(cell.strip() for cell in fields):
        return None, None
    if len(fields) > width and not any(cell.strip() for cell in fields[width:]):
        fields = fields[:width]  # trailing empty cells
    if len(fields) != width:
        detail = f"line {number}: {len(fields)} cells where the header has {width}"
        return None, Problem(number, "field_count", detail)
    return [cell.strip() for cell in fields], None


def _record(number, line, lines, delimiter, width):
    """One record starting on line ``number``: (cells, lines to read again, problem)."""
    if line.count('"') % 2 == 0:
        fields, problem = _fit(number, _split(line, delimiter), width)
        return fields, [], problem
    # An odd number of quotes: a quoted line break, or a stray or broken quote.
    joined, taken = line, []
    while joined.count('"') % 2 and len(taken) < MAX_QUOTED_LINES:
        item = next(lines, None)
        if item is None:
            break
        taken.append(item)
        joined += "\n" + item[1]
    if joined.count('"') % 2 == 0:
        fields = _split(joined, delimiter)
        if len(fields) == width:
            return [cell.strip() for cell in fields], [], None
    # Not a well-formed multi-line record: this line alone, the others read again.
    plain = _split(line, delimiter, csv.QUOTE_NONE)
    if len(plain) == width:
        return [cell.strip() for cell in plain], taken, None  # the quote was a character
    detail = f'line {number}: a quote (") opens a cell and is never closed; line skipped'
    return None, taken, Problem(number, "broken_quote", detail)


class _RowBuilder:
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
            text = _cell_text(value)
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


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "isoformat") and hasattr(value, "year"):  # datetime / date
        return value.isoformat()[:10]
    return str(value).strip()


# --- sheets and tables ---------------------------------------------------------------------


def _grid_source(path: Path, rows_factory, columns, details) -> Source:
    """A source over (row number, cells) tuples: workbooks, HTML and XML tables."""
    details = {**details, **getattr(rows_factory, "details", {})}
    head: list[tuple[int, list[object]]] = []
    try:
        for item in rows_factory():
            head.append(item)
            if len(head) >= HEAD_LINES:
                break
    except RecordsError:
        raise
    except Exception as error:  # the readers raise many types for a damaged file
        raise RecordsError(f"{path}: not a readable {details['format']} file ({error})") from error
    if not head:
        raise RecordsError(f"{path}: the file is empty")
    grid = [cells for _, cells in head]
    try:
        header_index = find_header(grid, str(path), columns)
    except RecordsError as error:
        names = details.get("sheets") or []
        if len(names) > 1:
            shown = details.get("sheet_name") or names[0]
            raise RecordsError(
                f"{error} This was worksheet {shown!r}; the workbook has: "
                f"{', '.join(names)}. Choose one with sheet= (or --sheet NAME)."
            ) from None
        raise
    headers = unique_headers(grid[header_index])
    header_row = head[header_index][0]

    def read(source: Source, wanted: list[str], batch_rows: int) -> Iterator[Batch]:
        positions = [source.headers.index(name) for name in wanted]
        builder = _RowBuilder(wanted, positions)
        for number, cells in rows_factory():
            if number <= header_row:
                continue
            if not any(_cell_text(c) for c in cells):
                source.blank_rows += 1
                continue
            builder.add(number, cells)
            if builder.size >= batch_rows:
                yield builder.flush()
        if builder.size:
            yield builder.flush()

    source = Source(
        source_file=str(path),
        headers=headers,
        header_row=header_row,
        details={**details, "reader": "sheet"},
        synthetic="synthetic" in path.name.lower() or "synthetic" in headers,
        _reader=read,
    )
    return source


def _sheet_choice(path: Path, names: list[str], sheet: str | int | None, details: dict) -> str:
    details["sheets"] = names
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) and 0 <= sheet < len(names):
        chosen = names[sheet]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise RecordsError(f"{path}: no worksheet {sheet!r}; the workbook has: {', '.join(names)}")
    details["sheet_name"] = chosen
    return chosen


def _xlsx_rows(path: Path, sheet):
    from openpyxl import load_workbook

    details: dict = {}
    workbook = load_workbook(path, read_only=True, data_only=True)
    names = list(workbook.sheetnames)
    workbook.close()
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            for number, cells in enumerate(book[chosen].iter_rows(values_only=True), start=1):
                yield number, list(cells)
        finally:
            book.close()

    return _with_details(rows, details)


def _with_details(rows, details):
    """Attach sheet details to a rows factory (read by :func:`_grid_source`)."""

    class Rows:
        def __init__(self) -> None:
            self.details = details

        def __call__(self):
            return rows()

    return Rows()


def _xls_rows(path: Path, sheet):
    try:
        import xlrd
    except ImportError as error:  # pragma: no cover - xlrd is a dependency
        raise RecordsError(f"{path}: reading old .xls files needs xlrd") from error
    details: dict = {}
    try:
        book = xlrd.open_workbook(path, on_demand=True)
    except Exception as error:
        raise RecordsError(f"{path}: not a readable .xls workbook ({error})") from error
    names = book.sheet_names()
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        work = book.sheet_by_name(chosen)
        for index in range(work.nrows):
            cells = []
            for cell in work.row(index):
                if cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(pd.Timestamp(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                else:
                    cells.append(cell.value)
            yield index + 1, cells

    return _with_details(rows, details)


def _html_rows(path: Path):
    """Rows of the table with the best header in an HTML file (header cells included)."""

    def tables() -> list[list[list[object]]]:
        try:
            found = pd.read_html(path, header=None, flavor="lxml")
        except ValueError as error:
            raise RecordsError(
                f"{path}: an HTML file without a readable table ({error})"
            ) from error
        grids = []
        for table in found:
            grid = table.astype(object).where(table.notna(), None).to_numpy().tolist()
            if not isinstance(table.columns, pd.RangeIndex):  # <th> cells became the columns
                grid.insert(0, [str(c) for c in table.columns])
            grids.append(grid)
        return grids

    def rows():
        grids = tables()

        def score(grid: list[list[object]]) -> int:
            return max((_header_score(row) for row in grid[:HEAD_LINES]), default=0)

        yield from enumerate(max(grids, key=score), start=1)

    return _with_details(rows, {})


_SS = "{urn:schemas-microsoft-com:office:spreadsheet}"


def _spreadsheetml_rows(path: Path, sheet):
    import xml.etree.ElementTree as ElementTree

    details: dict = {}
    names = [
        element.get(f"{_SS}Name") or f"Sheet{i + 1}"
        for i, (_, element) in enumerate(
            e
            for e in ElementTree.iterparse(path, events=("start",))
            if e[1].tag == f"{_SS}Worksheet"
        )
    ]
    if not names:
        raise RecordsError(f"{path}: an Excel XML file without a worksheet")
    chosen = _sheet_choice(path, names, sheet, details)

    def rows():
        inside = False
        for event, element in ElementTree.iterparse(path, events=("start", "end")):
            if element.tag == f"{_SS}Worksheet" and event == "start":
                inside = element.get(f"{_SS}Name") == chosen
            if not inside or event != "end" or element.tag != f"{_SS}Row":
                continue
            cells: list[object] = []
            for cell in element.findall(f"{_SS}Cell"):
                index = cell.get(f"{_SS}Index")
                if index is not None:
                    cells.extend([None] * (int(index) - 1 - len(cells)))
                data = cell.find(f"{_SS}Data")
                cells.append(data.text if data is not None else None)
            row_index = element.get(f"{_SS}Index")
            yield (int(row_index) if row_index else None), cells
            element.clear()

    def numbered():
        last = 0
        for number, cells in rows():
            last = number if number is not None else last + 1
            yield last, cells

    return _with_details(numbered, details)


# --- DataFrames ---------------------------------------------------------------------------


def _frame_source(frame: pd.DataFrame) -> Source:
    headers = unique_headers([str(c) for c in frame.columns])
    table = frame.copy()
    table.columns = headers

    def read(source: Source, wanted: list[str], batch_rows: int) -> Iterator[Batch]:
        positions = [headers.index(name) for name in wanted]
        builder = _RowBuilder(wanted, positions)
        values = table.to_numpy(dtype=object)
        for number, cells in enumerate(values):
            if not any(_cell_text(c) for c in cells):
                source.blank_rows += 1
                continue
            builder.add(number, list(cells))
            if builder.size >= batch_rows:
                yield builder.flush()
        if builder.size:
            yield builder.flush()

    return Source(
        source_file="<DataFrame>",
        headers=headers,
        header_row=None,
        details={"format": "DataFrame", "reader": "frame"},
        synthetic=bool(frame.attrs.get("synthetic")) or "synthetic" in frame.columns,
        _reader=read,
    )
