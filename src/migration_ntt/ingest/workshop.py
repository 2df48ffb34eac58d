"""A strategy workshop's judgements, read from one file and checked rule by rule.

BP3MI NTT plans through Fred R. David's strategy cycle, and the research it commissions
records a workshop's judgements in his matrices. This module reads such a workshop and
checks every rule David states, naming the file, sheet, row and column of anything that
breaks one (all problems at once). The matrices themselves are computed by
:mod:`migration_ntt.strategy`.

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
>>> from migration_ntt.ingest import workshop
>>> read = workshop.read_workshop(workshop.ILLUSTRATIVE)
>>> read.illustrative, sorted(read.factors["kind"].unique())
(True, ['opportunity', 'strength', 'threat', 'weakness'])
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

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

    @property
    def source_name(self) -> str:
        """The workshop file's name, for figure credits ("workshop lokakarya_2025.xlsx")."""
        return Path(self.source).name if self.source else ""


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

    Parameters
    ----------
    path : path
        An ``.xlsx`` (sheets ``factors``/``faktor``, ``qspm``, ``space``), a ``.csv`` with a
        ``sheet`` column, or a ``.yaml`` file.

    Returns
    -------
    Workshop
        ``factors``, ``qspm`` and ``space`` tables, the respondents, and whether the
        workshop is illustrative.

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
