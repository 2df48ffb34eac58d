"""Every user-facing string, in Bahasa Indonesia (``"id"``) and English (``"en"``).

Numbers are formatted for the language: ``1.234,5`` in Indonesian, ``1,234.5`` in English.

Examples
--------
>>> from migration_ntt import labels
>>> labels.label("rate_title", "id", count=labels.count_label("pmi_deaths_abroad", "id"))
'Kematian PMI di luar negeri per 100.000 penduduk-tahun'
>>> labels.count_labels("np_cases", select={"procedural": "non_prosedural"})["en"]
'Non-procedural PMI cases (case records)'
>>> labels.format_number(1234.5, "id", 1), labels.format_number(1234.5, "en", 1)
('1.234,5', '1,234.5')
"""

from __future__ import annotations

import math
from collections.abc import Sequence

LANGUAGES = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "rate_title": {
        "id": "{count} per 100.000 penduduk-tahun",
        "en": "{count} per 100,000 person-years",
    },
    "eb_title": {
        "id": "{count} per 100.000 penduduk-tahun, dihaluskan (Empirical Bayes)",
        "en": "{count} per 100,000 person-years, smoothed (Empirical Bayes)",
    },
    "lisa_title": {
        "id": "{count}: klaster (LISA, Moran lokal)",
        "en": "{count}: clusters (LISA, local Moran)",
    },
    "gi_title": {
        "id": "{count}: titik panas (Getis–Ord Gi*)",
        "en": "{count}: hot spots (Getis–Ord Gi*)",
    },
    "small_multiples_title": {
        "id": "{count} per 100.000 penduduk-tahun menurut tahun",
        "en": "{count} per 100,000 person-years by year",
    },
    "years_not_mapped": {
        "id": "{period}; tidak dipetakan: {years} (kurang dari {n} kabupaten/kota dilaporkan)",
        "en": "{period}; not mapped: {years} (fewer than {n} regencies reported)",
    },
    "pooled": {"id": "gabungan semua laporan", "en": "all reports pooled"},
    "rate_per_100k": {"id": "per 100.000 penduduk-tahun", "en": "per 100,000 person-years"},
    "model_pooled": {"id": "gabungan", "en": "pooled"},
    "scan_title": {
        "id": "{count}: klaster kecamatan (statistik scan Kulldorff)",
        "en": "{count}: kecamatan clusters (Kulldorff scan statistic)",
    },
    "scan_cluster": {
        "id": "Klaster {id}: {names}; RR {rr}, {p}",
        "en": "Cluster {id}: {names}; RR {rr}, {p}",
    },
    "scan_not_significant": {"id": "tidak signifikan", "en": "not significant"},
    "scan_none": {
        "id": "Tidak ada klaster yang signifikan (p ≤ 0,05): sebaran kasus tidak berbeda "
        "dari kebetulan.",
        "en": "No significant cluster (p ≤ 0.05): the cases are spread no differently from chance.",
    },
    "scan_note": {
        "id": "Jendela lingkaran sampai {size} dari {of}; {permutations} replikasi Monte Carlo",
        "en": "Circular windows up to {size} of the {of}; {permutations} Monte Carlo replications",
    },
    "scan_models": {
        "id": "Bernoulli: bagian kasus terpilih di antara semua catatan; Poisson: kasus per "
        "penduduk; ruang-waktu: kasus di luar pola tempat dan waktu",
        "en": "Bernoulli: share of the selected cases among all records; Poisson: cases per "
        "population; space-time: cases beyond the place and time pattern",
    },
    "district_count_title": {
        "id": "{count} per kecamatan",
        "en": "{count} by kecamatan",
    },
    "district_share_title": {
        "id": "{count}: bagian di antara semua catatan, per kecamatan (%)",
        "en": "{count}: share of all records, by kecamatan (%)",
    },
    "other_units": {"id": "Kecamatan lain", "en": "Other kecamatan"},
    "and_more": {"id": "+{n} lainnya", "en": "+{n} more"},
    "regency_outline": {"id": "Batas kabupaten/kota", "en": "Regency boundary"},
    "no_data": {"id": "Tidak ada data", "en": "No data"},
    "online_tiles": {
        "id": "Peta dasar OpenStreetMap (perlu internet)",
        "en": "OpenStreetMap background (needs internet)",
    },
    "few_records": {"id": "Kurang dari {n} catatan", "en": "Fewer than {n} records"},
    "source": {"id": "Sumber", "en": "Source"},
    "period": {"id": "Periode", "en": "Period"},
    "schematic": {
        "id": "Peta skematis (bukan batas wilayah sebenarnya)",
        "en": "Schematic map (not real boundaries)",
    },
    "synthetic_mark": {"id": "DATA SINTETIS", "en": "SYNTHETIC DATA"},
    "High-High": {"id": "Tinggi–Tinggi (klaster panas)", "en": "High–High (hot cluster)"},
    "Low-Low": {"id": "Rendah–Rendah (klaster dingin)", "en": "Low–Low (cold cluster)"},
    "High-Low": {"id": "Tinggi–Rendah (pencilan)", "en": "High–Low (outlier)"},
    "Low-High": {"id": "Rendah–Tinggi (pencilan)", "en": "Low–High (outlier)"},
    "not significant": {"id": "Tidak signifikan", "en": "Not significant"},
    "no neighbours": {"id": "Tanpa tetangga (pulau)", "en": "No neighbours (island)"},
    "hot spot": {"id": "Titik panas", "en": "Hot spot"},
    "cold spot": {"id": "Titik dingin", "en": "Cold spot"},
    "significance_note": {
        "id": "Signifikan: nilai q Benjamini–Hochberg ≤ 0,05; {permutations} permutasi bersyarat",
        "en": "Significant: Benjamini–Hochberg q ≤ 0.05; {permutations} conditional permutations",
    },
    "weights_note": {
        "id": "Bobot: {method}, pulau: {policy}",
        "en": "Weights: {method}, islands: {policy}",
    },
    "caveat": {
        "id": "Hanya 22 wilayah dan jumlah kecil: asosiasi, bukan sebab; "
        "tafsirkan dengan hati-hati.",
        "en": "Only 22 units and small counts: association, not cause; interpret with care.",
    },
    "lisa_caveat": {
        "id": "n = {n} wilayah: uji permutasi lemah dengan sedikit wilayah, dan angka yang "
        "bertetangga berbagi galat acak. Anggap klaster sebagai petunjuk untuk diperiksa, "
        "bukan temuan.",
        "en": "n = {n} units: permutation tests have little power with so few units, and "
        "neighbouring rates share sampling noise. Treat clusters as leads to check, not as "
        "findings.",
    },
    "coefficient_title": {
        "id": "{count}: faktor yang berkaitan (rasio tingkat kejadian, IRR)",
        "en": "{count}: associated factors (incidence-rate ratios, IRR)",
    },
    "irr_axis": {"id": "IRR (IK 95%), skala log", "en": "IRR (95% CI), log scale"},
    "regency_names": {"id": "Nama kabupaten/kota", "en": "Regency names"},
    "nothing_significant": {
        "id": "Tidak ada klaster yang signifikan: abu-abu berarti\nangka di sini tidak berkelompok "
        "lebih dari kebetulan,\nbukan bahwa datanya tidak ada.",
        "en": "No significant cluster: grey means the rates here\ndo not cluster more than "
        "chance would,\nnot that data are missing.",
    },
    "effect_axis": {
        "id": "← {unit} per penduduk lebih sedikit · lebih banyak →",
        "en": "← fewer {unit} per head · more {unit} per head →",
    },
    "effect_axis_note_sd": {
        "id": "×: berapa kali lipat bila faktor lebih tinggi satu simpangan baku "
        "(program: ada vs tidak); garis: rentang 95 %",
        "en": "×: times as many where the factor is one standard deviation higher "
        "(programmes: present vs absent); lines: 95% range",
    },
    "effect_axis_note": {
        "id": "×: berapa kali lipat per satuan faktor (program: ada vs tidak); garis: rentang 95 %",
        "en": "×: times as many per unit of the factor (programmes: present vs absent); "
        "lines: 95% range",
    },
    "coefficient_title_staff": {
        "id": "{count}: apa yang berjalan bersama {unit} yang lebih banyak",
        "en": "{count}: what goes with more {unit}",
    },
    "observed_vs_expected_title": {
        "id": "{count}: teramati dan diharapkan model",
        "en": "{count}: observed and expected by the model",
    },
    "observed": {"id": "Teramati", "en": "Observed"},
    "expected": {"id": "Diharapkan model", "en": "Expected by the model"},
    "residual_map_title": {
        "id": "{count}: sisaan Pearson model",
        "en": "{count}: Pearson residuals of the model",
    },
    "residual": {"id": "Sisaan Pearson", "en": "Pearson residual"},
    "suppressed_note": {
        "id": "<5: jumlah kecil disembunyikan; x: disembunyikan agar total tidak membukanya",
        "en": "<5: small count hidden; x: hidden so that totals cannot reveal it",
    },
    "poverty_rate_pct": {"id": "Persentase penduduk miskin", "en": "Poverty rate (%)"},
    "mean_years_schooling_rls": {
        "id": "Rata-rata lama sekolah (tahun)",
        "en": "Mean years of schooling",
    },
    "open_unemployment_rate_pct": {
        "id": "Tingkat pengangguran terbuka (%)",
        "en": "Open unemployment rate (%)",
    },
    "grdp_per_capita_million_rp": {
        "id": "PDRB per kapita (juta Rp)",
        "en": "GRDP per capita (million Rp)",
    },
    "hdi_ipm": {"id": "Indeks Pembangunan Manusia", "en": "Human Development Index"},
    "tppo_suspects": {
        "id": "Tersangka TPPO (penegakan hukum)",
        "en": "Trafficking suspects (enforcement)",
    },
    "log_population_density": {"id": "Kepadatan penduduk (log)", "en": "Population density (log)"},
    "stunting_prevalence_ssgi_pct": {
        "id": "Prevalensi stunting balita (%, SSGI 2021)",
        "en": "Child stunting (%, SSGI 2021)",
    },
    "ikp_score": {"id": "Indeks Ketahanan Pangan", "en": "Food security index (IKP)"},
    "fsva_priority_class": {"id": "Kelas prioritas FSVA", "en": "FSVA priority class"},
    "prevalence_undernourishment_pou_pct": {
        "id": "Prevalensi kekurangan konsumsi pangan (%)",
        "en": "Undernourishment (%)",
    },
    "hh_without_electricity_pct": {
        "id": "Rumah tangga tanpa listrik (%)",
        "en": "Households without electricity (%)",
    },
    "legal_placements_per_100k_2013": {
        "id": "Penempatan PMI prosedural per 100.000 (2013)",
        "en": "Legal placements per 100,000 (2013)",
    },
    "tppo_suspects_per_100k": {
        "id": "Tersangka TPPO per 100.000",
        "en": "Trafficking suspects per 100,000",
    },
    "tppo_victims_per_100k": {
        "id": "Korban TPPO per 100.000",
        "en": "Trafficking victims per 100,000",
    },
    "tppo_police_reports_per_100k": {
        "id": "Laporan polisi TPPO per 100.000",
        "en": "Trafficking police reports per 100,000",
    },
    "cpmi_nonprocedural_prevented_per_100k": {
        "id": "CPMI nonprosedural dicegah per 100.000",
        "en": "Non-procedural departures prevented per 100,000",
    },
    "ltsa_active": {"id": "Ada LTSA", "en": "One-stop service centre (LTSA)"},
    "task_force_active": {"id": "Ada satgas/gugus tugas TPPO", "en": "Trafficking task force"},
    "desmigratif_per_100_villages": {
        "id": "Desa Desmigratif per 100 desa",
        "en": "Desmigratif villages per 100 villages",
    },
    "p4mi_active": {"id": "Ada pos P4MI", "en": "P4MI service post"},
    "church_active": {"id": "Kerja sama gereja", "en": "Church collaboration"},
    "regency_mou_active": {"id": "MoU pemkab–BP2MI", "en": "Regency MoU with BP2MI"},
    "immigration_village_active": {
        "id": "Desa binaan imigrasi",
        "en": "Immigration-guided villages",
    },
    "socialization_active": {
        "id": "Sosialisasi migrasi aman",
        "en": "Safe-migration socialisation",
    },
    "local_regulation_active": {"id": "Perda/Perbup pelindungan PMI", "en": "Local PMI regulation"},
    "group_economy": {"id": "Ekonomi", "en": "Economy"},
    "group_education": {"id": "Pendidikan", "en": "Education"},
    "group_health": {"id": "Kesehatan", "en": "Health"},
    "group_natural_resources": {
        "id": "Pangan dan sumber daya alam",
        "en": "Food and natural resources",
    },
    "group_enforcement": {"id": "Penegakan hukum", "en": "Enforcement"},
    "group_protection": {"id": "Pelindungan", "en": "Protection"},
    "group_collaboration": {"id": "Kolaborasi", "en": "Collaboration"},
    "group_other": {"id": "Lainnya", "en": "Other"},
    "not_estimable": {"id": "Tidak dapat ditaksir", "en": "Not estimable"},
    "rate_caveat": {
        "id": "Angka dari sedikit kasus tidak stabil; bandingkan dengan peta yang dihaluskan",
        "en": "Rates from few cases are unstable; compare the smoothed map",
    },
    "event_time_axis": {
        "id": "Tahun sejak program dimulai (n = kabupaten/kota)",
        "en": "Years since the programme started (n = regencies)",
    },
    "event_study_title": {
        "id": "{programme}: {count} sebelum dan sesudah program (IRR)",
        "en": "{programme}: {count} before and after the programme (IRR)",
    },
    "event_study_caveat": {
        "id": "Acuan: tahun sebelum program (IRR 1); interval 95% dari {permutations} "
        "pengacakan adopsi; asosiasi, bukan bukti sebab",
        "en": "Reference: the year before the programme (IRR 1); 95% intervals from "
        "{permutations} reassignments of adoption; association, not proof of cause",
    },
    "programme_map_title": {
        "id": "{count} (dihaluskan EB) dan {programme}",
        "en": "{count} (EB smoothed) and {programme}",
    },
    "programme_present": {"id": "Ada {programme} ({year})", "en": "{programme} present ({year})"},
}


# What a count is called: "title" form (starts a title) and the plural noun of its unit.
COUNT_LABELS: dict[str, dict[str, str]] = {
    "pmi_deaths_abroad": {
        "id": "Kematian PMI di luar negeri",
        "en": "PMI deaths abroad",
        "unit_id": "kematian",
        "unit_en": "deaths",
    },
    "pmi_troubled_returnees": {
        "id": "PMI bermasalah yang dipulangkan",
        "en": "Troubled PMI returned home",
        "unit_id": "orang",
        "unit_en": "returnees",
    },
    "pmi_placements_legal": {
        "id": "Penempatan PMI prosedural",
        "en": "Procedural PMI placements",
        "unit_id": "penempatan",
        "unit_en": "placements",
    },
    "pmi_deportees": {
        "id": "PMI yang dideportasi",
        "en": "Deported PMI",
        "unit_id": "orang",
        "unit_en": "deportees",
    },
    "tppo_suspects": {
        "id": "Tersangka TPPO",
        "en": "Trafficking suspects",
        "unit_id": "tersangka",
        "unit_en": "suspects",
    },
    "tppo_victims": {
        "id": "Korban TPPO",
        "en": "Trafficking victims",
        "unit_id": "korban",
        "unit_en": "victims",
    },
    "tppo_police_reports": {
        "id": "Laporan polisi TPPO",
        "en": "Trafficking police reports",
        "unit_id": "laporan",
        "unit_en": "reports",
    },
    "cpmi_nonprocedural_prevented": {
        "id": "CPMI nonprosedural yang dicegah",
        "en": "Non-procedural departures prevented",
        "unit_id": "orang",
        "unit_en": "people",
    },
}
GENERIC_COUNT = {"id": "Kasus", "en": "Cases", "unit_id": "kasus", "unit_en": "cases"}
# Words for the case-record vocabulary, used to describe a selection.
EVENT_WORDS: dict[str, dict[str, str]] = {
    "placement": {"id": "penempatan", "en": "placements"},
    "prevented_departure": {"id": "keberangkatan yang dicegah", "en": "prevented departures"},
    "deportation": {"id": "deportasi", "en": "deportations"},
    "repatriation_troubled": {"id": "pemulangan PMI bermasalah", "en": "troubled returns"},
    "death_abroad": {"id": "kematian di luar negeri", "en": "deaths abroad"},
    "trafficking_victim": {"id": "korban TPPO", "en": "trafficking victims"},
    "unknown": {"id": "jenis tidak diketahui", "en": "unknown type"},
}
PROCEDURAL_WORDS: dict[str, dict[str, str]] = {
    "non_prosedural": {"id": "non-prosedural", "en": "Non-procedural"},
    "prosedural": {"id": "prosedural", "en": "Procedural"},
    "unknown": {"id": "status tidak diketahui", "en": "Unknown-status"},
}


def count_labels(
    count: str,
    given: dict[str, str] | None = None,
    *,
    select: dict[str, object] | None = None,
) -> dict[str, str]:
    """Everything a title, legend or table needs to name ``count``, in both languages.

    Returns ``{"id", "en", "unit_id", "unit_en"}``: the title form and the plural noun of
    its unit. In order: ``given`` (the user's ``{"id": …, "en": …}``, units optional), the
    package's own labels (:data:`COUNT_LABELS`), a description of ``select`` for counts of
    case records ("Non-procedural PMI cases (case records)", "Trafficking victims (case
    records)"), else the generic "Kasus" / "Cases". A count is never called "deaths" unless
    it is one.

    Examples
    --------
    >>> count_labels("tk", select={"event_type": "trafficking_victim"})["id"]
    'Korban TPPO (catatan kasus)'
    >>> count_labels("my_count")["en"], count_labels("x", {"id": "A", "en": "B"})["unit_en"]
    ('Cases', 'cases')
    """
    if given:
        missing = [lang for lang in LANGUAGES if not given.get(lang)]
        if missing:
            raise ValueError(f"label needs text for {', '.join(missing)}: {{'id': …, 'en': …}}")
        return {**GENERIC_COUNT, **given}
    if count in COUNT_LABELS:
        return dict(COUNT_LABELS[count])
    if select:
        return _describe_selection(select)
    return dict(GENERIC_COUNT)


def _as_list(value: object) -> list:
    return list(value) if isinstance(value, list | tuple | set) else [value]


def _describe_selection(select: dict[str, object]) -> dict[str, str]:
    events = [v for v in _as_list(select.get("event_type", [])) if v in EVENT_WORDS]
    statuses = [v for v in _as_list(select.get("procedural", [])) if v in PROCEDURAL_WORDS]
    out = {}
    for lang in LANGUAGES:
        status = PROCEDURAL_WORDS[statuses[0]][lang] if len(statuses) == 1 else ""
        if events:
            noun = ", ".join(EVENT_WORDS[e][lang] for e in events)
            if lang == "id":
                text = f"{noun} {status}".strip() if status else noun
            else:
                text = f"{status.lower()} {noun}".strip() if status else noun
        elif lang == "id":
            text = f"kasus PMI {status}".strip()
        else:
            text = f"{status} PMI cases".strip() if status else "PMI cases"
        suffix = " (catatan kasus)" if lang == "id" else " (case records)"
        out[lang] = text[0].upper() + text[1:] + suffix
    out["unit_id"], out["unit_en"] = GENERIC_COUNT["unit_id"], GENERIC_COUNT["unit_en"]
    if len(events) == 1:
        out["unit_id"], out["unit_en"] = EVENT_WORDS[events[0]]["id"], EVENT_WORDS[events[0]]["en"]
    return out


def count_label(count: str, lang: str, labels: dict[str, str] | None = None) -> str:
    """The title form of a count in ``lang`` (see :func:`count_labels`)."""
    check_language(lang)
    return (labels or count_labels(count))[lang]


def count_unit(count: str, lang: str, labels: dict[str, str] | None = None) -> str:
    """The plural noun of a count's unit in ``lang`` ("kematian", "cases")."""
    check_language(lang)
    return (labels or count_labels(count))[f"unit_{lang}"]


def label(key: str, lang: str = "id", **values: object) -> str:
    """The string ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``.

    Raises
    ------
    ValueError
        Unknown language.
    KeyError
        Unknown key (every user-facing string must be listed here).
    """
    check_language(lang)
    text = LABELS[key][lang]
    return text.format(**values) if values else text


_MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
_MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_NAMES = {"id": _MONTHS_ID, "en": _MONTHS_EN}
"""Month names, January first, in Bahasa Indonesia and English."""


def check_language(lang: str) -> str:
    """Return ``lang`` if it is ``"id"`` or ``"en"``; raise ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(
            f"unknown language {lang!r}: use 'id' (Bahasa Indonesia) or 'en' (English)"
        )
    return lang


def regency_name_in_text(name: str) -> str:
    """A regency name without "Kabupaten ", except Kabupaten Kupang (it would read as Kota
    Kupang).

    Examples
    --------
    >>> regency_name_in_text("Kabupaten Malaka"), regency_name_in_text("Kabupaten Kupang")
    ('Malaka', 'Kabupaten Kupang')
    """
    name = str(name)
    return name if name == "Kabupaten Kupang" else name.removeprefix("Kabupaten ")


def format_p(value: float, lang: str = "id", decimals: int = 3) -> str:
    """A p-value as ``p = 0,012`` / ``p = 0.012``, or ``p < 0,001`` when it rounds to zero.

    Examples
    --------
    >>> format_p(0.0001, "en"), format_p(0.0123, "id")
    ('p < 0.001', 'p = 0,012')
    """
    smallest = 10.0**-decimals
    if value < smallest:
        return f"p < {format_number(smallest, lang, decimals)}"
    return f"p = {format_number(value, lang, decimals)}"


def format_number(value: float | None, lang: str = "id", decimals: int = 0) -> str:
    """Format a number for ``lang``: ``1.234,5`` (id) or ``1,234.5`` (en); missing → ``–``."""
    check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text


#: The source line of figures and tables made from the published tallies, and (filled
#: with the files) from the user's case records.
PUBLISHED_CREDIT = {
    "id": "BP3MI/BP2MI NTT (laporan di media), penduduk BPS",
    "en": "BP3MI/BP2MI NTT (press reports), BPS population",
}
RECORDS_CREDIT = {
    "id": "catatan kasus: {files}{synthetic}; penduduk BPS",
    "en": "case records: {files}{synthetic}; BPS population",
}


def year_ranges(years: Sequence[int] | object) -> str:
    """Years as compact ranges, e.g. for a pooled model's name.

    Examples
    --------
    >>> year_ranges([2019, 2020, 2021, 2023])
    '2019–2021, 2023'
    """
    numbers = sorted({int(y) for y in years})
    runs: list[list[int]] = []
    for year in numbers:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
