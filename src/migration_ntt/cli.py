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


def _cmd_clean(args: argparse.Namespace) -> None:
    import json
    from pathlib import Path

    from migration_ntt import config
    from migration_ntt.ingest import records

    columns = None
    if args.columns:
        columns_path = Path(args.columns)
        if not columns_path.is_file():
            raise UserError(
                f"{columns_path}: --columns file not found. It should be JSON like "
                '{"regency": "Asal Kab", "event_date": "Tgl"}.'
            )
        try:
            columns = json.loads(columns_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise UserError(
                f"{columns_path}: not valid JSON ({error}). Expected an object "
                'mapping fields to headers, e.g. {"regency": "Asal Kab"}.'
            ) from error
    import warnings

    from migration_ntt.privacy import UnlinkableKeyWarning

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UnlinkableKeyWarning)
            result = records.clean_records(args.input, columns)
    except records.RecordsError as error:
        raise UserError(str(error)) from error
    for warning in caught:
        print(f"note: {warning.message}", file=sys.stderr)
    out_dir = Path(args.out) if args.out else config.processed_dir() / "records"
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = Path(args.input).stem
    result.clean.to_parquet(out_dir / f"{stem}_clean.parquet", index=False)
    result.clean.to_csv(out_dir / f"{stem}_clean.csv", index=False)
    result.rejects.to_csv(out_dir / f"{stem}_rejects.csv", index=False)
    result.duplicates.to_csv(out_dir / f"{stem}_duplicates.csv", index=False)
    result.report.to_frame().to_csv(out_dir / f"{stem}_report.csv", index=False)
    (out_dir / f"{stem}_report.txt").write_text(result.report.summary() + "\n", encoding="utf-8")
    print(result.report.summary())
    print(f"→ {out_dir}")


def _languages(value: str) -> list[str]:
    if value == "both":
        return ["id", "en"]
    if value in {"id", "en"}:
        return [value]
    raise UserError(f"unknown language {value!r}: use id (Bahasa Indonesia), en (English) or both")


def _cmd_demo_records(args: argparse.Namespace) -> None:
    from migration_ntt import config
    from migration_ntt.ingest import records, synthetic

    folder = config.processed_dir() / "demo"
    path = folder / "demo_cases_synthetic.csv"
    if not path.exists():
        synthetic.write_synthetic_csv(path, 2000, seed=2024, messiness=0.4)
    result = records.clean_records(path, secret="migration-ntt-demo")
    result.clean.to_csv(folder / "demo_cases_synthetic_clean.csv", index=False)
    result.rejects.to_csv(folder / "demo_cases_synthetic_rejects.csv", index=False)
    result.duplicates.to_csv(folder / "demo_cases_synthetic_duplicates.csv", index=False)
    records.count_records(result.clean).to_csv(folder / "demo_counts_synthetic.csv", index=False)
    print("SYNTHETIC demo records: " + result.report.summary().replace("\n", "\n  "))


def _cmd_hotspots(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

    result = analysis.run_hotspots(permutations=args.permutations)
    print(result.connectivity_summary)
    print(result.global_stats[["statistic", "moran_i", "p_sim", "n"]].to_string(index=False))
    top = analysis.pooled_summary(result).head(5)
    print("highest pooled death rates per 100,000 person-years:")
    print(
        top[["name", "count", "rate", "ci_low", "ci_high", "label"]].round(2).to_string(index=False)
    )
    print(f"→ {config.processed_dir()}/hotspots_*.csv")
    args._hotspots = result


def _cmd_figures(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, config

    languages = _languages(args.lang)
    result = getattr(args, "_hotspots", None) or analysis.run_hotspots(
        permutations=getattr(args, "permutations", 9_999), write=False
    )
    count = 0
    for lang in languages:
        count += len(analysis.hotspot_figures(result, lang))
        models_result = getattr(args, "_models", None)
        if models_result is not None:
            from migration_ntt import models

            count += len(models.model_figures(models_result, lang))
    print(
        f"{count} files (maps, forest plot, model charts, interactive maps) in "
        f"{', '.join(languages)} → {config.figures_dir()}"
    )


def _cmd_models(args: argparse.Namespace) -> None:
    from migration_ntt import config, models

    results = models.default_models()
    models.write_model_tables(results)
    for result in results:
        print(f"{result.name}: n = {result.n}, {result.family_note}")
        if len(result.dropped):
            print(f"  dropped (missing data): {len(result.dropped)} unit-years")
        for note in result.notes:
            print(f"  note: {note}")
    table = models.model_table(results, "en")
    print(
        table[table["model"] == results[-1].name][["term", "irr", "ci_low", "ci_high", "p_value"]]
        .round(3)
        .to_string(index=False)
    )
    print(results[-1].caveat("en"))
    print(f"→ {config.processed_dir()}/models_*")
    args._models = results


def _cmd_report(args: argparse.Namespace) -> None:
    from migration_ntt import analysis, models, report

    languages = _languages(getattr(args, "lang", "both"))
    hotspots = getattr(args, "_hotspots", None) or analysis.run_hotspots(
        permutations=getattr(args, "permutations", 9_999), write=False
    )
    results = getattr(args, "_models", None) or models.default_models()
    for lang in languages:
        try:
            path = report.build_brief(hotspots, results, lang)
        except FileNotFoundError as error:
            raise UserError(str(error)) from error
        print(f"→ {path}")


STEPS: dict[str, Callable[[argparse.Namespace], None]] = {
    "clean (synthetic demo)": _cmd_demo_records,
    "build": _cmd_build,
    "hotspots": _cmd_hotspots,
    "models": _cmd_models,
    "figures": _cmd_figures,
    "report": _cmd_report,
}


def _cmd_all(args: argparse.Namespace) -> None:
    from migration_ntt import regions

    _languages(args.lang)  # a bad language fails before any work
    started = time.perf_counter()
    units = regions.regencies()
    print(
        f"[regions] gazetteer: {len(units)} units, {len(regions.aliases())} aliases and exclusions"
    )
    for name, step in STEPS.items():
        step_start = time.perf_counter()
        print(f"[{name}]", flush=True)
        step(args)
        print(f"  ({time.perf_counter() - step_start:.1f} s)", flush=True)
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

    clean = sub.add_parser(
        "clean", help="clean a case file (CSV or XLSX) of migrant-worker records"
    )
    clean.add_argument("input", help="the case file")
    clean.add_argument(
        "--columns",
        help="JSON file mapping fields to headers, "
        'e.g. {"regency": "Asal Kab", "event_date": "Tgl"}',
    )
    clean.add_argument("--out", help="output folder (default data/processed/records)")
    clean.set_defaults(func=_cmd_clean)

    build = sub.add_parser("build", help="build the regency × year panel in data/processed")
    build.set_defaults(func=_cmd_build)

    hot = sub.add_parser(
        "hotspots", help="rates, EB smoothing, weights, LISA and Gi* of PMI deaths"
    )
    hot.add_argument("--permutations", type=int, default=9_999)
    hot.set_defaults(func=_cmd_hotspots)

    fit = sub.add_parser(
        "models",
        help="count models of PMI deaths against economic, education and enforcement factors",
    )
    fit.set_defaults(func=_cmd_models)

    figures = sub.add_parser("figures", help="maps (and model plots) for print, png/pdf/svg")
    figures.add_argument("--lang", default="both", help="id, en or both (default both)")
    figures.add_argument("--permutations", type=int, default=9_999)
    figures.set_defaults(func=_cmd_figures)

    brief = sub.add_parser("report", help="the policy brief: reports/brief_id.html, brief_en.html")
    brief.add_argument("--lang", default="both", help="id, en or both (default both)")
    brief.add_argument("--permutations", type=int, default=9_999)
    brief.set_defaults(func=_cmd_report)

    run_all = sub.add_parser("all", help="run the whole chain (what `make demo` runs)")
    run_all.add_argument("--lang", default="both", help="id, en or both (default both)")
    run_all.add_argument("--permutations", type=int, default=9_999)
    run_all.set_defaults(func=_cmd_all)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``migration-ntt`` console script; returns the exit code."""
    from migration_ntt.ingest.boundaries import BoundaryError
    from migration_ntt.ingest.indicators import IndicatorError
    from migration_ntt.ingest.records import RecordsError

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.func(args)
    except (UserError, RecordsError, IndicatorError, BoundaryError) as error:
        print(f"migration-ntt {args.command}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
