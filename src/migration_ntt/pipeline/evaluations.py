"""The evaluation step of the chain: each programme evaluated against a count, the ones
that cannot be with the reason, and the tables written to ``data/processed``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from migration_ntt import config, evaluation
from migration_ntt.evaluation import ProgrammeEvaluation
from migration_ntt.ingest import boundaries
from migration_ntt.ingest.programmes import load_programmes
from migration_ntt.manifest import write_manifest
from migration_ntt.pipeline.workers import Batch, Workers
from migration_ntt.results import HotspotResult
from migration_ntt.viz.evaluation_figures import evaluation_figures as figures_of
from migration_ntt.viz.evaluation_figures import evaluation_maps as maps_of
from migration_ntt.viz.export import DEFAULT_FORMATS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Programmes the chain evaluates by default (those with regencies adopting them within
#: the years of the published data).
EVALUATED_PROGRAMMES = ("ltsa", "task_force", "church")


def _inputs(options: dict) -> dict:
    """The programme table (and, for ``exclude_neighbours``, the polygons) an evaluation
    reads, loaded once unless given."""
    if "programmes" not in options:
        options["programmes"] = load_programmes()
    if options.get("exclude_neighbours") and "shapes" not in options:
        options["shapes"] = boundaries.load_boundaries()
    return options


def evaluate(
    table: pd.DataFrame,
    programme: str,
    outcome: str = "pmi_deaths_abroad",
    **options: object,
) -> ProgrammeEvaluation:
    """:func:`migration_ntt.evaluation.evaluate_programme` with the programme log (and the
    polygons, for ``exclude_neighbours``) loaded.

    Parameters
    ----------
    table : DataFrame
        The panel.
    programme, outcome : str
    **options
        Any other option of :func:`~migration_ntt.evaluation.evaluate_programme`
        (``permutations``, ``exclude_neighbours``, ``within`` …).

    Returns
    -------
    ProgrammeEvaluation
    """
    return evaluation.evaluate_programme(table, programme, outcome, **_inputs(dict(options)))


def _evaluate_or_reason(
    table: pd.DataFrame, programme: str, outcome: str, options: dict
) -> ProgrammeEvaluation | str:
    """One programme's evaluation, or why it cannot be evaluated (a worker's piece)."""
    try:
        return evaluation.evaluate_programme(table, programme, outcome, **options)
    except ValueError as error:
        return str(error)


@dataclass
class PendingEvaluations:
    """Evaluations started in worker processes (:func:`start_evaluations`)."""

    programmes: list[str]
    batch: Batch

    def collect(
        self, say: Callable[[str], None] | None = None
    ) -> tuple[list[ProgrammeEvaluation], dict[str, str]]:
        """The evaluations, and the programmes not evaluated with the reason; ``say``
        receives a line per programme."""
        done, skipped = [], {}
        for programme, result in zip(self.programmes, self.batch.results(), strict=True):
            if isinstance(result, str):
                skipped[programme] = result
                if say:
                    say(f"{programme}: not evaluated: {result}")
                continue
            done.append(result)
            if say:
                say(result.summary().splitlines()[0])
        return done, skipped


def start_evaluations(
    table: pd.DataFrame,
    outcome: str,
    pool: Workers,
    programmes: Sequence[str] = EVALUATED_PROGRAMMES,
    *,
    permutations: int = 999,
    **options: object,
) -> PendingEvaluations:
    """Hand the evaluation of each programme to the ``pool``'s workers
    (:mod:`migration_ntt.pipeline.workers`) and return at once: the chain computes the
    hotspots and models meanwhile. Same arguments as :func:`run_evaluations`.

    Parameters
    ----------
    table : DataFrame
    outcome : str
    pool : Workers
    programmes : sequence of str
    permutations : int
    **options
        Other options of :func:`~migration_ntt.evaluation.evaluate_programme`.

    Returns
    -------
    PendingEvaluations
    """
    options = {**_inputs(options), "permutations": permutations}  # read once for all
    pieces = [
        partial(_evaluate_or_reason, table, programme, outcome, options) for programme in programmes
    ]
    return PendingEvaluations(list(programmes), pool.submit(pieces))


def run_evaluations(
    table: pd.DataFrame,
    outcome: str,
    programmes: Sequence[str] = EVALUATED_PROGRAMMES,
    *,
    permutations: int = 999,
    say: Callable[[str], None] | None = None,
    workers: int | None = None,
    **options: object,
) -> tuple[list[ProgrammeEvaluation], dict[str, str]]:
    """:func:`migration_ntt.evaluation.evaluate_programme` for each programme (over the
    cores); those that cannot be evaluated are returned with the reason (never dropped
    silently).

    Parameters
    ----------
    table : DataFrame
        The panel.
    outcome : str
        The count evaluated.
    programmes : sequence of str
    permutations : int
    say : callable, optional
        Receives a line per programme.
    workers : int, optional
        Worker processes (:mod:`migration_ntt.pipeline.workers`).
    **options
        Other options of :func:`~migration_ntt.evaluation.evaluate_programme`.

    Returns
    -------
    (list of ProgrammeEvaluation, dict)
        The evaluations, and the programmes not evaluated with the reason.
    """
    with Workers(workers) as pool:
        pending = start_evaluations(
            table, outcome, pool, programmes, permutations=permutations, **options
        )
        return pending.collect(say)


def write_evaluation(result: ProgrammeEvaluation) -> list[Path]:
    """Event-time estimates, cohorts and a summary of an evaluation to
    ``data/processed/evaluation_<outcome>_<programme>_*`` (with a manifest)."""
    folder = config.processed_dir()
    stem = folder / f"evaluation_{result.outcome}_{result.programme}"
    paths = [
        stem.with_name(stem.name + "_event_time.csv"),
        stem.with_name(stem.name + "_cohorts.csv"),
        stem.with_name(stem.name + "_summary.md"),
    ]
    result.event_time.to_csv(paths[0], index=False)
    result.cohorts.to_csv(paths[1], index=False)
    paths[2].write_text(
        "\n\n".join(["# " + result.summary().splitlines()[0], *result.notes]) + "\n",
        encoding="utf-8",
    )
    write_manifest(
        paths[0],
        inputs=[config.processed_dir() / "panel.parquet"],
        parameters={
            "programme": result.programme,
            "outcome": result.outcome,
            "permutations": result.permutations,
            "seed": result.seed,
            "irr": result.irr,
            "ci": [result.ci_low, result.ci_high],
            "p_randomisation": result.p_randomisation,
        },
        outputs=paths[1:],
    )
    return paths


def evaluation_maps(
    result: ProgrammeEvaluation, hotspots: HotspotResult, table: pd.DataFrame, lang: str
) -> dict[str, Figure]:
    """:func:`migration_ntt.viz.evaluation_figures.evaluation_maps` of an evaluation.

    Parameters
    ----------
    result : ProgrammeEvaluation
    hotspots : HotspotResult
    table : DataFrame
        The panel the programme was evaluated on.
    lang : {"id", "en"}

    Returns
    -------
    dict of Figure
    """
    return maps_of(result.event_time, result.programme, result.permutations, hotspots, table, lang)


def evaluation_figures(
    result: ProgrammeEvaluation,
    hotspots: HotspotResult,
    table: pd.DataFrame,
    lang: str,
    formats: Sequence[str] = DEFAULT_FORMATS,
) -> list[Path]:
    """:func:`migration_ntt.viz.evaluation_figures.evaluation_figures` of an evaluation.

    Parameters
    ----------
    result : ProgrammeEvaluation
    hotspots : HotspotResult
    table : DataFrame
    lang : {"id", "en"}
    formats : sequence of str

    Returns
    -------
    list of Path
    """
    return figures_of(
        result.event_time, result.programme, result.permutations, hotspots, table, lang, formats
    )
