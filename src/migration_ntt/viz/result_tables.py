"""Readable views of the smaller result tables the notebooks show: model diagnostics,
the legal-placements contrast, the kecamatan scan's accounting, and the strategy
matrices. Like :mod:`.tables`: labels from the label table, numbers in the reader's
locale with sensible decimals, "–" where a value cannot exist (and a note saying why).

Examples
--------
>>> import pandas as pd
>>> from migration_ntt.viz import result_tables
>>> vif = pd.DataFrame({"covariate": ["poverty_rate_pct"], "vif": [2.311223]})
>>> result_tables.vif_view(vif, "id").iloc[0].tolist()
['Persentase penduduk miskin', '2,3']
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import pandas as pd

from migration_ntt import regions
from migration_ntt.labels import check_language
from migration_ntt.panel import count_metadata
from migration_ntt.viz.tables import heading, interval_text, label_text, number_text, short_name

_WORDS = {
    "vif": {"id": "VIF", "en": "VIF"},
    "loo": {"id": "IRR tanpa satu kabupaten", "en": "IRR without one regency"},
    "influential": {"id": "Paling berpengaruh", "en": "Most influential"},
    "value": {"id": "Nilai", "en": "Value"},
    "per_year": {"id": "Kejadian per tahun", "en": "Events per year"},
    "legal": {"id": "Penempatan resmi 2013", "en": "Legal placements 2013"},
    "per_100": {"id": "Per 100 penempatan resmi", "en": "Per 100 legal placements"},
    "step": {"id": "Langkah", "en": "Step"},
    "records": {"id": "Catatan", "en": "Records"},
    "respondent": {"id": "Responden", "en": "Respondent"},
    "cell": {"id": "Sel IE", "en": "IE cell"},
    "share": {"id": "Bagian simulasi", "en": "Share of draws"},
    "strategy": {"id": "Strategi", "en": "Strategy"},
    "tas": {"id": "TAS", "en": "TAS"},
    "tas_ci": {"id": "TAS 90%", "en": "TAS 90%"},
    "p_first": {"id": "Peluang peringkat 1", "en": "Chance of rank 1"},
    "p_above_next": {"id": "Peluang di atas berikutnya", "en": "Chance above the next"},
    "verdict": {"id": "Kesimpulan", "en": "Verdict"},
    "cr": {"id": "Rasio konsistensi", "en": "Consistency ratio"},
    "consistent": {"id": "Konsisten (CR < 0,10)", "en": "Consistent (CR < 0.10)"},
    "yes": {"id": "ya", "en": "yes"},
    "total": {"id": "Total", "en": "Total"},
    "strength": {"id": "Kekuatan", "en": "Strengths"},
    "weakness": {"id": "Kelemahan", "en": "Weaknesses"},
    "opportunity": {"id": "Peluang", "en": "Opportunities"},
    "threat": {"id": "Ancaman", "en": "Threats"},
    "no": {"id": "tidak", "en": "no"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "with_it": {"id": "Kabupaten/kota dengan program", "en": "Regencies with it"},
    "without": {
        "id": "Sepertiga tertinggi tanpa program",
        "en": "Top third of the rate without it",
    },
    "coverage_reported": {"id": "Bagian tahun dilaporkan", "en": "Part of the year reported"},
    "population": {"id": "Penduduk", "en": "Population"},
}
_KINDS = {
    "collaboration": {"id": "kolaborasi", "en": "collaboration"},
    "protection": {"id": "pelindungan", "en": "protection"},
    "enforcement": {"id": "penegakan hukum", "en": "enforcement"},
}
_DIAGNOSTICS = {
    "alpha": {"id": "α (dispersi berlebih, NB2)", "en": "α (overdispersion, NB2)"},
    "p_value": {"id": "p uji Cameron–Trivedi", "en": "Cameron–Trivedi test p"},
    "pearson_dispersion": {"id": "Dispersi Pearson χ²/df", "en": "Pearson χ²/df"},
    "moran_i": {"id": "Moran's I residual", "en": "Residual Moran's I"},
    "p_sim": {"id": "p (permutasi, dua sisi)", "en": "p (permutations, two-sided)"},
    "n": {"id": "Kabupaten/kota", "en": "Regencies"},
    "permutations": {"id": "Permutasi", "en": "Permutations"},
}
_ACCOUNTING = {
    "clean_records": {"id": "Catatan bersih", "en": "Clean records"},
    "excluded_by_select": {"id": "Tidak terpilih (select)", "en": "Not selected (select)"},
    "outside_period": {"id": "Di luar periode", "en": "Outside the period"},
    "counted": {"id": "Dihitung", "en": "Counted"},
    "year_only_counted": {"id": "Dihitung, hanya tahun", "en": "Counted, year only"},
    "no_district": {"id": "Tanpa kecamatan", "en": "No kecamatan"},
}


def _percent(share: object, lang: str) -> str:
    """A share (0–1) as a whole percentage: "57 %"; "–" when missing."""
    return "–" if pd.isna(share) else number_text(100 * share, lang, 0) + " %"


def _w(key: str, lang: str) -> str:
    """A word of these views, or a heading the rate tables share (:data:`.tables.HEADINGS`)."""
    return _WORDS[key][lang] if key in _WORDS else heading(key, lang)


@lru_cache(maxsize=1)
def _short_names() -> dict[str, str]:
    """BPS code → short regency name (read once, not once per row)."""
    units = regions.regencies()
    return {
        code: short_name(name) for code, name in zip(units["bps_code"], units["name"], strict=True)
    }


def _regency(code: object) -> str:
    return _short_names().get(str(code), str(code))


def vif_view(vif: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Variance inflation factors (``CountModelResult.vif``): factor and VIF (1 decimal).

    Parameters
    ----------
    vif : DataFrame
        Columns ``covariate``, ``vif``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        {
            _w("factor", lang): [label_text(c, lang) for c in vif["covariate"]],
            _w("vif", lang): [number_text(v, lang, 1) for v in vif["vif"]],
        }
    )


def loo_view(loo: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Leave-one-out (``CountModelResult.loo``): each factor's IRR range over the fits
    without one regency, and the regency whose absence moves it most.

    Parameters
    ----------
    loo : DataFrame
        Columns ``covariate``, ``irr_min``, ``irr_max``, ``most_influential``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        {
            _w("factor", lang): [label_text(c, lang) for c in loo["covariate"]],
            _w("loo", lang): [
                interval_text(lo, hi, lang, 2)
                for lo, hi in zip(loo["irr_min"], loo["irr_max"], strict=True)
            ],
            _w("influential", lang): [_regency(c) for c in loo["most_influential"]],
        }
    )


def diagnostics_view(
    overdispersion: Mapping[str, object], residual_moran: Mapping[str, object], lang: str = "en"
) -> pd.DataFrame:
    """The count model's overdispersion test and its residuals' Moran's I, one row each.

    Parameters
    ----------
    overdispersion, residual_moran : mapping
        ``CountModelResult.overdispersion`` and ``.residual_moran``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    rows = []
    for key, decimals in (("alpha", 3), ("p_value", 3), ("pearson_dispersion", 2)):
        if key in overdispersion:
            rows.append((_DIAGNOSTICS[key][lang], number_text(overdispersion[key], lang, decimals)))
    for key, decimals in (("moran_i", 3), ("p_sim", 3), ("n", 0), ("permutations", 0)):
        if key in (residual_moran or {}):
            rows.append((_DIAGNOSTICS[key][lang], number_text(residual_moran[key], lang, decimals)))
    return pd.DataFrame(rows, columns=[_w("statistic", lang), _w("value", lang)])


def legal_placements_view(ratio: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """``panel.per_legal_placements``: events per year, 2013 legal placements and the
    ratio per 100, for the regencies that have both numbers.

    Parameters
    ----------
    ratio : DataFrame
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        {
            _w("regency", lang): [short_name(n) for n in ratio["name"]],
            _w("per_year", lang): [number_text(v, lang, 1) for v in ratio["events_per_year"]],
            _w("legal", lang): [number_text(v, lang, 0) for v in ratio["legal_placements_2013"]],
            _w("per_100", lang): [number_text(v, lang, 0) for v in ratio["per_100_legal"]],
        }
    )


def kecamatan_per_regency_view(districts: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """How many kecamatan each regency has (the gazetteer), most first.

    Parameters
    ----------
    districts : DataFrame
        ``regions.places.places("district")``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    counts = districts.groupby("bps_code").size().sort_values(ascending=False)
    return pd.DataFrame(
        {
            _w("regency", lang): [_regency(code) for code in counts.index],
            _w("kecamatan", lang): [number_text(v, lang, 0) for v in counts.to_numpy()],
        }
    )


def accounting_view(accounting: Mapping[str, int], lang: str = "en") -> pd.DataFrame:
    """Where each clean record went on its way to the kecamatan counts.

    Parameters
    ----------
    accounting : mapping
        ``DistrictScan.accounting``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        [
            (_ACCOUNTING.get(key, {}).get(lang, key), number_text(value, lang, 0))
            for key, value in accounting.items()
        ],
        columns=[_w("step", lang), _w("records", lang)],
    )


def matrix_totals_view(totals: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """IFE or EFE totals per respondent and pooled (2 decimals).

    Parameters
    ----------
    totals : DataFrame
        ``strategy.ife`` / ``strategy.efe`` output.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    view = pd.DataFrame({_w("respondent", lang): totals.index.astype(str)})
    for column in totals.columns:
        if column == "weight_sum":
            continue
        title = _w(column, lang) if column in _WORDS else label_text(column, lang)
        view[title] = [number_text(v, lang, 2) for v in totals[column]]
    return view


def ie_cells_view(shares: pd.Series, lang: str = "en") -> pd.DataFrame:
    """Where the Monte Carlo draws put the IE cell, as a share of draws.

    Parameters
    ----------
    shares : Series
        ``Uncertainty.ie_cells``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        {
            _w("cell", lang): shares.index.astype(str),
            _w("share", lang): [_percent(v, lang) for v in shares.to_numpy()],
        }
    )


def ranking_view(ranking: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """QSPM ranking with its uncertainty: TAS, its 90 % interval, the chance of rank 1 and
    of staying above the next strategy ("–" for the last: nothing is below it).

    Parameters
    ----------
    ranking : DataFrame
        ``Uncertainty.ranking``.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    return pd.DataFrame(
        {
            _w("strategy", lang): ranking["strategy"].to_numpy(),
            _w("tas", lang): [number_text(v, lang, 2) for v in ranking["tas"]],
            _w("tas_ci", lang): [
                interval_text(lo, hi, lang, 2)
                for lo, hi in zip(ranking["tas_low"], ranking["tas_high"], strict=True)
            ],
            _w("p_first", lang): [_percent(v, lang) for v in ranking["p_first"]],
            _w("p_above_next", lang): [_percent(v, lang) for v in ranking["p_above_next"]],
            _w("verdict", lang): ranking["verdict"].to_numpy(),
        }
    )


def ahp_view(report: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """AHP weights per respondent and aggregated (3 decimals), consistency ratio, and
    whether it is below 0.10.

    Parameters
    ----------
    report : DataFrame
        ``strategy.ahp_report`` output.
    lang : {"id", "en"}

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    view = pd.DataFrame({_w("respondent", lang): report.index.astype(str)})
    for column in report.columns:
        if column in {"consistency_ratio", "consistent"}:
            continue
        view[label_text(column, lang)] = [number_text(v, lang, 3) for v in report[column]]
    view[_w("cr", lang)] = [number_text(v, lang, 3) for v in report["consistency_ratio"]]
    view[_w("consistent", lang)] = [
        _w("yes" if flag else "no", lang) for flag in report["consistent"]
    ]
    return view


def panel_preview(
    table: pd.DataFrame, count: str, lang: str = "en", rows: int = 10
) -> pd.DataFrame:
    """The first rows of the regency × year panel for one count: regency, year, the count
    ("–": not reported that year, which is not zero), the part of the year the report
    covers, and the population.

    Parameters
    ----------
    table : DataFrame
        The panel (``panel.build_panel``).
    count : str
        A count column.
    lang : {"id", "en"}
    rows : int

    Returns
    -------
    DataFrame
    """
    check_language(lang)
    head = table.head(rows)
    coverage = head.get(f"{count}_coverage", pd.Series(float("nan"), index=head.index))
    return pd.DataFrame(
        {
            _w("regency", lang): [short_name(n) for n in head["name"]],
            _w("year", lang): head["year"].astype(str).to_numpy(),
            count_metadata(table, count)["labels"][lang]: [
                number_text(v, lang, 0) for v in head[count]
            ],
            _w("coverage_reported", lang): [_percent(v, lang) for v in coverage],
            _w("population", lang): [number_text(v, lang, 0) for v in head["population"]],
        }
    )


#: Headings for the columns of the package's own tables shown as they are.
COLUMN_HEADINGS = {
    "adoption_year": {"id": "Tahun mulai", "en": "Adoption year"},
    "regencies": {"id": "Kabupaten/kota", "en": "Regencies"},
    "names": {"id": "Nama", "en": "Names"},
    "status": {"id": "Status", "en": "Status"},
    "match": {"id": "Cocok", "en": "Match"},
    "with_kecamatan_code": {"id": "Dengan kode kecamatan", "en": "With kecamatan code"},
    "rows": {"id": "Baris", "en": "Rows"},
    "share_pct": {"id": "Bagian (%)", "en": "Share (%)"},
    "meaning": {"id": "Arti", "en": "Meaning"},
    "regency": {"id": "Wilayah", "en": "Area"},
    "year": {"id": "Tahun", "en": "Year"},
    "indicator": {"id": "Indikator", "en": "Indicator"},
    "programme": {"id": "Program", "en": "Programme"},
    "value": {"id": "Nilai", "en": "Value"},
    "reason": {"id": "Alasan", "en": "Reason"},
    "source": {"id": "Sumber", "en": "Source"},
    "factor": {"id": "Faktor", "en": "Factor"},
    "kind": {"id": "Jenis", "en": "Kind"},
    "respondent": {"id": "Responden", "en": "Respondent"},
    "weight": {"id": "Bobot", "en": "Weight"},
    "rating": {"id": "Peringkat", "en": "Rating"},
    "evidence": {"id": "Bukti", "en": "Evidence"},
    "quadrant": {"id": "Kuadran", "en": "Quadrant"},
    "internal": {"id": "Internal", "en": "Internal"},
    "external": {"id": "Eksternal", "en": "External"},
    "strategies": {"id": "Strategi", "en": "Strategies"},
    "period": {"id": "Periode", "en": "Period"},
}


def untruncated(view: pd.DataFrame, lang: str | None = None):
    """``view`` for a notebook with every text in full (pandas cuts cells at 50
    characters) and without the row numbers (a named index becomes a column); numbers as
    people write them, years without a thousands separator, "–" for a missing value.

    Parameters
    ----------
    view : DataFrame
    lang : {"id", "en"}, optional
        Give the package's own column names (``adoption_year``, ``share_pct`` …) as
        headings in this language (:data:`COLUMN_HEADINGS`).

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    if view.index.name is not None:  # a named index (cluster, years since start) is data
        view = view.reset_index()
    if lang is not None:  # the package's own column names as headings
        check_language(lang)
        view = view.rename(
            columns={c: COLUMN_HEADINGS[c][lang] for c in view.columns if c in COLUMN_HEADINGS}
        )
    years = [c for c in view.columns if "year" in str(c).lower() or "tahun" in str(c).lower()]
    return (
        view.style.hide(axis="index")
        .format(_plain_number, na_rep="–")
        .format(_plain_year, subset=years, na_rep="–")
        .set_properties(**{"text-align": "left", "white-space": "normal"})
    )


def _plain_year(value: object) -> str:
    """A year as a year (2017, not 2,017)."""
    if (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and float(value).is_integer()
    ):
        return str(int(value))
    return str(value)


def _plain_number(value: object) -> str:
    """A number as people write it (1,541; 99.6; 0.15), anything else as it is."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def programme_overview_view(overview: pd.DataFrame, lang: str = "en"):
    """``coverage.programme_overview`` for reading: programme, kind, year, how many
    regencies have it (and which), and the top third of the rate without it, in full.

    Parameters
    ----------
    overview : DataFrame
    lang : {"id", "en"}

    Returns
    -------
    pandas.io.formats.style.Styler
    """
    check_language(lang)
    view = pd.DataFrame(
        {
            _w("programme", lang): overview["label"].to_numpy(),
            _w("kind", lang): [_KINDS.get(k, {}).get(lang, k) for k in overview["kind"]],
            _w("year", lang): overview["year"].astype(str).to_numpy(),
            _w("with_it", lang): [
                f"{n}: {names}" if n else "0"
                for n, names in zip(overview["regencies_with_it"], overview["names"], strict=True)
            ],
            _w("without", lang): overview["top_third_without_it"].fillna("").to_numpy(),
        }
    )
    return untruncated(view)
