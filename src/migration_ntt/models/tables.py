"""Tables of fitted count models: IRRs by term group in Indonesian or English, with the
terms left out and why; observed against expected counts; residuals by regency."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from migration_ntt.labels import LABELS, check_language, format_number
from migration_ntt.models.fit import CountModelResult, is_binary, pearson_residuals
from migration_ntt.models.terms import GROUP_ORDER, term_group

MODEL_SOURCE = {
    "id": "BP3MI/BP2MI NTT (laporan di media); BPS (Susenas, Sakernas, IPM, PDRB, penduduk)",
    "en": "BP3MI/BP2MI NTT (press reports); BPS (Susenas, Sakernas, IPM, PDRB, population)",
}


def _per(result: CountModelResult, term: str) -> str:
    if term in result.data.columns and is_binary(result.data[term]):
        return "yes vs no"
    return "SD" if result.standardised else "unit"


def summary(results: Sequence[CountModelResult]) -> pd.DataFrame:
    """One row per model: name, observations, regencies, family and why, notes."""
    return pd.DataFrame(
        {
            "model": [r.name for r in results],
            "n": [r.n for r in results],
            "regencies": [r.data["bps_code"].nunique() for r in results],
            "family": [r.family for r in results],
            "why": [r.family_note for r in results],
            "dropped": [len(r.dropped) for r in results],
            "notes": ["; ".join(r.notes) for r in results],
        }
    )


def observed_expected(result: CountModelResult) -> pd.DataFrame:
    """Observed and model-expected counts per observation: ``bps_code, name, year,
    observed, expected`` (the table behind the observed-vs-expected chart)."""
    data = result.data
    return pd.DataFrame(
        {
            "bps_code": data["bps_code"].to_numpy(),
            "name": data.get("name", data["bps_code"]).astype(str).to_numpy(),
            "year": data["year"].to_numpy(),
            "observed": data[result.outcome].to_numpy(dtype=float),
            "expected": result.expected_counts(),
        }
    )


def residual_table(result: CountModelResult) -> pd.DataFrame:
    """Mean Pearson residual per regency (``bps_code, residual``), for the residual map."""
    return (
        result.data.assign(residual=pearson_residuals(result))
        .groupby("bps_code")["residual"]
        .mean()
        .reset_index()
    )


def model_table(results: Sequence[CountModelResult], lang: str = "en") -> pd.DataFrame:
    """Tidy IRR table of several models, labelled in ``lang`` (covariates only), terms in
    their groups (economy, education, health, natural resources, enforcement, protection,
    collaboration); each model's not-estimable terms follow with the reason in ``note``.

    Parameters
    ----------
    results : sequence of CountModelResult
    lang : {"id", "en"}

    Returns
    -------
    pandas.DataFrame
        ``model, group, term, irr, ci_low, ci_high, p_value, family, n, per, note``, with
        the small-n caveat in ``attrs["caveat"]``.
    """
    check_language(lang)
    rows = []
    for result in results:
        estimated = result.irr[result.irr["kind"] == "covariate"]
        for term, row in estimated.iterrows():
            rows.append(
                {
                    "model": model_name(result.name, lang),
                    "group": LABELS[f"group_{term_group(term)}"][lang],
                    "term": LABELS.get(term, {}).get(lang, term),
                    "irr": row["irr"],
                    "ci_low": row["ci_low"],
                    "ci_high": row["ci_high"],
                    "p_value": row["p_value"],
                    "family": result.family,
                    "n": result.n,
                    "per": _per(result, term),
                    "note": "",
                    "_order": GROUP_ORDER.index(term_group(term)),
                }
            )
        for item in result.not_estimable.itertuples():
            rows.append(
                {
                    "model": model_name(result.name, lang),
                    "group": LABELS[f"group_{item.group}"][lang],
                    "term": LABELS.get(item.term, {}).get(lang, item.term),
                    "irr": np.nan,
                    "ci_low": np.nan,
                    "ci_high": np.nan,
                    "p_value": np.nan,
                    "family": result.family,
                    "n": result.n,
                    "per": "",
                    "note": f"{LABELS['not_estimable'][lang]}: {reason_text(item.reason, lang)}",
                    "_order": GROUP_ORDER.index(item.group) + 0.5,
                }
            )
    table = pd.DataFrame(rows)
    if len(table):
        models = list(dict.fromkeys(table["model"]))
        table = (
            table.assign(_model=table["model"].map(models.index))
            .sort_values(["_model", "_order"], kind="stable")
            .drop(columns=["_model", "_order"])
            .reset_index(drop=True)
        )
    smallest = min(results, key=lambda r: r.n)
    table.attrs["caveat"] = smallest.caveat(lang) + (
        f" (smallest model shown; others have up to {max(r.n for r in results)} observations)"
        if len(results) > 1 and lang == "en"
        else f" (model terkecil; model lain sampai {max(r.n for r in results)} pengamatan)"
        if len(results) > 1
        else ""
    )
    return table


_REASON_ID = (
    ("reported for", "dilaporkan untuk"),
    (" of ", " dari "),
    ("regencies", "kabupaten/kota"),
    ("present in", "ada di"),
    ("absent from", "tidak ada di"),
    (" only", " saja"),
    ("no room: at most", "tidak ada tempat: paling banyak"),
    ("terms for", "variabel untuk"),
    (
        "too few regencies with a value above zero",
        "terlalu sedikit wilayah dengan nilai di atas nol",
    ),
    ("not in the panel", "tidak ada di panel"),
    ("not in the modelled years", "tidak pada tahun yang dimodelkan"),
    ("no year", "tanpa tahun"),
)


def reason_text(reason: str, lang: str) -> str:
    """A not-estimable reason in ``lang`` (they are built from a few fixed phrases)."""
    if lang == "en":
        return reason
    for english, indonesian in _REASON_ID:
        reason = reason.replace(english, indonesian)
    return reason


def model_name(name: str, lang: str) -> str:
    """A model's name in ``lang`` ("pooled 2021–2024" → "gabungan 2021–2024")."""
    return name.replace("pooled", "gabungan") if lang == "id" else name


def format_table(table: pd.DataFrame, lang: str, fmt: str = "markdown") -> str:
    """Render :func:`model_table` as Markdown, LaTeX or HTML with language number format."""
    shown = table.copy()
    for column in ("irr", "ci_low", "ci_high"):
        shown[column] = shown[column].map(lambda v: format_number(v, lang, 2))
    shown["p_value"] = shown["p_value"].map(lambda v: format_number(v, lang, 3))
    if "note" in shown.columns and not shown["note"].astype(bool).any():
        shown = shown.drop(columns="note")
    caveat = table.attrs.get("caveat", "")
    if fmt == "markdown":
        return shown.to_markdown(index=False) + f"\n\n_{caveat}_\n"
    if fmt == "latex":
        return shown.style.hide(axis="index").to_latex() + f"\n% {caveat}\n"
    if fmt == "html":
        return shown.to_html(index=False) + f"<p><em>{caveat}</em></p>"
    raise ValueError("fmt must be 'markdown', 'latex' or 'html'")
