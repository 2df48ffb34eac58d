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

import base64
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from migration_ntt import __version__, config
from migration_ntt.models import is_binary
from migration_ntt.privacy import suppress_small_counts
from migration_ntt.viz.labels import (
    LABELS,
    check_language,
    format_number,
    format_p,
    label,
    regency_name_in_text,
)

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
        "sample": {
            "published": "Data: {reports} laporan BP3MI/BP2MI NTT tentang {count_lower}, "
            "{years}, untuk 22 kabupaten/kota (21 kabupaten dan Kota Kupang).",
            "records": "Data: {counted} catatan kasus ({source}), {years}, untuk 22 "
            "kabupaten/kota (21 kabupaten dan Kota Kupang).",
        },
        "sample_model": " Model faktor memakai {model_n} kabupaten-tahun ({model_years}) yang "
        "semua faktornya diketahui.",
        "key_findings": "Ringkasnya",
        "finding_where": "{count} per penduduk tertinggi di {names}. {k} dari 22 kabupaten/"
        "kota ini mencakup {share} dari {total} {unit} yang disebut per kabupaten/kota.",
        "finding_split": "Hampir semua nonprosedural: {items}.",
        "split_item": "{nonprocedural} dari {total} pada {year}",
        "finding_volume": "Angka per penduduk mencampur berapa banyak orang yang berangkat "
        "dengan seberapa berisiko cara berangkatnya. Penempatan prosedural terbanyak (per "
        "penduduk, 2013) dari {legal}; pemulangan PMI bermasalah (Jan–Jun 2024) terbanyak "
        "dari {returnees}. Angka kematian yang rendah bisa berarti warga berangkat lewat "
        "jalur prosedural, bukan bahwa lebih sedikit yang berangkat.",
        "finding_cluster_none": "Kabupaten/kota yang bertetangga tidak lebih mirip "
        "angkanya daripada kebetulan: tidak ada klaster yang signifikan (Moran I = {i}, "
        "{p}).",
        "finding_cluster": "Klaster yang signifikan: {names}.",
        "finding_factor": "Di antara faktor sosial-ekonomi, pola paling jelas: {term}. "
        "Bila lebih tinggi satu simpangan baku, {unit} per penduduk {times} kali ({low}–"
        "{high}; {p}).",
        "factor_fewer": " Lebih sedikit kematian per penduduk di tempat yang lebih miskin "
        "atau kurang bersekolah kemungkinan mencerminkan siapa yang berangkat dan lewat "
        "jalur mana, bukan perlindungan.",
        "finding_programme_model": "{programme} berjalan bersama {unit} yang {direction} "
        "(×{irr}) dalam model faktor: program tidak ditempatkan secara acak, jadi ini "
        "menunjukkan di mana program berada, bukan apa hasilnya. Evaluasi sebelum–"
        "sesudah di bawah adalah uji yang lebih baik.",
        "finding_evaluation_none": "Evaluasi sebelum–sesudah: belum ada program yang "
        "perubahannya dapat dibedakan dari kebetulan ({names}).",
        "finding_evaluation": "Evaluasi sebelum–sesudah: {items}.",
        "more": "lebih banyak",
        "fewer": "lebih sedikit",
        "prevention_heading": "Apa artinya bagi pencegahan",
        "prevention_focus": "{names} menanggung {share} dari {unit} yang disebut per "
        "kabupaten/kota: langkah yang ditempatkan di sana menjangkau bagian risiko yang "
        "terbesar.",
        "prevention_route": "{share} kematian adalah pekerja nonprosedural ({year}): "
        "perlindungan yang hanya menjangkau penempatan prosedural menyentuh paling banyak "
        "{rest} kematian. Yang menentukan adalah sebelum dan saat berangkat: desa, gereja, "
        "pelabuhan dan bandara.",
        "prevention_gaps": "Kabupaten/kota di sepertiga teratas angka yang dihaluskan tanpa "
        "{programme}: {names}.",
        "prevention_evidence": "Efek program belum dapat diukur dengan data ini. Daftar "
        "kematian per kabupaten/kota yang lengkap setiap tahun, dan tanggal mulai setiap "
        "program (templat di data/raw/programmes), akan membuat evaluasi berikutnya lebih "
        "tegas.",
        "rates_heading": "Kabupaten/kota dengan angka tertinggi",
        "rates_intro": {
            "published": "{count} per 100.000 penduduk-tahun, {years}. Laporan tiap tahun "
            "dibaca sebagai lengkap (kabupaten yang tidak disebut: nol), daftar N teratas "
            "(tidak disebut: di bawah angka terkecil yang disebut) atau sebagian (tidak "
            "disebut: tidak diketahui); lihat Metode.",
            "records": "{count} per 100.000 penduduk-tahun, {years}, dari catatan kasus "
            "({source}); kabupaten tanpa catatan dihitung nol.",
        },
        "censored_note": "* ditaksir dengan kemungkinan Poisson tersensor (tahun saat "
        "kabupaten berada di bawah daftar N teratas).",
        "suppression": 'Jumlah 1–4 ditampilkan sebagai "<5"; "x": disembunyikan agar total '
        "tidak membuka angka kecil.",
        "factors_heading": "Apa yang berjalan bersama {unit} yang lebih banyak",
        "factors_intro": "Berapa kali {unit} per penduduk bila faktor lebih tinggi satu "
        "simpangan baku (program: ada vs tidak). Di bawah 1: lebih sedikit; di atas 1: "
        "lebih banyak. Model gabungan dengan efek tahun, {model_n} kabupaten-tahun.",
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
        "methods_completeness": "Kelengkapan laporan (dibandingkan dengan total provinsi "
        "pada laporan yang sama): {items}. Angka gabungan: nol bila lengkap, Poisson "
        "tersensor bila daftar N teratas, tidak dipakai bila sebagian.",
        "completeness": {"complete": "lengkap", "top_n": "N teratas", "partial": "sebagian"},
        "caveats_heading": "Catatan kehati-hatian",
        "caveat_units": "22 kabupaten/kota dan jumlah yang kecil: pola di sini adalah "
        "asosiasi, bukan sebab, dan satu kabupaten dapat mengubahnya.",
        "caveat_model": "Model faktor: {model_n} kabupaten-tahun dari {units} kabupaten/kota"
        "{others}; taksiran tidak presisi.",
        "caveat_others": " (yang lain tidak punya semua faktor)",
        "caveat_volume": "Angka per penduduk bukan risiko per orang yang berangkat: jumlah "
        "yang berangkat per kabupaten/kota tidak diketahui.",
        "figure_rate": "{count} per 100.000 penduduk-tahun (gabungan)",
        "figure_eb": "Angka dihaluskan Empirical Bayes",
        "figure_lisa": "Klaster LISA",
        "figure_forest": "Faktor yang berkaitan",
        "sources_heading": "Sumber",
        "source_item": "{label}, periode {period}: {publisher}",
        "source_boundaries": "Batas wilayah: cahyadsn/wilayah_boundaries (lisensi MIT), kode "
        "Kepmendagri 300.2.2-2138/2025; kode BPS: Master File Desa",
        "columns_rates": ["Kabupaten/kota", "{Unit}", "Per 100.000", "IK 95%", "Klaster"],
        "columns_model": ["Faktor", "× {unit} per penduduk", "IK 95%", "p"],
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
        "evaluation_found": "{programme}: {adopters}; {unit} ×{irr} (interval 95 % {low}–"
        "{high}), {p}. {verdict}",
        "verdict_signal": "Perubahan sebesar ini jarang muncul secara kebetulan.",
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
        "sample": {
            "published": "Data: {reports} BP3MI/BP2MI NTT reports of {count_lower}, {years}, "
            "for all 22 regencies (21 kabupaten and Kota Kupang).",
            "records": "Data: {counted} case records ({source}), {years}, for all 22 "
            "regencies (21 kabupaten and Kota Kupang).",
        },
        "sample_model": " The factor model uses the {model_n} regency-years ({model_years}) in "
        "which every factor is known.",
        "key_findings": "In brief",
        "finding_where": "{count} per head are highest in {names}. These {k} of 22 "
        "regencies hold {share} of the {total} {unit} the reports place by regency.",
        "finding_split": "Nearly all are non-procedural: {items}.",
        "split_item": "{nonprocedural} of {total} in {year}",
        "finding_volume": "A rate per head mixes how many people leave with how risky their "
        "way of leaving is. Procedural placements per head (2013) are highest in {legal}; "
        "troubled returnees and deportees (Jan–Jun 2024) come mostly from {returnees}. A low "
        "death rate can mean that people leave procedurally, not that fewer leave.",
        "finding_cluster_none": "Neighbouring regencies are no more alike than chance "
        "would make them: no cluster is significant (Moran's I = {i}, {p}).",
        "finding_cluster": "Significant clusters: {names}.",
        "finding_factor": "Of the social and economic factors, the clearest pattern is "
        "{term}: where it is one standard deviation higher, {unit} per head are {times} "
        "times as many ({low}–{high}; {p}).",
        "factor_fewer": " Fewer deaths per head where people are poorer or less schooled "
        "more likely reflect who leaves and by which route than protection.",
        "finding_programme_model": "{programme} goes with {direction} {unit} (×{irr}) in the "
        "factor model: programmes are not placed at random, so this shows where they "
        "are, not what they do. The before-and-after evaluation below is the better "
        "test.",
        "finding_evaluation_none": "Before-and-after evaluation: no programme shows a "
        "change that can be told apart from chance yet ({names}).",
        "finding_evaluation": "Before-and-after evaluation: {items}.",
        "more": "more",
        "fewer": "fewer",
        "prevention_heading": "What this means for prevention",
        "prevention_focus": "{names} carry {share} of the {unit} placed by regency: measures "
        "placed there reach the largest part of the risk.",
        "prevention_route": "{share} of the deaths were of non-procedural workers ({year}): "
        "protection that reaches only procedural placements touches at most {rest} of "
        "them. What matters happens before and at departure: villages, churches, ports and "
        "airports.",
        "prevention_gaps": "Regencies in the top third of the smoothed rate without "
        "{programme}: {names}.",
        "prevention_evidence": "No programme's effect can be measured yet with these data. "
        "A complete by-regency list of deaths every year, and the start date of each "
        "programme (template in data/raw/programmes), would let the next evaluation say "
        "more.",
        "rates_heading": "Regencies with the highest rates",
        "rates_intro": {
            "published": "{count} per 100,000 person-years, {years}. Each year's report is "
            "read as complete (a regency not named had none), a top-N list (not named: "
            "below the smallest named count) or partial (not named: unknown); see Methods.",
            "records": "{count} per 100,000 person-years, {years}, from case records "
            "({source}); a regency without records counts as zero.",
        },
        "censored_note": "* estimated with a censored Poisson likelihood (a year in which "
        "the regency fell below a top-N list).",
        "suppression": 'Counts of 1–4 are shown as "<5"; "x": hidden so that totals cannot '
        "reveal a small count.",
        "factors_heading": "What goes with more {unit}",
        "factors_intro": "How many times as many {unit} per head where a factor is one "
        "standard deviation higher (programmes: present vs absent). Below 1: fewer; above "
        "1: more. Pooled model with year effects, {model_n} regency-years.",
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
        "methods_completeness": "Completeness of each year's report (against the province "
        "total the same report states): {items}. Pooled rate: zeros where complete, a "
        "censored Poisson likelihood where top-N, nothing where partial.",
        "completeness": {"complete": "complete", "top_n": "top-N", "partial": "partial"},
        "caveats_heading": "Caveats",
        "caveat_units": "22 regencies and small counts: the patterns here are associations, "
        "not causes, and a single regency can change them.",
        "caveat_model": "Factor model: {model_n} regency-years from {units} regencies{others}; "
        "its estimates are imprecise.",
        "caveat_others": " (the others lack a factor)",
        "caveat_volume": "A rate per head is not the risk per person who leaves: how many "
        "leave from each regency is not known.",
        "figure_rate": "{count} per 100,000 person-years (pooled)",
        "figure_eb": "Empirical Bayes smoothed rate",
        "figure_lisa": "LISA clusters",
        "figure_forest": "Associated factors",
        "sources_heading": "Sources",
        "source_item": "{label}, period {period}: {publisher}",
        "source_boundaries": "Boundaries: cahyadsn/wilayah_boundaries (MIT licence), "
        "Kepmendagri 300.2.2-2138/2025 codes; BPS codes: Master File Desa",
        "columns_rates": ["Regency", "{Unit}", "Per 100,000", "95% CI", "Cluster"],
        "columns_model": ["Factor", "× {unit} per head", "95% CI", "p"],
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
        "evaluation_found": "{programme}: {adopters}; {unit} ×{irr} (95% interval {low}–"
        "{high}), {p}. {verdict}",
        "verdict_signal": "A change this large rarely arises by chance.",
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


def _lower_first(text: str, lang: str) -> str:
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


def _facts(
    hotspots: HotspotResult,
    results: Sequence[CountModelResult],
    evaluations: Sequence[ProgrammeEvaluation],
    overview: pd.DataFrame | None,
    panel: pd.DataFrame | None,
    text: dict,
    lang: str,
) -> dict[str, object]:
    """Everything the first page says, from the results: findings, prevention, sample."""
    import pandas as pd

    from migration_ntt.analysis import pooled_summary
    from migration_ntt.ingest.programmes import programme_label

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


def _completeness_line(panel: pd.DataFrame | None, count: str, text: dict) -> str | None:
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


def _sources(
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
    """
    from jinja2 import Environment, PackageLoader, select_autoescape

    from migration_ntt.analysis import _year_span, pooled_summary

    check_language(lang)
    if hotspots is None:
        raise FileNotFoundError("figure missing: no hotspot result given; run the analysis first")
    accounting = hotspots.record_accounting
    unit = hotspots.labels[f"unit_{lang}"]
    pooled_model = results[-1] if results else None
    text = _fill(
        TEXT[lang],
        {
            "count": hotspots.label(lang),
            "count_lower": _lower_first(hotspots.label(lang), lang),
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
        figures.append({"data": _image(path), "caption": caption})

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
        sample += text["sample_model"].format(model_years=_year_span([str(y) for y in model_years]))
        units = pooled_model.data["bps_code"].nunique()
        caveats.append(
            text["caveat_model"].format(
                units=units, others=text["caveat_others"] if units < 22 else ""
            )
        )
    caveats.append(text["caveat_volume"])
    caveats.append(label("lisa_caveat", lang, n=len(hotspots.lisa)))
    methods = [text["methods_source"][hotspots.source_kind]]
    completeness = _completeness_line(panel, hotspots.count, text)
    if completeness and hotspots.source_kind == "published":
        methods.append(completeness)
    facts = _facts(hotspots, results, evaluations, overview, panel, text, lang)
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
        sources=_sources(hotspots, panel, text, lang),
        synthetic=hotspots.synthetic,
        version=__version__,
    )
    folder = out_dir or config.reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"brief_{hotspots.count}_{lang}.html"
    path.write_text(html, encoding="utf-8")
    return path


#: Browser executables tried by :func:`to_pdf`, in order.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def to_pdf(html: str | Path, pdf: str | Path | None = None, *, timeout: int = 180) -> Path:
    """Print a written brief to PDF with headless Chromium (A4, no header or footer).

    The page is loaded from the file with nothing from the network (the brief needs
    nothing), so the PDF is what an office printer would give from the HTML.

    Raises
    ------
    FileNotFoundError
        The HTML file is missing, or no Chromium is installed (the message says how to
        install it, and that the HTML prints from any browser).
    """
    import shutil
    import subprocess

    html = Path(html)
    if not html.is_file():
        raise FileNotFoundError(f"{html}: brief not found; run `migration-ntt report` first")
    browser = next((found for name in BROWSERS if (found := shutil.which(name))), None)
    if browser is None:
        raise FileNotFoundError(
            "no Chromium found for the PDF (Debian/Ubuntu: apt-get install chromium); "
            f"the HTML brief {html} prints to PDF from any browser as it is"
        )
    pdf = Path(pdf) if pdf is not None else html.with_suffix(".pdf")
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
        f"--print-to-pdf={pdf.resolve()}", html.resolve().as_uri(),
    ]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=timeout)
    if not pdf.is_file() or pdf.stat().st_size == 0:
        raise RuntimeError(f"{browser} did not write {pdf}")
    return pdf


def preview(path: str | Path, height: int = 700):
    """Show a written brief inside a notebook (an IFrame on the file, relative to the
    notebook's folder so that JupyterLab serves it)."""
    import os

    from IPython.display import IFrame

    relative = os.path.relpath(Path(path).resolve(), Path.cwd())
    return IFrame(src=relative, width="100%", height=height)


__all__ = ["TEXT", "build_brief", "preview", "to_pdf"]
