"""What each ``migration-ntt`` command does: it asks the run's
:class:`~migration_ntt.pipeline.chain.Run` for the steps it needs (each computed once, by
the same orchestrator as :func:`~migration_ntt.pipeline.chain.run_chain`) and prints what
they found.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from migration_ntt import config, panel, regions
from migration_ntt.cli.arguments import UserError, languages, read_columns
from migration_ntt.coverage import programme_overview
from migration_ntt.ingest import intake, records, synthetic
from migration_ntt.ingest.records import RecordsError
from migration_ntt.ingest.records.overrides import write_value_map
from migration_ntt.ingest.workshop import ILLUSTRATIVE, write_template
from migration_ntt.labels import format_p
from migration_ntt.models import model_table
from migration_ntt.pipeline.chain import Run
from migration_ntt.pipeline.evaluations import EVALUATED_PROGRAMMES, evaluation_figures
from migration_ntt.pipeline.scan import district_scan
from migration_ntt.pipeline.strategy import run_strategy
from migration_ntt.pipeline.workers import Workers
from migration_ntt.privacy import UnlinkableKeyWarning
from migration_ntt.report import ILLUSTRATIVE_NOTE, to_pdf
from migration_ntt.results import pooled_summary
from migration_ntt.viz.export import DEFAULT_FORMATS
from migration_ntt.viz.scan_figures import scan_figures

# --- cleaning, the panel and the run, shared by every step ---------------------------------


def clean(args: argparse.Namespace) -> records.CleanResult:
    """Clean ``args.records`` (or ``args.input``) once; notes go to stderr."""
    if getattr(args, "_cleaned", None) is not None:
        return args._cleaned
    path = getattr(args, "records", None) or args.input
    columns = read_columns(getattr(args, "columns", None)) or {}
    for field, header in getattr(args, "map", None) or []:
        columns[field] = header
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnlinkableKeyWarning)
            result = records.clean_records(
                path,
                columns or None,
                sheet=getattr(args, "sheet", None),
                secret=getattr(args, "secret", None),
                dedupe_days=getattr(args, "dedupe_days", 0),
                values=getattr(args, "values", None),
            )
    except RecordsError as error:
        raise UserError(str(error)) from error
    for warning in caught:
        print(f"note: {warning.message}", file=sys.stderr)
    value_map = getattr(args, "write_value_map", None)
    if value_map:
        written = write_value_map(result.report, value_map)
        print(
            f"value map to fill in (every unrecognised value, its rows and a guess) → {written}; "
            "fill the 'canonical' column and pass it back with --values",
            file=sys.stderr,
        )
    args._cleaned = result
    return result


def _programmes_option(args: argparse.Namespace) -> object:
    """``--programmes``: a log file or folder (checked here), else the default logs."""
    path = getattr(args, "programmes", None)
    if path is None:
        return None
    if not Path(path).exists():
        raise UserError(f"{path}: --programmes file or folder not found")
    return path


def _label(args: argparse.Namespace) -> dict[str, str] | None:
    if getattr(args, "label_id", None) or getattr(args, "label_en", None):
        if not (args.label_id and args.label_en):
            raise UserError("give both --label-id and --label-en (the count's name in each)")
        return {"id": args.label_id, "en": args.label_en}
    return None


def _panel(args: argparse.Namespace):
    """The panel for this run (built once), and the count column to analyse."""
    if getattr(args, "_panel", None) is not None:
        return args._panel, args._count
    records_path = getattr(args, "records", None)
    label = _label(args)
    try:
        if records_path:
            source: object = records_path
            if Path(records_path).suffix.lower() != ".parquet":
                source = clean(args)
                print(source.report.summary())
            table = panel.build_panel(
                records=source,
                select=dict(args.select or []) or None,
                name=args.name,
                period=args.period,
                complete=not args.incomplete,
                label=label,
                programmes=_programmes_option(args),
            )
            count = args.name
        else:
            table = panel.build_panel(programmes=_programmes_option(args))
            count = getattr(args, "count", None) or "pmi_deaths_abroad"
            if count not in panel.count_columns(table):
                raise UserError(
                    f"--count {count}: not a count of the panel; counts: "
                    f"{', '.join(panel.count_columns(table))}"
                )
    except RecordsError as error:
        raise UserError(str(error)) from error
    args._panel, args._count = table, count
    made = table.attrs.get("record_counts", {}).get(count)
    if made:
        accounting = made["accounting"]
        print(
            f"panel count {count!r} ({made['source']}), {made['period'][0]} to "
            f"{made['period'][1]}: {accounting['counted']:,} records counted, "
            f"{accounting['excluded_by_select']:,} not selected, "
            f"{accounting['outside_period']:,} outside the period"
        )
    return table, count


def _run(args: argparse.Namespace) -> Run:
    """The run of this command: one :class:`Run`, so every step is computed once."""
    if getattr(args, "_run", None) is None:
        table, count = _panel(args)
        outcome = getattr(args, "outcome", None)
        if outcome and outcome not in table.columns:
            raise UserError(f"--outcome {outcome}: not a column of the panel")
        args._run = Run(
            table,
            count=count,
            languages=languages(getattr(args, "lang", "both")),
            permutations=getattr(args, "permutations", 9_999),
            formats=getattr(args, "formats", DEFAULT_FORMATS),
            workers=getattr(args, "workers", None),
            pool=getattr(args, "_pool", None),
            evaluate=getattr(args, "programme", None) or list(EVALUATED_PROGRAMMES),
            evaluation_permutations=getattr(args, "evaluation_permutations", 999),
            evaluation_options={
                "outcome": outcome,
                "exclude_neighbours": getattr(args, "exclude_neighbours", False),
                "within": getattr(args, "within", None),
            },
        )
    return args._run


def _models(args: argparse.Namespace):
    try:
        return _run(args).models()
    except ValueError as error:
        raise UserError(str(error)) from error


# --- the commands --------------------------------------------------------------------------


def _cmd_resolve(args: argparse.Namespace) -> None:
    table = regions.resolve(list(args.names), year=args.year)
    print(table.drop(columns=["kemendagri_code"]).to_string(index=False))


def _cmd_regions(args: argparse.Namespace) -> None:
    columns = ["bps_code", "kemendagri_code", "name", "name_en", "island", "year_established"]
    print(regions.regencies()[columns].to_string(index=False))


def _writing(path: Path, write: Callable[[], object]) -> object:
    """``write()``, with a place that cannot be written reported in one line."""
    try:
        return write()
    except OSError as error:
        raise UserError(f"{path}: cannot write here ({error.strerror or error})") from error


def _cmd_init(args: argparse.Namespace) -> None:
    root = Path(args.folder).resolve()
    written = _writing(root, lambda: config.init_project(root))
    log = root / "data" / "intake" / "log_kasus_pmi.xlsx"
    if not log.exists():
        written.append(_writing(log, lambda: intake.write_template(log)))
    print(f"project folder: {root}")
    for path in written:
        print(f"  + {path.relative_to(root)}")
    print(
        "next: put case files in data/raw/records/, then "
        f"`cd {root} && migration-ntt all` (published tallies) or "
        "`migration-ntt all --records data/raw/records/<file>`"
    )


def _intake_path(args: argparse.Namespace, name: str) -> Path:
    return Path(args.out) if args.out else config.project_root() / "data" / "intake" / name


def _cmd_form(args: argparse.Namespace) -> None:
    target = _intake_path(args, "kasus_pmi_form.xlsx")
    path = _writing(target, lambda: intake.write_xlsform(target, lang=args.lang))
    print(
        f"→ {path}\n  upload it to KoboToolbox or ODK Central; then "
        "`migration-ntt all --records <the export>.csv` (no mapping needed)"
    )


def _cmd_template(args: argparse.Namespace) -> None:
    target = _intake_path(args, "log_kasus_pmi.xlsx")
    path = _writing(target, lambda: intake.write_template(target))
    print(f"→ {path}\n  fill the sheet 'Kasus'; then `migration-ntt all --records {path.name}`")


def _cmd_build(args: argparse.Namespace) -> None:
    table, _count = _panel(args)
    summary = panel.coverage_summary(table)
    print(
        f"panel: {table['bps_code'].nunique()} units × {table['year'].nunique()} years "
        f"({table['year'].min()}–{table['year'].max()}) → {config.processed_dir()}"
    )
    print("counts by year (published: one report each, units not named stay missing):")
    shown = summary.assign(
        coverage=summary["coverage"].map(
            lambda value: "period not stated" if value != value else f"{value:.0%} of year"
        )
    )
    print(shown.drop(columns=["source"]).to_string(index=False))


def _cmd_clean(args: argparse.Namespace) -> None:
    result = clean(args)
    out_dir = Path(args.out) if args.out else config.processed_dir() / "records"
    paths = records.save_clean(result, out_dir, Path(args.input).stem)
    print(result.report.summary())
    if "counts" in paths:
        print(
            f"counts: regency × year × event type × status, zero-filled over the file's "
            f"period → {paths['counts'].name}"
        )
    print(f"clean table for the chain: migration-ntt all --records {paths['clean']}")
    print(f"→ {out_dir}")


def _demo_records() -> str:
    """Clean the synthetic demo case file (written to data/processed/demo); its summary."""
    path = synthetic.demo_file()
    result = records.clean_records(path, secret="migration-ntt-demo")
    records.save_clean(result, path.parent, path.stem)
    return "SYNTHETIC demo records: " + result.report.summary().replace("\n", "\n  ")


def _cmd_hotspots(args: argparse.Namespace) -> None:
    result = _run(args).hotspots()
    print(result.connectivity_summary)
    print(result.global_stats[["statistic", "moran_i", "p_sim", "n"]].to_string(index=False))
    top = pooled_summary(result).head(5)
    print(f"highest pooled rates per 100,000 person-years ({result.label('en')}):")
    print(
        top[["name", "count", "rate", "ci_low", "ci_high", "label"]].round(2).to_string(index=False)
    )
    print(f"→ {config.processed_dir()}/hotspots_{result.count}_*.csv")


def _cmd_models(args: argparse.Namespace) -> None:
    results = _models(args)
    for result in results:
        print(f"{result.name}: n = {result.n}, {result.family_note}")
        if len(result.dropped):
            print(f"  dropped (missing data): {len(result.dropped)} unit-years")
        for note in result.notes:
            print(f"  note: {note}")
    table = model_table(results, "en")
    print(
        table[table["model"] == results[-1].name][
            ["term", "irr", "ci_low", "ci_high", "p_value", "note"]
        ]
        .round(3)
        .to_string(index=False)
    )
    print(results[-1].caveat("en"))
    print(f"→ {config.processed_dir()}/models_{results[-1].outcome}_*")


def _scan_model(args: argparse.Namespace) -> str:
    """The scan model: --model, else Bernoulli when the selection is one procedural status,
    else space-time permutation (no denominator needed)."""
    if getattr(args, "model", None):
        return args.model
    status = dict(args.select or []).get("procedural")
    return (
        "bernoulli"
        if status in (["non_prosedural"], ["prosedural"])
        else ("space_time_permutation")
    )


def _district_scan(args: argparse.Namespace):
    """The kecamatan scan of --records (None when the records name no kecamatan)."""
    if getattr(args, "_scan", None) is not None or not getattr(args, "records", None):
        return getattr(args, "_scan", None)
    source: object = args.records
    if Path(args.records).suffix.lower() != ".parquet":
        source = clean(args)
    table = source.clean if hasattr(source, "clean") else None
    if table is not None and (
        "district_code" not in table.columns or table["district_code"].isna().all()
    ):
        return None
    model = _scan_model(args)
    try:
        args._scan = district_scan(
            source,
            model=model,
            select=dict(args.select or []) or None,
            population=getattr(args, "population", None),
            period=args.period,
            permutations=args.permutations,
        )
    except (ValueError, RecordsError) as error:
        raise UserError(f"scan ({model}): {error}") from error
    if getattr(args, "_run", None) is not None:
        args._run.scan = args._scan
    return args._scan


def _cmd_scan(args: argparse.Namespace) -> None:
    if not args.records:
        raise UserError("scan needs --records FILE (a case file with Kecamatan/Desa columns)")
    result = _district_scan(args)
    if result is None:
        raise UserError(
            f"{args.records}: no record names a kecamatan or desa that the gazetteer knows; "
            "the scan needs a Kecamatan or Desa column (see --columns)"
        )
    print(result.result.summary())
    significant = result.significant()
    if significant.empty:
        print("no significant kecamatan cluster (p ≤ 0.05)")
    for row in significant.itertuples():
        print(f"cluster {row.cluster_id}: {row.kecamatan} ({row.regencies})")
    count = 0
    for lang in languages(args.lang):
        count += len(scan_figures(result, lang, args.formats))
    print(f"→ {config.processed_dir()}/scan_{result.model}_*.csv, {count} figures")


def _cmd_strategy(args: argparse.Namespace) -> None:
    if args.template:
        path = write_template(Path(args.template), args.lang if args.lang != "both" else "id")
        print(f"→ {path} (fill it in, then: migration-ntt strategy {path})")
        return
    source = Path(args.workshop) if args.workshop else ILLUSTRATIVE
    result = run_strategy(
        source,
        languages=languages(args.lang),
        draws=args.draws,
        seed=args.seed,
        evidence=not args.no_evidence,
    )
    if result.workshop.illustrative:
        print(ILLUSTRATIVE_NOTE["en"])
    internal = result.ife.loc["pooled", "total"]
    external = result.efe.loc["pooled", "total"]
    share = float(result.uncertainty.ie_cells.get(result.ie[0], 0.0))
    print(
        f"IFE {internal:.2f}, EFE {external:.2f} → IE cell {result.ie[0]} ({result.ie[1]}); "
        f"the same cell in {share:.0%} of {args.draws:,} draws"
    )
    if result.space is not None:
        print(
            f"SPACE: ({result.space['x']:+.2f}, {result.space['y']:+.2f}) → "
            f"{result.space['quadrant']}"
        )
    for row in result.uncertainty.ranking.itertuples():
        print(f"  {row.tas:.2f}  first in {row.p_first:5.1%}  {row.strategy}  [{row.verdict}]")
    print(f"→ {len(result.files)} files (tables, figures, TOWS in .md/.tex/.xlsx)")


def _cmd_scan_step(args: argparse.Namespace) -> None:
    """The kecamatan scan inside ``all --records`` (skipped without kecamatan codes)."""
    result = _district_scan(args)
    if result is None:
        print("the records name no kecamatan (no Kecamatan/Desa column): scan skipped")
        return
    significant = result.significant()
    print(
        f"{result.model} scan over {result.result.totals['units']} kecamatan: "
        + (
            "no significant cluster (p ≤ 0.05)"
            if significant.empty
            else "; ".join(
                f"{r.kecamatan} ({format_p(r.p_value, 'en')})" for r in significant.itertuples()
            )
        )
    )


def _cmd_evaluate(args: argparse.Namespace) -> None:
    run = _run(args)
    run.start_evaluations()  # in worker processes while the hotspots are made here
    hotspots = run.hotspots()
    evaluations, skipped = run.evaluations()
    messages = [f"{programme}: not evaluated: {reason}" for programme, reason in skipped.items()]
    if not evaluations:
        raise UserError("; ".join(messages))
    for message in messages:
        print(message)
    count = 0
    for result in evaluations:
        print(result.summary())
        print(result.cohorts.to_string(index=False))
        print(result.event_time.round(2).to_string(index=False))
        for lang in languages(args.lang):
            count += len(evaluation_figures(result, hotspots, run.panel, lang, args.formats))
    overview = programme_overview(run.panel, hotspots, "en")
    print("coverage: regencies with each programme, and the top third of the rate without it")
    print(
        overview[["programme", "year", "regencies_with_it", "top_third_without_it"]].to_string(
            index=False
        )
    )
    print(f"→ {config.processed_dir()}/evaluation_*, {count} figures in {config.figures_dir()}")


def _cmd_evaluation_step(args: argparse.Namespace) -> None:
    """The evaluations inside ``all`` (the default programmes; 999 permutations each)."""
    evaluations, skipped = _run(args).evaluations()
    for result in evaluations:
        print(result.summary().splitlines()[0])
    for programme, reason in skipped.items():
        print(f"{programme}: not evaluated: {reason}")


def _cmd_figures(args: argparse.Namespace) -> None:
    run = _run(args)
    _models(args)
    paths = run.figures(languages(args.lang))
    print(
        f"{len(paths)} files (maps, forest plot, model charts, interactive maps) in "
        f"{', '.join(languages(args.lang))} → {config.figures_dir()}"
    )


def _cmd_report(args: argparse.Namespace) -> None:
    run = _run(args)
    _models(args)
    for lang in languages(args.lang):
        try:
            (path,) = run.briefs([lang])
        except FileNotFoundError as error:
            raise UserError(
                f"{error} (run `migration-ntt figures` with the same options)"
            ) from error
        print(f"→ {path}")
        if getattr(args, "pdf", False):  # `report --pdf`; `all` writes HTML only
            try:
                print(f"→ {to_pdf(path)}")
            except FileNotFoundError as error:
                raise UserError(str(error)) from error


STEPS: dict[str, Callable[[argparse.Namespace], None]] = {
    "build": _cmd_build,
    "hotspots": _cmd_hotspots,
    "models": _cmd_models,
    "evaluation": _cmd_evaluation_step,
    "figures": _cmd_figures,
    "report": _cmd_report,
}


# The steps of `all` whose figures are started as soon as the step is done.
EARLY_FIGURES = {
    "hotspots": "hotspots",
    "models": "models",
    "scan (kecamatan)": "scan",
    "evaluation": "evaluations",
}


def _cmd_all(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    # The worker processes are forked first, while this process is small; they clean the
    # demo file beside the build, evaluate beside the hotspots and models, and draw the
    # figures of each result as soon as it exists.
    with Workers(getattr(args, "workers", None)) as pool:
        args._pool = pool
        _all_steps(args, pool)
    print(f"done in {time.perf_counter() - started:.1f} s")


def _all_steps(args: argparse.Namespace, pool: Workers) -> None:
    units = regions.regencies()
    print(
        f"[regions] gazetteer: {len(units)} units, {len(regions.aliases())} aliases and exclusions"
    )
    steps = dict(STEPS)
    demo = None
    if not args.records:  # the demo case file is cleaned by a worker, beside the build
        demo = pool.submit([_demo_records])
    else:  # the kecamatan scan before the figures and the brief that show it
        order = list(steps.items())
        at = [name for name, _ in order].index("figures")
        steps = dict([*order[:at], ("scan (kecamatan)", _cmd_scan_step), *order[at:]])
    for name, step in steps.items():
        step_start = time.perf_counter()
        print(f"[{name}]", flush=True)
        step(args)
        print(f"  ({time.perf_counter() - step_start:.1f} s)", flush=True)
        if name in EARLY_FIGURES:  # drawn by workers while the next steps are computed
            _run(args).start_figures(EARLY_FIGURES[name])
        if name == "build":
            if demo is not None:
                print("[clean (synthetic demo), beside the build]")
                print(demo.results()[0], flush=True)
            # the evaluations need only the panel: they start now, beside hotspots and models
            _run(args).start_evaluations()
