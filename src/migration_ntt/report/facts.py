"""The facts of a brief, computed from the results: where the count is high, how the
procedural split reads, what a rate per head mixes, which factor goes with it, how complete
each year's report was, the kecamatan clusters, the programmes, and the sources."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

from migration_ntt import config
from migration_ntt.evaluation import ProgrammeEvaluation
from migration_ntt.ingest.programmes import programme_label
from migration_ntt.labels import (
    LABELS,
    format_number,
    format_p,
    label,
    regency_name_in_text,
)
from migration_ntt.models import CountModelResult, is_binary
from migration_ntt.models.tables import reason_text
from migration_ntt.results import DistrictScan, HotspotResult, pooled_summary


class _KeepUnknown(dict):
    """Mapping for ``str.format_map`` that leaves unknown placeholders in place."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(value: object, fields: dict[str, object]) -> object:
    """Fill ``{placeholders}`` in a text, a list of texts or a dict of texts.

    Placeholders not in ``fields`` (those filled later per item, such as a scan
    cluster's ``{names}``) are left untouched.
    """
    if isinstance(value, str):
        return value.format_map(_KeepUnknown(fields))
    if isinstance(value, list):
        return [fill(item, fields) for item in value]
    if isinstance(value, dict):
        return {key: fill(item, fields) for key, item in value.items()}
    return value


def image_data(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode("ascii")


#: Factors on which a higher value means better off: fewer deaths per head where they
#: are *lower* is the volume pattern (poorer places send fewer people by risky routes).


_BETTER_OFF = {"mean_years_schooling_rls", "grdp_per_capita_million_rp", "hdi_ipm", "ikp_score"}
_WORSE_OFF = {
    "poverty_rate_pct",
    "open_unemployment_rate_pct",
    "stunting_prevalence_ssgi_pct",
    "prevalence_undernourishment_pou_pct",
    "hh_without_electricity_pct",
}
_MONTHS = {
    "id": ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}


def _names(names: Sequence[str], lang: str) -> str:
    """``A, B and C`` / ``A, B dan C``."""
    names = [regency_name_in_text(n) for n in names]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {'dan' if lang == 'id' else 'and'} {names[-1]}"


def lower_first(text: str, lang: str) -> str:
    """``deaths abroad`` from ``Deaths abroad`` in English; acronyms (``PMI …``) kept."""
    if lang != "en" or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _percent(value: float, lang: str) -> str:
    return f"{format_number(100 * value, lang)} %" if lang == "id" else f"{100 * value:.0f}%"


def _period(start: object, end: object, lang: str) -> str:
    """``1 Jan–6 Des 2024`` from two timestamps (``–`` when unknown)."""
    import pandas as pd

    if pd.isna(start) or pd.isna(end):
        return "–"
    months = _MONTHS[lang]
    head = f"{start.day} {months[start.month - 1]}"
    if start.year != end.year:
        head += f" {start.year}"
    return f"{head}–{end.day} {months[end.month - 1]} {end.year}"


def _top_per_head(panel: pd.DataFrame, column: str, n: int, *, per_person: bool) -> list[str]:
    rows = panel.dropna(subset=[column])
    if rows.empty:
        return []
    value = rows[column] / rows["population"] if per_person else rows[column]
    return rows.assign(_v=value).nlargest(n, "_v")["name"].tolist()


def key_facts(
    hotspots: HotspotResult,
    results: Sequence[CountModelResult],
    evaluations: Sequence[ProgrammeEvaluation],
    overview: pd.DataFrame | None,
    panel: pd.DataFrame | None,
    text: dict,
    lang: str,
) -> dict[str, object]:
    """Everything the first page says, from the results: findings, prevention, sample."""

    def fmt(value: float, decimals: int = 1) -> str:
        return format_number(float(value), lang, decimals)

    unit = hotspots.labels[f"unit_{lang}"]
    summary = pooled_summary(hotspots)
    named = summary["count_named"] if "count_named" in summary else summary["count"]
    top = summary.head(3)
    share = float(named.head(3).sum() / named.sum()) if named.sum() > 0 else float("nan")
    findings = [
        text["finding_where"].format(
            count=hotspots.label(lang),
            names=_names(
                [
                    f"{regency_name_in_text(n)} ({fmt(r)})"
                    for n, r in zip(top["name"], top["rate"], strict=True)
                ],
                lang,
            ),
            k=len(top),
            share=_percent(share, lang),
            total=format_number(float(named.sum()), lang),
            unit=unit,
        )
    ]
    prevention = [
        text["prevention_focus"].format(
            names=_names(top["name"], lang), share=_percent(share, lang), unit=unit
        )
    ]
    split = None
    if hotspots.count == "pmi_deaths_abroad" and panel is not None:
        split = pd.DataFrame(panel.attrs.get("procedural_split", []))
    if split is not None and len(split):
        latest = split.sort_values("year", ascending=False).head(3)
        findings.append(
            text["finding_split"].format(
                items=", ".join(
                    text["split_item"].format(
                        nonprocedural=format_number(r.nonprocedural, lang),
                        total=format_number(r.total, lang),
                        year=r.year,
                    )
                    for r in latest.itertuples()
                )
            )
        )
        # The newest report covering (nearly) a whole year, else the newest.
        days = (pd.to_datetime(split["period_end"]) - pd.to_datetime(split["period_start"])).dt.days
        whole = split[days >= 330].sort_values("year")
        newest = (whole if len(whole) else split.sort_values("year")).iloc[-1]
        prevention.append(
            text["prevention_route"].format(
                share=_percent(newest["nonprocedural_share"], lang),
                rest=_percent(1 - newest["nonprocedural_share"], lang),
                year=int(newest["year"]),
            )
        )
    if panel is not None and {"legal_placements_per_100k_2013", "pmi_troubled_returnees"} <= set(
        panel.columns
    ):
        latest_year = panel[panel["pmi_troubled_returnees"].notna()]["year"].max()
        legal = _top_per_head(
            panel[panel["year"] == panel["year"].max()],
            "legal_placements_per_100k_2013",
            4,
            per_person=False,
        )
        returnees = _top_per_head(
            panel[panel["year"] == latest_year], "pmi_troubled_returnees", 5, per_person=True
        )
        if legal and returnees:
            findings.append(
                text["finding_volume"].format(
                    legal=_names(legal, lang), returnees=_names(returnees, lang)
                )
            )
    significant = hotspots.lisa[hotspots.lisa["significant"]]
    global_row = hotspots.global_stats.iloc[0]
    findings.append(
        text["finding_cluster_none"].format(
            i=fmt(global_row["moran_i"], 2), p=format_p(global_row["p_sim"], lang, 2)
        )
        if significant.empty
        else text["finding_cluster"].format(names=_names(significant["name"], lang))
    )
    pooled = results[-1] if results else None
    if pooled is not None:
        covariates = pooled.irr[pooled.irr["kind"] == "covariate"]
        binary = [t for t in covariates.index if is_binary(pooled.data[t])]
        factors = covariates.drop(index=binary)
        if len(factors):
            strongest = factors.loc[factors["p_value"].idxmin()]
            term = label(strongest.name, lang) if strongest.name in LABELS else strongest.name
            sentence = text["finding_factor"].format(
                term=term if lang == "id" else term[:1].lower() + term[1:],
                unit=unit,
                times=fmt(strongest["irr"], 2),
                low=fmt(strongest["ci_low"], 2),
                high=fmt(strongest["ci_high"], 2),
                p=format_p(strongest["p_value"], lang),
            )
            paradox = (strongest.name in _WORSE_OFF and strongest["irr"] < 1) or (
                strongest.name in _BETTER_OFF and strongest["irr"] > 1
            )
            findings.append(sentence + (text["factor_fewer"] if paradox else ""))
        for term in binary:
            row = covariates.loc[term]
            if row["p_value"] <= 0.05:
                findings.append(
                    text["finding_programme_model"].format(
                        programme=programme_label(term.removesuffix("_active"), lang),
                        unit=unit,
                        irr=fmt(row["irr"], 2),
                        direction=text["more" if row["irr"] > 1 else "fewer"],
                    )
                )
    if evaluations:
        signal = [e for e in evaluations if e.p_randomisation <= 0.05]
        key, items = (
            ("finding_evaluation", signal) if signal else ("finding_evaluation_none", evaluations)
        )
        listed = "; ".join(
            f"{programme_label(e.programme, lang)} ×{fmt(e.irr, 2)}, "
            f"{format_p(e.p_randomisation, lang)}"
            for e in items
        )
        findings.append(text[key].format(items=listed, names=listed))
    if overview is not None and len(overview):
        for programme in ("ltsa", "task_force"):
            row = overview[overview["programme"] == programme]
            if len(row) and row["top_third_without_it"].iloc[0]:
                prevention.append(
                    text["prevention_gaps"].format(
                        programme=row["label"].iloc[0],
                        names=_names(row["top_third_without_it"].iloc[0].split(", "), lang),
                    )
                )
    if not any(e.p_randomisation <= 0.05 for e in evaluations):
        prevention.append(text["prevention_evidence"])
    return {"findings": findings, "prevention": prevention}


def completeness_line(panel: pd.DataFrame | None, count: str, text: dict) -> str | None:
    """ "2018, 2019, 2021, 2024, 2025 complete; 2023 top-N; 2022 partial" for Methods."""
    column = f"{count}_completeness"
    if panel is None or column not in panel.columns:
        return None
    per_year = panel[panel[count].notna()].groupby("year")[column].first().dropna()
    if per_year.empty:
        return None
    items = []
    for kind, name in text["completeness"].items():
        years = [str(y) for y, k in per_year.items() if k == kind]
        if years:
            items.append(f"{', '.join(years)}: {name}")
    return text["methods_completeness"].format(items="; ".join(items))


def scan_section(scan: DistrictScan, text: dict, lang: str) -> dict[str, object]:
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


def enforcement_section(
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
                "data": image_data(path),
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
            f"{label(r.term, lang) if r.term in LABELS else r.term}: {reason_text(r.reason, lang)}"
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


def source_list(
    hotspots: HotspotResult, panel: pd.DataFrame | None, text: dict, lang: str
) -> list[dict[str, str]]:
    """Each source as a title (what, which period, who published it) and its address as
    plain text (not a link: the brief loads nothing). The period of each report is the
    one the panel recorded beside the count (``<count>_period_start/_end``); without the
    panel, a source is listed as its address."""
    from urllib.parse import urlparse

    columns = [f"{hotspots.count}_{c}" for c in ("source", "period_start", "period_end")]
    reports = (
        panel[columns].dropna(subset=columns[:1]).drop_duplicates().sort_values(columns[1])
        if panel is not None and set(columns) <= set(panel.columns)
        else None
    )
    entries = []
    listed: set[str] = set()
    if reports is not None and hotspots.source_kind == "published":
        for source, start, end in reports.itertuples(index=False):
            if source not in hotspots.sources:
                continue
            publisher = urlparse(source).netloc.removeprefix("www.").removeprefix("amp.")
            entries.append(
                {
                    "title": text["source_item"].format(
                        label=hotspots.label(lang),
                        period=_period(start, end, lang),
                        publisher=publisher,
                    ),
                    "address": source,
                }
            )
            listed.add(source)
    for source in sorted(set(hotspots.sources) - listed):
        entries.append({"title": source, "address": ""})
    entries.append({"title": text["source_boundaries"], "address": ""})
    return entries
