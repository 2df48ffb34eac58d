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

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from migration_ntt import __version__


class UserError(Exception):
    """A problem with the user's input: reported in one paragraph, exit code 2."""


# --- argument types: each rejects bad values with a message argparse prints (exit 2) -------


def _permutations(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from error
    if not 99 <= value <= 999_999:
        raise argparse.ArgumentTypeError(
            f"expected 99 to 999,999 permutations (p-values resolve to 1/(N+1)), got {value}"
        )
    return value


def _non_negative(text: str) -> int:
    try:
        value = int(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from error
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, got {value}")
    return value


def _language(text: str) -> str:
    if text not in {"id", "en", "both"}:
        raise argparse.ArgumentTypeError(
            f"unknown language {text!r}: use id (Bahasa Indonesia), en (English) or both"
        )
    return text


def _selection(text: str) -> tuple[str, list[str]]:
    if "=" not in text:
        raise argparse.ArgumentTypeError(
            f"expected COLUMN=VALUE[,VALUE…], e.g. procedural=non_prosedural; got {text!r}"
        )
    column, values = text.split("=", 1)
    items = [v.strip() for v in values.split(",") if v.strip()]
    if not column.strip() or not items:
        raise argparse.ArgumentTypeError(f"expected COLUMN=VALUE[,VALUE…]; got {text!r}")
    return column.strip(), items


def _period(text: str) -> tuple[str, str]:
    parts = [p.strip() for p in text.replace(",", ":").split(":")]
    if len(parts) != 2 or not all(parts):
        raise argparse.ArgumentTypeError(
            f"expected START:END dates, e.g. 2021-01-01:2024-12-31; got {text!r}"
        )
    return parts[0], parts[1]


def _count_name(text: str) -> str:
    if not text.isidentifier():
        raise argparse.ArgumentTypeError(
            f"expected a simple column name (letters, digits, _), e.g. np_cases; got {text!r}"
        )
    return text


def _languages(value: str) -> list[str]:
    return ["id", "en"] if value == "both" else [_language(value)]


def _read_columns(path_text: str | None) -> dict[str, str] | None:
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


# --- cleaning and the panel, shared by every step -----------------------------------------


def _clean(args: argparse.Namespace):
    """Clean ``args.records`` (or ``args.input``) once; notes go to stderr."""
    import warnings

    from migration_ntt.ingest import records
    from migration_ntt.privacy import UnlinkableKeyWarning

    path = getattr(args, "records", None) or args.input
    columns = _read_columns(getattr(args, "columns", None)) or {}
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
    except records.RecordsError as error:
        raise UserError(str(error)) from error
    for warning in caught:
        print(f"note: {warning.message}", file=sys.stderr)
    value_map = getattr(args, "write_value_map", None)
    if value_map:
        from migration_ntt.ingest.records.overrides import write_value_map

        written = write_value_map(result.report, value_map)
        print(
            f"value map to fill in (every unrecognised value, its rows and a guess) → {written}; "
            "fill the 'canonical' column and pass it back with --values",
            file=sys.stderr,
        )
    return result


def _panel(args: argparse.Namespace):
    """The panel for this run (built once), and the count column to analyse."""
    if getattr(args, "_panel", None) is not None:
        return args._panel, args._count
    from migration_ntt import panel as panel_module
    from migration_ntt.ingest.records import RecordsError

    records_path = getattr(args, "records", None)
    label = None
    if getattr(args, "label_id", None) or getattr(args, "label_en", None):
        if not (args.label_id and args.label_en):
            raise UserError("give both --label-id and --label-en (the count's name in each)")
        label = {"id": args.label_id, "en": args.label_en}
    try:
        if records_path:
            source: object = records_path
            if Path(records_path).suffix.lower() != ".parquet":
                source = _clean(args)
                args._cleaned = source
                print(source.report.summary())
            table = panel_module.build_panel(
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
            table = panel_module.build_panel(programmes=_programmes_option(args))
            count = getattr(args, "count", None) or "pmi_deaths_abroad"
            if count not in panel_module.count_columns(table):
                raise UserError(
                    f"--count {count}: not a count of the panel; counts: "
                    f"{', '.join(panel_module.count_columns(table))}"
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


def _programmes_option(args: argparse.Namespace) -> object:
    """``--programmes``: a log file or folder (checked here), else the default logs."""
    path = getattr(args, "programmes", None)
    if path is None:
        return None
    if not Path(path).exists():
        raise UserError(f"{path}: --programmes file or folder not found")
    return path


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
    from migration_ntt import config
    from migration_ntt.ingest import records

    result = _clean(args)
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


def _cmd_demo_records(args: argparse.Namespace) -> None:
    from migration_ntt.ingest import records, synthetic

    path = synthetic.demo_file()
    result = records.clean_records(path, secret="migration-ntt-demo")
    records.save_clean(result, path.parent, path.stem)
    print("SYNTHETIC demo records: " + result.report.summary().replace("\n", "\n  "))


def _hotspots(args: argparse.Namespace):
    if getattr(args, "_hotspots", None) is None:
        from migration_ntt import analysis

        table, count = _panel(args)
        args._hotspots = analysis.run_hotspots(table, count=count, permutations=args.permutations)
    return args._hotspots


def _models(args: argparse.Namespace):
    if getattr(args, "_models", None) is None:
        from migration_ntt import models

        table, count = _panel(args)
        try:
            args._models = models.default_models(table, outcome=count)
        except ValueError as error:
            raise UserError(str(error)) from error
        models.write_model_tables(args._models)
    return args._models


def _cmd_hotspots(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

    result = _hotspots(args)
    print(result.connectivity_summary)
    print(result.global_stats[["statistic", "moran_i", "p_sim", "n"]].to_string(index=False))
    top = analysis.pooled_summary(result).head(5)
    print(f"highest pooled rates per 100,000 person-years ({result.label('en')}):")
    print(
        top[["name", "count", "rate", "ci_low", "ci_high", "label"]].round(2).to_string(index=False)
    )
    print(f"→ {config.processed_dir()}/hotspots_{result.count}_*.csv")


def _cmd_models(args: argparse.Namespace) -> None:
    from migration_ntt import config, models

    results = _models(args)
    for result in results:
        print(f"{result.name}: n = {result.n}, {result.family_note}")
        if len(result.dropped):
            print(f"  dropped (missing data): {len(result.dropped)} unit-years")
        for note in result.notes:
            print(f"  note: {note}")
    table = models.model_table(results, "en")
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
    from migration_ntt import analysis
    from migration_ntt.ingest.records import RecordsError

    source: object = args.records
    if Path(args.records).suffix.lower() != ".parquet":
        source = getattr(args, "_cleaned", None) or _clean(args)
        args._cleaned = source
    clean = source.clean if hasattr(source, "clean") else None
    if clean is not None and (
        "district_code" not in clean.columns or clean["district_code"].isna().all()
    ):
        return None
    model = _scan_model(args)
    population = getattr(args, "population", None)
    try:
        args._scan = analysis.district_scan(
            source,
            model=model,
            select=dict(args.select or []) or None,
            population=population,
            period=args.period,
            permutations=args.permutations,
        )
    except (ValueError, RecordsError) as error:
        raise UserError(f"scan ({model}): {error}") from error
    return args._scan


def _cmd_scan(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

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
    for lang in _languages(args.lang):
        count += len(analysis.scan_figures(result, lang))
    print(f"→ {config.processed_dir()}/scan_{result.model}_*.csv, {count} figures")


def _cmd_strategy(args: argparse.Namespace) -> None:
    from migration_ntt import strategy

    if args.template:
        path = strategy.write_template(
            Path(args.template), _language(args.lang) if args.lang != "both" else "id"
        )
        print(f"→ {path} (fill it in, then: migration-ntt strategy {path})")
        return
    source = Path(args.workshop) if args.workshop else strategy.ILLUSTRATIVE
    result = strategy.run_strategy(
        source,
        languages=_languages(args.lang),
        draws=args.draws,
        seed=args.seed,
        evidence=not args.no_evidence,
    )
    if result.workshop.illustrative:
        print(strategy.ILLUSTRATIVE_NOTE["en"])
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
    from migration_ntt.viz.labels import format_p

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


def _evaluations(args: argparse.Namespace):
    """Evaluations of this run (``evaluate`` or the ``all`` step), computed once."""
    if getattr(args, "_evaluations", None) is None:
        from migration_ntt import analysis

        table, count = _panel(args)
        programmes = getattr(args, "programme", None) or list(analysis.EVALUATED_PROGRAMMES)
        outcome = getattr(args, "outcome", None) or count
        if outcome not in table.columns:
            raise UserError(f"--outcome {outcome}: not a column of the panel")
        args._evaluations, args._not_evaluated = analysis.run_evaluations(
            table,
            outcome,
            programmes,
            permutations=getattr(args, "evaluation_permutations", 999),
            exclude_neighbours=getattr(args, "exclude_neighbours", False),
            within=getattr(args, "within", None),
        )
    return args._evaluations, args._not_evaluated


def _cmd_evaluate(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

    evaluations, skipped = _evaluations(args)
    messages = [f"{programme}: not evaluated: {reason}" for programme, reason in skipped.items()]
    if not evaluations:
        raise UserError("; ".join(messages))
    for message in messages:
        print(message)
    table, _ = _panel(args)
    hotspots = _hotspots(args)
    count = 0
    for result in evaluations:
        print(result.summary())
        print(result.cohorts.to_string(index=False))
        print(result.event_time.round(2).to_string(index=False))
        analysis.write_evaluation(result)
        for lang in _languages(args.lang):
            count += len(analysis.evaluation_figures(result, hotspots, table, lang))
    overview = analysis.programme_overview(table, hotspots, "en")
    print("coverage: regencies with each programme, and the top third of the rate without it")
    print(
        overview[["programme", "year", "regencies_with_it", "top_third_without_it"]].to_string(
            index=False
        )
    )
    print(f"→ {config.processed_dir()}/evaluation_*, {count} figures in {config.figures_dir()}")


def _cmd_evaluation_step(args: argparse.Namespace) -> None:
    """The evaluations inside ``all`` (the default programmes; 999 permutations each)."""
    evaluations, skipped = _evaluations(args)
    for result in evaluations:
        print(result.summary().splitlines()[0])
    for programme, reason in skipped.items():
        print(f"{programme}: not evaluated: {reason}")


def _cmd_figures(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

    languages = _languages(args.lang)
    hotspots = _hotspots(args)
    results = _models(args)
    count = 0
    scan = getattr(args, "_scan", None)
    for lang in languages:
        count += len(analysis.hotspot_figures(hotspots, lang))
        count += len(
            analysis.model_figures(
                results,
                lang,
                labels=hotspots.labels,
                credit=hotspots.credit,
                synthetic=hotspots.synthetic,
            )
        )
        if scan is not None:
            count += len(analysis.scan_figures(scan, lang))
        table, _ = _panel(args)
        for result in getattr(args, "_evaluations", None) or []:
            count += len(analysis.evaluation_figures(result, hotspots, table, lang))
    print(
        f"{count} files (maps, forest plot, model charts, interactive maps) in "
        f"{', '.join(languages)} → {config.figures_dir()}"
    )


def _cmd_report(args: argparse.Namespace) -> None:
    from migration_ntt import report

    languages = _languages(args.lang)
    hotspots = _hotspots(args)
    results = _models(args)
    scan = getattr(args, "_scan", None)
    from migration_ntt import analysis

    table, _ = _panel(args)
    for lang in languages:
        try:
            path = report.build_brief(
                hotspots,
                results,
                lang,
                scan=scan,
                evaluations=getattr(args, "_evaluations", None) or (),
                overview=analysis.programme_overview(table, hotspots, lang),
                not_evaluated=getattr(args, "_not_evaluated", None),
                panel=table,
            )
        except FileNotFoundError as error:
            raise UserError(
                f"{error} (run `migration-ntt figures` with the same options)"
            ) from error
        print(f"→ {path}")
        if getattr(args, "pdf", False):  # `report --pdf`; `all` writes HTML only
            try:
                print(f"→ {report.to_pdf(path)}")
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


def _cmd_all(args: argparse.Namespace) -> None:
    from migration_ntt import regions

    started = time.perf_counter()
    units = regions.regencies()
    print(
        f"[regions] gazetteer: {len(units)} units, {len(regions.aliases())} aliases and exclusions"
    )
    steps = dict(STEPS)
    if not args.records:
        steps = {"clean (synthetic demo)": _cmd_demo_records, **steps}
    else:  # the kecamatan scan before the figures and the brief that show it
        order = list(steps.items())
        at = [name for name, _ in order].index("figures")
        steps = dict([*order[:at], ("scan (kecamatan)", _cmd_scan_step), *order[at:]])
    for name, step in steps.items():
        step_start = time.perf_counter()
        print(f"[{name}]", flush=True)
        step(args)
        print(f"  ({time.perf_counter() - step_start:.1f} s)", flush=True)
    print(f"done in {time.perf_counter() - started:.1f} s")


# --- the parser ---------------------------------------------------------------------------


def _field_header(text: str) -> tuple[str, str]:
    from migration_ntt.ingest.records.mapping import FIELDS

    field, sep, header = text.partition("=")
    field, header = field.strip(), header.strip()
    if not sep or not field or not header:
        raise argparse.ArgumentTypeError(f"expected FIELD=HEADER (e.g. status=Ket.), got {text!r}")
    if field not in FIELDS:
        raise argparse.ArgumentTypeError(f"unknown field {field!r}; fields are {', '.join(FIELDS)}")
    return field, header


def _add_cleaning_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns",
        metavar="JSON",
        help='JSON file mapping fields to headers, e.g. {"regency": "Asal Kab", "event_date": '
        '"Tgl"}, for headers not recognised automatically',
    )
    parser.add_argument(
        "--map",
        action="append",
        type=_field_header,
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
        type=_non_negative,
        default=0,
        metavar="N",
        help="records of one person and event type within N days are duplicates (default 0: "
        "same day only)",
    )


def _add_source_options(parser: argparse.ArgumentParser) -> None:
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
        type=_selection,
        metavar="COLUMN=VALUE[,VALUE]",
        help="count only these records, e.g. procedural=non_prosedural or "
        "event_type=death_abroad,deportation (repeatable; all must hold)",
    )
    group.add_argument(
        "--name",
        type=_count_name,
        default="cases",
        help="name of the count made from --records (default: cases)",
    )
    group.add_argument(
        "--period",
        type=_period,
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
    _add_cleaning_options(group)


def _add_permutations(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--permutations",
        type=_permutations,
        default=9_999,
        metavar="N",
        help="seeded conditional permutations for the cluster statistics (default 9,999)",
    )


def _add_language(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        type=_language,
        default="both",
        help="id (Bahasa Indonesia), en (English) or both (default both)",
    )


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

    clean = sub.add_parser(
        "clean",
        help="clean a case file (CSV or XLSX): clean table, rejects, duplicates, report and "
        "regency × year counts",
    )
    clean.add_argument("input", help="the case file")
    _add_cleaning_options(clean)
    clean.add_argument(
        "--out", metavar="DIR", help="output folder (default data/processed/records)"
    )
    clean.set_defaults(func=_cmd_clean)

    build = sub.add_parser("build", help="build the regency × year panel in data/processed")
    _add_source_options(build)
    build.set_defaults(func=_cmd_build)

    hot = sub.add_parser(
        "hotspots", help="rates, EB smoothing, weights, LISA and Gi* of a count (default deaths)"
    )
    _add_source_options(hot)
    _add_permutations(hot)
    hot.set_defaults(func=_cmd_hotspots)

    fit = sub.add_parser(
        "models",
        help="count models of a count against economic, education and enforcement factors",
    )
    _add_source_options(fit)
    fit.set_defaults(func=_cmd_models)

    figures = sub.add_parser(
        "figures",
        help="maps and model charts for print (png/pdf/svg) and interactive maps",
    )
    _add_source_options(figures)
    _add_language(figures)
    _add_permutations(figures)
    figures.set_defaults(func=_cmd_figures)

    brief = sub.add_parser(
        "report", help="the policy brief: reports/brief_<count>_id.html and _en.html"
    )
    _add_source_options(brief)
    _add_language(brief)
    _add_permutations(brief)
    brief.add_argument(
        "--pdf", action="store_true", help="also print each brief to PDF (needs Chromium)"
    )
    brief.set_defaults(func=_cmd_report)

    scanner = sub.add_parser(
        "scan",
        help="kecamatan clusters of your case records (Kulldorff scan statistic)",
    )
    _add_source_options(scanner)
    scanner.add_argument(
        "--model",
        choices=["bernoulli", "space_time_permutation", "poisson"],
        help="bernoulli: share of the selected status among all records (default when "
        "--select procedural=…); space_time_permutation: clusters in kecamatan and year "
        "(default otherwise); poisson: cases per population (needs --population)",
    )
    scanner.add_argument(
        "--population",
        metavar="CSV",
        help="kecamatan population for the Poisson model: columns district_code, population "
        "(and optionally year)",
    )
    _add_language(scanner)
    _add_permutations(scanner)
    scanner.set_defaults(func=_cmd_scan)

    evaluate = sub.add_parser(
        "evaluate",
        help="did a programme (LTSA, task force, church…) go with a change in the count? "
        "Before/after with randomisation inference",
    )
    _add_source_options(evaluate)
    evaluate.add_argument(
        "--programme",
        action="append",
        metavar="NAME",
        help="programme to evaluate, e.g. ltsa, task_force, desmigratif, church (repeatable; "
        "default: ltsa, task_force, church)",
    )
    evaluate.add_argument(
        "--outcome",
        metavar="COLUMN",
        help="count column to evaluate (default: the count of --records or --count)",
    )
    evaluate.add_argument(
        "--exclude-neighbours",
        action="store_true",
        help="leave never-adopting regencies next to an adopter out of the comparison",
    )
    evaluate.add_argument(
        "--within",
        choices=["island"],
        help="reassign adoption only within island groups in the randomisation test",
    )
    evaluate.add_argument(
        "--evaluation-permutations",
        type=_permutations,
        default=999,
        metavar="N",
        help="random reassignments of adoption (default 999)",
    )
    _add_language(evaluate)
    _add_permutations(evaluate)
    evaluate.set_defaults(func=_cmd_evaluate)

    planner = sub.add_parser(
        "strategy",
        help="David's IFE/EFE/IE/SPACE/TOWS/QSPM from a workshop file, with Monte Carlo "
        "rank probabilities (no file: the illustrative example)",
    )
    planner.add_argument(
        "workshop", nargs="?", help="workshop file (.xlsx, .csv with a sheet column, .yaml)"
    )
    planner.add_argument(
        "--template", metavar="XLSX", help="write an empty workshop template and stop"
    )
    planner.add_argument(
        "--draws",
        type=_permutations,
        default=2_000,
        metavar="N",
        help="Monte Carlo draws (default 2,000)",
    )
    planner.add_argument("--seed", type=int, default=20_251_129, help="random seed")
    planner.add_argument(
        "--no-evidence", action="store_true", help="skip looking up the cited evidence"
    )
    _add_language(planner)
    planner.set_defaults(func=_cmd_strategy)

    run_all = sub.add_parser(
        "all",
        help="run the whole chain (what `make demo` runs); with --records, on your own file",
    )
    _add_source_options(run_all)
    _add_language(run_all)
    _add_permutations(run_all)
    run_all.set_defaults(func=_cmd_all)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``migration-ntt`` console script; returns the exit code."""
    from migration_ntt.ingest.boundaries import BoundaryError
    from migration_ntt.ingest.indicators import IndicatorError
    from migration_ntt.ingest.programmes import ProgrammeError
    from migration_ntt.ingest.records import RecordsError
    from migration_ntt.strategy import WorkshopError

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
    ) as error:
        print(f"migration-ntt {args.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
