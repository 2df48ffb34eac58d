"""The chain: panel → hotspots → models → evaluations → figures → briefs, for one count.

One orchestrator, used by :func:`run_chain` (notebooks, Python) and by every command of the
``migration-ntt`` CLI: a :class:`Run` computes each step once, when it is first needed, and
writes its outputs; the CLI prints what each step found.

Examples
--------
The same chain on your own records (see README, "Your own case file, end to end")::

    from migration_ntt import analysis, panel
    from migration_ntt.ingest import records

    cleaned = records.clean_records("kasus_2024.xlsx")
    table = panel.build_panel(records=cleaned, select={"procedural": "non_prosedural"},
                              name="np_cases")
    analysis.run_chain(table, count="np_cases")
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pandas as pd

from migration_ntt.coverage import programme_overview
from migration_ntt.evaluation import ProgrammeEvaluation
from migration_ntt.models import CountModelResult
from migration_ntt.panel import build_panel, default_count
from migration_ntt.pipeline.evaluations import (
    EVALUATED_PROGRAMMES,
    PendingEvaluations,
    evaluation_figures,
    start_evaluations,
    write_evaluation,
)
from migration_ntt.pipeline.hotspots import run_hotspots
from migration_ntt.pipeline.models import model_chart_data, run_models, write_model_tables
from migration_ntt.pipeline.workers import Batch, Workers
from migration_ntt.report import build_brief
from migration_ntt.results import DistrictScan, HotspotResult
from migration_ntt.spatial.weights import DEFAULT_ISLAND_POLICY
from migration_ntt.viz.export import DEFAULT_FORMATS
from migration_ntt.viz.hotspot_figures import hotspot_figures
from migration_ntt.viz.model_figures import model_figures
from migration_ntt.viz.scan_figures import scan_figures

# The figures drawn by one worker at a time: groups of about the same drawing time (a
# second or two), so that the workers finish together.
FIGURE_GROUPS = {
    "hotspots": (["rate_by_year"], ["rate_pooled", "rate_eb"], ["lisa", "gi"]),
    "models": (["forest"], ["forest_researcher"], ["observed_expected", "residual_map"]),
}
FIGURE_KINDS = ("hotspots", "models", "scan", "evaluations")


@dataclass
class Run:
    """One run of the chain on one count column of a panel; each step is computed once.

    Parameters
    ----------
    panel : DataFrame
        The regency × year panel (:func:`migration_ntt.panel.build_panel`).
    count : str, optional
        The count column (default: the panel's own count).
    label : dict, optional
        ``{"id", "en"}`` naming the count.
    languages : sequence of {"id", "en"}
    permutations : int
        Permutations of the hotspot statistics.
    island_policy : str
    formats : sequence of {"png", "pdf", "svg"}
        Figure formats (default PNG and PDF; SVG on request).
    spatial_diagnostics : bool
        Moran's I of the model residuals.
    evaluate : sequence of str
        Programmes to evaluate.
    evaluation_permutations : int
    evaluation_options : dict
        More options of :func:`migration_ntt.evaluation.evaluate_programme`.
    scan : DistrictScan, optional
        A kecamatan scan of the same records: its maps are drawn and the brief names its
        clusters.
    say : callable, optional
        Where progress lines go.
    workers : int, optional
        Worker processes for the evaluations and the figures
        (:mod:`migration_ntt.pipeline.workers`; default the cores, 1 runs all here).
    pool : Workers, optional
        The worker processes to use (opened early by the caller); default: opened when
        first needed and ended by :meth:`close`.
    """

    panel: pd.DataFrame
    count: str | None = None
    label: Mapping[str, str] | None = None
    languages: Sequence[str] = ("id", "en")
    permutations: int = 9_999
    island_policy: str = DEFAULT_ISLAND_POLICY
    formats: Sequence[str] = DEFAULT_FORMATS
    spatial_diagnostics: bool = True
    evaluate: Sequence[str] = EVALUATED_PROGRAMMES
    evaluation_permutations: int = 999
    evaluation_options: dict = field(default_factory=dict)
    scan: DistrictScan | None = None
    say: Callable[[str], None] | None = None
    workers: int | None = None
    pool: Workers | None = None
    tables: list[Path] = field(default_factory=list)
    _hotspots: HotspotResult | None = None
    _models: list[CountModelResult] | None = None
    _evaluations: list[ProgrammeEvaluation] | None = None
    _not_evaluated: dict[str, str] = field(default_factory=dict)
    _pending: PendingEvaluations | None = None
    _figures_started: dict[str, Batch] = field(default_factory=dict)
    _own_pool: bool = False

    def workers_pool(self) -> Workers:
        """The worker processes of this run (opened on first use)."""
        if self.pool is None:
            self.pool, self._own_pool = Workers(self.workers), True
        return self.pool

    def close(self) -> None:
        """End the worker processes this run opened itself."""
        if self._own_pool and self.pool is not None:
            self.pool.shutdown()
            self.pool, self._own_pool = None, False

    def hotspots(self) -> HotspotResult:
        """Rates, smoothing, LISA and Gi* of the count (tables written)."""
        if self._hotspots is None:
            self._hotspots = run_hotspots(
                self.panel,
                count=self.count,
                label=self.label,
                permutations=self.permutations,
                island_policy=self.island_policy,
            )
        return self._hotspots

    def models(self) -> list[CountModelResult]:
        """The default count models of the count (tables written)."""
        if self._models is None:
            self._models = run_models(
                self.panel, self.hotspots().count, spatial=self.spatial_diagnostics, write=False
            )
            self.tables += write_model_tables(self._models)
        return self._models

    def start_evaluations(self) -> None:
        """Start the evaluations in worker processes: they need only the panel, so they
        run while the hotspots and models are computed; :meth:`evaluations` collects
        them."""
        if self._evaluations is None and self._pending is None:
            outcome = (
                self.evaluation_options.get("outcome") or self.count or default_count(self.panel)
            )
            options = {k: v for k, v in self.evaluation_options.items() if k != "outcome"}
            self._pending = start_evaluations(
                self.panel,
                outcome,
                self.workers_pool(),
                self.evaluate,
                permutations=self.evaluation_permutations,
                **options,
            )

    def evaluations(self) -> tuple[list[ProgrammeEvaluation], dict[str, str]]:
        """Each programme of :attr:`evaluate` evaluated (tables written), and the reasons
        of those that could not be."""
        if self._evaluations is None:
            self.start_evaluations()
            self._evaluations, self._not_evaluated = self._pending.collect(self.say)
            self._pending = None
            for result in self._evaluations:
                self.tables += write_evaluation(result)
        return self._evaluations, self._not_evaluated

    def _figure_pieces(self, kind: str, lang: str) -> list[Callable[[], list[Path]]]:
        """The figures of one kind of result in one language, as pieces for the workers."""
        if kind == "hotspots":
            hotspots = self.hotspots()
            piece = partial(hotspot_figures, hotspots, lang, formats=self.formats)
            return [
                *(
                    partial(piece, only=maps, interactive_map=False)
                    for maps in FIGURE_GROUPS["hotspots"]
                ),
                partial(piece, only=[], interactive_map=True),
            ]
        hotspots = self.hotspots()
        if kind == "models":
            data = model_chart_data(self.models(), lang)  # tables: what the workers receive
            return [
                partial(
                    model_figures,
                    data,
                    lang,
                    self.formats,
                    hotspots.labels,
                    credit=hotspots.credit,
                    synthetic=hotspots.synthetic,
                    only=charts,
                )
                for charts in FIGURE_GROUPS["models"]
            ]
        if kind == "scan":
            return [partial(scan_figures, self.scan, lang, self.formats)] if self.scan else []
        return [  # the evaluations of this run, if it made them
            partial(evaluation_figures, result, hotspots, self.panel, lang, self.formats)
            for result in self._evaluations or []
        ]

    def start_figures(self, kind: str) -> None:
        """Start drawing the figures of one kind of result (``"hotspots"``, ``"models"``,
        ``"scan"``, ``"evaluations"``) in worker processes, as soon as that result exists:
        they are drawn while the next steps are computed; :meth:`figures` collects them."""
        if kind == "evaluations" and self._evaluations is None:
            return  # not evaluated (yet): nothing to draw
        if kind not in self._figures_started:
            pieces = [piece for lang in self.languages for piece in self._figure_pieces(kind, lang)]
            self._figures_started[kind] = self.workers_pool().submit(pieces)

    def figures(self, languages: Sequence[str] | None = None) -> list[Path]:
        """Every figure of the steps run so far (hotspots and models always; the scan and
        the evaluations when they are part of this run), in each language; drawn over the
        cores (:mod:`migration_ntt.pipeline.workers`), those started early collected."""
        if languages is not None and list(languages) != list(self.languages):
            pieces = [
                piece
                for kind in FIGURE_KINDS
                for lang in languages
                for piece in self._figure_pieces(kind, lang)
            ]
            batch = self.workers_pool().submit(pieces)
            return [path for paths in batch.results() for path in paths]
        for kind in FIGURE_KINDS:
            self.start_figures(kind)
        started, self._figures_started = self._figures_started, {}
        return [path for jobs in started.values() for paths in jobs.results() for path in paths]

    def briefs(self, languages: Sequence[str] | None = None) -> list[Path]:
        """The policy brief in each language (the figures must have been drawn)."""
        hotspots = self.hotspots()
        return [
            build_brief(
                hotspots,
                self.models(),
                lang,
                scan=self.scan,
                evaluations=self._evaluations or (),
                overview=programme_overview(self.panel, hotspots, lang),
                not_evaluated=self._not_evaluated if self._evaluations is not None else None,
                panel=self.panel,
            )
            for lang in languages or self.languages
        ]


@dataclass
class ChainResult:
    """Everything :func:`run_chain` made: the panel, the results and the files written."""

    panel: pd.DataFrame
    hotspots: HotspotResult
    models: list[CountModelResult]
    figures: list[Path]
    tables: list[Path]
    briefs: list[Path]
    seconds: dict[str, float]
    evaluations: list[ProgrammeEvaluation] = field(default_factory=list)


def run_chain(
    panel: pd.DataFrame | None = None,
    *,
    count: str | None = None,
    label: Mapping[str, str] | None = None,
    languages: Sequence[str] = ("id", "en"),
    permutations: int = 9_999,
    island_policy: str = DEFAULT_ISLAND_POLICY,
    formats: Sequence[str] = DEFAULT_FORMATS,
    spatial_diagnostics: bool = True,
    progress: Callable[[str], None] | None = None,
    scan: DistrictScan | None = None,
    evaluate: Sequence[str] = EVALUATED_PROGRAMMES,
    evaluation_permutations: int = 999,
    workers: int | None = None,
) -> ChainResult:
    """Panel → hotspots → models → evaluations → figures → briefs for one count, writing
    every output (the steps of a :class:`Run`, timed).

    Parameters
    ----------
    panel : DataFrame, optional
        Default: the published panel (built and written).
    count, label, languages, permutations, island_policy, formats, spatial_diagnostics, workers
        See :class:`Run`.
    progress : callable, optional
        Receives a line as each step starts and ends.
    scan : DistrictScan, optional
        A kecamatan scan of the same records (:func:`migration_ntt.analysis.district_scan`).
    evaluate : sequence of str
        Programmes to evaluate (their section of the brief).
    evaluation_permutations : int

    Returns
    -------
    ChainResult
    """
    say = progress or (lambda _message: None)
    seconds: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> object:
        start = time.perf_counter()
        say(f"[{name}]")
        out = work()
        seconds[name] = time.perf_counter() - start
        say(f"  ({seconds[name]:.1f} s)")
        return out

    with Workers(workers) as pool:  # forked now, while this process is small
        table = panel if panel is not None else step("build", build_panel)
        run = Run(
            table,
            count=count,
            label=label,
            languages=languages,
            permutations=permutations,
            island_policy=island_policy,
            formats=formats,
            spatial_diagnostics=spatial_diagnostics,
            evaluate=evaluate,
            evaluation_permutations=evaluation_permutations,
            scan=scan,
            say=say,
            workers=workers,
            pool=pool,
        )
        run.start_evaluations()  # by the workers, while the hotspots and models are made
        hotspots = step("hotspots", run.hotspots)
        run.start_figures("hotspots")  # drawn while the next steps are computed
        results = step("models", run.models)
        run.start_figures("models")
        evaluations, _ = step("evaluation", run.evaluations)
        run.start_figures("evaluations")
        figures = step("figures", run.figures)
        briefs = step("report", run.briefs)
    return ChainResult(
        panel=table,
        hotspots=hotspots,
        models=results,
        figures=figures,
        tables=run.tables,
        briefs=briefs,
        seconds=seconds,
        evaluations=evaluations,
    )
