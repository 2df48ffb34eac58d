"""Realistic, messy, **synthetic** case records for demos, tests and benchmarks.

No real person is in these files. The names are random pairs of common given names and
NTT family names, NIKs are built from the Kemendagri code structure with random digits,
and every table says it is synthetic: the DataFrame has a ``synthetic`` column and
``attrs["synthetic"] = True``, files written by :func:`write_synthetic_csv` carry a title
row "DATA SINTETIS / SYNTHETIC DATA" and "synthetic" in their name, and the cleaner
carries the mark into its output (and the figures made from it).

The regency mix follows a real published distribution: PMI deaths abroad by regency of
origin in the indicator table (all by-regency reports added per unit, as weights only),
with a small floor so that every unit appears.

Messiness (``messiness`` from 0 to 1 scales all of it): regency spelling variants
(official, short, English, abbreviations, police units, prefixes, case and spacing),
typos, blank regencies (the NIK must then carry the unit), mixed date formats (ISO,
dd/mm/yyyy, dd-mm-yy, "12 Agustus 2024", "12 Agt 2024", Excel serials), blanks,
duplicated rows, invalid NIKs, NIKs registered in another regency, impossible birth
dates, and header names that vary from file to file.

Examples
--------
>>> from migration_ntt.ingest import synthetic
>>> messy, truth = synthetic.generate_records(100, seed=0)
>>> len(messy) == len(truth), bool(messy["synthetic"].all())
(True, True)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import config, regions
from migration_ntt.ingest import indicators, tallies
from migration_ntt.ingest.synthetic_words import (
    DESTINATIONS,
    EVENT_SPELLINGS,
    EVENT_WEIGHTS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    HEADER_STYLES,
    MONTHS_ID,
    MONTHS_ID_SHORT,
    SEX_SPELLINGS,
    STATUS_SPELLINGS,
    SYNTHETIC_TITLE,
)
from migration_ntt.regions import places


def regency_weights() -> pd.Series:
    """Sampling weights by ``bps_code``: PMI deaths abroad by regency in the indicator table."""

    table = indicators.load_indicators().table
    chosen = tallies.select_reports(table, ["pmi_deaths_abroad"], min_units=5)
    totals = chosen.groupby("bps_code")["value"].sum()
    codes = regions.regencies()["bps_code"]
    weights = totals.reindex(codes).fillna(0.0) + 1.0  # floor: every unit appears
    return weights / weights.sum()


def _regency_spellings() -> dict[str, list[str]]:
    table = regions.regencies()
    alias_table = regions.aliases()
    spellings: dict[str, list[str]] = {}
    for row in table.itertuples():
        names = [
            row.name,
            row.short_name,
            row.short_name,
            row.short_name,
            f"Kab. {row.short_name}",
            row.short_name.upper(),
            f"KABUPATEN {row.short_name.upper()}",
            f"Kab {row.short_name}",
            f"{row.name_en} Regency",
        ]
        if row.bps_code == "5371":
            names = ["Kota Kupang", "KOTA KUPANG", "Kota Kupang", "Kupang City", "Kota  Kupang"]
        useful = alias_table[
            (alias_table["bps_code"] == row.bps_code)
            & alias_table["kind"].isin(["abbreviation", "english", "police_unit"])
        ]
        names += useful["alias"].tolist()
        spellings[row.bps_code] = names
    return spellings


def _typo(text: str, rng: np.random.Generator) -> str:
    if len(text) < 10:
        return text
    position = int(rng.integers(2, len(text) - 2))
    if text[position] == " ":
        return text
    kind = rng.integers(3)
    if kind == 0:  # drop a letter
        return text[:position] + text[position + 1 :]
    if kind == 1:  # double a letter
        return text[:position] + text[position] + text[position:]
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]  # swap


def _format_dates(dates: pd.Series, formats: np.ndarray) -> np.ndarray:
    """Render each date in one of six office styles (per distinct date × style)."""
    frame = pd.DataFrame({"date": dates.to_numpy(), "style": formats})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(frame))
    rendered = []
    for date, style in uniques:
        if pd.isna(date):
            rendered.append("")
            continue
        date = pd.Timestamp(date)
        if style == 0:
            rendered.append(date.strftime("%Y-%m-%d"))
        elif style == 1:
            rendered.append(date.strftime("%d/%m/%Y"))
        elif style == 2:
            rendered.append(date.strftime("%d-%m-%y"))
        elif style == 3:
            rendered.append(f"{date.day} {MONTHS_ID[date.month - 1]} {date.year}")
        elif style == 4:
            rendered.append(f"{date.day} {MONTHS_ID_SHORT[date.month - 1]} {date.year}")
        else:
            rendered.append(str((date - pd.Timestamp("1899-12-30")).days))
    return np.asarray(rendered, dtype=object)[codes]


def _choose(
    rng: np.random.Generator, options: dict[str, tuple[str, ...]], truth: np.ndarray
) -> np.ndarray:
    out = np.empty(len(truth), dtype=object)
    for key, spellings in options.items():
        where = truth == key
        out[where] = np.asarray(spellings, dtype=object)[
            rng.integers(0, len(spellings), where.sum())
        ]
    return out


def spell_places(
    names: np.ndarray,
    level: str,
    rng: np.random.Generator,
    mess: float,
    kinds: np.ndarray | None = None,
) -> np.ndarray:
    """How offices might write these kecamatan or village names: prefixes (``Kec.``;
    ``Desa``/``Ds.`` or ``Kel.`` as ``kinds`` says: desa or kelurahan), case, joined words
    ("WaeMulu"), dropped apostrophes and (rarely) a one-letter typo; each row drawn on its
    own."""
    text = pd.Series(names, dtype=object)
    n = len(text)
    apostrophe = text.str.contains("'", regex=False) & (rng.random(n) < 0.5)
    text[apostrophe] = text[apostrophe].str.replace("'", "", regex=False)
    joined = text.str.contains(" ", regex=False) & (rng.random(n) < 0.15 * mess)
    text[joined] = text[joined].str.replace(" ", "", regex=False)
    case = rng.random(n) < 0.3 * mess
    upper = case & (rng.random(n) < 0.5)
    text[upper] = text[upper].str.upper()
    text[case & ~upper] = text[case & ~upper].str.lower()
    typo = (text.str.len() >= 8) & (rng.random(n) < 0.04 * mess)
    text[typo] = [_typo(value, rng) for value in text[typo]]
    if level == "district":
        prefixes = np.array(["Kec. ", "Kecamatan ", "KEC. "], dtype=object)
    else:
        prefixes = np.array(["Desa ", "Ds. "], dtype=object)
    chosen = prefixes[rng.integers(0, len(prefixes), n)]
    if kinds is not None:
        kelurahan = np.array(["Kel. ", "Kelurahan "], dtype=object)[rng.integers(0, 2, n)]
        chosen = np.where(np.asarray(kinds) == "kelurahan", kelurahan, chosen)
    prefixed = rng.random(n) < 0.3 * mess
    text[prefixed] = chosen[prefixed] + text[prefixed]
    return text.to_numpy(dtype=object)


def _draw_places(
    codes: np.ndarray, rng: np.random.Generator, planted: Mapping | None, eligible: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A kecamatan and a village of each row's regency (planted kecamatan weighted up for
    the ``eligible`` rows)."""

    villages = places.places("village")
    districts = places.places("district")
    risk = float((planted or {}).get("risk", 1.0))
    hot = set((planted or {}).get("districts", ()))
    district_codes = np.empty(len(codes), dtype=object)
    village_codes = np.empty(len(codes), dtype=object)
    by_regency = districts.groupby("bps_code")["kemendagri_code"].apply(list).to_dict()
    by_district = villages.groupby("district_code")["kemendagri_code"].apply(list).to_dict()
    for code in np.unique(codes):
        options = by_regency[code]
        weights = np.array([risk if option in hot else 1.0 for option in options])
        for planted_rows, w in ((True, weights), (False, np.ones(len(options)))):
            rows = np.flatnonzero((codes == code) & (eligible == planted_rows))
            if len(rows):
                district_codes[rows] = rng.choice(options, size=len(rows), p=w / w.sum())
    for district in np.unique(district_codes):
        rows = np.flatnonzero(district_codes == district)
        options = by_district[district]
        village_codes[rows] = np.asarray(options, dtype=object)[
            rng.integers(0, len(options), len(rows))
        ]
    return district_codes, village_codes


def generate_records(
    n: int,
    seed: int = 0,
    messiness: float = 0.3,
    header_style: int | None = None,
    *,
    planted: Mapping | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Generate ``n`` messy synthetic case records and the truth behind them.

    Parameters
    ----------
    n : int
        Rows before duplicates are added (about ``n * (1 + 0.1 * messiness)`` rows out).
    seed : int
        Random seed: the same seed gives the same table.
    messiness : float
        0 (tidy) to 1 (very messy); scales every kind of mess.
    header_style : int, optional
        0 Indonesian, 1 abbreviated Indonesian, 2 English; default drawn from the seed.
    planted : mapping, optional
        A cluster to find: ``{"districts": [kemendagri codes], "risk": 4.0, "years":
        [2023]}``. Rows are drawn ``risk`` times more often in those kecamatan (within
        their regency), and there non-procedural ``risk`` times more often (odds); with
        ``years``, only events of those years. For demos and tests of the scan statistic.

    Returns
    -------
    (messy, truth) : tuple of DataFrame
        ``messy``: the export as an office would send it, headers varying, a ``synthetic``
        column. ``truth``: per messy row, ``bps_code``, ``sex``, ``event_date``,
        ``destination_iso3``, ``procedural``, ``event_type``, ``age``, ``nik_prefix_matches``,
        ``regency_resolvable``, ``expected_reject`` (a reason code or None),
        ``duplicate_of_row`` (position of the original, or -1), ``district_code``,
        ``village_code`` (Kemendagri) and ``planted`` (the row is in the planted cluster).
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    rng = np.random.default_rng(seed)
    mess = float(np.clip(messiness, 0.0, 1.0))
    table = regions.regencies()
    weights = regency_weights()
    codes = rng.choice(weights.index.to_numpy(), size=n, p=weights.to_numpy())

    events = rng.choice(list(EVENT_WEIGHTS), size=n, p=list(EVENT_WEIGHTS.values()))
    procedural = np.where(
        events == "placement",
        np.where(rng.random(n) < 0.9, "prosedural", "non_prosedural"),
        np.where(rng.random(n) < 0.12, "prosedural", "non_prosedural"),
    )
    sex = np.where(rng.random(n) < 0.68, "male", "female")
    start = pd.Timestamp("2019-01-01")
    event_date = pd.Series(start + pd.to_timedelta(rng.integers(0, 2495, n), unit="D"))
    eligible = np.ones(n, dtype=bool)
    if planted and planted.get("years"):
        eligible = event_date.dt.year.isin(list(planted["years"])).to_numpy()
    district_codes, village_codes = _draw_places(codes, rng, planted, eligible)
    in_cluster = eligible & np.isin(district_codes, list((planted or {}).get("districts", ())))
    if in_cluster.any():
        risk = float(planted.get("risk", 1.0))
        base = np.where(events == "placement", 0.1, 0.88)  # non-procedural shares above
        odds = base / (1 - base) * risk
        procedural = np.where(
            in_cluster,
            np.where(rng.random(n) < odds / (1 + odds), "non_prosedural", "prosedural"),
            procedural,
        )
    age_years = np.clip(rng.normal(31, 8, n), 15, 62).astype(int)
    birth_date = event_date - pd.to_timedelta(
        age_years * 365.25 + rng.integers(0, 365, n), unit="D"
    )
    birth_date = birth_date.dt.normalize()
    iso3 = rng.choice(list(DESTINATIONS), size=n, p=[v[0] for v in DESTINATIONS.values()])

    # NIK: Kemendagri province+regency, district, birth day (+40 for women), month, year, serial.
    kemendagri = table.set_index("bps_code")["kemendagri_code"].str.replace(".", "")
    nik_regency = kemendagri.reindex(codes).to_numpy()
    moved = rng.random(n) < 0.03 * mess  # registered in another regency
    nik_regency = np.where(moved, kemendagri.to_numpy()[rng.integers(0, 22, n)], nik_regency)
    day = birth_date.dt.day.to_numpy() + np.where(sex == "female", 40, 0)
    nik = (
        pd.Series(nik_regency)
        .str.cat(
            [
                pd.Series(rng.integers(1, 30, n)).map("{:02d}".format),
                pd.Series(day).map("{:02d}".format),
                birth_date.dt.strftime("%m%y").reset_index(drop=True),
                pd.Series(rng.integers(1, 9999, n)).map("{:04d}".format),
            ]
        )
        .to_numpy(dtype=object)
    )
    invalid_nik = rng.random(n) < 0.05 * mess
    nik = np.where(invalid_nik, pd.Series(nik).str.slice(0, 12).to_numpy(), nik)
    spaced = rng.random(n) < 0.1 * mess
    nik = np.where(
        spaced & ~invalid_nik,
        pd.Series(nik).str.replace(r"(\d{4})(?=\d)", r"\1 ", regex=True).to_numpy(),
        nik,
    )

    # Regency text.
    spellings = _regency_spellings()
    regency_text = np.empty(n, dtype=object)
    for code, names in spellings.items():
        where = codes == code
        regency_text[where] = np.asarray(names, dtype=object)[
            rng.integers(0, len(names), where.sum())
        ]
    typo = rng.random(n) < 0.08 * mess
    regency_text[typo] = [_typo(text, rng) for text in regency_text[typo]]
    blank_regency = rng.random(n) < 0.06 * mess
    regency_text[blank_regency] = ""

    names = (
        pd.Series(np.asarray(GIVEN_NAMES)[rng.integers(0, len(GIVEN_NAMES), n)])
        + " "
        + pd.Series(np.asarray(FAMILY_NAMES)[rng.integers(0, len(FAMILY_NAMES), n)])
    )

    gazetteer = places._places_cached().set_index("kemendagri_code")
    place_names = gazetteer["name"]
    villages = spell_places(
        place_names.reindex(village_codes).to_numpy(),
        "village",
        rng,
        mess,
        gazetteer["village_type"].reindex(village_codes).to_numpy(),
    )
    districts = spell_places(place_names.reindex(district_codes).to_numpy(), "district", rng, mess)
    # A record without regency and without a valid NIK says nothing of where the person is
    # from (no kecamatan or village either): the cleaner must reject it as no_regency.
    nowhere = blank_regency & invalid_nik
    villages = np.where(nowhere, "", villages).astype(object)
    districts = np.where(nowhere, "", districts).astype(object)

    birth_text = _format_dates(birth_date, rng.integers(0, 5, n))
    impossible = rng.random(n) < 0.01 * mess
    birth_text[impossible] = "01/01/1890"
    event_text = _format_dates(event_date, rng.integers(0, 6, n))
    no_date = rng.random(n) < 0.02 * mess
    event_text[no_date] = ""

    sex_text = _choose(rng, SEX_SPELLINGS, sex)
    sex_text[rng.random(n) < 0.03 * mess] = ""
    status_text = _choose(rng, STATUS_SPELLINGS, procedural)
    event_type_text = _choose(rng, EVENT_SPELLINGS, events)
    destination_text = _choose(rng, {k: v[1] for k, v in DESTINATIONS.items()}, iso3)

    style = HEADER_STYLES[
        int(rng.integers(len(HEADER_STYLES))) if header_style is None else header_style
    ]
    messy = pd.DataFrame(
        {
            style["name"]: names.to_numpy(),
            style["nik"]: nik,
            style["sex"]: sex_text,
            style["birth_date"]: birth_text,
            style["age"]: np.where(rng.random(n) < 0.5, age_years.astype(str), ""),
            style["address"]: (
                "RT 0" + pd.Series(rng.integers(1, 9, n)).astype(str) + " " + pd.Series(villages)
            ).to_numpy(),
            style["village"]: villages,
            style["district"]: districts,
            style["regency"]: regency_text,
            style["destination"]: destination_text,
            style["status"]: status_text,
            style["event_type"]: event_type_text,
            style["event_date"]: event_text,
            style["passport"]: pd.Series(rng.integers(1_000_000, 9_999_999, n))
            .astype(str)
            .radd("C")
            .to_numpy(),
            style["phone"]: pd.Series(rng.integers(10**9, 10**10 - 1, n))
            .astype(str)
            .radd("08")
            .to_numpy(),
        }
    )
    nik_code = pd.Series(nik_regency).map(
        dict(zip(kemendagri.to_numpy(), kemendagri.index, strict=True))
    )
    truth = pd.DataFrame(
        {
            "bps_code": codes,
            "sex": sex,
            "event_date": event_date.where(~no_date),
            "destination_iso3": iso3,
            "procedural": procedural,
            "event_type": events,
            "age": np.where(impossible, np.nan, age_years).astype(float),
            "nik_prefix_matches": (nik_code.to_numpy() == codes) & ~invalid_nik,
            "regency_resolvable": ~blank_regency | (~invalid_nik & ~moved),
            "district_code": district_codes,
            "village_code": village_codes,
            "planted": in_cluster,
        }
    )
    truth["expected_reject"] = np.select(
        [no_date, blank_regency & invalid_nik, impossible],
        ["no_event_date", "no_regency", "impossible_age"],
        default=None,
    )
    truth["duplicate_of_row"] = -1

    # Duplicated rows: a copy of an earlier row, sometimes with its date written differently.
    n_duplicates = round(n * 0.1 * mess)
    if n_duplicates and n:
        originals = rng.integers(0, n, n_duplicates)
        copies = messy.iloc[originals].reset_index(drop=True)
        restyle = rng.random(n_duplicates) < 0.5
        dates = copies[style["event_date"]].to_numpy(dtype=object)
        dates[restyle] = _format_dates(
            event_date.iloc[originals[restyle]], rng.integers(0, 5, restyle.sum())
        )
        dates[no_date[originals]] = ""
        copies[style["event_date"]] = dates
        copy_truth = truth.iloc[originals].copy()
        copy_truth["duplicate_of_row"] = originals
        positions = np.sort(rng.integers(0, n + 1, n_duplicates))
        insert_at = np.concatenate([np.arange(n), positions - 0.5])
        order = np.argsort(insert_at, kind="stable")
        messy = pd.concat([messy, copies], ignore_index=True).iloc[order].reset_index(drop=True)
        truth = pd.concat([truth, copy_truth], ignore_index=True).iloc[order].reset_index(drop=True)
        # duplicate_of_row must point to the original's new position
        new_position = np.empty(n + n_duplicates, dtype=np.int64)
        new_position[order] = np.arange(n + n_duplicates)
        is_copy = truth["duplicate_of_row"].to_numpy() >= 0
        truth.loc[is_copy, "duplicate_of_row"] = new_position[
            truth.loc[is_copy, "duplicate_of_row"]
        ]
    messy["synthetic"] = True
    messy.attrs["synthetic"] = True
    truth.attrs["synthetic"] = True
    return messy, truth


def write_synthetic_csv(
    path: str | Path,
    n: int,
    seed: int = 0,
    messiness: float = 0.3,
    *,
    title_row: bool = True,
    delimiter: str = ",",
    encoding: str = "utf-8",
    planted: Mapping | None = None,
) -> tuple[Path, pd.DataFrame]:
    """Write a synthetic case file (its name must contain "synthetic"); return path and truth.

    ``planted`` is passed to :func:`generate_records` (a cluster for the scan statistic).
    """
    path = Path(path)
    if "synthetic" not in path.name.lower():
        raise ValueError(f"{path.name}: synthetic files must have 'synthetic' in their name")
    messy, truth = generate_records(n, seed=seed, messiness=messiness, planted=planted)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=encoding, newline="") as handle:
        if title_row:
            handle.write(SYNTHETIC_TITLE + "\n")
        messy.to_csv(handle, index=False, sep=delimiter)
    return path, truth


def write_large_synthetic_csv(
    path: str | Path, n: int, seed: int = 0, *, chunk_rows: int = 500_000
) -> Path:
    """Write a big synthetic case file in chunks (memory stays flat; no truth returned).

    Each chunk of ``chunk_rows`` rows is drawn with its own seed (``seed + chunk``), so
    duplicates occur within chunks only. For benchmarks of millions of rows.
    """
    path = Path(path)
    if "synthetic" not in path.name.lower():
        raise ValueError(f"{path.name}: synthetic files must have 'synthetic' in their name")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(SYNTHETIC_TITLE + "\n")
        done = 0
        for chunk in range((n + chunk_rows - 1) // chunk_rows):
            size = min(chunk_rows, n - done)
            messy, _ = generate_records(size, seed=seed + chunk, header_style=0)
            messy.to_csv(handle, index=False, header=chunk == 0)
            done += size
    return path


DEMO_ROWS = 2000
DEMO_SEED = 2024
#: The demo file's planted cluster: three neighbouring coastal kecamatan of Malaka (Malaka
#: Barat, Wewiku, Weliman), four times as likely to send a record and, there, four times
#: the odds of leaving non-procedurally, in every year (a Bernoulli scan finds it; a
#: space-time permutation scan, which looks for clusters confined to some years, should not).
DEMO_PLANTED = {"districts": ["53.21.02", "53.21.03", "53.21.04"], "risk": 4.0}


def demo_file() -> Path:
    """The synthetic demo case file ``data/processed/demo/demo_cases_synthetic.csv``
    (written on first use: 2,000 rows, seed 2024, messiness 0.4, with the planted cluster
    :data:`DEMO_PLANTED`)."""

    path = config.processed_dir() / "demo" / "demo_cases_synthetic.csv"
    if not path.exists():
        write_synthetic_csv(path, DEMO_ROWS, seed=DEMO_SEED, messiness=0.4, planted=DEMO_PLANTED)
    return path
