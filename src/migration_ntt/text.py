"""Text folding: the one way the package compares words written by people.

Names, headers, statuses and destinations are compared after :func:`fold`: lower case,
accents removed ("Nagékeo" = "Nagekeo"), apostrophes dropped because they join one word
("O'besi" = "Obesi", "Ma'u"), and every other run of punctuation or spacing turned into one
space ("Kab/Kota" = "kab kota"). :func:`squeeze` also drops the spaces, for names that
offices write joined or apart ("Wae Mulu" = "Waemulu").

Examples
--------
>>> from migration_ntt.text import fold, squeeze
>>> fold("  Kab./Kota  Asal "), fold("O'besi"), squeeze("Wae Mulu")
('kab kota asal', 'obesi', 'waemulu')
"""

from __future__ import annotations

import re
import unicodedata

_APOSTROPHES = re.compile(r"['’`ʼ]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: object) -> str:
    """Lower case, accents and apostrophes removed, other characters → single spaces.

    Anything that is not a string folds to ``""``.
    """
    if not isinstance(text, str):
        return ""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text.lower())).strip()


def squeeze(text: object) -> str:
    """:func:`fold` without spaces: the key for names written joined or apart."""
    return fold(text).replace(" ", "")
