"""The policy brief: one self-contained HTML file per count and language
(``reports/brief_<count>_id.html``, ``reports/brief_<count>_en.html``).

Built from a Jinja2 template with the key findings (numbers from the hotspot and model
results), the maps and the forest plot embedded as PNG (data URIs: the file opens
offline and can be e-mailed or printed), method notes, caveats, and every source listed
from the manifests of the tables used. Counts shown to policy staff go through
:func:`migration_ntt.privacy.suppress_small_counts` (1–4 shown as "<5", with secondary
suppression). A PDF is not produced: the HTML prints cleanly from any browser, and no
well-kept HTML-to-PDF library installs from the package registries without system
libraries (WeasyPrint needs Pango).

Examples
--------
>>> from migration_ntt import report
>>> report.TEXT["en"]["title"].format(count="PMI deaths abroad")
'PMI deaths abroad: where in NTT'
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from migration_ntt import __version__, config
from migration_ntt.models import is_binary
from migration_ntt.privacy import suppress_small_counts
from migration_ntt.viz.labels import LABELS, check_language, format_number, format_p, label

if TYPE_CHECKING:
    import pandas as pd

    from migration_ntt.analysis import DistrictScan, HotspotResult
    from migration_ntt.evaluation import ProgrammeEvaluation
    from migration_ntt.models import CountModelResult

TEXT: dict[str, dict[str, object]] = {
    "id": {
        "title": "{count}: dari mana di NTT",
        "subtitle": "Ringkasan kebijakan untuk BP3MI NTT, Pemerintah Provinsi dan mitra",
        "synthetic": "DATA SINTETIS: orang-orang dalam data ini tidak nyata. Hanya untuk "
        "demonstrasi; jangan dikutip.",
        "key_findings": "Temuan utama",
        "rates_heading": "Kabupaten/kota dengan angka tertinggi",
        "rates_intro": {
            "published": "{count} per 100.000 penduduk-tahun, semua laporan BP3MI digabung "
            "(hanya tahun-tahun saat kabupaten disebut).",
            "records": "{count} per 100.000 penduduk-tahun, {years}, dari catatan kasus "
            "({source}); kabupaten tanpa catatan dihitung nol.",
        },
        "suppression": 'Jumlah 1–4 ditampilkan sebagai "<5"; "x": disembunyikan agar total '
        "tidak membuka angka kecil.",
        "factors_heading": "Faktor yang berkaitan",
        "factors_intro": "Rasio tingkat kejadian (IRR) per simpangan baku (untuk program: ada "
        "vs tidak), model gabungan (efek tahun, galat baku klaster per kabupaten). IRR < 1: "
        "lebih sedikit {unit} per penduduk bila faktor lebih tinggi.",
        "methods_heading": "Metode",
        "methods": [
            "Penduduk-tahun = penduduk × bagian tahun yang dicakup data.",
            "Angka dihaluskan dengan Empirical Bayes (global dan spasial); kabupaten pulau "
            "tanpa tetangga memakai Empirical Bayes global.",
            "Bobot spasial: persinggungan (queen) ditambah jalur laut yang didokumentasikan "
            "(asumsi) untuk Alor, Lembata, Rote Ndao dan Sabu Raijua.",
            "Klaster: Moran lokal atas angka yang distandarkan EB, {permutations} permutasi, "
            "nilai q Benjamini–Hochberg.",
        ],
        "methods_source": {
            "published": "Data: laporan kumulatif BP3MI/BP2MI NTT yang dikutip media; untuk "
            "tiap tahun dipakai satu laporan terlengkap, laporan tidak pernah dijumlahkan.",
            "records": "Data: catatan kasus yang dibersihkan ({source}); {counted} catatan "
            "dihitung, {excluded} tidak dipilih, {outside} di luar periode.",
        },
        "caveats_heading": "Catatan kehati-hatian",
        "figure_rate": "{count} per 100.000 penduduk-tahun (gabungan)",
        "figure_eb": "Angka dihaluskan Empirical Bayes",
        "figure_lisa": "Klaster LISA",
        "figure_forest": "Faktor yang berkaitan (IRR)",
        "sources_heading": "Sumber",
        "columns_rates": ["Kabupaten/kota", "{Unit}", "Per 100.000", "95% CI", "Klaster"],
        "columns_model": ["Faktor", "IRR", "95% CI", "p"],
        "scan_heading": "Kecamatan: di mana kasus berkelompok",
        "scan_intro": {
            "bernoulli": "Statistik scan Kulldorff (Bernoulli): kecamatan tempat bagian {count} "
            "di antara semua catatan lebih tinggi dari kebetulan; {permutations} replikasi.",
            "poisson": "Statistik scan Kulldorff (Poisson): kecamatan dengan {unit} per "
            "penduduk lebih tinggi dari kebetulan; {permutations} replikasi.",
            "space_time_permutation": "Statistik scan ruang-waktu (permutasi): kecamatan dan "
            "tahun dengan {unit} lebih banyak dari pola tempat dan waktu; {permutations} "
            "replikasi.",
        },
        "scan_found": "Klaster signifikan {id}: {names} ({regencies}); {observed} {unit} "
        "teramati, {expected} diharapkan, RR {rr}, {p}.",
        "scan_none": "Tidak ada klaster kecamatan yang signifikan (p ≤ 0,05).",
        "figure_scan": "Klaster kecamatan",
        "enforcement_heading": "Penegakan hukum dan pelindungan",
        "enforcement_intro": "Program yang tercatat per kabupaten/kota (laporan yang "
        "dipublikasikan dan catatan program sendiri): berapa kabupaten/kota yang punya program "
        "pada {year}, dan kabupaten/kota di sepertiga teratas angka yang dihaluskan yang "
        "belum punya.",
        "columns_programmes": [
            "Program",
            "Kabupaten/kota yang punya",
            "Sepertiga teratas tanpa program",
        ],
        "evaluation_intro": "Evaluasi: kabupaten/kota dibandingkan sebelum dan sesudah program "
        "dimulai, terhadap yang belum punya (model Poisson dengan efek kabupaten dan tahun); "
        "nilai p dari pengacakan siapa yang memulai kapan, yang tetap jujur dengan 22 "
        "kabupaten/kota.",
        "evaluation_found": "{programme}: {adopters}; IRR {irr} (interval 95% {low}–{high}), "
        "{p}. {verdict}",
        "verdict_signal": "Perubahan sebesar ini jarang muncul secara kebetulan; tetap "
        "asosiasi, bukan bukti sebab.",
        "verdict_none": "Data belum dapat membedakannya dari kebetulan.",
        "adopters": "{n} kabupaten/kota memulai dalam periode data",
        "cannot_say": "Yang belum dapat dikatakan data",
        "no_room": "Tidak masuk model faktor karena tempat terbatas (satu variabel per tiga "
        "kabupaten/kota, {units} dalam model): {terms}",
        "not_evaluated": "{programme}: tidak dievaluasi ({reason})",
        "figure_event": "{programme}: {count} sebelum dan sesudah program",
    },
    "en": {
        "title": "{count}: where in NTT",
        "subtitle": "Policy brief for BP3MI NTT, the provincial government and partners",
        "synthetic": "SYNTHETIC DATA: the people in these data are not real. For "
        "demonstration only; do not quote.",
        "key_findings": "Key findings",
        "rates_heading": "Regencies with the highest rates",
        "rates_intro": {
            "published": "{count} per 100,000 person-years, all BP3MI reports pooled (only "
            "the years in which a regency is named).",
            "records": "{count} per 100,000 person-years, {years}, from case records "
            "({source}); a regency without records counts as zero.",
        },
        "suppression": 'Counts of 1–4 are shown as "<5"; "x": hidden so that totals cannot '
        "reveal a small count.",
        "factors_heading": "What goes with more {unit}",
        "factors_intro": "Incidence-rate ratios (IRR) per standard deviation (programmes: yes "
        "vs no), pooled model "
        "(year effects, standard errors clustered by regency). IRR < 1: fewer {unit} per "
        "head where the factor is higher.",
        "methods_heading": "Methods",
        "methods": [
            "Person-years = population × the fraction of the year the data cover.",
            "Rates smoothed with Empirical Bayes (global and spatial); island regencies "
            "without neighbours use global Empirical Bayes.",
            "Spatial weights: queen contiguity plus documented sea links (an assumption) for "
            "Alor, Lembata, Rote Ndao and Sabu Raijua.",
            "Clusters: local Moran of EB-standardised rates, {permutations} permutations, "
            "Benjamini–Hochberg q-values.",
        ],
        "methods_source": {
            "published": "Data: cumulative BP3MI/BP2MI NTT reports quoted in the press; for "
            "each year the single most complete report is used, reports are never added "
            "together.",
            "records": "Data: cleaned case records ({source}); {counted} records counted, "
            "{excluded} not selected, {outside} outside the period.",
        },
        "caveats_heading": "Caveats",
        "figure_rate": "{count} per 100,000 person-years (pooled)",
        "figure_eb": "Empirical Bayes smoothed rate",
        "figure_lisa": "LISA clusters",
        "figure_forest": "Associated factors (IRR)",
        "sources_heading": "Sources",
        "columns_rates": ["Regency", "{Unit}", "Per 100,000", "95% CI", "Cluster"],
        "columns_model": ["Factor", "IRR", "95% CI", "p"],
        "scan_heading": "Kecamatan: where cases cluster",
        "scan_intro": {
            "bernoulli": "Kulldorff scan statistic (Bernoulli): kecamatan where the share of "
            "{count} among all records is higher than chance; {permutations} replications.",
            "poisson": "Kulldorff scan statistic (Poisson): kecamatan with more {unit} per "
            "head than chance; {permutations} replications.",
            "space_time_permutation": "Space-time permutation scan: kecamatan and years with "
            "more {unit} than the place and time pattern explains; {permutations} "
            "replications.",
        },
        "scan_found": "Significant cluster {id}: {names} ({regencies}); {observed} {unit} "
        "observed, {expected} expected, RR {rr}, {p}.",
        "scan_none": "No kecamatan cluster is significant (p ≤ 0.05).",
        "figure_scan": "Kecamatan clusters",
        "enforcement_heading": "Enforcement and protection",
        "enforcement_intro": "Programmes recorded by regency (published reports and your own "
        "programme log): how many regencies have each programme in {year}, and the regencies "
        "in the top third of the smoothed rate that do not have it.",
        "columns_programmes": ["Programme", "Regencies with it", "Top third without it"],
        "evaluation_intro": "Evaluation: regencies compared before and after the programme "
        "started, against those without it (Poisson model with regency and year effects); "
        "p-values from reshuffling who adopted when, which stays honest with 22 regencies.",
        "evaluation_found": "{programme}: {adopters}; IRR {irr} (95% interval {low}–{high}), "
        "{p}. {verdict}",
        "verdict_signal": "A change this large rarely arises by chance; still an association, "
        "not proof of cause.",
        "verdict_none": "The data cannot tell it apart from chance.",
        "adopters": "{n} regencies started it within the years with data",
        "cannot_say": "What the data cannot say yet",
        "no_room": "Left out of the factor model for lack of room (one term per three "
        "regencies, {units} in the model): {terms}",
        "not_evaluated": "{programme}: not evaluated ({reason})",
        "figure_event": "{programme}: {count} before and after the programme",
    },
}


class _KeepUnknown(dict):
    """Mapping for ``str.format_map`` that leaves unknown placeholders in place."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill(value: object, fields: dict[str, object]) -> object:
    """Fill ``{placeholders}`` in a text, a list of texts or a dict of texts.

    Placeholders not in ``fields`` (those filled later per item, such as a scan
    cluster's ``{names}``) are left untouched.
    """
    if isinstance(value, str):
        return value.format_map(_KeepUnknown(fields))
    if isinstance(value, list):
        return [_fill(item, fields) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, fields) for key, item in value.items()}
    return value


def _image(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


def _findings(hotspots: HotspotResult, results: Sequence[CountModelResult], lang: str) -> list[str]:
    from migration_ntt.analysis import pooled_summary

    top = pooled_summary(hotspots).head(3)
    fmt = lambda v, d=1: format_number(float(v), lang, d)  # noqa: E731
    names = ", ".join(
        f"{n.replace('Kabupaten ', '')} ({fmt(r)})"
        for n, r in zip(top["name"], top["rate"], strict=True)
    )
    significant = hotspots.lisa[hotspots.lisa["significant"]]
    global_row = hotspots.global_stats.iloc[0]
    pooled = results[-1] if results else None
    out = []
    count = hotspots.label(lang)
    if lang == "id":
        out.append(f"{count}: angka tertinggi (per 100.000 penduduk-tahun): {names}.")
        out.append(
            "Tidak ada klaster spasial yang signifikan setelah koreksi FDR "
            f"(Moran global I = {fmt(global_row['moran_i'], 2)}, "
            f"p = {fmt(global_row['p_sim'], 2)})."
            if significant.empty
            else f"Klaster signifikan: {', '.join(significant['name'])}."
        )
    else:
        out.append(f"{count}: highest rates (per 100,000 person-years): {names}.")
        out.append(
            "No spatial cluster is significant after FDR correction "
            f"(global Moran's I = {fmt(global_row['moran_i'], 2)}, "
            f"p = {fmt(global_row['p_sim'], 2)})."
            if significant.empty
            else f"Significant clusters: {', '.join(significant['name'])}."
        )
    if pooled is not None:
        covariates = pooled.irr[pooled.irr["kind"] == "covariate"]
        strongest = covariates.loc[covariates["p_value"].idxmin()]
        term = label(strongest.name, lang) if strongest.name in LABELS else strongest.name
        binary = is_binary(pooled.data[strongest.name])
        if lang == "id":
            per = "ada vs tidak" if binary else "per simpangan baku"
            out.append(
                f"Dalam model gabungan ({pooled.n} pengamatan), faktor dengan bukti terkuat: "
                f"{term}, IRR {fmt(strongest['irr'], 2)} ({per}) "
                f"(95% CI {fmt(strongest['ci_low'], 2)}–{fmt(strongest['ci_high'], 2)}). "
                "Ini asosiasi, bukan sebab."
            )
        else:
            out.append(
                f"In the pooled model ({pooled.n} observations) the factor with the "
                f"strongest evidence is {term.lower()}: IRR {fmt(strongest['irr'], 2)} "
                f"({'yes vs no' if binary else 'per SD'}) "
                f"(95% CI {fmt(strongest['ci_low'], 2)}–{fmt(strongest['ci_high'], 2)}). "
                "This is an association, not a cause."
            )
    return out


def _scan_section(scan: DistrictScan, text: dict, lang: str) -> dict[str, object]:
    """The brief's kecamatan section: what was scanned, and each significant cluster."""
    unit = scan.labels[f"unit_{lang}"]
    intro = text["scan_intro"][scan.model].format(
        count=scan.labels[lang].lower() if lang == "en" else scan.labels[lang],
        unit=unit,
        permutations=format_number(scan.result.parameters["permutations"], lang),
    )
    found = [
        text["scan_found"].format(
            id=row.cluster_id,
            names=row.kecamatan if len(str(row.kecamatan)) < 160 else f"{row.n_units} kecamatan",
            regencies=row.regencies,
            observed=format_number(row.observed, lang),
            expected=format_number(row.expected, lang, 1),
            unit=unit,
            rr=format_number(row.relative_risk, lang, 2),
            p=format_p(row.p_value, lang),
        )
        for row in scan.significant().itertuples()
    ]
    return {"heading": text["scan_heading"], "intro": intro, "items": found or [text["scan_none"]]}


def _enforcement_section(
    hotspots: HotspotResult,
    results: Sequence[CountModelResult],
    evaluations: Sequence[ProgrammeEvaluation],
    overview: pd.DataFrame | None,
    not_evaluated: Mapping[str, str],
    text: dict,
    lang: str,
) -> dict[str, object]:
    """The brief's "Enforcement and protection" section: programme presence and coverage
    gaps, each evaluation in one sentence, and what the data cannot say."""
    from migration_ntt.ingest.programmes import programme_label
    from migration_ntt.models import _reason

    rows = []
    year = ""
    if overview is not None and len(overview):
        year = str(overview["year"].iloc[0])
        for row in overview.sort_values("regencies_with_it", ascending=False).itertuples():
            rows.append(
                [
                    row.label,
                    f"{row.regencies_with_it}" + (f" ({row.names})" if row.names else ""),
                    row.top_third_without_it or "–",
                ]
            )
    found = []
    figures = []
    for result in evaluations:
        name = programme_label(result.programme, lang)
        adopters = int(
            result.cohorts.loc[result.cohorts["status"] == "evaluated", "regencies"].sum()
        )
        found.append(
            text["evaluation_found"].format(
                programme=name,
                adopters=text["adopters"].format(n=adopters),
                irr=format_number(result.irr, lang, 2),
                low=format_number(result.ci_low, lang, 2),
                high=format_number(result.ci_high, lang, 2),
                p=format_p(result.p_randomisation, lang),
                verdict=text["verdict_signal"]
                if result.p_randomisation <= 0.05
                else text["verdict_none"],
            )
        )
        path = (
            config.figures_dir()
            / f"{hotspots.count}_evaluation_{result.programme}_event_study_{lang}.png"
        )
        if not path.exists():
            raise FileNotFoundError(f"{path}: figure missing; run the evaluation figures first")
        figures.append(
            {
                "data": _image(path),
                "caption": text["figure_event"].format(programme=name, count=hotspots.label(lang)),
            }
        )
    cannot = [
        text["not_evaluated"].format(programme=programme_label(p, lang), reason=reason)
        for p, reason in not_evaluated.items()
    ]
    if results:
        skipped = results[-1].not_estimable
        no_room = skipped["reason"].str.startswith("no room")
        cannot += [
            f"{label(r.term, lang) if r.term in LABELS else r.term}: {_reason(r.reason, lang)}"
            for r in skipped[~no_room].itertuples()
        ]
        if no_room.any():
            cannot.append(
                text["no_room"].format(
                    terms=", ".join(
                        label(t, lang) if t in LABELS else t for t in skipped.loc[no_room, "term"]
                    ),
                    units=results[-1].data["bps_code"].nunique(),
                )
            )
    return {
        "heading": text["enforcement_heading"],
        "intro": text["enforcement_intro"].format(year=year),
        "columns": text["columns_programmes"],
        "rows": rows,
        "evaluation_intro": text["evaluation_intro"],
        "found": found,
        "figures": figures,
        "cannot_heading": text["cannot_say"],
        "cannot": cannot,
    }


def _sources(hotspots: HotspotResult) -> list[str]:
    sources: set[str] = set(hotspots.sources)
    sources.add("Boundaries: cahyadsn/wilayah_boundaries (MIT), Kepmendagri 2025 codes")
    sources.add("Regency codes: Kepmendagri 300.2.2-2138/2025; BPS MFD")
    return sorted(sources)


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
) -> Path:
    """Write ``brief_{lang}.html`` (see the module docstring) and return its path.

    The figures must exist in ``figures/`` (``hotspot_figures`` and ``model_figures``
    write them; ``scan_figures`` for ``scan``); a missing figure is an error naming the
    file, never a silent gap. With ``scan`` (a kecamatan scan of the same records) the
    brief names the significant clusters and their kecamatan, or says none was found.
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from migration_ntt.analysis import pooled_summary

    check_language(lang)
    if hotspots is None:
        raise FileNotFoundError("figure missing: no hotspot result given; run the analysis first")
    accounting = hotspots.record_accounting
    unit = hotspots.labels[f"unit_{lang}"]
    text = _fill(
        TEXT[lang],
        {
            "count": hotspots.label(lang),
            "unit": unit,
            "Unit": unit[:1].upper() + unit[1:],
            "years": hotspots.periods["pooled"],
            "source": "; ".join(hotspots.sources),
            "counted": format_number(accounting.get("counted", 0), lang),
            "excluded": format_number(accounting.get("excluded_by_select", 0), lang),
            "outside": format_number(accounting.get("outside_period", 0), lang),
            "permutations": format_number(hotspots.permutations, lang),
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
        figures.append({"data": _image(path), "caption": caption})

    summary = pooled_summary(hotspots)
    protected = suppress_small_counts(
        summary,
        ["count"],
        threshold=threshold,
        derived={"rate": "count", "ci_low": "count", "ci_high": "count"},
    )
    rate_rows = []
    for row in protected.head(10).itertuples():
        hidden = row.count_suppressed
        rate_rows.append(
            [
                row.name,
                row.count,
                "–" if hidden else format_number(row.rate, lang, 1),
                "–"
                if hidden
                else f"{format_number(row.ci_low, lang, 1)}–{format_number(row.ci_high, lang, 1)}",
                label(row.label, lang) if isinstance(row.label, str) else label("no_data", lang),
            ]
        )
    model_rows = []
    if results:
        pooled = results[-1]
        for term, row in pooled.irr[pooled.irr["kind"] == "covariate"].iterrows():
            model_rows.append(
                [
                    label(term, lang) if term in LABELS else term,
                    format_number(row["irr"], lang, 2),
                    f"{format_number(row['ci_low'], lang, 2)}–"
                    f"{format_number(row['ci_high'], lang, 2)}",
                    format_number(row["p_value"], lang, 3),
                ]
            )
    caveats = [label("caveat", lang)]
    if results:
        caveats.append(results[-1].caveat(lang))
    caveats.append(label("lisa_caveat", lang, n=len(hotspots.lisa)))
    text = {
        **text,
        "rates_intro": text["rates_intro"][hotspots.source_kind],
        "methods": [text["methods_source"][hotspots.source_kind], *text["methods"]],
    }
    environment = Environment(
        loader=PackageLoader("migration_ntt", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    html = environment.get_template("brief.html.j2").render(
        lang=lang,
        t=text,
        created=datetime.now(UTC).strftime("%Y-%m-%d"),
        findings=_findings(hotspots, results, lang),
        rate_columns=text["columns_rates"],
        rate_rows=rate_rows,
        scan=_scan_section(scan, text, lang) if scan is not None else None,
        enforcement=_enforcement_section(
            hotspots, results, evaluations, overview, not_evaluated or {}, text, lang
        )
        if overview is not None or evaluations
        else None,
        model_columns=text["columns_model"],
        model_rows=model_rows,
        figures=figures,
        caveats=[c for c in caveats if c],
        sources=_sources(hotspots),
        synthetic=hotspots.synthetic,
        version=__version__,
    )
    folder = out_dir or config.reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brief_{hotspots.count}_{lang}.html"
    path.write_text(html, encoding="utf-8")
    return path


def preview(path: str | Path, height: int = 700):
    """Show a written brief inside a notebook (an IFrame on the file, relative to the
    notebook's folder so that JupyterLab serves it)."""
    import os

    from IPython.display import IFrame

    relative = os.path.relpath(Path(path).resolve(), Path.cwd())
    return IFrame(src=relative, width="100%", height=height)


__all__ = ["TEXT", "build_brief", "preview"]
