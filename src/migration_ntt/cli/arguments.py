"""Argument types and option groups of the ``migration-ntt`` command: each type rejects a
bad value with a message argparse prints (exit code 2)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from migration_ntt.ingest.records.mapping import FIELDS
from migration_ntt.viz.export import DEFAULT_FORMATS, FORMATS


class UserError(Exception):
    """A problem with the user's input: reported in one paragraph, exit code 2."""


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from error


def permutations(text: str) -> int:
    value = _whole_number(text)
    if not 99 <= value <= 999_999:
        raise argparse.ArgumentTypeError(
            f"expected 99 to 999,999 permutations (p-values resolve to 1/(N+1)), got {value}"
        )
    return value


def figure_formats(text: str) -> tuple[str, ...]:
    """``png,pdf,svg`` → ``("png", "pdf", "svg")``: the figure formats to write."""
    chosen = tuple(dict.fromkeys(part.strip().lower() for part in text.split(",") if part.strip()))
    unknown = [fmt for fmt in chosen if fmt not in FORMATS]
    if not chosen or unknown:
        raise argparse.ArgumentTypeError(
            f"expected a comma-separated list of {', '.join(FORMATS)}, got {text!r}"
        )
    return chosen


def non_negative(text: str) -> int:
    value = _whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def language(text: str) -> str:
    if text not in {"id", "en", "both"}:
        raise argparse.ArgumentTypeError(
            f"unknown language {text!r}: use id (Bahasa Indonesia), en (English) or both"
        )
    return text


def selection(text: str) -> tuple[str, list[str]]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(
            f"expected COLUMN=VALUE[,VALUE…], e.g. procedural=non_prosedural; got {text!r}"
        )
    column, values = text.split("=", 1)
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not column.strip() or not items:
        raise argparse.ArgumentTypeError(f"expected COLUMN=VALUE[,VALUE…]; got {text!r}")
    return column.strip(), items


def period(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.replace(",", ":").split(":")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(
            f"expected START:END dates, e.g. 2021-01-01:2024-12-31; got {text!r}"
        )
    return parts[0], parts[1]


def count_name(text: str) -> str:
    if not text.isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected a simple column name (letters, digits, _), e.g. np_cases; got {text!r}"
        )
    return text


def languages(value: str) -> list[str]:
    return ["id", "en"] if value == "both" else [language(value)]


def read_columns(path_text: str | None) -> dict[str, str] | None:
    if not path_text:
        return None
    path = Path(path_text)
    if not path.is_file():
        raise UserError(
            f"{path}: --columns file not found. It should be JSON like "
            '{"regency": "Asal Kab", "event_date": "Tgl"}.'
        )
    try:
        columns = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise UserError(
            f"{path}: not valid JSON ({error}). Expected an object mapping fields to headers, "
            'e.g. {"regency": "Asal Kab"}.'
        ) from error
    if not isinstance(columns, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items()
    ):
        raise UserError(
            f"{path}: expected a JSON object of field → header (both text), e.g. "
            f'{{"regency": "Asal Kab"}}; got {type(columns).__name__}.'
        )
    return columns


def field_header(text: str) -> tuple[str, str]:
    field, sep, header = text.partition("=")
    field, header = field.strip(), header.strip()
    if not sep or not field or not header:
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER (e.g. status=Ket.), got {text!r}")
    if field not in FIELDS:
        raise argparse.ArgumentTypeError(f"unknown field {field!r}; fields are {', '.join(FIELDS)}")
    return field, header


def add_cleaning_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns",
        metavar="JSON",
        help='JSON file mapping fields to headers, e.g. {"regency": "Asal Kab", "event_date": '
        '"Tgl"}, for headers not recognised automatically',
    )
    parser.add_argument(
        "--map",
        action="append",
        type=field_header,
        metavar="FIELD=HEADER",
        help="the column holding a field, e.g. --map status=Ket. (repeatable; wins over "
        "--columns and over the automatic mapping)",
    )
    parser.add_argument(
        "--values",
        metavar="CSV",
        help="value map (columns field,raw_value,canonical) applied before every rule, e.g. "
        "status,jalur belakang,non_prosedural",
    )
    parser.add_argument(
        "--write-value-map",
        metavar="CSV",
        help="write every value no rule could read, with its rows and a best guess, as a "
        "value map to fill in and pass back with --values",
    )
    parser.add_argument(
        "--sheet", metavar="NAME", help="worksheet of an XLSX file (default: the first)"
    )
    parser.add_argument(
        "--secret",
        metavar="TEXT",
        help="secret for the person keys (default: MIGRATION_NTT_SECRET; without either, keys "
        "are random per run and do not link across runs)",
    )
    parser.add_argument(
        "--dedupe-days",
        type=non_negative,
        default=0,
        metavar="N",
        help="records of one person and event type within N days are duplicates (default 0: "
        "same day only)",
    )


def add_source_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "data",
        "Published tallies (default) or your own case file. With --records the file is "
        "cleaned and counted per regency and year (zero where a regency has no record).",
    )
    group.add_argument(
        "--records",
        metavar="FILE",
        help="your case file (CSV/XLSX, or a *_clean.parquet written by `clean`)",
    )
    group.add_argument(
        "--select",
        action="append",
        type=selection,
        metavar="COLUMN=VALUE[,VALUE]",
        help="count only these records, e.g. procedural=non_prosedural or "
        "event_type=death_abroad,deportation (repeatable; all must hold)",
    )
    group.add_argument(
        "--name",
        type=count_name,
        default="cases",
        help="name of the count made from --records (default: cases)",
    )
    group.add_argument(
        "--period",
        type=period,
        metavar="START:END",
        help="period the records cover, e.g. 2021-01-01:2024-12-31 (default: the whole "
        "calendar years from the first to the last event)",
    )
    group.add_argument(
        "--incomplete",
        action="store_true",
        help="the file is not a register of every regency: a regency it never names is "
        "missing, not zero",
    )
    group.add_argument("--label-id", metavar="TEXT", help="name of the count in Indonesian")
    group.add_argument("--label-en", metavar="TEXT", help="name of the count in English")
    group.add_argument(
        "--count",
        metavar="COLUMN",
        help="published count to analyse without --records (default: pmi_deaths_abroad)",
    )
    group.add_argument(
        "--programmes",
        metavar="PATH",
        help="programme log (CSV/XLSX) or folder of logs, read with the published programme "
        "rows (default: the logs in data/raw/programmes; see its README)",
    )
    add_cleaning_options(group)


def add_permutations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--permutations",
        type=permutations,
        default=9_999,
        metavar="N",
        help="seeded conditional permutations for the cluster statistics (default 9,999)",
    )


def add_formats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--formats",
        type=figure_formats,
        default=DEFAULT_FORMATS,
        metavar="LIST",
        help=f"figure formats, from {','.join(FORMATS)} (default {','.join(DEFAULT_FORMATS)}: "
        "SVG, for editing, only on request)",
    )


def workers(text: str) -> int:
    value = _whole_number(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected 1 or more worker processes, got {value}")
    return value


def add_workers(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--workers",
        type=workers,
        default=None,
        metavar="N",
        help="worker processes for the evaluations and figures (default: the cores, or "
        "MIGRATION_NTT_WORKERS; 1 runs everything in one process)",
    )


def add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        type=language,
        default="both",
        help="id (Bahasa Indonesia), en (English) or both (default both)",
    )
