"""The policy brief: one self-contained HTML file per count and language
(``reports/brief_<count>_id.html``, ``reports/brief_<count>_en.html``).

Built from a Jinja2 template with the key findings (numbers from the hotspot and model
results), the maps and the forest plot embedded as PNG (data URIs: the file opens
offline and can be e-mailed or printed), method notes, caveats, and every source listed
from the manifests of the tables used. Counts shown to policy staff go through
:func:`migration_ntt.privacy.suppress_small_counts` (1–4 shown as "<5", with secondary
suppression). :func:`to_pdf` prints a brief to PDF with headless Chromium (Debian's
``chromium`` package; the CI installs it for the browser check): no pure-Python renderer
handles the embedded figures and CSS as well, and WeasyPrint needs Pango from the system.
Without Chromium the HTML still prints cleanly from any browser.

Examples
--------
>>> from migration_ntt import report
>>> report.TEXT["en"]["title"].format(count="PMI deaths abroad")
'PMI deaths abroad: where in NTT'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from migration_ntt import __version__, config
from migration_ntt.evaluation import ProgrammeEvaluation
from migration_ntt.labels import LABELS, check_language, format_number, label, year_ranges
from migration_ntt.models import CountModelResult
from migration_ntt.privacy import suppress_small_counts
from migration_ntt.report.facts import (
    completeness_line,
    enforcement_section,
    fill,
    image_data,
    key_facts,
    lower_first,
    scan_section,
    source_list,
)
from migration_ntt.report.text import TEXT
from migration_ntt.results import DistrictScan, HotspotResult, pooled_summary


def build_brief(
    hotspots: HotspotResult,
    results: Sequence[CountModelResult],
    lang: str,
    *,
    out_dir: Path | None = None,
    threshold: int = 5,
    scan: DistrictScan | None = None,
    evaluations: Sequence[ProgrammeEvaluation] = (),
    overview: pd.DataFrame | None = None,
    not_evaluated: Mapping[str, str] | None = None,
    panel: pd.DataFrame | None = None,
) -> Path:
    """Write ``brief_{lang}.html`` (see the module docstring) and return its path.

    With ``panel`` (the one the results came from) the brief also says what a rate per
    head mixes (legal placements and troubled returnees by regency) and how complete each
    year's report was.

    The figures must exist in ``figures/`` (``hotspot_figures`` and ``model_figures``
    write them; ``scan_figures`` for ``scan``); a missing figure is an error naming the
    file, never a silent gap. With ``scan`` (a kecamatan scan of the same records) the
    brief names the significant clusters and their kecamatan, or says none was found.

    Parameters
    ----------
    hotspots : HotspotResult
    results : sequence of CountModelResult
        The count models (the last is the pooled one).
    lang : {"id", "en"}
    out_dir : Path, optional
        Default ``reports/``.
    threshold : int
        Small-cell rule for the counts shown.
    scan : DistrictScan, optional
    evaluations : sequence of ProgrammeEvaluation
    overview : DataFrame, optional
        :func:`migration_ntt.coverage.programme_overview`.
    not_evaluated : mapping, optional
        Programmes that could not be evaluated, with the reason.
    panel : DataFrame, optional

    Returns
    -------
    pathlib.Path
        ``reports/brief_<count>_<lang>.html``.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    check_language(lang)
    if hotspots is None:
        raise FileNotFoundError("figure missing: no hotspot result given; run the analysis first")
    accounting = hotspots.record_accounting
    unit = hotspots.labels[f"unit_{lang}"]
    pooled_model = results[-1] if results else None
    text = fill(
        TEXT[lang],
        {
            "count": hotspots.label(lang),
            "count_lower": lower_first(hotspots.label(lang), lang),
            "unit": unit,
            "Unit": unit[:1].upper() + unit[1:],
            "years": hotspots.periods["pooled"],
            "reports": format_number(len(hotspots.sources), lang),
            "source": "; ".join(hotspots.sources),
            "counted": format_number(accounting.get("counted", 0), lang),
            "excluded": format_number(accounting.get("excluded_by_select", 0), lang),
            "outside": format_number(accounting.get("outside_period", 0), lang),
            "permutations": format_number(hotspots.permutations, lang),
            "model_n": format_number(pooled_model.n if pooled_model else 0, lang),
        },
    )
    figures_dir = config.figures_dir()
    wanted = [
        (f"{hotspots.count}_rate_pooled", text["figure_rate"]),
        (f"{hotspots.count}_rate_eb", text["figure_eb"]),
        (f"{hotspots.count}_lisa", text["figure_lisa"]),
        (f"{hotspots.count}_models_forest", text["figure_forest"]),
    ]
    if scan is not None:
        wanted.append((f"scan_{scan.model}_clusters", text["figure_scan"]))
    figures = []
    for stem, caption in wanted:
        path = figures_dir / f"{stem}_{lang}.png"
        if not path.exists():
            raise FileNotFoundError(f"{path}: figure missing; run `migration-ntt figures` first")
        figures.append({"data": image_data(path), "caption": caption})

    summary = pooled_summary(hotspots)
    # Counts as the reports give them (an estimate's effective count is not shown).
    protected = suppress_small_counts(
        summary,
        ["count_named"],
        threshold=threshold,
        derived={"rate": "count_named", "ci_low": "count_named", "ci_high": "count_named"},
    )
    rate_rows = []
    censored_any = False
    for row in protected.head(10).itertuples():
        hidden = row.count_named_suppressed
        censored = row.method != "exact"
        censored_any |= censored and not hidden
        rate_rows.append(
            [
                row.name,
                row.count_named,
                "–" if hidden else format_number(row.rate, lang, 1) + ("*" if censored else ""),
                "–"
                if hidden
                else f"{format_number(row.ci_low, lang, 1)}–{format_number(row.ci_high, lang, 1)}",
                label(row.label, lang)
                if isinstance(row.label, str) and row.label != "not significant"
                else "",
            ]
        )
    model_rows = []
    if pooled_model is not None:
        for term, row in pooled_model.irr[pooled_model.irr["kind"] == "covariate"].iterrows():
            model_rows.append(
                [
                    label(term, lang) if term in LABELS else term,
                    format_number(row["irr"], lang, 2),
                    f"{format_number(row['ci_low'], lang, 2)}–"
                    f"{format_number(row['ci_high'], lang, 2)}",
                    format_number(row["p_value"], lang, 3),
                ]
            )
    sample = text["sample"][hotspots.source_kind]
    caveats = [text["caveat_units"]]
    if pooled_model is not None:
        model_years = sorted(int(y) for y in pooled_model.data["year"].unique())
        sample += text["sample_model"].format(model_years=year_ranges(model_years))
        units = pooled_model.data["bps_code"].nunique()
        caveats.append(
            text["caveat_model"].format(
                units=units, others=text["caveat_others"] if units < 22 else ""
            )
        )
    caveats.append(text["caveat_volume"])
    caveats.append(label("lisa_caveat", lang, n=len(hotspots.lisa)))
    methods = [text["methods_source"][hotspots.source_kind]]
    completeness = completeness_line(panel, hotspots.count, text)
    if completeness and hotspots.source_kind == "published":
        methods.append(completeness)
    facts = key_facts(hotspots, results, evaluations, overview, panel, text, lang)
    text = {
        **text,
        "rates_intro": text["rates_intro"][hotspots.source_kind],
        "methods": [*methods, *text["methods"]],
    }
    environment = Environment(
        loader=PackageLoader("migration_ntt", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    html = environment.get_template("brief.html.j2").render(
        lang=lang,
        t=text,
        created=datetime.now(UTC).strftime("%Y-%m-%d"),
        sample=sample,
        findings=facts["findings"],
        prevention=facts["prevention"],
        # A cluster column that would say "not significant" on every row is left out: the
        # findings say in one sentence that no cluster is significant.
        rate_columns=text["columns_rates"]
        if any(r[-1] for r in rate_rows)
        else text["columns_rates"][:-1],
        rate_rows=rate_rows if any(r[-1] for r in rate_rows) else [r[:-1] for r in rate_rows],
        censored_note=text["censored_note"] if censored_any else None,
        scan=scan_section(scan, text, lang) if scan is not None else None,
        enforcement=enforcement_section(
            hotspots, results, evaluations, overview, not_evaluated or {}, text, lang
        )
        if overview is not None or evaluations
        else None,
        model_columns=text["columns_model"],
        model_rows=model_rows,
        figures=figures,
        caveats=[c for c in caveats if c],
        sources=source_list(hotspots, panel, text, lang),
        synthetic=hotspots.synthetic,
        version=__version__,
    )
    folder = out_dir or config.reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brief_{hotspots.count}_{lang}.html"
    path.write_text(html, encoding="utf-8")
    return path


#: Browser executables tried by :func:`to_pdf`, in order.
