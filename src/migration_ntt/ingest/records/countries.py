"""Destination countries and the places workers name abroad, from maintained sources.

Where NTT workers go has outgrown any hand-written list: Malaysia still takes most of them,
but press lists now name Cambodian and Myanmar scam compounds, Senegalese and Fijian
fishing boats, Polish farms. The country vocabulary is therefore **every country of ISO
3166-1** as the `pycountry` package ships it (the Debian ``iso-codes`` data):

* the English name, common name and official name ("Korea, Republic of", "South Korea",
  "Lao People's Democratic Republic", "Laos"), the part before a comma when it names one
  country only ("Bolivia"), and the alpha-3 code ("MYS", what the clean table holds);
* the **Indonesian** name from the same project's translations ("Kamboja", "Polandia",
  "Arab Saudi", "Korea Selatan").

On top, one small table of this package, ``data/destination_places.csv`` (each row with a
note saying why): the short forms offices write ("UEA", "Korsel", "Hongkong") and the
places workers name instead of a country, each with its country and a
``destination_region``: Malaysia's states (from pycountry's ISO 3166-2 list, with their
short forms) and the towns of Sabah and Sarawak, Taipei, Jeddah, Phnom Penh, Myawaddy;
and Indonesian transit places ("Nunukan", "Batam": ``IDN``).

How a text is read (:func:`parse_destination`), in order: the whole text; the text outside
parentheses; then every known name inside the text, at word boundaries, keeping only the
longest where names overlap ("Port Moresby, Papua New Guinea" is Papua New Guinea, not
Guinea). Several different countries → no country. A region found anywhere in the text is
kept with its country ("Malaysia (Sabah)" → MYS, Sabah). Finally a one-edit typo of a name
of at least 6 letters ("Malasya", "Kambodja") when exactly one country is that close.

Examples
--------
>>> from migration_ntt.ingest.records import countries
>>> [countries.parse_destination(t)[:2] for t in ["Kamboja", "Malaysia (Sabah)", "Polandia"]]
[('KHM', None), ('MYS', 'Sabah'), ('POL', None)]
>>> countries.parse_destination("Tawau, Sabah")
('MYS', 'Sabah', 'rule')
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from migration_ntt.text import fold

ALIAS_FILE = "destination_places.csv"
TYPO_MIN_LETTERS = 6


@lru_cache(maxsize=1)
def alias_table() -> pd.DataFrame:
    """The package's short forms and places abroad: ``alias, iso3, region, kind, note``."""
    with resources.files("migration_ntt").joinpath("data", ALIAS_FILE).open(encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    return table.replace("", None)


def _iso_names() -> dict[str, set[str]]:
    """Folded ISO 3166-1 names (English, common, official, Indonesian, alpha-3) → ISO3."""
    import gettext

    import pycountry

    try:
        indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
        translate = indonesian.gettext
    except OSError:  # pragma: no cover - pycountry always ships the translation
        translate = str
    names: dict[str, set[str]] = {}
    short: dict[str, set[str]] = {}
    for country in pycountry.countries:
        texts = {
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
            translate(country.name),
        }
        for text in filter(None, texts):
            names.setdefault(fold(text), set()).add(country.alpha_3)
            if "," in text:
                short.setdefault(fold(text.split(",")[0]), set()).add(country.alpha_3)
        names.setdefault(country.alpha_3.lower(), set()).add(country.alpha_3)
    for name, codes in short.items():
        if name not in names and len(codes) == 1:
            names[name] = codes
    return names


@lru_cache(maxsize=1)
def lookup() -> dict[str, tuple[str, str | None]]:
    """Folded name → (ISO3, region or None): ISO names, Malaysian states, the alias table."""
    import pycountry

    table: dict[str, tuple[str, str | None]] = {}
    for name, codes in _iso_names().items():
        if len(codes) == 1:
            table[name] = (next(iter(codes)), None)
    for state in pycountry.subdivisions.get(country_code="MY") or []:
        region = state.name.removeprefix("Wilayah Persekutuan ").strip()
        table[fold(state.name)] = ("MYS", region)
        table[fold(region)] = ("MYS", region)
    for row in alias_table().itertuples(index=False):
        table[fold(row.alias)] = (row.iso3, row.region)
    return table


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    names = sorted((n for n in lookup() if len(n) > 3), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")


def _within(text: str) -> tuple[str, str | None] | None:
    """Known names inside a longer text (longest first, no overlaps): one country or None."""
    found = [lookup()[m.group(0)] for m in _pattern().finditer(text)]
    countries = {iso3 for iso3, _ in found}
    if len(countries) != 1:
        return None
    region = next((region for _, region in found if region), None)
    return found[0][0], region


def _typo(text: str) -> tuple[str, str | None] | None:
    from rapidfuzz.distance import OSA

    if len(text.replace(" ", "")) < TYPO_MIN_LETTERS:
        return None
    close = {
        value
        for name, value in lookup().items()
        if len(name) >= TYPO_MIN_LETTERS and OSA.distance(text, name, score_cutoff=1) <= 1
    }
    countries = {iso3 for iso3, _ in close}
    if len(countries) != 1:
        return None
    return next(iter(close))


@lru_cache(maxsize=65_536)
def parse_destination(text: object) -> tuple[str | None, str | None, str]:
    """``(iso3, region, rule)`` for a destination as written; ``rule`` says how it was read:
    ``exact`` (a name or code), ``rule`` (a name found inside the text), ``fuzzy`` (one
    edit from one name), or ``unrecognised`` (no country; ``missing`` for a blank).

    Examples
    --------
    >>> parse_destination("Senegal"), parse_destination("Malaysa")[::2]
    (('SEN', None, 'exact'), ('MYS', 'fuzzy'))
    >>> parse_destination("Port Moresby, Papua New Guinea")[0]
    'PNG'
    """
    folded = fold(text)
    if not folded:
        return None, None, "missing"
    table = lookup()
    if folded in table:
        return (*table[folded], "exact")
    outside = fold(re.sub(r"\(.*?\)", " ", text)) if isinstance(text, str) else ""
    if outside in table:
        iso3, region = table[outside]
        inner = _within(folded)
        if inner is not None and inner[0] == iso3:
            region = region or inner[1]
        return iso3, region, "exact"
    inside = _within(folded)
    if inside is not None:
        return (*inside, "rule")
    typo = _typo(folded)
    if typo is not None:
        return (*typo, "fuzzy")
    return None, None, "unrecognised"


def country_name(iso3: str, lang: str = "en") -> str:
    """The country's name in English or Indonesian (for forms and reports).

    Examples
    --------
    >>> country_name("KHM", "id"), country_name("KOR", "en")
    ('Kamboja', 'South Korea')
    """
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        raise KeyError(f"{iso3!r} is not an ISO 3166-1 alpha-3 code")
    english = getattr(country, "common_name", None) or country.name
    if lang == "en":
        return english
    overrides = {"TLS": "Timor Leste", "KOR": "Korea Selatan", "TWN": "Taiwan", "CHN": "Tiongkok"}
    if iso3 in overrides:
        return overrides[iso3]
    indonesian = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["id"])
    return indonesian.gettext(country.name)
