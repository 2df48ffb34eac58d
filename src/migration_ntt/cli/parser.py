"""The parser of the ``migration-ntt`` command: one sub-command per step of the chain."""

from __future__ import annotations

import argparse

from migration_ntt import __version__
from migration_ntt.cli.arguments import (
    add_cleaning_options,
    add_formats,
    add_language,
    add_permutations,
    add_source_options,
    add_workers,
    permutations,
)
from migration_ntt.cli.commands import (
    _cmd_all,
    _cmd_build,
    _cmd_clean,
    _cmd_evaluate,
    _cmd_figures,
    _cmd_form,
    _cmd_hotspots,
    _cmd_init,
    _cmd_models,
    _cmd_regions,
    _cmd_report,
    _cmd_resolve,
    _cmd_scan,
    _cmd_strategy,
    _cmd_template,
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

    init = sub.add_parser(
        "init",
        help="create a project folder for your data and outputs (data/raw/records, "
        "data/raw/programmes with its template, the Excel case log, data/processed, "
        "figures, reports, a README)",
    )
    init.add_argument("folder", nargs="?", default=".", help="where (default: here)")
    init.set_defaults(func=_cmd_init)

    form = sub.add_parser(
        "form",
        help="write the XLSForm of a case record for ODK Collect / KoboToolbox (regency → "
        "kecamatan → desa from the gazetteer); its exports clean with no mapping",
    )
    form.add_argument(
        "--out", default=None, help="the .xlsx to write (default data/intake/kasus_pmi_form.xlsx)"
    )
    form.add_argument(
        "--lang",
        choices=["id", "en"],
        default="id",
        help="the language the form opens in (both are in it; default id)",
    )
    form.set_defaults(func=_cmd_form)

    template = sub.add_parser(
        "template",
        help="write the Excel case log: drop-downs from the gazetteer, dates as dates, "
        "instructions in Bahasa Indonesia and English",
    )
    template.add_argument(
        "--out", default=None, help="the .xlsx to write (default data/intake/log_kasus_pmi.xlsx)"
    )
    template.set_defaults(func=_cmd_template)

    clean = sub.add_parser(
        "clean",
        help="clean a case file (CSV or XLSX): clean table, rejects, duplicates, report and "
        "regency × year counts",
    )
    clean.add_argument("input", help="the case file")
    add_cleaning_options(clean)
    clean.add_argument(
        "--out", metavar="DIR", help="output folder (default data/processed/records)"
    )
    clean.set_defaults(func=_cmd_clean)

    build = sub.add_parser("build", help="build the regency × year panel in data/processed")
    add_source_options(build)
    build.set_defaults(func=_cmd_build)

    hot = sub.add_parser(
        "hotspots", help="rates, EB smoothing, weights, LISA and Gi* of a count (default deaths)"
    )
    add_source_options(hot)
    add_permutations(hot)
    hot.set_defaults(func=_cmd_hotspots)

    fit = sub.add_parser(
        "models",
        help="count models of a count against economic, education and enforcement factors",
    )
    add_source_options(fit)
    fit.set_defaults(func=_cmd_models)

    figures = sub.add_parser(
        "figures",
        help="maps and model charts for print (PNG, PDF; SVG on request) and interactive maps",
    )
    add_source_options(figures)
    add_language(figures)
    add_formats(figures)
    add_workers(figures)
    add_permutations(figures)
    figures.set_defaults(func=_cmd_figures)

    brief = sub.add_parser(
        "report", help="the policy brief: reports/brief_<count>_id.html and _en.html"
    )
    add_source_options(brief)
    add_language(brief)
    add_permutations(brief)
    brief.add_argument(
        "--pdf", action="store_true", help="also print each brief to PDF (needs Chromium)"
    )
    brief.set_defaults(func=_cmd_report)

    scanner = sub.add_parser(
        "scan",
        help="kecamatan clusters of your case records (Kulldorff scan statistic)",
    )
    add_source_options(scanner)
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
    add_language(scanner)
    add_permutations(scanner)
    add_formats(scanner)
    scanner.set_defaults(func=_cmd_scan)

    evaluate = sub.add_parser(
        "evaluate",
        help="did a programme (LTSA, task force, church…) go with a change in the count? "
        "Before/after with randomisation inference",
    )
    add_source_options(evaluate)
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
        type=permutations,
        default=999,
        metavar="N",
        help="random reassignments of adoption (default 999)",
    )
    add_language(evaluate)
    add_permutations(evaluate)
    add_formats(evaluate)
    add_workers(evaluate)
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
        type=permutations,
        default=2_000,
        metavar="N",
        help="Monte Carlo draws (default 2,000)",
    )
    planner.add_argument("--seed", type=int, default=20_251_129, help="random seed")
    planner.add_argument(
        "--no-evidence", action="store_true", help="skip looking up the cited evidence"
    )
    add_language(planner)
    planner.set_defaults(func=_cmd_strategy)

    run_all = sub.add_parser(
        "all",
        help="run the whole chain (what `make demo` runs); with --records, on your own file",
    )
    add_source_options(run_all)
    add_language(run_all)
    add_formats(run_all)
    add_workers(run_all)
    add_permutations(run_all)
    run_all.set_defaults(func=_cmd_all)
    return parser
