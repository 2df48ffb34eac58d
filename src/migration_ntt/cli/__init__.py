"""``migration-ntt``: run the analysis chain from the command line.

Each sub-command is one step; ``all`` runs the chain that ``make demo`` runs. Every step
works on the published tallies (``--count``, default PMI deaths abroad) or on the user's
own case file (``--records FILE`` with ``--select``, ``--name``…): the file is cleaned,
counted into the regency × year panel and carried through hotspots, models, figures and
the brief.

A user's mistake (missing file, unknown option value, unreadable table, a bad number)
exits with code 2 and a one-paragraph message, never a traceback.

Examples
--------
``migration-ntt resolve "Kab. TTS" "Kota Kupang"``

``migration-ntt all --records kasus.xlsx --select procedural=non_prosedural --name np_cases``
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from migration_ntt.cli.arguments import UserError
from migration_ntt.cli.parser import build_parser
from migration_ntt.ingest.boundaries import BoundaryError
from migration_ntt.ingest.indicators import IndicatorError
from migration_ntt.ingest.programmes import ProgrammeError
from migration_ntt.ingest.records import RecordsError
from migration_ntt.ingest.workshop import WorkshopError
from migration_ntt.pipeline.workers import WorkersError

__all__ = ["UserError", "build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``migration-ntt`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except (
        UserError,
        RecordsError,
        IndicatorError,
        BoundaryError,
        ProgrammeError,
        WorkshopError,
        WorkersError,
    ) as error:
        print(f"migration-ntt {args.command}: {error}", file=sys.stderr)
        return 2
    return 0
