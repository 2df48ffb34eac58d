"""Fred R. David's strategy matrices: IFE, EFE, IE, SPACE, SWOT/TOWS and QSPM, with AHP
weights, Monte Carlo uncertainty and links to the package's evidence.

BP3MI NTT plans through David's cycle of formulation, implementation and evaluation, and
the research it commissions records the judgements of a workshop in these matrices. This
module reads such a workshop from one file, checks every rule David states (and names the
file, sheet, row and column of anything that breaks one), computes the matrices per
respondent and pooled, and says how much a ranking of strategies rests on judgement noise.

The workshop file (:func:`read_workshop`, template: :func:`write_template`)
---------------------------------------------------------------------------
Three tables, as sheets of an XLSX file, as one CSV with a ``sheet`` column, or as lists
under the same keys of a YAML file. Headers in English or Indonesian:

* ``factors`` / ``faktor``: ``factor`` (faktor), ``kind`` (jenis: strength/kekuatan,
  weakness/kelemahan, opportunity/peluang, threat/ancaman), ``respondent`` (responden),
  ``weight`` (bobot, 0–1; per respondent the internal weights sum to 1 ± 0.001, and so do
  the external ones), ``rating`` (peringkat: strengths 3–4, weaknesses 1–2, opportunities
  and threats 1–4), optional ``evidence`` (bukti, see :func:`evidence_table`);
* ``qspm``: ``strategy`` (strategi), ``factor``, ``respondent``, ``as`` (nilai daya
  tarik, 1–4, or "–" when the factor does not bear on the choice), optional ``tows``
  (SO/WO/ST/WT: the quadrant the strategy came from);
* ``space``: ``dimension`` (dimensi: FS financial strength and IS industry strength +1
  to +6; CA competitive advantage and ES environmental stability −6 to −1), ``item``,
  ``respondent``, ``score`` (nilai).

Pooling: the pooled weight of a factor is the mean of the respondents' weights (so the
pooled weights still sum to 1), the pooled rating the mean rating; pooled totals are
computed from those. A YAML file may carry ``illustrative: true``; every output of such a
workshop says "illustrative".

Examples
--------
>>> from migration_ntt import strategy
>>> workshop = strategy.read_workshop(strategy.ILLUSTRATIVE)
>>> totals = strategy.ife(workshop.factors)
>>> cell, reading = strategy.ie_cell(totals.loc["pooled", "total"],
...                                  strategy.efe(workshop.factors).loc["pooled", "total"])
>>> cell in strategy.IE_READINGS
True
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    pass

#: The worked example shipped with the package: factors from the published drivers, never
#: BP3MI's actual judgement.
ILLUSTRATIVE = Path(str(resources.files("migration_ntt") / "data" / "strategy_illustrative.yaml"))
INTERNAL = ("strength", "weakness")
EXTERNAL = ("opportunity", "threat")
KIND_NAMES = {
    "strength": "strength",
    "kekuatan": "strength",
    "weakness": "weakness",
    "kelemahan": "weakness",
    "opportunity": "opportunity",
    "peluang": "opportunity",
    "threat": "threat",
    "ancaman": "threat",
}
#: Allowed ratings (inclusive) by kind of factor (David: IFE 4 = major strength, 3 = minor
#: strength, 2 = minor weakness, 1 = major weakness; EFE 1 = poor response … 4 = superior).
RATING_RANGE = {"strength": (3, 4), "weakness": (1, 2), "opportunity": (1, 4), "threat": (1, 4)}
AS_RANGE = (1, 4)
#: SPACE dimensions and their signed ranges.
SPACE_RANGE = {"FS": (1, 6), "IS": (1, 6), "CA": (-6, -1), "ES": (-6, -1)}
WEIGHT_TOLERANCE = 0.001
#: Saaty's random consistency indices by matrix size.
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
CR_LIMIT = 0.10
NOT_BEARING = {"–", "-", "—", "", "na", "n/a"}
HEADERS = {
    "factor": "factor",
    "faktor": "factor",
    "kind": "kind",
    "jenis": "kind",
    "respondent": "respondent",
    "responden": "respondent",
    "weight": "weight",
    "bobot": "weight",
    "rating": "rating",
    "peringkat": "rating",
    "evidence": "evidence",
    "bukti": "evidence",
    "strategy": "strategy",
    "strategi": "strategy",
    "as": "attractiveness",
    "nilai_daya_tarik": "attractiveness",
    "nilai daya tarik": "attractiveness",
    "attractiveness": "attractiveness",
    "tows": "tows",
    "dimension": "dimension",
    "dimensi": "dimension",
    "item": "item",
    "butir": "item",
    "score": "score",
    "nilai": "score",
    "sheet": "sheet",
    "lembar": "sheet",
}
SHEETS = {"factors": "factors", "faktor": "factors", "qspm": "qspm", "space": "space"}
REQUIRED = {
    "factors": ("factor", "kind", "respondent", "weight", "rating"),
    "qspm": ("strategy", "factor", "respondent", "attractiveness"),
    "space": ("dimension", "item", "respondent", "score"),
}
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


class WorkshopError(ValueError):
    """A workshop file breaks a rule: the message names file, sheet, row, column, rule."""


@dataclass
class Workshop:
    """A validated workshop (:func:`read_workshop`).

    Attributes
    ----------
    factors, qspm, space : pandas.DataFrame
        The three tables with English column names and kinds (the ``as`` column is
        ``attractiveness``, NaN where the factor does not bear on the choice, "–"), and
        ``row_number``, the spreadsheet row each value came from.
    source : str
    illustrative : bool
        True for a worked example: every table and figure made from it says so.
    """

    factors: pd.DataFrame
    qspm: pd.DataFrame = field(default_factory=pd.DataFrame)
    space: pd.DataFrame = field(default_factory=pd.DataFrame)
    source: str = ""
    illustrative: bool = False

    @property
    def respondents(self) -> list[str]:
        return sorted(self.factors["respondent"].astype(str).unique())


# --- reading and validation -----------------------------------------------------------


def _normalise(frame: pd.DataFrame) -> pd.DataFrame:
    renamed = {}
    for column in frame.columns:
        key = str(column).strip().lower()
        renamed[column] = HEADERS.get(key, HEADERS.get(key.replace(" ", "_"), key))
    return frame.rename(columns=renamed)


def _read_tables(path: Path) -> tuple[dict[str, pd.DataFrame], dict[str, int], bool]:
    """Tables by sheet, the spreadsheet row of each table's first data row, illustrative."""
    suffix = path.suffix.lower()
    if suffix in {".yaml", ".yml"}:
        import yaml

        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(content, Mapping):
            raise WorkshopError(f"{path}: expected a mapping with 'factors', 'qspm', 'space'")
        tables = {
            SHEETS[k.lower()]: pd.DataFrame(v)
            for k, v in content.items()
            if isinstance(k, str) and k.lower() in SHEETS
        }
        return tables, dict.fromkeys(tables, 1), bool(content.get("illustrative", False))
    if suffix in {".xlsx", ".xls"}:
        sheets = pd.read_excel(path, sheet_name=None, dtype=object)
        tables = {
            SHEETS[n.strip().lower()]: t for n, t in sheets.items() if n.strip().lower() in SHEETS
        }
        illustrative = any(n.strip().lower() in {"illustrative", "ilustrasi"} for n in sheets)
        return tables, dict.fromkeys(tables, 2), illustrative
    if suffix == ".csv":
        frame = _normalise(pd.read_csv(path, dtype=object, keep_default_na=False))
        if "sheet" not in frame.columns:
            raise WorkshopError(
                f"{path}, column 'sheet': missing; a CSV workshop has a 'sheet' (lembar) column "
                "saying factors, qspm or space on every row"
            )
        frame = frame.assign(row_number=np.arange(len(frame)) + 2)
        tables = {}
        names = frame["sheet"].str.strip().str.lower()
        unknown = ~names.isin(list(SHEETS))
        if unknown.any():
            row = int(frame.loc[unknown, "row_number"].iloc[0])
            raise WorkshopError(
                f"{path}, row {row}, column 'sheet': {names[unknown].iloc[0]!r} is not "
                "factors (faktor), qspm or space"
            )
        # "factors" and "faktor" rows are one sheet
        for sheet, part in frame.groupby(names.map(SHEETS)):
            tables[sheet] = part.replace("", np.nan)
        return tables, {}, "illustrative" in path.stem.lower()
    raise WorkshopError(f"{path}: expected .xlsx, .csv or .yaml, got {suffix or 'no suffix'}")


def _number(value: object) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    text = str(value).strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def _where(path: Path, sheet: str, row: int, column: str) -> str:
    return f"{path}, sheet {sheet}, row {row}, column '{column}'"


def _check_factors(frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The factors sheet with English kinds and numbers, and every rule it breaks."""
    factors = frame.copy()
    problems: list[str] = []
    factors["factor"] = factors["factor"].astype(str).str.strip()
    factors["respondent"] = factors["respondent"].astype(str).str.strip()
    kinds = factors["kind"].astype(str).str.strip().str.lower()
    for row, kind in zip(factors["row_number"], kinds, strict=True):
        if kind not in KIND_NAMES:
            problems.append(
                f"{_where(path, 'factors', row, 'kind')}: {kind!r} is not strength, weakness, "
                "opportunity or threat (kekuatan, kelemahan, peluang, ancaman)"
            )
    factors["kind"] = kinds.map(KIND_NAMES)
    factors["weight"] = factors["weight"].map(_number)
    factors["rating"] = factors["rating"].map(_number)
    for item in factors.itertuples():
        if not 0 <= item.weight <= 1:
            problems.append(
                _where(path, "factors", item.row_number, "weight")
                + f": {item.weight:g} is not in [0, 1]"
            )
        low, high = RATING_RANGE.get(item.kind, (1, 4))
        if not (low <= item.rating <= high and float(item.rating).is_integer()):
            problems.append(
                _where(path, "factors", item.row_number, "rating")
                + f": {item.rating:g} for a {item.kind} must be a whole number from {low} to {high}"
            )
    duplicated = factors.duplicated(["factor", "respondent"], keep="first")
    for item in factors[duplicated].itertuples():
        problems.append(
            _where(path, "factors", item.row_number, "factor")
            + f": {item.factor!r} is listed twice for respondent {item.respondent!r}"
        )
    for (respondent, side), part in factors.dropna(subset=["kind"]).groupby(
        ["respondent", factors["kind"].isin(INTERNAL).map({True: "internal", False: "external"})]
    ):
        total = part["weight"].sum()
        if abs(total - 1) > WEIGHT_TOLERANCE:
            first, last = part["row_number"].min(), part["row_number"].max()
            rows = f"row {first}" if first == last else f"rows {first}–{last}"
            problems.append(
                f"{path}, sheet factors, {rows}, column 'weight': the {side} weights of "
                f"respondent {respondent!r} sum to {total:.4f}, not 1 ± {WEIGHT_TOLERANCE}"
            )
    if "evidence" not in factors.columns:
        factors["evidence"] = ""
    factors["evidence"] = factors["evidence"].fillna("").astype(str).str.strip()
    return factors, problems


def _check_qspm(frame: pd.DataFrame, known: set[str], path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The qspm sheet with AS as numbers ("–" → NaN), and every rule it breaks."""
    qspm = frame.copy()
    problems: list[str] = []
    if len(qspm):
        qspm["strategy"] = qspm["strategy"].astype(str).str.strip()
        qspm["factor"] = qspm["factor"].astype(str).str.strip()
        qspm["respondent"] = qspm["respondent"].astype(str).str.strip()
        scores = []
        for item in qspm.itertuples():
            text = "" if pd.isna(item.attractiveness) else str(item.attractiveness).strip().lower()
            value = math.nan if text in NOT_BEARING else _number(text)
            if text not in NOT_BEARING and not (
                AS_RANGE[0] <= value <= AS_RANGE[1] and float(value).is_integer()
            ):
                problems.append(
                    _where(path, "qspm", item.row_number, "as")
                    + f": {item.attractiveness!r} must be a whole number from 1 to 4, or '–' "
                    "when the factor does not bear on the choice"
                )
            if item.factor not in known:
                problems.append(
                    f"{_where(path, 'qspm', item.row_number, 'factor')}: {item.factor!r} is not a "
                    "factor of the factors sheet"
                )
            scores.append(value)
        qspm["attractiveness"] = scores
        if "tows" in qspm.columns:
            tows_values = qspm["tows"].fillna("").astype(str).str.strip().str.upper()
            for row, value in zip(qspm["row_number"], tows_values, strict=True):
                if value and value not in {"SO", "WO", "ST", "WT"}:
                    problems.append(
                        f"{_where(path, 'qspm', row, 'tows')}: {value!r} is not SO, WO, ST or WT"
                    )
            qspm["tows"] = tows_values
    return qspm, problems


def _check_space(frame: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[str]]:
    """The SPACE sheet with scores as numbers, and every rule it breaks."""
    space_table = frame.copy()
    problems: list[str] = []
    if len(space_table):
        space_table["dimension"] = space_table["dimension"].astype(str).str.strip().str.upper()
        space_table["score"] = space_table["score"].map(_number)
        space_table["respondent"] = space_table["respondent"].astype(str).str.strip()
        for item in space_table.itertuples():
            if item.dimension not in SPACE_RANGE:
                problems.append(
                    f"{_where(path, 'space', item.row_number, 'dimension')}: {item.dimension!r} is "
                    "not FS, CA, ES or IS"
                )
                continue
            low, high = SPACE_RANGE[item.dimension]
            if not low <= item.score <= high:
                problems.append(
                    f"{_where(path, 'space', item.row_number, 'score')}: {item.score} for "
                    f"{item.dimension} must be from {low:+d} to {high:+d}"
                )
    return space_table, problems


def read_workshop(path: str | Path) -> Workshop:
    """Read and validate a workshop file (module docstring for the format).

    Every rule broken anywhere is reported at once, each line naming the file, sheet, row
    (as the spreadsheet shows it) and column.

    Raises
    ------
    WorkshopError
        A missing sheet or column, or any rule broken.

    Examples
    --------
    >>> workshop = read_workshop(ILLUSTRATIVE)
    >>> workshop.illustrative, len(workshop.respondents) > 1
    (True, True)
    """
    path = Path(path)
    if not path.exists():
        raise WorkshopError(f"{path}: file not found")
    raw, first_rows, illustrative = _read_tables(path)
    if "factors" not in raw:
        raise WorkshopError(f"{path}: no 'factors' (faktor) sheet")
    tables: dict[str, pd.DataFrame] = {}
    for sheet, frame in raw.items():
        frame = _normalise(frame)
        if "row_number" not in frame.columns:
            frame = frame.assign(row_number=np.arange(len(frame)) + first_rows.get(sheet, 2))
        frame = frame.dropna(
            how="all", subset=[c for c in frame.columns if c not in {"row_number", "sheet"}]
        )
        missing = [c for c in REQUIRED[sheet] if c not in frame.columns]
        if missing:
            raise WorkshopError(
                f"{path}, sheet {sheet}: missing column(s) {', '.join(missing)}; expected "
                f"{', '.join(REQUIRED[sheet])}"
            )
        tables[sheet] = frame

    for sheet in ("qspm", "space"):  # optional sheets
        tables.setdefault(sheet, pd.DataFrame(columns=[*REQUIRED[sheet], "row_number"]))
    factors, problems = _check_factors(tables["factors"], path)
    qspm, more = _check_qspm(tables["qspm"], set(factors["factor"]), path)
    space_table, rest = _check_space(tables["space"], path)
    problems += more + rest
    if problems:
        raise WorkshopError(
            f"{len(problems)} problem(s) in the workshop file:\n" + "\n".join(problems)
        )
    return Workshop(
        factors=factors.drop(columns=["sheet"], errors="ignore").reset_index(drop=True),
        qspm=qspm.drop(columns=["sheet"], errors="ignore").reset_index(drop=True),
        space=space_table.drop(columns=["sheet"], errors="ignore").reset_index(drop=True),
        source=str(path),
        illustrative=illustrative,
    )


#: The rules sheet of the template (what :func:`read_workshop` checks), per language.
TEMPLATE_RULES = {
    "en": [
        "factors: one row per factor and respondent; kind = strength, weakness, opportunity "
        "or threat",
        "weight 0–1; per respondent the internal weights (strengths + weaknesses) sum to 1, "
        "and so do the external ones (opportunities + threats), ± 0.001",
        "rating: strengths 3 or 4, weaknesses 1 or 2, opportunities and threats 1–4 "
        "(whole numbers)",
        "evidence (optional): rate:<count>@<regency>, panel:<column>@<regency>[@<year>], "
        "evaluation:<programme>, or free text",
        "qspm: one row per strategy, factor and respondent; as = 1–4, or – when the factor "
        "does not bear on the choice; tows (optional) = SO, WO, ST or WT",
        "space: FS and IS scores +1 to +6, CA and ES scores −6 to −1",
    ],
    "id": [
        "faktor: satu baris per faktor dan responden; jenis = kekuatan, kelemahan, peluang "
        "atau ancaman",
        "bobot 0–1; untuk tiap responden bobot internal (kekuatan + kelemahan) berjumlah 1, "
        "demikian pula bobot eksternal (peluang + ancaman), ± 0,001",
        "peringkat: kekuatan 3 atau 4, kelemahan 1 atau 2, peluang dan ancaman 1–4 "
        "(bilangan bulat)",
        "bukti (boleh kosong): rate:<count>@<kabupaten>, panel:<kolom>@<kabupaten>[@<tahun>], "
        "evaluation:<program>, atau teks bebas",
        "qspm: satu baris per strategi, faktor dan responden; nilai_daya_tarik = 1–4, atau – "
        "bila faktor tidak berpengaruh pada pilihan; tows (boleh kosong) = SO, WO, ST atau WT",
        "space: nilai FS dan IS +1 sampai +6, CA dan ES −6 sampai −1",
    ],
}


def write_template(path: str | Path, lang: str = "id") -> Path:
    """Write an empty workshop template (XLSX with the three sheets, headers in ``lang``,
    one example row each and a sheet explaining the rules).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_template(pathlib.Path(tempfile.mkdtemp()) / "lokakarya.xlsx")
    >>> read_workshop(out).factors["kind"].tolist()
    ['strength', 'weakness', 'opportunity', 'threat']
    """
    path = Path(path)
    headers = {
        "id": {
            "factors": ["faktor", "jenis", "responden", "bobot", "peringkat", "bukti"],
            "qspm": ["strategi", "faktor", "responden", "nilai_daya_tarik", "tows"],
            "space": ["dimensi", "butir", "responden", "nilai"],
        },
        "en": {
            "factors": ["factor", "kind", "respondent", "weight", "rating", "evidence"],
            "qspm": ["strategy", "factor", "respondent", "as", "tows"],
            "space": ["dimension", "item", "respondent", "score"],
        },
    }[lang]
    kinds = ["kekuatan", "kelemahan", "peluang", "ancaman"] if lang == "id" else list(RATING_RANGE)
    factors = pd.DataFrame(
        [
            [f"F{i + 1}", kind, "R1", 0.5, rating, ""]
            for i, (kind, rating) in enumerate(zip(kinds, [4, 2, 3, 2], strict=True))
        ],
        columns=headers["factors"],
    )
    qspm = pd.DataFrame([["S1", "F1", "R1", 3, "SO"]], columns=headers["qspm"])
    space_rows = pd.DataFrame(
        [[d, f"{d}1", "R1", SPACE_RANGE[d][1] if d in {"FS", "IS"} else -1] for d in SPACE_RANGE],
        columns=headers["space"],
    )
    rules = pd.DataFrame({"rule": TEMPLATE_RULES[lang]})
    with pd.ExcelWriter(path) as writer:
        factors.to_excel(writer, sheet_name="factors", index=False)
        qspm.to_excel(writer, sheet_name="qspm", index=False)
        space_rows.to_excel(writer, sheet_name="space", index=False)
        rules.to_excel(writer, sheet_name="rules", index=False)
    return path


# --- the matrices ---------------------------------------------------------------------


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


def _weighted_totals(factors: pd.DataFrame, sides: tuple[str, str]) -> pd.DataFrame:
    part = factors[factors["kind"].isin(sides)]
    if part.empty:
        raise ValueError(f"no {sides[0]} or {sides[1]} factors")
    if "respondent" not in part.columns:
        part = part.assign(respondent="all")

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

    Returns
    -------
    pandas.DataFrame
        Indexed by respondent plus ``pooled``: ``total`` (1–4; 2.5 is average),
        ``strength``, ``weakness`` (their parts of the total), ``weight_sum``.

    Examples
    --------
    >>> table = pd.DataFrame({"factor": ["s", "w"], "kind": ["strength", "weakness"],
    ...                       "weight": [0.6, 0.4], "rating": [4, 1]})
    >>> round(float(ife(table).loc["pooled", "total"]), 2)
    2.8
    """
    return _weighted_totals(factors, INTERNAL)


def efe(factors: pd.DataFrame) -> pd.DataFrame:
    """External Factor Evaluation: Σ weight × rating over opportunities and threats
    (same layout as :func:`ife`)."""
    return _weighted_totals(factors, EXTERNAL)


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

    Examples
    --------
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


# --- AHP ------------------------------------------------------------------------------


def ahp_weights(matrix: np.ndarray | Sequence[Sequence[float]]) -> tuple[np.ndarray, float]:
    """Weights from a pairwise-comparison matrix (Saaty's AHP) and its consistency ratio.

    Weights are the principal right eigenvector, summing to 1; CR = CI / RI with
    CI = (λmax − n) / (n − 1) and Saaty's random index RI (:data:`RANDOM_INDEX`). A CR
    above 0.10 means the judgements should be revisited (:func:`ahp_report` flags it).

    Examples
    --------
    >>> weights, ratio = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    >>> weights.round(3).tolist(), round(ratio, 6)
    ([0.571, 0.286, 0.143], 0.0)
    """
    values = np.asarray(matrix, dtype=float)
    n = values.shape[0]
    if values.ndim != 2 or values.shape[1] != n:
        raise ValueError(f"a pairwise matrix is square, got shape {values.shape}")
    if n > max(RANDOM_INDEX):
        raise ValueError(f"Saaty's random index is tabled up to n = {max(RANDOM_INDEX)}, got {n}")
    if (values <= 0).any():
        raise ValueError("pairwise judgements are positive (1/9 … 9)")
    if not np.allclose(values * values.T, 1.0, rtol=1e-6):
        bad = np.argwhere(~np.isclose(values * values.T, 1.0, rtol=1e-6))[0]
        raise ValueError(
            f"the matrix is not reciprocal: a[{bad[0]}, {bad[1]}] × a[{bad[1]}, {bad[0]}] ≠ 1"
        )
    eigenvalues, eigenvectors = np.linalg.eig(values)
    index = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, index].real)
    weights = vector / vector.sum()
    lambda_max = float(eigenvalues[index].real)
    if n <= 2:
        return weights, 0.0
    consistency_index = (lambda_max - n) / (n - 1)
    return weights, max(consistency_index / RANDOM_INDEX[n], 0.0)


def ahp_aggregate(matrices: Sequence[np.ndarray]) -> np.ndarray:
    """Respondents' pairwise matrices combined by the element-wise geometric mean (which
    keeps the result reciprocal: Aczél and Saaty 1983).

    Examples
    --------
    >>> float(ahp_aggregate([np.array([[1, 4], [1 / 4, 1]]), np.array([[1, 1], [1, 1]])])[0, 1])
    2.0
    """
    stack = np.asarray([np.asarray(m, dtype=float) for m in matrices])
    return np.exp(np.log(stack).mean(axis=0))


def ahp_report(matrices: Mapping[str, np.ndarray], labels: Sequence[str]) -> pd.DataFrame:
    """Weights and CR for each respondent and for their geometric-mean aggregate.

    Returns
    -------
    pandas.DataFrame
        Indexed by respondent plus ``aggregate``: one weight column per label,
        ``consistency_ratio`` and ``consistent`` (CR ≤ 0.10).
    """
    rows = {}
    for name, matrix in {**matrices, "aggregate": ahp_aggregate(list(matrices.values()))}.items():
        weights, ratio = ahp_weights(matrix)
        rows[name] = {
            **dict(zip(labels, weights, strict=True)),
            "consistency_ratio": ratio,
            "consistent": ratio <= CR_LIMIT,
        }
    return pd.DataFrame.from_dict(rows, orient="index")


# --- uncertainty ----------------------------------------------------------------------


@dataclass
class StrategyUncertainty:
    """Result of :func:`monte_carlo`.

    Attributes
    ----------
    ranking : pandas.DataFrame
        Per strategy: ``tas`` (pooled), ``p_first`` (share of draws in which it ranks
        first; they sum to 1), ``tas_low``/``tas_high`` (5th/95th percentile),
        ``p_above_next`` (share of draws in which it beats the next one down) and
        ``verdict``.
    ie_cells : pandas.Series
        Share of draws per IE cell (sums to 1).
    ie_points : pandas.DataFrame
        ``ife, efe`` of every draw (the cloud of the IE figure).
    tas_draws : pandas.DataFrame
        TAS of every strategy in every draw.
    draws, seed : int
    """

    ranking: pd.DataFrame
    ie_cells: pd.Series
    ie_points: pd.DataFrame
    tas_draws: pd.DataFrame
    draws: int
    seed: int


#: A strategy that beats the next one down in fewer than this share of draws is "not
#: distinguishable" from it.
DISTINGUISHABLE = 0.95


def monte_carlo(
    workshop: Workshop,
    draws: int = 2_000,
    *,
    seed: int = 20_251_129,
    concentration: float = 200.0,
    jitter: float = 0.25,
) -> StrategyUncertainty:
    """How much the IE cell and the QSPM ranking rest on who was asked and on noise.

    Each draw (seeded): resample the respondents with replacement; perturb each respondent's
    internal and external weights by a Dirichlet with mean equal to them (``concentration``
    = 200 gives about ±10 % relative noise on a weight of 0.1); move each rating and each
    AS by ±1 with probability ``jitter`` each way, kept inside its allowed range; then pool
    and recompute the IFE, EFE, IE cell and TAS.

    A strategy whose TAS exceeds the next strategy's in fewer than 95 % of draws is
    reported as "not distinguishable" from it, not as ranked above it.

    Examples
    --------
    >>> result = monte_carlo(read_workshop(ILLUSTRATIVE), draws=200, seed=1)
    >>> round(float(result.ranking["p_first"].sum()), 6), round(float(result.ie_cells.sum()), 6)
    (1.0, 1.0)
    """
    rng = np.random.default_rng(seed)
    factors = workshop.factors
    scores = workshop.qspm
    respondents = workshop.respondents
    names = list(dict.fromkeys(factors["factor"]))
    kinds = factors.drop_duplicates("factor").set_index("factor").loc[names, "kind"]
    weights = (
        factors.pivot_table(index="respondent", columns="factor", values="weight", aggfunc="first")
        .reindex(index=respondents, columns=names)
        .fillna(0.0)
        .to_numpy()
    )
    ratings = (
        factors.pivot_table(index="respondent", columns="factor", values="rating", aggfunc="first")
        .reindex(index=respondents, columns=names)
        .to_numpy()
    )
    low = np.array([RATING_RANGE[k][0] for k in kinds], dtype=float)
    high = np.array([RATING_RANGE[k][1] for k in kinds], dtype=float)
    internal = kinds.isin(INTERNAL).to_numpy()
    strategies = list(dict.fromkeys(scores["strategy"])) if len(scores) else []
    answers = np.full((len(respondents), len(strategies), len(names)), np.nan)
    if strategies:
        position = {name: i for i, name in enumerate(names)}
        for row in scores.itertuples():
            answers[
                respondents.index(row.respondent),
                strategies.index(row.strategy),
                position[row.factor],
            ] = row.attractiveness

    n_resp = len(respondents)
    chosen = rng.integers(n_resp, size=(draws, n_resp))  # bootstrap respondents
    drawn_weights = weights[chosen]  # draws × respondents × factors
    noisy = rng.gamma(np.maximum(drawn_weights * concentration, 1e-3))  # Dirichlet by gammas
    noisy = np.where(drawn_weights > 0, noisy, 0.0)
    for side in (internal, ~internal):
        share = drawn_weights[..., side].sum(axis=-1, keepdims=True)
        total = noisy[..., side].sum(axis=-1, keepdims=True)
        noisy[..., side] = noisy[..., side] / np.where(total > 0, total, 1.0) * share
    steps = [-1.0, 0.0, 1.0]
    odds = [jitter, 1 - 2 * jitter, jitter]
    drawn_ratings = np.clip(
        ratings[chosen] + rng.choice(steps, size=(draws, n_resp, len(names)), p=odds), low, high
    )
    pooled_weight = noisy.mean(axis=1)  # draws × factors
    pooled_rating = np.nanmean(drawn_ratings, axis=1)
    score = np.nan_to_num(pooled_weight * pooled_rating)
    ie_points = pd.DataFrame(
        {"ife": score[:, internal].sum(axis=1), "efe": score[:, ~internal].sum(axis=1)}
    )
    cells = pd.Series(
        [ie_cell(i, e)[0] for i, e in ie_points.itertuples(index=False)]
    ).value_counts(normalize=True)
    tas_draws = pd.DataFrame(columns=strategies, dtype=float)
    if strategies:
        drawn_answers = answers[chosen]  # draws × respondents × strategies × factors
        moves = rng.choice(steps, size=drawn_answers.shape, p=odds)
        drawn_answers = np.clip(drawn_answers + moves, *AS_RANGE)  # NaN ("–") stays NaN
        # Mean AS over the respondents who scored the pair; a factor everyone marked "–"
        # adds nothing (as in :func:`qspm`).
        answered = (~np.isnan(drawn_answers)).sum(axis=1)  # draws × strategies × factors
        total = np.nansum(drawn_answers, axis=1)
        mean_answer = np.divide(total, answered, out=np.zeros_like(total), where=answered > 0)
        tas = (pooled_weight[:, None, :] * mean_answer).sum(axis=2)
        tas_draws = pd.DataFrame(tas, columns=strategies)
    ranking = _ranking(qspm(factors, scores) if len(scores) else None, tas_draws)
    return StrategyUncertainty(
        ranking=ranking,
        ie_cells=cells.rename("share"),
        ie_points=ie_points,
        tas_draws=tas_draws,
        draws=draws,
        seed=seed,
    )


def _ranking(observed: pd.DataFrame | None, tas_draws: pd.DataFrame) -> pd.DataFrame:
    if observed is None or tas_draws.empty:
        return pd.DataFrame(
            columns=["strategy", "tas", "p_first", "tas_low", "tas_high", "p_above_next", "verdict"]
        )
    order = observed["strategy"].tolist()
    tas_draws = tas_draws[order]
    winners = tas_draws.to_numpy().argmax(axis=1)
    p_first = np.bincount(winners, minlength=len(order)) / len(tas_draws)
    rows = []
    for position, strategy in enumerate(order):
        below = order[position + 1] if position + 1 < len(order) else None
        above_next = (
            float((tas_draws[strategy] > tas_draws[below]).mean()) if below is not None else np.nan
        )
        if below is None:
            verdict = "lowest"
        elif above_next >= DISTINGUISHABLE:
            verdict = f"above {below}"
        else:
            verdict = f"not distinguishable from {below}"
        rows.append(
            {
                "strategy": strategy,
                "tas": float(observed.loc[observed["strategy"] == strategy, "pooled"].iloc[0]),
                "p_first": float(p_first[position]),
                "tas_low": float(tas_draws[strategy].quantile(0.05)),
                "tas_high": float(tas_draws[strategy].quantile(0.95)),
                "p_above_next": above_next,
                "verdict": verdict,
            }
        )
    return pd.DataFrame(rows)


# --- evidence -------------------------------------------------------------------------

_EVIDENCE = re.compile(
    r"^(?P<kind>rate|panel|evaluation):(?P<what>[^@]+)(?:@(?P<where>[^@]+))?(?:@(?P<year>\d{4}))?$"
)


def evidence_table(workshop: Workshop, panel: pd.DataFrame | None = None) -> pd.DataFrame:
    """What each factor's rating rested on, with the current value from the package.

    The ``evidence`` cell of a factor may cite:

    * ``rate:<count>@<regency>``: the pooled rate per 100,000 of a count (hotspot chain);
    * ``panel:<column>@<regency>[@<year>]``: a panel value (latest year with a value);
    * ``evaluation:<programme>``: the programme's before-and-after IRR, interval and p
      (:func:`migration_ntt.evaluation.evaluate_programme`, 999 permutations);
    * anything else: kept as written, ``status`` "text (not linked)".

    Returns
    -------
    pandas.DataFrame
        ``factor, kind, evidence, value, period, source, status`` (one row per factor
        citing evidence).
    """
    from migration_ntt import panel as panel_module

    cited = workshop.factors.drop_duplicates("factor")
    cited = cited[cited["evidence"].astype(str).str.len() > 0]
    rows = []
    table = panel
    pooled_rates: dict[str, tuple[pd.DataFrame, dict[str, str]]] = {}  # one chain per count
    for item in cited.itertuples():
        match = _EVIDENCE.match(item.evidence.strip())
        row = {
            "factor": item.factor,
            "kind": item.kind,
            "evidence": item.evidence,
            "value": "",
            "period": "",
            "source": "",
            "status": "text (not linked)",
        }
        if match is None:
            rows.append(row)
            continue
        if table is None:
            table = panel_module.build_panel(write=False)
        kind, what, where, year = (
            match["kind"],
            match["what"].strip(),
            match["where"],
            match["year"],
        )
        try:
            code = _regency_code(where) if where else None
            if kind == "rate":
                if what not in pooled_rates:
                    pooled_rates[what] = _pooled_rates(table, what)
                value, period, source = _rate_evidence(table, what, code, *pooled_rates[what])
            elif kind == "panel":
                value, period, source = _panel_evidence(table, what, code, year)
            else:
                value, period, source = _evaluation_evidence(table, what)
            row.update(value=value, period=period, source=source, status="linked")
        except (KeyError, ValueError, LookupError) as error:
            row.update(status=f"not found: {error}")
        rows.append(row)
    return pd.DataFrame(
        rows, columns=["factor", "kind", "evidence", "value", "period", "source", "status"]
    )


def _regency_code(name: str) -> str:
    from migration_ntt import regions

    resolved = regions.resolve([name.strip()])
    code = resolved["bps_code"].iloc[0]
    if code is None or (isinstance(code, float) and math.isnan(code)) or pd.isna(code):
        raise LookupError(f"{name!r} is not one of the 22 regencies")
    return str(code)


def _pooled_rates(table: pd.DataFrame, count: str) -> tuple[pd.DataFrame, dict[str, str]]:
    from migration_ntt.analysis import rate_table
    from migration_ntt.ingest import boundaries

    rates, periods = rate_table(table, boundaries.load_boundaries(), count)
    return rates[rates["period"] == "pooled"].set_index("bps_code"), periods


def _rate_evidence(
    table: pd.DataFrame, count: str, code: str | None, pooled: pd.DataFrame, periods: dict
) -> tuple[str, str, str]:
    if code is None or code not in pooled.index:
        raise KeyError(f"no pooled rate of {count} for {code}")
    row = pooled.loc[code]
    value = f"{row['rate']:.1f} per 100,000 ({row['ci_low']:.1f}–{row['ci_high']:.1f})"
    reports = table[f"{count}_source"].dropna().astype(str).nunique()
    return value, periods["pooled"], f"{reports} published reports ({count}_source in the panel)"


def _panel_evidence(
    table: pd.DataFrame, column: str, code: str | None, year: str | None
) -> tuple[str, str, str]:
    if column not in table.columns:
        raise KeyError(f"no panel column {column!r}")
    rows = table[table[column].notna()]
    if code is not None:
        rows = rows[rows["bps_code"] == code]
    if year is not None:
        rows = rows[rows["year"] == int(year)]
    if rows.empty:
        raise LookupError(f"no value of {column} for {code or 'NTT'}")
    latest = rows.sort_values("year").iloc[-1]
    period = str(latest.get(f"{column}_year", latest["year"]))
    source = (
        str(latest[f"{column}_source"])
        if f"{column}_source" in table.columns
        else "data/raw/indicators/ntt_indicators_long.csv (source per row)"
    )
    return f"{latest[column]:g}", period, source


def _evaluation_evidence(table: pd.DataFrame, programme: str) -> tuple[str, str, str]:
    from migration_ntt import evaluation

    result = evaluation.evaluate_programme(table, programme, permutations=999)
    years = f"{int(table['year'].min())}–{int(table['year'].max())}"
    value = (
        f"IRR {result.irr:.2f} ({result.ci_low:.2f}–{result.ci_high:.2f}), "
        f"p = {result.p_randomisation:.3f}"
    )
    return value, years, "migration_ntt.evaluation (randomisation over adoption, 999)"


# --- outputs --------------------------------------------------------------------------

TOWS_HEADERS = {
    "en": {
        "quadrant": "Quadrant",
        "internal": "Internal factors",
        "external": "External factors",
        "strategies": "Strategies",
    },
    "id": {
        "quadrant": "Kuadran",
        "internal": "Faktor internal",
        "external": "Faktor eksternal",
        "strategies": "Strategi",
    },
}
ILLUSTRATIVE_NOTE = {
    "en": "ILLUSTRATIVE: invented judgements showing the method, not BP3MI's.",
    "id": "ILUSTRASI: penilaian rekaan untuk menunjukkan metode, bukan penilaian BP3MI.",
}


def export_tows(
    table: pd.DataFrame, stem: Path, lang: str = "id", *, illustrative: bool = False
) -> list[Path]:
    """Write the TOWS table as Markdown, LaTeX and XLSX (``stem`` + ``.md/.tex/.xlsx``),
    headers in ``lang``; an illustrative workshop's files say so in their first line."""
    shown = table.rename(columns=TOWS_HEADERS[lang])
    note = ILLUSTRATIVE_NOTE[lang] if illustrative else ""
    stem.parent.mkdir(parents=True, exist_ok=True)
    markdown = stem.with_suffix(".md")
    markdown.write_text(
        (f"*{note}*\n\n" if note else "") + shown.to_markdown(index=False) + "\n", encoding="utf-8"
    )
    latex = stem.with_suffix(".tex")
    body = shown.style.hide(axis="index").to_latex(hrules=True)
    latex.write_text((f"% {note}\n" if note else "") + body, encoding="utf-8")
    excel = stem.with_suffix(".xlsx")
    with pd.ExcelWriter(excel) as writer:
        shown.to_excel(writer, sheet_name="TOWS", index=False, startrow=2 if note else 0)
        if note:
            writer.sheets["TOWS"].cell(row=1, column=1, value=note)
    return [markdown, latex, excel]


@dataclass
class StrategyResult:
    """Result of :func:`run_strategy`: the matrices, their uncertainty and the files."""

    workshop: Workshop
    ife: pd.DataFrame
    efe: pd.DataFrame
    ie: tuple[str, str]
    space: dict | None
    tows: pd.DataFrame
    qspm: pd.DataFrame
    uncertainty: StrategyUncertainty
    evidence: pd.DataFrame
    files: list[Path]


def run_strategy(
    path: str | Path = ILLUSTRATIVE,
    *,
    languages: Sequence[str] = ("id", "en"),
    draws: int = 2_000,
    seed: int = 20_251_129,
    formats: Sequence[str] = ("png",),
    evidence: bool = True,
    write: bool = True,
) -> StrategyResult:
    """Read a workshop, compute every matrix and its Monte Carlo, write tables, figures and
    the TOWS export. Files: ``data/processed/strategy[_illustrative]_*.csv``,
    ``figures/strategy_{ie,space,qspm}_{lang}.*``, ``reports/strategy_tows_{lang}.*``.

    Examples
    --------
    >>> result = run_strategy(draws=200, evidence=False, write=False)
    >>> result.ie[0] in IE_CELLS[1] + IE_CELLS[2]
    True
    """
    from migration_ntt import config
    from migration_ntt.viz import strategy_charts
    from migration_ntt.viz.export import export_figure

    workshop = read_workshop(path)
    internal, external = ife(workshop.factors), efe(workshop.factors)
    cell = ie_cell(internal.loc["pooled", "total"], external.loc["pooled", "total"])
    position = space(workshop.space) if len(workshop.space) else None
    pairing = tows(workshop.factors, workshop.qspm)
    totals = qspm(workshop.factors, workshop.qspm) if len(workshop.qspm) else pd.DataFrame()
    uncertainty = monte_carlo(workshop, draws=draws, seed=seed)
    cited = evidence_table(workshop) if evidence else pd.DataFrame()
    files: list[Path] = []
    if write:
        import matplotlib.pyplot as plt

        tag = "strategy_illustrative" if workshop.illustrative else "strategy"
        folder = config.processed_dir()
        folder.mkdir(parents=True, exist_ok=True)
        tables = {
            "ife": internal.reset_index(),
            "efe": external.reset_index(),
            "qspm": totals,
            "ranking": uncertainty.ranking,
            "ie_cells": uncertainty.ie_cells.rename_axis("cell").reset_index(),
            "tows": pairing,
            "evidence": cited,
        }
        if position is not None:
            tables["space"] = pd.DataFrame([position])
        for name, table in tables.items():
            out = folder / f"{tag}_{name}.csv"
            table.assign(
                illustrative=workshop.illustrative, source=Path(workshop.source).name
            ).to_csv(out, index=False)
            files.append(out)
        source = Path(workshop.source).name
        for lang in languages:
            figures = {
                "ie": strategy_charts.ie_figure(
                    internal.loc["pooled", "total"],
                    external.loc["pooled", "total"],
                    lang,
                    points=uncertainty.ie_points,
                    cell_share=float(uncertainty.ie_cells.get(cell[0], 0.0)),
                    source=source,
                    illustrative=workshop.illustrative,
                ),
            }
            if position is not None:
                figures["space"] = strategy_charts.space_figure(
                    position, lang, source=source, illustrative=workshop.illustrative
                )
            if len(uncertainty.ranking):
                figures["qspm"] = strategy_charts.qspm_figure(
                    uncertainty.ranking, lang, source=source, illustrative=workshop.illustrative
                )
            for name, figure in figures.items():
                files += export_figure(figure, f"{tag}_{name}", lang, formats)
                plt.close(figure)
            files += export_tows(
                pairing,
                config.reports_dir() / f"{tag}_tows_{lang}",
                lang,
                illustrative=workshop.illustrative,
            )
    return StrategyResult(
        workshop=workshop,
        ife=internal,
        efe=external,
        ie=cell,
        space=position,
        tows=pairing,
        qspm=totals,
        uncertainty=uncertainty,
        evidence=cited,
        files=files,
    )


__all__ = [
    "ILLUSTRATIVE",
    "StrategyResult",
    "StrategyUncertainty",
    "Workshop",
    "WorkshopError",
    "ahp_aggregate",
    "ahp_report",
    "ahp_weights",
    "efe",
    "evidence_table",
    "export_tows",
    "ie_cell",
    "ife",
    "monte_carlo",
    "pooled_factors",
    "qspm",
    "read_workshop",
    "run_strategy",
    "space",
    "tows",
    "write_template",
]
