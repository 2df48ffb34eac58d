"""Text case files (CSV/TXT, gzip, zip): a fast streaming reader, checked, and an exact one.

* **fast**: pyarrow's streaming CSV reader, only the needed columns, blank lines kept as
  empty rows so that row *i* is line *header + i*. It is used when the file holds no NUL
  byte, and it is checked: if any row has the wrong number of cells, or the rows read do
  not match the file's physical line count (a quoted line break), the reading is handed
  over to
* **exact**: a line-by-line reader that knows every line number. A row with too few or
  too many cells becomes a :class:`~.source.Problem` ``field_count``; a quote that is never
  closed becomes ``broken_quote`` (that line only: the lines after it are read again, not
  swallowed). NUL bytes are removed. Fields of any length are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.source import (
    HEAD_LINES,
    MAX_HEAD_LINE_CHARS,
    MAX_QUOTED_LINES,
    Batch,
    FastPathFailed,
    Problem,
    RowBuilder,
    Source,
    detect_encoding,
    find_header,
    sniff_delimiter,
    unique_headers,
)


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


def text_source(path: Path, opener, columns, details: dict[str, object]) -> Source:
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
    builder = RowBuilder(wanted, positions)
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
