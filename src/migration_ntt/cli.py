"""``migration-ntt``: run the analysis chain from the command line.

Each sub-command is one step; ``all`` runs the chain that ``make demo`` runs. A user's
mistake (missing file, unknown option value, unreadable table) exits with code 2 and a
one-paragraph message, never a traceback.

Examples
--------
``migration-ntt resolve "Kab. TTS" "Kota Kupang"``
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence

from migration_ntt import __version__


class UserError(Exception):
    """A problem with the user's input: reported in one paragraph, exit code 2."""


def _cmd_resolve(args: argparse.Namespace) -> None:
    from migration_ntt import regions

    table = regions.resolve(list(args.names), year=args.year)
    print(table.drop(columns=["kemendagri_code"]).to_string(index=False))


def _cmd_regions(args: argparse.Namespace) -> None:
    from migration_ntt import regions

    columns = ["bps_code", "kemendagri_code", "name", "name_en", "island", "year_established"]
    print(regions.regencies()[columns].to_string(index=False))


def _cmd_build(args: argparse.Namespace) -> None:
    from migration_ntt import config, panel

    table = panel.build_panel()
    summary = panel.coverage_summary(table)
    print(
        f"panel: {table['bps_code'].nunique()} units × {table['year'].nunique()} years "
        f"({table['year'].min()}–{table['year'].max()}) → {config.processed_dir()}"
    )
    print("counts by year (one report each; units not named in a report stay missing):")
    shown = summary.assign(
        coverage=summary["coverage"].map(
            lambda value: "period not stated" if value != value else f"{value:.0%} of year"
        )
    )
    print(shown.drop(columns=["source"]).to_string(index=False))


STEPS: dict[str, Callable[[argparse.Namespace], None]] = {"build": _cmd_build}


def _cmd_all(args: argparse.Namespace) -> None:
    from migration_ntt import regions

    started = time.perf_counter()
    units = regions.regencies()
    print(
        f"[regions] gazetteer: {len(units)} units, {len(regions.aliases())} aliases and exclusions"
    )
    for name, step in STEPS.items():
        print(f"[{name}]", flush=True)
        step(args)
    print(f"done in {time.perf_counter() - started:.1f} s")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the tests and for ``--help``)."""
    parser = argparse.ArgumentParser(
        prog="migration-ntt",
        description="Clean, map and model non-procedural migrant-worker data for NTT.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    resolve = sub.add_parser("resolve", help="resolve regency names to BPS codes")
    resolve.add_argument("names", nargs="+", help="names as written in the source")
    resolve.add_argument(
        "--year",
        type=int,
        default=None,
        help="year the names refer to (units split later map to their parent)",
    )
    resolve.set_defaults(func=_cmd_resolve)

    show = sub.add_parser("regions", help="list the 22 units")
    show.set_defaults(func=_cmd_regions)

    build = sub.add_parser("build", help="build the regency × year panel in data/processed")
    build.set_defaults(func=_cmd_build)

    run_all = sub.add_parser("all", help="run the whole chain (what `make demo` runs)")
    run_all.set_defaults(func=_cmd_all)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``migration-ntt`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except UserError as error:
        print(f"migration-ntt {args.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
