"""Every user-facing string, in Bahasa Indonesia (``"id"``) and English (``"en"``).

Numbers are formatted for the language: ``1.234,5`` in Indonesian, ``1,234.5`` in English.

Examples
--------
>>> from migration_ntt.viz import labels
>>> labels.label("deaths_rate_title", "id")
'Kematian PMI di luar negeri per 100.000 penduduk'
>>> labels.format_number(1234.5, "id", 1), labels.format_number(1234.5, "en", 1)
('1.234,5', '1,234.5')
"""

from __future__ import annotations

import math

LANGUAGES = ("id", "en")

LABELS: dict[str, dict[str, str]] = {
    "deaths_rate_title": {
        "id": "Kematian PMI di luar negeri per 100.000 penduduk",
        "en": "Migrant worker (PMI) deaths abroad per 100,000 population",
    },
    "deaths_eb_title": {
        "id": "Kematian PMI di luar negeri per 100.000 (dihaluskan, Empirical Bayes)",
        "en": "PMI deaths abroad per 100,000 (Empirical Bayes smoothed)",
    },
    "deaths_lisa_title": {
        "id": "Klaster kematian PMI (LISA, Moran lokal)",
        "en": "Clusters of PMI deaths abroad (LISA, local Moran)",
    },
    "deaths_gi_title": {
        "id": "Titik panas kematian PMI (Getis–Ord Gi*)",
        "en": "Hot spots of PMI deaths abroad (Getis–Ord Gi*)",
    },
    "small_multiples_title": {
        "id": "Kematian PMI di luar negeri per 100.000 menurut tahun laporan",
        "en": "PMI deaths abroad per 100,000 by report year",
    },
    "pooled": {"id": "gabungan semua laporan", "en": "all reports pooled"},
    "rate_per_100k": {"id": "per 100.000 penduduk-tahun", "en": "per 100,000 person-years"},
    "no_data": {"id": "Tidak ada data", "en": "No data"},
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
        "id": "Faktor yang berkaitan dengan kematian PMI (rasio tingkat kejadian, IRR)",
        "en": "Factors associated with PMI deaths abroad (incidence-rate ratios, IRR)",
    },
    "irr_axis": {"id": "IRR (95% CI), skala log", "en": "IRR (95% CI), log scale"},
    "observed_vs_expected_title": {
        "id": "Kematian teramati dan yang diharapkan model",
        "en": "Observed and model-expected deaths",
    },
    "observed": {"id": "Teramati", "en": "Observed"},
    "expected": {"id": "Diharapkan model", "en": "Expected by the model"},
    "residual_map_title": {
        "id": "Sisaan Pearson model kematian PMI",
        "en": "Pearson residuals of the PMI deaths model",
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
}


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


def check_language(lang: str) -> str:
    """Return ``lang`` if it is ``"id"`` or ``"en"``; raise ValueError otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(
            f"unknown language {lang!r}: use 'id' (Bahasa Indonesia) or 'en' (English)"
        )
    return lang


def format_number(value: float | None, lang: str = "id", decimals: int = 0) -> str:
    """Format a number for ``lang``: ``1.234,5`` (id) or ``1,234.5`` (en); missing → ``–``."""
    check_language(lang)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "id":
        text = text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return text
