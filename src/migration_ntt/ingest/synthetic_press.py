"""A **synthetic** case list in the shape researchers code from the press, with its truth.

Researchers who follow NTT's migrant deaths code their own case lists from news pages:
one row per person, English column names, the package's own words where they know them
(``non_prosedural``, ``death_abroad``) and their own where they do not (``body_repatriated``:
a body flown home), dates as precise as the article (``2014-12``, ``Des 2014``), far
destinations (Cambodian scam compounds, Senegalese fishing boats, Fijian fisheries), and
places as the press spells them. :func:`press_case_list` makes such a list, with the truth
behind every row, so that the cleaner can be tested on what a real first file looks like.

No real person or case is in it: every value is drawn at random from the package's own
gazetteer and word lists, and files written by :func:`write_press_case_list` carry
"synthetic" in their name and a ``synthetic`` note in every row.

The place spellings are the press's ordinary errors: a vowel changed, a letter doubled or
dropped, ``l`` typed for a capital ``I`` ("lle Ape"), a kecamatan written under the regency it
belonged to before a split (Borong "in Manggarai" after 2007), a kecamatan named as it was
before it was split ("Tasifeto"), and names shared by several villages.

Examples
--------
>>> from migration_ntt.ingest import synthetic_press
>>> cases, truth = synthetic_press.press_case_list(50, seed=1)
>>> list(cases.columns)[:4], len(truth)
(['case_no', 'event_type', 'event_date', 'date_meaning'], 50)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from migration_ntt import regions
from migration_ntt.ingest.synthetic_words import MONTHS_ID, MONTHS_ID_SHORT
from migration_ntt.regions import codes_at_year, places

COLUMNS = (
    "case_no",
    "event_type",
    "event_date",
    "date_meaning",
    "village",
    "district",
    "regency",
    "sex",
    "age",
    "destination_country",
    "procedural",
    "cause",
    "source",
    "note",
)

# event type → (weight, [(spelling, weight)]): how press coders write each event.
EVENT_WORDING: dict[str, tuple[float, tuple[tuple[str, float], ...]]] = {
    "death_abroad": (
        0.55,
        (
            ("body_repatriated", 0.55),
            ("death_abroad", 0.2),
            ("jenazah tiba", 0.06),
            ("peti jenazah tiba di El Tari", 0.06),
            ("remains repatriated", 0.05),
            ("meninggal dunia", 0.05),
            ("coffin arrived", 0.03),
        ),
    ),
    "trafficking_victim": (
        0.15,
        (("trafficking_victim", 0.7), ("korban TPPO", 0.2), ("rescued from scam compound", 0.1)),
    ),
    "deportation": (0.12, (("deportation", 0.7), ("dideportasi", 0.3))),
    "repatriation_troubled": (
        0.1,
        (("repatriation_troubled", 0.6), ("PMI bermasalah dipulangkan", 0.4)),
    ),
    "prevented_departure": (
        0.08,
        (("prevented_departure", 0.6), ("keberangkatan digagalkan", 0.4)),
    ),
}
DATE_MEANING = {
    "death_abroad": ("date of death", "date body arrived", "date reported"),
    "trafficking_victim": ("date rescued", "date reported"),
    "deportation": ("date of deportation", "date reported"),
    "repatriation_troubled": ("date returned", "date reported"),
    "prevented_departure": ("date prevented", "date reported"),
}
# destination text → (ISO3, region or None, weight)
DESTINATIONS: tuple[tuple[str, str, str | None, float], ...] = (
    ("Malaysia", "MYS", None, 0.3),
    ("Malaysia (Sabah)", "MYS", "Sabah", 0.08),
    ("Sabah", "MYS", "Sabah", 0.06),
    ("Tawau, Sabah", "MYS", "Sabah", 0.03),
    ("Kuala Lumpur", "MYS", "Kuala Lumpur", 0.04),
    ("Johor", "MYS", "Johor", 0.03),
    ("Sarawak", "MYS", "Sarawak", 0.03),
    ("Kamboja", "KHM", None, 0.06),
    ("Cambodia", "KHM", None, 0.03),
    ("Myanmar", "MMR", None, 0.04),
    ("Senegal", "SEN", None, 0.015),
    ("Laos", "LAO", None, 0.015),
    ("Fiji", "FJI", None, 0.015),
    ("Australia", "AUS", None, 0.015),
    ("Polandia", "POL", None, 0.015),
    ("Hong Kong", "HKG", "Hong Kong", 0.02),
    ("Taiwan", "TWN", None, 0.02),
    ("Singapura", "SGP", None, 0.02),
    ("Arab Saudi", "SAU", None, 0.02),
    ("", None, None, 0.1),
)
PROCEDURAL_WORDS = (
    ("non_prosedural", "non_prosedural", 0.72),
    ("prosedural", "prosedural", 0.1),
    ("unknown", "unknown", 0.06),
    ("", "unknown", 0.12),
)
SEX_WORDS = (
    ("L", "male", 0.3),
    ("P", "female", 0.25),
    ("male", "male", 0.15),
    ("female", "female", 0.15),
    ("", None, 0.15),
)
CAUSES = ("sakit", "kecelakaan kerja", "tidak diketahui", "dianiaya", "gagal ginjal", "")
OUTLETS = ("Pos Kupang", "Victory News", "Antara NTT", "Kompas", "Tribun Flores", "Floresa")
NOTES = (
    "tiba di Bandara El Tari",
    "dipulangkan lewat Nunukan",
    "direkrut calo di kampung",
    "diterima keluarga",
    "disambut pemerintah daerah",
    "",
)
# Kecamatan names from before a split: the base of several "X <direction>" kecamatan of
# one regency that is no longer a kecamatan itself (migration_ntt.regions.places: "Historic
# kecamatan names").
HISTORIC_NAMES = ("Tasifeto", "Mollo", "Amanuban", "Biboki", "Bikomi", "Miomaffo", "Wewewa")

# How a row's places are written: (scenario, weight).
PLACE_SCENARIOS = (
    ("exact", 0.5),
    ("misspelled", 0.17),
    ("old_parent", 0.08),
    ("historic", 0.05),
    ("historic_with_village", 0.03),
    ("village_only", 0.07),
    ("regency_only", 0.1),
)
MISSPELLINGS = ("vowel", "double", "drop", "l_for_i")
_VOWELS = "aeiou"


def _pick(rng: np.random.Generator, options, weights) -> int:
    weights = np.asarray(weights, dtype=float)
    return int(rng.choice(len(options), p=weights / weights.sum()))


def misspell(name: str, kind: str, rng: np.random.Generator) -> str:
    """One ordinary press misspelling of ``name`` (``kind`` in :data:`MISSPELLINGS`).

    Examples
    --------
    >>> misspell("Ile Ape", "l_for_i", np.random.default_rng(0))
    'lle Ape'
    """
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if kind == "l_for_i":
        capital_i = [i for i in letters if name[i] == "I"]
        if capital_i:
            at = capital_i[0]
            return name[:at] + "l" + name[at + 1 :]
        kind = "vowel"
    inner = [i for i in letters[1:-1]] or letters
    if kind == "vowel":
        vowels = [i for i in inner if name[i].lower() in _VOWELS]
        if vowels:
            at = vowels[int(rng.integers(len(vowels)))]
            others = [v for v in _VOWELS if v != name[at].lower()]
            new = others[int(rng.integers(len(others)))]
            return name[:at] + new + name[at + 1 :]
        kind = "double"
    at = inner[int(rng.integers(len(inner)))]
    if kind == "double":
        return name[: at + 1] + name[at] + name[at + 1 :]
    return name[:at] + name[at + 1 :]  # drop


def _date_text(date: pd.Timestamp, style: str) -> tuple[str, str]:
    """The date as written and its precision."""
    if style == "iso":
        return date.strftime("%Y-%m-%d"), "day"
    if style == "year_month":
        return date.strftime("%Y-%m"), "month"
    if style == "month_short":
        return f"{MONTHS_ID_SHORT[date.month - 1]} {date.year}", "month"
    if style == "month_long":
        return f"{MONTHS_ID[date.month - 1]} {date.year}", "month"
    if style == "month_slash":
        return f"{date.month:02d}/{date.year}", "month"
    return str(date.year), "year"


DATE_STYLES = (
    ("iso", 0.78),
    ("year_month", 0.08),
    ("month_short", 0.03),
    ("month_long", 0.03),
    ("month_slash", 0.03),
    ("year", 0.05),
)


@dataclass
class _Gazetteer:
    """The lookups the place scenarios draw from."""

    districts: pd.DataFrame
    district_by_regency: object
    village_by_district: object
    village_key_counts: pd.Series
    short_names: dict[str, str]
    children: dict[str, list[str]]
    established: dict[str, int]
    historic: dict[str, pd.DataFrame]


def _gazetteer() -> _Gazetteer:

    districts = places.places("district")
    villages = places.places("village")
    table = regions.regencies()
    names = dict(zip(table["bps_code"], table["short_name"], strict=True))
    parent = dict(zip(table["bps_code"], table["parent_bps_code"], strict=True))
    key = villages["name"].str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    return _Gazetteer(
        districts=districts,
        district_by_regency=districts.groupby("bps_code"),
        village_by_district=villages.groupby("district_code"),
        village_key_counts=villages.assign(key=key).groupby(["bps_code", "key"]).size(),
        short_names=names,
        children={code: [c for c, p in parent.items() if p == code] for code in names},
        established=dict(zip(table["bps_code"], table["year_established"], strict=True)),
        historic={
            base: districts[districts["name"].str.startswith(base + " ")] for base in HISTORIC_NAMES
        },
    )


def _unique_key_in(name: str, others: list[str]) -> bool:
    fold = "".join(ch for ch in name.lower() if ch.isalnum())
    return all(fold != "".join(ch for ch in other.lower() if ch.isalnum()) for other in others)


def press_case_list(n: int = 199, seed: int = 19) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` synthetic press-coded cases (columns :data:`COLUMNS`) and their truth.

    Returns
    -------
    cases : pandas.DataFrame
        The list as a researcher would type it (all text).
    truth : pandas.DataFrame
        Per row: ``event_type``, ``year``, ``month`` (NaN when only the year is known),
        ``date_precision``, ``bps_code`` (the regency in the event's year),
        ``district_code`` and ``village_code`` a careful reader can give (None where the
        text does not decide it: a historic kecamatan without its village, a village name
        shared by several villages of the regency), ``place_scenario``, ``procedural``,
        ``destination_iso3``, ``destination_region`` and ``sex``.
    """
    rng = np.random.default_rng(seed)
    gazetteer = _gazetteer()
    weights = np.array([w for w, _ in EVENT_WORDING.values()])
    event_types = list(EVENT_WORDING)
    cases, truth = [], []
    for row in range(n):
        event = event_types[_pick(rng, event_types, weights)]
        wordings = EVENT_WORDING[event][1]
        event_text = wordings[_pick(rng, wordings, [w for _, w in wordings])][0]
        year = int(rng.integers(2014, 2026))
        date = pd.Timestamp(year, 1, 1) + pd.Timedelta(days=int(rng.integers(0, 365)))
        style = DATE_STYLES[_pick(rng, DATE_STYLES, [w for _, w in DATE_STYLES])][0]
        date_text, precision = _date_text(date, style)
        scenario = PLACE_SCENARIOS[_pick(rng, PLACE_SCENARIOS, [w for _, w in PLACE_SCENARIOS])][0]
        place = _draw_place(scenario, year, rng, gazetteer)
        destination = DESTINATIONS[_pick(rng, DESTINATIONS, [d[3] for d in DESTINATIONS])]
        status = PROCEDURAL_WORDS[_pick(rng, PROCEDURAL_WORDS, [p[2] for p in PROCEDURAL_WORDS])]
        sex = SEX_WORDS[_pick(rng, SEX_WORDS, [s[2] for s in SEX_WORDS])]
        age = "" if rng.random() < 0.2 else str(int(rng.integers(18, 56)))
        outlet = OUTLETS[int(rng.integers(len(OUTLETS)))]
        reported = date + pd.Timedelta(days=int(rng.integers(0, 20)))
        cases.append(
            {
                "case_no": str(row + 1),
                "event_type": event_text,
                "event_date": date_text,
                "date_meaning": DATE_MEANING[event][int(rng.integers(len(DATE_MEANING[event])))],
                "village": place["village_text"],
                "district": place["district_text"],
                "regency": place["regency_text"],
                "sex": sex[0],
                "age": age,
                "destination_country": destination[0],
                "procedural": status[0],
                "cause": CAUSES[int(rng.integers(len(CAUSES)))] if event == "death_abroad" else "",
                "source": f"{outlet}, {reported:%Y-%m-%d} (synthetic)",
                "note": NOTES[int(rng.integers(len(NOTES)))],
            }
        )
        truth.append(
            {
                "event_type": event,
                "year": year,
                "month": float(date.month) if precision != "year" else np.nan,
                "day": float(date.day) if precision == "day" else np.nan,
                "date_precision": precision,
                "bps_code": place["bps_code"],
                "district_code": place["district_code"],
                "village_code": place["village_code"],
                "place_scenario": scenario,
                "regency_corrected": place["corrected"],
                "procedural": status[1],
                "destination_iso3": destination[1],
                "destination_region": destination[2],
                "sex": sex[1],
            }
        )
    frame = pd.DataFrame(cases, columns=list(COLUMNS))
    frame.attrs["synthetic"] = True
    return frame, pd.DataFrame(truth)


def _draw_place(scenario: str, year: int, rng: np.random.Generator, gaz: _Gazetteer) -> dict:
    """One row's place text and what it truly means (see :func:`press_case_list`)."""

    districts, short_names, children = gaz.districts, gaz.short_names, gaz.children
    district_by_regency, village_by_district = gaz.district_by_regency, gaz.village_by_district
    village_key_counts, established = gaz.village_key_counts, gaz.established

    def at_year(code: str) -> str:
        return codes_at_year(pd.Series([code]), pd.Series([year]))[0].iloc[0]

    if scenario == "old_parent":
        parents = [p for p, kids in children.items() if kids]
        written = parents[int(rng.integers(len(parents)))]
        kids = children[written]
        actual = kids[int(rng.integers(len(kids)))]
        options = district_by_regency.get_group(actual)
        district = options.iloc[int(rng.integers(len(options)))]
        return {
            "regency_text": short_names[written],
            "district_text": district["name"],
            "village_text": "",
            "bps_code": at_year(actual),
            "district_code": district["kemendagri_code"],
            "village_code": None,
            "corrected": year >= established[actual],
        }
    if scenario in {"historic", "historic_with_village"}:
        base = list(gaz.historic)[int(rng.integers(len(gaz.historic)))]
        successors = gaz.historic[base]
        successor = successors.iloc[int(rng.integers(len(successors)))]
        village = None
        if scenario == "historic_with_village":
            pool = village_by_district.get_group(successor["kemendagri_code"])
            village = pool.iloc[int(rng.integers(len(pool)))]
            key = "".join(ch for ch in village["name"].lower() if ch.isalnum())
            if village_key_counts.get((successor["bps_code"], key), 0) > 1:
                village = None
        return {
            "regency_text": short_names[successor["bps_code"]],
            "district_text": base,
            "village_text": village["name"] if village is not None else "",
            "bps_code": at_year(successor["bps_code"]),
            "district_code": successor["kemendagri_code"] if village is not None else None,
            "village_code": village["kemendagri_code"] if village is not None else None,
            "corrected": False,
        }
    codes = list(short_names)
    bps_code = codes[int(rng.integers(len(codes)))]
    options = district_by_regency.get_group(bps_code)
    district = options.iloc[int(rng.integers(len(options)))]
    pool = village_by_district.get_group(district["kemendagri_code"])
    village = pool.iloc[int(rng.integers(len(pool)))]
    key = "".join(ch for ch in village["name"].lower() if ch.isalnum())
    shared = village_key_counts.get((bps_code, key), 0) > 1
    district_text, village_text = district["name"], village["name"]
    district_code, village_code = district["kemendagri_code"], village["kemendagri_code"]
    if scenario == "misspelled":
        kind = MISSPELLINGS[int(rng.integers(len(MISSPELLINGS)))]
        others = [name for name in districts["name"] if name != district_text]
        for _ in range(5):
            written = misspell(district_text, kind, rng)
            if written != district_text and _unique_key_in(written, others):
                district_text = written
                break
        village_text = "" if rng.random() < 0.5 else village_text
        village_code = village_code if village_text else None
    elif scenario == "village_only":
        district_text = ""
        if shared:
            district_code, village_code = None, None
    elif scenario == "regency_only":
        district_text, village_text = "", ""
        district_code, village_code = None, None
    elif rng.random() < 0.3:
        village_text, village_code = "", None
    return {
        "regency_text": short_names[bps_code],
        "district_text": district_text,
        "village_text": village_text,
        "bps_code": at_year(bps_code),
        "district_code": district_code,
        "village_code": village_code,
        "corrected": False,
    }


def write_press_case_list(
    path: str | Path, n: int = 199, seed: int = 19
) -> tuple[Path, pd.DataFrame]:
    """Write :func:`press_case_list` as CSV (the name must contain "synthetic")."""
    path = Path(path)
    if "synthetic" not in path.name.lower():
        raise ValueError(f"{path.name}: synthetic files must have 'synthetic' in their name")
    cases, truth = press_case_list(n, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    cases.to_csv(path, index=False)
    return path, truth
