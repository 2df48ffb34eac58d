"""Tables formatted for reading: what a notebook shows and a terminal prints.

The analysis keeps full-precision tables with codes (``bps_code``), raw labels and every
p-value variant, for files and further work. People read these instead: regency names,
rates per 100,000 with one decimal, confidence intervals as "a–b", cluster labels in the
reader's language, one p-value column (two-sided) and its FDR q-value, numbers formatted
for the language (``1.234,5`` or ``1,234.5``). Every function takes tables and returns a
DataFrame of text with readable column names.

Examples
--------
>>> import pandas as pd
>>> from migration_ntt.viz import tables
>>> pooled = pd.DataFrame({"name": ["Kabupaten Malaka"], "count": [114.0], "rate": [11.549],
...     "ci_low": [9.53], "ci_high": [13.88], "eb_spatial": [11.1], "label": ["High-High"],
...     "unreliable": [False]})
>>> view = tables.rates_view(pooled, "en", unit="deaths")
>>> view.index[0], view.iloc[0].tolist()
('Malaka', ['114', '11.5', '9.5–13.9', '11.1', 'High–High (hot cluster)'])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.programmes import programme_label
from migration_ntt.labels import LABELS, check_language, format_number, label

HEADINGS = {
    # Column headings of the reading views, here and in :mod:`.result_tables`.
    "regency": {"id": "Kabupaten/kota", "en": "Regency"},
    "rate": {"id": "Per 100.000 penduduk-tahun", "en": "Per 100,000 person-years"},
    "ci": {"id": "IK 95%", "en": "95% CI"},  # as the brief and the interactive map say it
    "eb": {"id": "Dihaluskan (EB)", "en": "Smoothed (EB)"},
    "cluster": {"id": "Klaster (LISA)", "en": "Cluster (LISA)"},
    "hotspot": {"id": "Gi*", "en": "Gi*"},
    "p": {"id": "p (dua sisi)", "en": "p (two-sided)"},
    "q": {"id": "q (FDR)", "en": "q (FDR)"},
    "value": {"id": "Angka", "en": "Rate"},
    "statistic": {"id": "Statistik", "en": "Statistic"},
    "units": {"id": "Wilayah", "en": "Units"},
    "scheme": {"id": "Skema bobot", "en": "Weight scheme"},
    "components": {"id": "Komponen", "en": "Components"},
    "isolates": {"id": "Tanpa tetangga", "en": "Isolates"},
    "model": {"id": "Model", "en": "Model"},
    "factor": {"id": "Faktor", "en": "Factor"},
    "irr": {"id": "IRR", "en": "IRR"},
    "family": {"id": "Keluarga", "en": "Family"},
    "n": {"id": "n", "en": "n"},
    "count": {"id": "Jumlah", "en": "Count"},
    "year": {"id": "Tahun", "en": "Year"},
    "period": {"id": "Periode", "en": "Period"},
    "coverage": {"id": "Bagian tahun", "en": "Part of year"},
    "source": {"id": "Sumber", "en": "Source"},
    "scan_cluster": {"id": "Klaster", "en": "Cluster"},
    "group": {"id": "Kelompok", "en": "Group"},
    "note": {"id": "Catatan", "en": "Note"},
    "programme": {"id": "Program", "en": "Programme"},
    "start": {"id": "Mulai", "en": "Start"},
    "start_basis": {"id": "Dasar tanggal mulai", "en": "Start known as"},
    "intensity": {"id": "Intensitas", "en": "Intensity"},
    "status": {"id": "Status", "en": "Status"},
    "origin": {"id": "Asal data", "en": "From"},
    "event_time": {"id": "Tahun sejak mulai", "en": "Years since start"},
    "kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "regencies": {"id": "Kabupaten/kota", "en": "Regencies"},
    "years": {"id": "Tahun", "en": "Years"},
    "observed": {"id": "Teramati", "en": "Observed"},
    "expected": {"id": "Diharapkan", "en": "Expected"},
    "rr": {"id": "Risiko relatif", "en": "Relative risk"},
    "significant": {"id": "Signifikan (p ≤ 0,05)", "en": "Significant (p ≤ 0.05)"},
}


def heading(key: str, lang: str) -> str:
    """A column heading of :data:`HEADINGS` in ``lang``."""
    return HEADINGS[key][lang]


def short_name(name: object) -> str:
    """``"Kabupaten Malaka"`` → ``"Malaka"``; ``"Kota Kupang"`` stays."""
    text = str(name)
    return text.removeprefix("Kabupaten ")


def number_text(value: object, lang: str, decimals: int) -> str:
    """A number in the reader's locale with ``decimals`` decimals; "–" for a missing one."""
    return format_number(float(value) if pd.notna(value) else None, lang, decimals)


def interval_text(low: object, high: object, lang: str, decimals: int = 1) -> str:
    """An interval as "a–b" in the reader's locale; "–" when either end is missing."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{number_text(low, lang, decimals)}–{number_text(high, lang, decimals)}"


def label_text(value: object, lang: str) -> str:
    """The label of ``value`` in ``lang`` when the label table has it (a covariate, a
    cluster class …); else the value as text; "–" for a missing one."""
    if isinstance(value, str) and value in LABELS:
        return label(value, lang)
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def _p(value: object, lang: str) -> str:
    if pd.isna(value):
        return "–"
    return (
        "<" + number_text(0.001, lang, 3) if float(value) < 0.001 else number_text(value, lang, 3)
    )


def rates_view(pooled: pd.DataFrame, lang: str = "en", *, unit: str) -> pd.DataFrame:
    """Rates by regency (``analysis.pooled_summary`` output), highest first, for reading.

    ``unit`` names the count column ("deaths", "kasus"). Rates flagged unreliable (fewer
    than 5 cases or a CI wider than the rate) are marked with "*".
    """
    check_language(lang)
    rate = [
        number_text(r, lang, 1) + ("*" if bool(u) else "")
        for r, u in zip(pooled["rate"], pooled.get("unreliable", False), strict=False)
    ]
    return pd.DataFrame(
        {
            heading("regency", lang): pooled["name"].map(short_name).to_numpy(),
            unit[:1].upper() + unit[1:]: [number_text(v, lang, 0) for v in pooled["count"]],
            heading("rate", lang): rate,
            heading("ci", lang): [
                interval_text(lo, hi, lang)
                for lo, hi in zip(pooled["ci_low"], pooled["ci_high"], strict=True)
            ],
            heading("eb", lang): [number_text(v, lang, 1) for v in pooled["eb_spatial"]],
            heading("cluster", lang): [label_text(v, lang) for v in pooled["label"]],
        }
    ).set_index(heading("regency", lang))


def clusters_view(
    lisa: pd.DataFrame, gi: pd.DataFrame, lang: str = "en", *, scale: float = 1e5
) -> pd.DataFrame:
    """LISA and Gi* side by side: regency, rate, cluster label, one p (two-sided), q.

    The rate LISA of :func:`analysis.run_hotspots` holds cases per person-year in
    ``value``; ``scale=1e5`` shows them per 100,000 (use ``scale=1`` for other values).
    """
    check_language(lang)
    merged = lisa.merge(gi[["bps_code", "label"]], on="bps_code", suffixes=("", "_gi"))
    merged = merged.sort_values("value", ascending=False)
    return pd.DataFrame(
        {
            heading("regency", lang): merged["name"].map(short_name).to_numpy(),
            heading("value", lang): [number_text(v * scale, lang, 1) for v in merged["value"]],
            heading("cluster", lang): [label_text(v, lang) for v in merged["label"]],
            heading("p", lang): [_p(v, lang) for v in merged["p_sim"]],
            heading("q", lang): [_p(v, lang) for v in merged["q_fdr"]],
            heading("hotspot", lang): [label_text(v, lang) for v in merged["label_gi"]],
        }
    ).set_index(heading("regency", lang))


def scan_view(
    clusters: pd.DataFrame, lang: str = "en", *, alpha: float = 0.05, names: int = 5
) -> pd.DataFrame:
    """The clusters of a kecamatan scan (``analysis.district_scan(...).clusters``): their
    kecamatan (every one for a significant cluster, the reader's finding; else the first
    ``names``, nearest the centre first), regencies, years (space-time), observed and
    expected counts, relative risk, p and whether p ≤ ``alpha``."""
    check_language(lang)
    yes_no = {"id": ("ya", "tidak"), "en": ("yes", "no")}[lang]

    def listed(text: object, p_value: float) -> str:
        parts = str(text).split(", ")
        more = len(parts) - names if p_value > alpha else 0
        return ", ".join(parts[:names]) + (
            " " + label("and_more", lang, n=more) if more > 0 else ""
        )

    view = {
        heading("scan_cluster", lang): clusters["cluster_id"].to_numpy(),
        heading("kecamatan", lang): [
            listed(t, p) for t, p in zip(clusters["kecamatan"], clusters["p_value"], strict=True)
        ],
        heading("regencies", lang): [
            ", ".join(short_name(n) for n in str(t).split(", ")) for t in clusters["regencies"]
        ],
    }
    if "time_start" in clusters.columns:
        view[heading("years", lang)] = [
            str(a) if a == b else f"{a}–{b}"
            for a, b in zip(clusters["time_start"], clusters["time_end"], strict=True)
        ]
    view |= {
        heading("observed", lang): [number_text(v, lang, 0) for v in clusters["observed"]],
        heading("expected", lang): [number_text(v, lang, 1) for v in clusters["expected"]],
        heading("rr", lang): [number_text(v, lang, 2) for v in clusters["relative_risk"]],
        "p": [_p(v, lang) for v in clusters["p_value"]],
        heading("significant", lang): [
            yes_no[0] if p <= alpha else yes_no[1] for p in clusters["p_value"]
        ],
    }
    return pd.DataFrame(view).set_index(heading("scan_cluster", lang))


def global_view(global_stats: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Global Moran's I rows: statistic, I, expected I, two-sided p, units."""
    check_language(lang)
    return pd.DataFrame(
        {
            heading("statistic", lang): global_stats["statistic"].to_numpy(),
            "I": [number_text(v, lang, 3) for v in global_stats["moran_i"]],
            "E[I]": [number_text(v, lang, 3) for v in global_stats["expected_i"]],
            heading("p", lang): [_p(v, lang) for v in global_stats["p_sim"]],
            heading("units", lang): global_stats["n"].astype(int).to_numpy(),
        }
    )


_SCHEME_WORDS = {
    "id": {
        "queen": "persinggungan (queen)",
        "rook": "persinggungan (rook)",
        "knn": "{k} tetangga terdekat",
        "distance": "pita jarak",
        "island_none": "pulau tanpa tetangga dibiarkan",
        "island_knn": "pulau: {k} tetangga terdekat",
        "island_links": "pulau: jalur laut",
    },
    "en": {
        "queen": "shared borders (queen)",
        "rook": "shared borders (rook)",
        "knn": "{k} nearest neighbours",
        "distance": "distance band",
        "island_none": "islands left without neighbours",
        "island_knn": "islands: {k} nearest neighbour(s)",
        "island_links": "islands: sea links",
    },
}


def scheme_text(scheme: str, lang: str = "en") -> str:
    """A weight scheme as words: ``"method=queen, island_policy=links"`` →
    ``"shared borders (queen); islands: sea links"``.

    Examples
    --------
    >>> scheme_text("method=queen, island_policy=knn, k=1", "en")
    'shared borders (queen); islands: 1 nearest neighbour(s)'
    """
    parts = dict(item.strip().split("=", 1) for item in str(scheme).split(",") if "=" in item)
    words = _SCHEME_WORDS[lang]
    k = parts.get("k", "")
    method = words.get(parts.get("method", ""), parts.get("method", "")).format(k=k)
    policy = parts.get("island_policy")
    if policy is None or (parts.get("method") == "knn" and policy == "none"):
        return method
    island = words.get(f"island_{policy}", policy).format(k=k)
    return f"{method}; {island}"


def sensitivity_view(sensitivity: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The global statistic under each weight scheme (does the answer depend on it?)."""
    check_language(lang)
    return pd.DataFrame(
        {
            heading("scheme", lang): [scheme_text(s, lang) for s in sensitivity["scheme"]],
            heading("components", lang): sensitivity["components"].to_numpy(),
            heading("isolates", lang): sensitivity["isolates"].to_numpy(),
            "I": [number_text(v, lang, 3) for v in sensitivity["moran_i"]],
            heading("p", lang): [_p(v, lang) for v in sensitivity["p_sim"]],
        }
    ).set_index(heading("scheme", lang))


def models_view(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """IRR table (``models.model_table`` output): model, group, factor, IRR (per SD, or
    with vs without for a programme), 95% CI, p, n and, for terms not estimable, why."""
    check_language(lang)
    per = {"SD": "SD", "unit": "", "yes vs no": "ya vs tidak" if lang == "id" else "yes vs no"}
    view = {
        heading("model", lang): table["model"].to_numpy(),
        heading("group", lang): table.get("group", pd.Series("", index=table.index)).to_numpy(),
        heading("factor", lang): table["term"].to_numpy(),
        heading("irr", lang): [
            number_text(v, lang, 2) + (f" ({per.get(p, p)})" if pd.notna(v) and per.get(p) else "")
            for v, p in zip(
                table["irr"], table.get("per", pd.Series("", index=table.index)), strict=True
            )
        ],
        heading("ci", lang): [
            interval_text(lo, hi, lang, 2)
            for lo, hi in zip(table["ci_low"], table["ci_high"], strict=True)
        ],
        "p": [_p(v, lang) for v in table["p_value"]],
        heading("n", lang): table["n"].to_numpy(),
    }
    if "note" in table.columns and table["note"].astype(bool).any():
        view[heading("note", lang)] = table["note"].to_numpy()
    return pd.DataFrame(view)


def programmes_view(programmes: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The programme table (``ingest.programmes.load_programmes``) for reading: regency,
    programme, start, how the start is known, intensity and unit, where the row is from."""

    check_language(lang)
    names = regions.regencies().set_index("bps_code")["name"]
    basis = {
        "stated": {"id": "tanggal disebut", "en": "date stated"},
        "present_by": {"id": "sudah ada pada", "en": "existing by"},
        "year": {"id": "tahun laporan", "en": "year of report"},
    }
    return pd.DataFrame(
        {
            heading("regency", lang): programmes["bps_code"].map(names).map(short_name).to_numpy(),
            heading("programme", lang): [programme_label(p, lang) for p in programmes["programme"]],
            heading("start", lang): programmes["start_date"].dt.strftime("%Y-%m-%d").to_numpy(),
            heading("start_basis", lang): [
                basis.get(b, {}).get(lang, b) for b in programmes["start_basis"]
            ],
            heading("intensity", lang): [
                f"{number_text(v, lang, 0)} {u}"
                for v, u in zip(programmes["intensity"], programmes["unit"], strict=True)
            ],
            heading("status", lang): programmes["status"].to_numpy(),
            heading("origin", lang): programmes["origin"].to_numpy(),
        }
    )


#: An event-time interval reaching beyond 1/UNBOUNDED–UNBOUNDED is shown as open: with one
#: or two adopting regencies in a year, the randomisation interval has no useful bound.
UNBOUNDED = 100.0
_EVENT_NOTES = {
    "id": {
        "open": "interval tak terbatas: hanya {n} kabupaten/kota pada tahun ini",
        "none": "tidak ada kabupaten/kota yang diamati pada tahun ini",
        "reference": "tahun acuan (IRR 1)",
    },
    "en": {
        "open": "interval not bounded: only {n} regencies in this year",
        "none": "no regency observed in this year",
        "reference": "reference year (IRR 1)",
    },
}


def _event_interval(low: object, high: object, lang: str) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    lower = (
        "<" + number_text(1 / UNBOUNDED, lang, 2)
        if low < 1 / UNBOUNDED
        else number_text(low, lang, 2)
    )
    upper = (
        ">" + number_text(UNBOUNDED, lang, 0) if high > UNBOUNDED else number_text(high, lang, 2)
    )
    return f"{lower}–{upper}"


def event_time_view(event_time: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Event-study estimates (``ProgrammeEvaluation.event_time``) for reading: an interval
    beyond 1/100–100 shown open, and a note on every row that has no estimate, an open
    interval, or is the reference year."""
    check_language(lang)
    words = _EVENT_NOTES[lang]
    notes = []
    for row in event_time.itertuples():
        if pd.isna(row.irr):
            notes.append(words["none"])
        elif getattr(row, "event_time", None) == -1:
            notes.append(words["reference"])
        elif row.ci_high > UNBOUNDED or row.ci_low < 1 / UNBOUNDED:
            notes.append(words["open"].format(n=row.regencies))
        else:
            notes.append("")
    return pd.DataFrame(
        {
            heading("event_time", lang): event_time["label"].to_numpy(),
            heading("irr", lang): [number_text(v, lang, 2) for v in event_time["irr"]],
            heading("ci", lang): [
                _event_interval(lo, hi, lang)
                for lo, hi in zip(event_time["ci_low"], event_time["ci_high"], strict=True)
            ],
            heading("units", lang): event_time["regencies"].to_numpy(),
            heading("note", lang): notes,
        }
    ).set_index(heading("event_time", lang))


def coverage_view(summary: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``panel.coverage_summary`` for reading: count, year, units, total, period, coverage."""
    check_language(lang)
    return pd.DataFrame(
        {
            heading("count", lang): summary["count"].to_numpy(),
            heading("year", lang): summary["year"].to_numpy(),
            heading("units", lang): summary["units_with_value"].to_numpy(),
            "Total": [number_text(v, lang, 0) for v in summary["total"]],
            heading("period", lang): summary["period"].to_numpy(),
            heading("coverage", lang): [
                "–" if pd.isna(v) else f"{number_text(100 * v, lang, 0)}%"
                for v in summary["coverage"]
            ],
        }
    )


def covariate_years_view(
    panel: pd.DataFrame, covariates: Sequence[str], lang: str = "en"
) -> pd.DataFrame:
    """Which year's value each covariate carries in each panel year (most are published for
    a few years only, so other years take the nearest): covariate × panel year."""
    check_language(lang)
    rows = {}
    for covariate in covariates:
        column = f"{covariate}_year"
        if column not in panel.columns:
            continue
        used = panel.groupby("year")[column].agg(
            lambda s: ", ".join(str(int(v)) for v in sorted(s.dropna().unique())) or "–"
        )
        rows[label_text(covariate, lang)] = used
    out = pd.DataFrame(rows).T
    out.columns = [str(c) for c in out.columns]
    out.index.name = heading("factor", lang)
    return out
