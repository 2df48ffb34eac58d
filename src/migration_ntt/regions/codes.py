"""Regency codes in either numbering (BPS ``5321``, Kemendagri ``53.21``) and the regency a
NIK was registered in (its first four digits are the Kemendagri code).

Examples
--------
>>> from migration_ntt import regions
>>> regions.resolve_codes(["5301"], scheme="bps")["name"].tolist()
['Kabupaten Sumba Barat']
>>> regions.resolve_codes(["53.01"], scheme="kemendagri")["name"].tolist()
['Kabupaten Kupang']
>>> regions.regency_from_nik("5321012345670001")
'5321'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from migration_ntt.regions.units import _as_values, _regencies_cached


def resolve_codes(codes: Iterable[object], scheme: str = "bps") -> pd.DataFrame:
    """Resolve unit codes in either numbering scheme.

    Parameters
    ----------
    codes : array-like
        BPS codes (``"5321"``, ``5321``) or Kemendagri codes (``"53.21"``, ``"5321"``).
    scheme : {"bps", "kemendagri"}
        Which numbering the codes follow. They differ: ``"5301"`` is Sumba Barat in BPS
        numbering and Kabupaten Kupang in Kemendagri numbering.

    Returns
    -------
    pandas.DataFrame
        ``input``, ``bps_code``, ``kemendagri_code``, ``name``, ``match`` (``exact`` or
        ``unmatched``). Codes that are not NTT units get no code.

    Examples
    --------
    >>> from migration_ntt import regions
    >>> regions.resolve_codes(["5301"], scheme="kemendagri")["name"].tolist()
    ['Kabupaten Kupang']
    """
    if scheme not in {"bps", "kemendagri"}:
        raise ValueError(f"scheme must be 'bps' or 'kemendagri', got {scheme!r}")
    values, index = _as_values(codes, "codes")
    digits = pd.Series(values, dtype=object).map(_code_digits)
    table = _regencies_cached()
    keys = table["bps_code"] if scheme == "bps" else table["kemendagri_code"].str.replace(".", "")
    by_digits = pd.Series(table["bps_code"].to_numpy(), index=keys.to_numpy())
    bps = digits.map(by_digits)
    bps = bps.astype(object).where(bps.notna(), None)
    indexed = table.set_index("bps_code")
    out = pd.DataFrame(
        {
            "input": values,
            "bps_code": bps,
            "kemendagri_code": bps.map(indexed["kemendagri_code"]).astype(object),
            "name": bps.map(indexed["name"]).astype(object),
            "match": np.where(bps.notna(), "exact", "unmatched"),
        }
    )
    if index is not None:
        out.index = index
    return out


def _code_digits(value: object) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | np.integer):
        text = str(int(value))
    elif isinstance(value, float | np.floating):
        if not np.isfinite(value) or value != int(value):
            return None
        text = str(int(value))
    elif isinstance(value, str):
        text = value.strip()
    else:
        return None
    compact = text.replace(".", "")
    return compact if re.fullmatch(r"\d{4}", compact) else None


def _nik_text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float | np.floating) and np.isfinite(value) and value == int(value):
        return str(int(value))  # Excel stores NIKs as numbers; NTT NIKs (< 9e15) are exact
    return None


def regency_from_nik(nik: object) -> pd.Series | str | None:
    """Return the BPS code of the regency encoded in a NIK (national identity number).

    The first four NIK digits are the Kemendagri province + regency code (``5321…`` is
    Malaka, ``5301…`` is Kabupaten Kupang). A value that is not 16 digits (after removing
    spaces, dots and dashes), or whose prefix is not an NTT unit, gives no code.

    Parameters
    ----------
    nik : str or array-like
        One NIK or many.

    Returns
    -------
    str or None, or pandas.Series of object
        A scalar for a scalar input, a Series for an array-like.

    Examples
    --------
    >>> from migration_ntt import regions
    >>> regions.regency_from_nik("5321014501900001")
    '5321'
    >>> regions.regency_from_nik("3171014501900001") is None
    True
    """
    scalar = isinstance(nik, str | int | np.integer) or nik is None
    values = pd.Series([nik] if scalar else list(nik), dtype=object)
    digits = values.map(_nik_text).str.replace(r"[\s.\-]", "", regex=True)
    valid = digits.str.fullmatch(r"\d{16}").fillna(False).astype(bool)
    prefix = digits.str.slice(0, 4).where(valid)
    table = _regencies_cached()
    by_prefix = table.set_index(table["kemendagri_code"].str.replace(".", "", regex=False))[
        "bps_code"
    ]
    codes = prefix.map(by_prefix)
    codes = codes.astype(object).where(codes.notna(), None)
    if scalar:
        return codes.iloc[0]
    if isinstance(nik, pd.Series):
        codes.index = nik.index
    return codes
