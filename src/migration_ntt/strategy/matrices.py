"""David's matrices from a workshop's factors: IFE, EFE, the IE cell, SPACE, TOWS, QSPM.

Every function takes the workshop's tables (:class:`migration_ntt.ingest.workshop.Workshop`
or the same columns) and checks what it computes with: weights in [0, 1] that sum to 1 per
respondent and side, ratings in David's ranges. A table that breaks a rule is refused with
the rule named, never computed into a silently wrong total.

Examples
--------
>>> import pandas as pd
>>> from migration_ntt import strategy
>>> factors = pd.DataFrame({"factor": ["a", "b"], "kind": ["strength", "weakness"],
...                         "weight": [0.6, 0.4], "rating": [4, 1]})
>>> float(strategy.ife(factors).loc["pooled", "total"])
2.8
>>> strategy.ie_cell(2.8, 2.0)
('V', 'hold and maintain')
"""

from __future__ import annotations

import pandas as pd

from migration_ntt.ingest.workshop import (
    AS_RANGE,
    EXTERNAL,
    INTERNAL,
    RATING_RANGE,
    SPACE_RANGE,
    WEIGHT_TOLERANCE,
)

#: The IE matrix: (IFE column, EFE row) → cell. IFE 3.0–4.0 strong (left), 2.0–2.99
#: average, 1.0–1.99 weak; EFE 3.0–4.0 high (top), 2.0–2.99 medium, 1.0–1.99 low.
IE_CELLS = (("I", "II", "III"), ("IV", "V", "VI"), ("VII", "VIII", "IX"))
IE_READINGS = {
    "I": "grow_and_build",
    "II": "grow_and_build",
    "IV": "grow_and_build",
    "III": "hold_and_maintain",
    "V": "hold_and_maintain",
    "VII": "hold_and_maintain",
    "VI": "harvest_or_divest",
    "VIII": "harvest_or_divest",
    "IX": "harvest_or_divest",
}
READING_LABELS = {
    "grow_and_build": {"en": "grow and build", "id": "tumbuh dan membangun"},
    "hold_and_maintain": {"en": "hold and maintain", "id": "pertahankan dan pelihara"},
    "harvest_or_divest": {"en": "harvest or divest", "id": "panen atau divestasi"},
}
SPACE_QUADRANTS = {
    "aggressive": {"en": "aggressive", "id": "agresif"},
    "conservative": {"en": "conservative", "id": "konservatif"},
    "defensive": {"en": "defensive", "id": "defensif"},
    "competitive": {"en": "competitive", "id": "kompetitif"},
}


def pooled_factors(factors: pd.DataFrame) -> pd.DataFrame:
    """One row per factor: mean weight and mean rating over respondents (module docstring).

    Examples
    --------
    >>> table = pd.DataFrame({"factor": ["a", "a"], "kind": ["strength"] * 2,
    ...                       "weight": [0.2, 0.4], "rating": [3, 4], "respondent": ["x", "y"]})
    >>> pooled_factors(table)[["weight", "rating"]].round(2).values.tolist()
    [[0.3, 3.5]]
    """
    table = factors.copy()
    if "respondent" not in table.columns:
        table["respondent"] = "all"
    n = table["respondent"].nunique()
    grouped = table.groupby(["factor", "kind"], sort=False)
    out = grouped.agg(weight=("weight", "sum"), rating=("rating", "mean")).reset_index()
    out["weight"] = out["weight"] / n  # a factor a respondent left out counts as weight 0
    return out


def check_factors(part: pd.DataFrame, sides: tuple[str, str], matrix: str) -> None:
    """David's rules for one side (internal or external) of the factors, per respondent.

    Raises
    ------
    ValueError
        Naming the matrix, the respondent and the rule broken: weights outside 0–1, weights
        that do not sum to 1 ± :data:`~migration_ntt.ingest.workshop.WEIGHT_TOLERANCE`, a
        rating outside the range of its kind (strengths 3–4, weaknesses 1–2,
        opportunities and threats 1–4).
    """
    problems = []
    weights = pd.to_numeric(part["weight"], errors="coerce")
    ratings = pd.to_numeric(part["rating"], errors="coerce")
    outside = part.loc[~weights.between(0, 1), "factor"].tolist()
    if outside:
        problems.append(f"weights outside 0–1 ({', '.join(map(str, outside))})")
    for respondent, total in weights.groupby(part["respondent"]).sum().items():
        if abs(total - 1) > WEIGHT_TOLERANCE:
            problems.append(
                f"the {'/'.join(sides)} weights of respondent {respondent!r} sum to "
                f"{total:.3f} (rule: they sum to 1 ± {WEIGHT_TOLERANCE})"
            )
    for kind in sides:
        low, high = RATING_RANGE[kind]
        bad = part.loc[(part["kind"] == kind) & ~ratings.between(low, high), "factor"]
        if len(bad):
            problems.append(
                f"{kind} ratings outside {low}–{high} ({', '.join(map(str, bad.unique()))})"
            )
    if problems:
        raise ValueError(f"{matrix}: " + "; ".join(problems))


def _weighted_totals(factors: pd.DataFrame, sides: tuple[str, str], matrix: str) -> pd.DataFrame:
    part = factors[factors["kind"].isin(sides)]
    if part.empty:
        raise ValueError(f"no {sides[0]} or {sides[1]} factors")
    if "respondent" not in part.columns:
        part = part.assign(respondent="all")
    check_factors(part, sides, matrix)

    def totals(frame: pd.DataFrame) -> dict[str, float]:
        score = frame["weight"] * frame["rating"]
        return {
            "total": float(score.sum()),
            sides[0]: float(score[frame["kind"] == sides[0]].sum()),
            sides[1]: float(score[frame["kind"] == sides[1]].sum()),
            "weight_sum": float(frame["weight"].sum()),
        }

    rows = {str(r): totals(f) for r, f in part.groupby("respondent")}
    rows["pooled"] = totals(pooled_factors(part))
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "respondent"
    return out


def ife(factors: pd.DataFrame) -> pd.DataFrame:
    """Internal Factor Evaluation: Σ weight × rating over strengths and weaknesses.

    Parameters
    ----------
    factors : pandas.DataFrame
        ``factor, kind, weight, rating`` (and ``respondent``): the workshop's factors.

    Returns
    -------
    pandas.DataFrame
        Indexed by respondent plus ``pooled``: ``total`` (1–4; 2.5 is average),
        ``strength``, ``weakness`` (their parts of the total), ``weight_sum``.

    Raises
    ------
    ValueError
        A weight outside 0–1, weights that do not sum to 1 per respondent, a rating
        outside its kind's range (:func:`check_factors`).

    Examples
    --------
    >>> table = pd.DataFrame({"factor": ["s", "w"], "kind": ["strength", "weakness"],
    ...                       "weight": [0.6, 0.4], "rating": [4, 1]})
    >>> round(float(ife(table).loc["pooled", "total"]), 2)
    2.8
    >>> ife(table.assign(weight=[1.2, 0.8]))
    Traceback (most recent call last):
    ...
    ValueError: IFE: weights outside 0–1 (s); the strength/weakness weights of respondent \
'all' sum to 2.000 (rule: they sum to 1 ± 0.001)
    """
    return _weighted_totals(factors, INTERNAL, "IFE")


def efe(factors: pd.DataFrame) -> pd.DataFrame:
    """External Factor Evaluation: Σ weight × rating over opportunities and threats
    (same layout as :func:`ife`).

    Parameters
    ----------
    factors : pandas.DataFrame
        ``factor, kind, weight, rating`` (and ``respondent``).

    Returns
    -------
    pandas.DataFrame
        Indexed by respondent plus ``pooled``: ``total``, ``opportunity``, ``threat``,
        ``weight_sum``.

    Raises
    ------
    ValueError
        A rule of David's broken (:func:`check_factors`).
    """
    return _weighted_totals(factors, EXTERNAL, "EFE")


def _band(total: float) -> int:
    """0 for 3.0–4.0, 1 for 2.0–2.99, 2 for 1.0–1.99 (David's IE bands)."""
    if not 1.0 <= total <= 4.0:
        raise ValueError(f"a weighted total lies between 1 and 4, got {total}")
    return 0 if total >= 3.0 else 1 if total >= 2.0 else 2


def ie_cell(ife_total: float, efe_total: float, lang: str = "en") -> tuple[str, str]:
    """The IE-matrix cell of an IFE and an EFE total, and what it prescribes.

    Columns are the IFE total (3.0–4.0 strong, 2.0–2.99 average, 1.0–1.99 weak), rows the
    EFE total (3.0–4.0 high, 2.0–2.99 medium, 1.0–1.99 low). Cells I, II, IV: grow and
    build; III, V, VII: hold and maintain; VI, VIII, IX: harvest or divest.

    Parameters
    ----------
    ife_total, efe_total : float
        The weighted totals (1–4).
    lang : {"id", "en"}

    Returns
    -------
    (str, str)
        The cell (I–IX) and its reading in ``lang``.

    Examples
    --------
    >>> ie_cell(2.0, 2.99)
    ('V', 'hold and maintain')
    >>> ie_cell(3.2, 1.5, lang="id")
    ('VII', 'pertahankan dan pelihara')
    """
    cell = IE_CELLS[_band(efe_total)][_band(ife_total)]
    return cell, READING_LABELS[IE_READINGS[cell]][lang]


def space(scores: pd.DataFrame) -> dict[str, object]:
    """The SPACE directional vector and quadrant.

    Each dimension's score is the mean of its items (over items and respondents); the
    vector is x = CA + IS, y = FS + ES. Quadrant: x ≥ 0 and y ≥ 0 aggressive, x < 0 and
    y ≥ 0 conservative, x < 0 and y < 0 defensive, x ≥ 0 and y < 0 competitive (a point on
    an axis goes to the side with the larger sector, as drawn by David).

    Parameters
    ----------
    scores : pandas.DataFrame
        ``dimension`` (FS, IS, CA, ES) and ``score``.

    Returns
    -------
    dict
        ``x``, ``y``, ``quadrant`` and each dimension's mean.

    Examples
    --------
    >>> table = pd.DataFrame({"dimension": ["FS", "CA", "ES", "IS"], "score": [4, -2, -3, 5]})
    >>> result = space(table)
    >>> result["x"], result["y"], result["quadrant"]
    (3.0, 1.0, 'aggressive')
    """
    means = scores.groupby("dimension")["score"].mean()
    missing = [d for d in SPACE_RANGE if d not in means.index]
    if missing:
        raise ValueError(f"SPACE needs scores for every dimension; missing {', '.join(missing)}")
    x = float(means["CA"] + means["IS"])
    y = float(means["FS"] + means["ES"])
    quadrant = (
        ("aggressive" if x >= 0 else "conservative")
        if y >= 0
        else ("competitive" if x >= 0 else "defensive")
    )
    return {"x": x, "y": y, "quadrant": quadrant, **{d: float(means[d]) for d in SPACE_RANGE}}


def tows(
    factors: pd.DataFrame, qspm_table: pd.DataFrame | None = None, top: int = 3
) -> pd.DataFrame:
    """The TOWS pairing table: for SO, WO, ST and WT, the internal and external factors
    that meet there (the ``top`` of each kind by pooled weight × rating) and the
    strategies the workshop drew from that quadrant (``tows`` column of the qspm sheet).

    Parameters
    ----------
    factors : pandas.DataFrame
    qspm_table : pandas.DataFrame, optional
        The qspm sheet (its ``tows`` column names each strategy's quadrant).
    top : int
        Factors of each kind shown.

    Returns
    -------
    pandas.DataFrame
        ``quadrant, internal, external, strategies``.

    Examples
    --------
    >>> from migration_ntt.ingest.workshop import ILLUSTRATIVE, read_workshop
    >>> workshop = read_workshop(ILLUSTRATIVE)
    >>> tows(workshop.factors, workshop.qspm)["quadrant"].tolist()
    ['SO', 'WO', 'ST', 'WT']
    """
    pooled = pooled_factors(factors).assign(score=lambda t: t["weight"] * t["rating"])
    ranked = {
        kind: pooled[pooled["kind"] == kind].nlargest(top, "score")["factor"].tolist()
        for kind in (*INTERNAL, *EXTERNAL)
    }
    rows = []
    for quadrant, internal, external in (
        ("SO", "strength", "opportunity"),
        ("WO", "weakness", "opportunity"),
        ("ST", "strength", "threat"),
        ("WT", "weakness", "threat"),
    ):
        strategies: list[str] = []
        if qspm_table is not None and "tows" in qspm_table.columns:
            chosen = qspm_table.loc[qspm_table["tows"] == quadrant, "strategy"]
            strategies = list(dict.fromkeys(chosen))
        rows.append(
            {
                "quadrant": quadrant,
                "internal": "; ".join(ranked[internal]),
                "external": "; ".join(ranked[external]),
                "strategies": "; ".join(strategies),
            }
        )
    return pd.DataFrame(rows)


def qspm(factors: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """Quantitative Strategic Planning Matrix: total attractiveness score (TAS) per strategy.

    TAS = Σ over factors of weight × AS, with each respondent's own weights and scores, and
    pooled (mean weights, mean AS). A factor marked "–" (does not bear on the choice)
    adds nothing.

    Parameters
    ----------
    factors : pandas.DataFrame
        The factors with their weights (and ``respondent``).
    scores : pandas.DataFrame
        ``strategy, factor, attractiveness`` (and ``respondent``); NaN where a factor does
        not bear on the choice.

    Returns
    -------
    pandas.DataFrame
        ``strategy`` and one column per respondent plus ``pooled``, highest pooled first.

    Examples
    --------
    >>> f = pd.DataFrame({"factor": ["s", "o"], "kind": ["strength", "opportunity"],
    ...                   "weight": [1.0, 1.0], "rating": [4, 3]})
    >>> a = pd.DataFrame({"strategy": ["A", "A", "B", "B"], "factor": ["s", "o", "s", "o"],
    ...                   "attractiveness": [4, 1, 2, float("nan")]})
    >>> qspm(f, a)["pooled"].tolist()
    [5.0, 2.0]
    """
    if "respondent" not in factors.columns:
        factors = factors.assign(respondent="all")
    if "respondent" not in scores.columns:
        scores = scores.assign(respondent="all")
    values = pd.to_numeric(scores["attractiveness"], errors="coerce")
    bad = scores.loc[values.notna() & ~values.between(*AS_RANGE), "strategy"]
    if len(bad):
        raise ValueError(
            f"QSPM: attractiveness scores outside {AS_RANGE[0]}–{AS_RANGE[1]} (strategies "
            f"{', '.join(map(str, bad.unique()))}); a factor that does not bear on the "
            "choice is left blank or '–'"
        )
    merged = scores.merge(
        factors[["factor", "respondent", "weight"]], on=["factor", "respondent"], how="left"
    )
    merged["tas"] = merged["weight"] * merged["attractiveness"]
    per_respondent = merged.pivot_table(
        index="strategy", columns="respondent", values="tas", aggfunc="sum", fill_value=0.0
    )
    weights = pooled_factors(factors).set_index("factor")["weight"]
    mean_as = scores.groupby(["strategy", "factor"])["attractiveness"].mean().reset_index()
    mean_as["tas"] = mean_as["factor"].map(weights) * mean_as["attractiveness"]
    per_respondent["pooled"] = mean_as.groupby("strategy")["tas"].sum()
    per_respondent.columns.name = None
    return per_respondent.sort_values("pooled", ascending=False).reset_index()
