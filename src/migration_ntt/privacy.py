"""Privacy: pseudonymous person keys and small-cell suppression.

**Person keys.** ``person_key`` is the keyed BLAKE2b (RFC 7693 keyed mode, a standard MAC
in Python's standard library: ``hashlib.blake2b(message, key=secret, digest_size=16)``) of
the normalised NIK (``nik:`` + 16 digits) or, for a row without a valid NIK, of the
normalised name and birth date (``nb:`` + lower-case name with single spaces + ``|`` + ISO
date). The same person gets the same key in every run that uses the same secret, so files
can be linked and deduplicated without keeping any identifier. Keys are the 128-bit
digest as 32 hex characters.

*The secret* comes from ``secret=`` or the ``MIGRATION_NTT_SECRET`` environment variable;
without either, a random per-run key is used and a warning says the keys will not link
across runs. BLAKE2b takes keys of 1 to 64 bytes: a secret of up to 64 bytes (UTF-8) is
the key as it is; a longer one is first reduced to 64 bytes with unkeyed BLAKE2b-512 (as
HMAC reduces long keys). An empty secret is refused. Use at least 16 random bytes (for
example ``python -c "import secrets; print(secrets.token_hex(32))"``): the key is all
that stands between a person key and a dictionary of the 16-digit NIKs of a regency.

*Changed from HMAC-SHA256* (package versions before 0.2): keyed BLAKE2b is a MAC of the
same strength and about 3 × faster here (one hash per distinct person; 0.36 s per
million). Keys made by the two versions differ, so re-clean older files to link them.

Names, NIK, passport and phone numbers are never written anywhere by this package: the
cleaner drops them as soon as the key is made (see :mod:`migration_ntt.ingest.records`).

Examples
--------
>>> import pandas as pd
>>> from migration_ntt import privacy
>>> keys = privacy.person_keys(pd.Series(["5321014501900001"]), secret="s")
>>> len(keys.iloc[0])
32
"""

from __future__ import annotations

import hashlib
import os
import secrets
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from migration_ntt import config

KEY_HEX_CHARS = 32
DIGEST_BYTES = KEY_HEX_CHARS // 2
#: The small-cell rule: counts of 1 to SMALL_CELL − 1 are shown as "<5" or one class,
#: and a share of fewer records than this is not shown.
SMALL_CELL = 5
MAX_KEY_BYTES = 64
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


class UnlinkableKeyWarning(UserWarning):
    """No secret was given: person keys are random per run and will not link across runs."""


def resolve_secret(secret: str | bytes | None = None) -> bytes:
    """The BLAKE2b key: ``secret``, else ``MIGRATION_NTT_SECRET``, else a random per-run key.

    Raises
    ------
    ValueError
        An empty secret.
    """
    if secret is None:
        secret = os.environ.get(config.SECRET_ENV) or None
    if secret is None:
        warnings.warn(
            f"no secret given (secret= or {config.SECRET_ENV}): person_key uses a random "
            "per-run key and will not link records across runs",
            UnlinkableKeyWarning,
            stacklevel=3,
        )
        return secrets.token_bytes(32)
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not key:
        raise ValueError("the person-key secret is empty: give at least 16 random bytes")
    if len(key) > MAX_KEY_BYTES:
        key = hashlib.blake2b(key, digest_size=MAX_KEY_BYTES).digest()
    return key


def keyed_digests(messages: Sequence[bytes], key: bytes, prefix: bytes = b"") -> bytes:
    """Keyed BLAKE2b (16-byte digest) of ``prefix + message`` for every message, concatenated.

    Equal to ``b"".join(hashlib.blake2b(prefix + m, key=key, digest_size=16).digest() for m
    in messages)``, faster: the keyed state (and the prefix) is hashed once and copied for
    each message.
    """
    base = hashlib.blake2b(key=key, digest_size=DIGEST_BYTES)
    base.update(prefix)
    keyed = base.copy
    out = []
    append = out.append
    for message in messages:
        state = keyed()
        state.update(message)
        append(state.digest())
    return b"".join(out)


def hex_digests(digests: np.ndarray) -> np.ndarray:
    """``(n, 16)`` uint8 digests → ``(n, 32)`` uint8 lower-case hex characters (vectorised)."""
    out = np.empty((len(digests), 2 * digests.shape[1]), dtype=np.uint8)
    out[:, 0::2] = _HEX[digests >> 4]
    out[:, 1::2] = _HEX[digests & 15]
    return out


def _arrow_strings(series: pd.Series) -> pa.Array:
    """The column as one arrow string array (zero-copy for arrow-backed columns)."""
    if not isinstance(series.dtype, pd.StringDtype) or series.dtype.storage != "pyarrow":
        series = series.astype("str")
    array = pa.array(series.array)
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()) if array.type == pa.string() else array


def normalise_nik(nik: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Digits of each NIK (spaces, dots and dashes removed) and whether it is 16 digits.

    Returns ``(digits, valid)``; ``digits`` is missing where the input is missing.
    """
    digits = nik_digits(_arrow_strings(nik))
    valid = nik_valid(digits)
    return (
        pd.Series(digits, index=nik.index, dtype="str"),
        pd.Series(valid.to_numpy(zero_copy_only=False), index=nik.index, dtype=bool),
    )


def nik_digits(array: pa.Array) -> pa.Array:
    """NIK text without spaces, dots and dashes (Arrow, vectorised).

    Values that are already 16 digits (nearly all) are left as they are; only the others
    are searched for separators.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if pa.types.is_dictionary(array.type):
        array = array.cast(pa.string())
    plain = np.asarray(nik_valid(array).to_numpy(zero_copy_only=False))
    if plain.all() or len(array) == 0:
        return array
    rows = pa.array(np.flatnonzero(~plain))
    others = array.take(rows)
    for separator in (" ", ".", "-"):
        if pc.any(pc.match_substring(others, separator)).as_py():
            others = pc.replace_substring(others, separator, "")
    mask = pa.array(~plain)
    return pc.replace_with_mask(array, mask, others.cast(array.type))


def nik_valid(digits: pa.Array) -> pa.Array:
    """True where the text is exactly 16 digits (Arrow boolean, no nulls)."""
    return pc.fill_null(
        pc.and_(pc.equal(pc.utf8_length(digits), 16), pc.utf8_is_digit(digits)), False
    )


def _fixed_width(strings: pa.Array, width: int) -> np.ndarray:
    """Strings that all have ``width`` bytes as a numpy ``S<width>`` array (no copy per item)."""
    strings = strings.cast(pa.string()) if strings.type != pa.string() else strings
    if isinstance(strings, pa.ChunkedArray):
        strings = strings.combine_chunks()
    offsets = np.frombuffer(strings.buffers()[1], dtype=np.int32)[
        strings.offset : strings.offset + len(strings) + 1
    ]
    data = strings.buffers()[2]
    if len(strings) == 0:
        return np.zeros(0, dtype=f"S{width}")
    if (np.diff(offsets) != width).any():
        raise ValueError(f"not all strings have {width} bytes")
    return np.frombuffer(data, dtype=f"S{width}", count=len(strings), offset=int(offsets[0]))


def _large(text: str) -> pa.Scalar:
    return pa.scalar(text, type=pa.large_string())


def _digests_of(messages: pa.Array, key: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Per row: ``(n, 16)`` digest bytes of each (non-null) message, each distinct one
    hashed once; and the row's position in the distinct list (−1 for null)."""
    encoded = pc.dictionary_encode(messages)
    distinct = encoded.dictionary.cast(pa.large_binary()).to_pylist()
    digests = np.frombuffer(keyed_digests(distinct, key), dtype=np.uint8).reshape(-1, DIGEST_BYTES)
    indices = encoded.indices
    codes = np.asarray(indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    return digests, codes


def person_digests(
    digits: pa.Array,
    valid: np.ndarray,
    names: pa.Array | None,
    births: np.ndarray | None,
    key: bytes,
) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the 16 digest bytes of its person key (zeros where none) and whether it has one.

    ``digits``/``valid`` from :func:`nik_digits`/:func:`nik_valid`; ``names`` (text) and
    ``births`` (datetime64) for rows without a valid NIK.
    """
    n = len(valid)
    out = np.zeros((n, DIGEST_BYTES), dtype=np.uint8)
    has = np.zeros(n, dtype=bool)
    if valid.any():
        rows = np.flatnonzero(valid)
        nik = _fixed_width(digits.filter(pa.array(valid)), 16)
        digests = keyed_digests(nik.tolist(), key, prefix=b"nik:")
        out[rows] = np.frombuffer(digests, dtype=np.uint8).reshape(-1, DIGEST_BYTES)
        has[rows] = True
    if names is not None and births is not None and not valid.all():
        rows = np.flatnonzero(~valid)
        name = pc.utf8_trim_whitespace(
            pc.replace_substring_regex(pc.utf8_lower(names.take(pa.array(rows))), r"\s+", " ")
        )
        birth = births[rows]
        usable = np.asarray(
            pc.fill_null(pc.not_equal(name, ""), False).to_numpy(zero_copy_only=False)
        ) & ~np.isnat(birth)
        if usable.any():
            dates = pa.array(np.datetime_as_string(birth[usable], unit="D"), type=pa.large_string())
            messages = pc.binary_join_element_wise(
                _large("nb:"),
                name.filter(pa.array(usable)).cast(pa.large_string()),
                _large("|"),
                dates,
                _large(""),
            )
            digests, codes = _digests_of(messages, key)
            out[rows[usable]] = digests[codes]
            has[rows[usable]] = True
    return out, has


def hex_keys(digests: np.ndarray, has: np.ndarray) -> pa.Array:
    """32-character hex keys (Arrow strings; null where ``has`` is False)."""
    characters = hex_digests(digests)
    n = len(characters)
    offsets = np.arange(0, KEY_HEX_CHARS * (n + 1), KEY_HEX_CHARS, dtype=np.int32)
    validity = pa.array(np.asarray(has, dtype=bool)).buffers()[1] if not has.all() else None
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(characters), validity)


def person_keys(
    nik: pd.Series,
    name: pd.Series | None = None,
    birth_date: pd.Series | None = None,
    secret: str | bytes | None = None,
) -> pd.Series:
    """Pseudonymous person keys (see the module docstring).

    Parameters
    ----------
    nik : pandas.Series
        NIKs as text (any spacing); invalid ones fall back to name + birth date.
    name, birth_date : pandas.Series, optional
        Used where the NIK is not 16 digits; ``birth_date`` as datetimes.
    secret : str or bytes, optional
        The BLAKE2b key (default ``MIGRATION_NTT_SECRET``; else random, with a warning).

    Returns
    -------
    pandas.Series
        32-hex-character keys, missing where neither a valid NIK nor name + birth date
        is available.
    """
    key = resolve_secret(secret)
    digits = nik_digits(_arrow_strings(nik))
    valid = nik_valid(digits).to_numpy(zero_copy_only=False)
    names = _arrow_strings(name) if name is not None else None
    births = (
        pd.to_datetime(birth_date).to_numpy(dtype="datetime64[ns]")
        if birth_date is not None
        else None
    )
    digests, has = person_digests(digits, valid, names, births, key)
    return pd.Series(hex_keys(digests, has), index=nik.index, dtype="str")


# --- disclosure control -----------------------------------------------------------------


SECONDARY_MARK = "x"


def suppress_small_counts(
    table: pd.DataFrame,
    count_columns: list[str],
    *,
    threshold: int = SMALL_CELL,
    group_by: str | None = None,
    derived: dict[str, str] | None = None,
    mode: str = "policy",
) -> pd.DataFrame:
    """Disclosure control for policy exports: small counts shown as ``"<5"``.

    Counts from 1 to ``threshold - 1`` are replaced by ``"<{threshold}"`` (primary
    suppression); zero and missing stay as they are. Columns in ``derived``
    (``{rate_column: count_column}``) are blanked wherever their count is hidden.

    **Secondary suppression**: within each group (``group_by``, or the whole table) and
    count column, the total is assumed public. While any hidden cell could be worked out
    from the total (it is the only hidden cell, or the hidden cells' sum leaves it one
    possible value), the smallest visible non-zero count is hidden too and shown as
    ``"x"``. ``mode="researcher"`` returns the table unchanged.

    Returns
    -------
    pandas.DataFrame
        A copy with the count columns as strings and boolean ``<count>_suppressed``
        columns (primary or secondary) beside them.

    Examples
    --------
    >>> import pandas as pd
    >>> from migration_ntt.privacy import suppress_small_counts
    >>> out = suppress_small_counts(pd.DataFrame({"n": [2, 9, 30]}), ["n"])
    >>> out["n"].tolist()
    ['<5', 'x', '30']
    """
    if mode == "researcher":
        return table.copy()
    if mode != "policy":
        raise ValueError(f"mode must be 'policy' or 'researcher', got {mode!r}")
    out = table.copy()
    if group_by is None:
        groups = [np.arange(len(out))]
    else:
        keys = out[group_by].to_numpy()
        groups = [np.flatnonzero(keys == value) for value in pd.unique(keys)]
    for column in count_columns:
        values = pd.to_numeric(out[column], errors="coerce").to_numpy(dtype=float)
        primary = (values >= 1) & (values < threshold)
        secondary = np.zeros(len(values), dtype=bool)
        for positions in groups:
            _protect_group(values, primary, secondary, positions, threshold)
        text = pd.Series(values).map(_format_count).to_numpy(dtype=object)
        text = np.where(primary, f"<{threshold}", np.where(secondary, SECONDARY_MARK, text))
        out[column] = pd.Series(text, index=out.index, dtype="str")
        hidden = primary | secondary
        out[f"{column}_suppressed"] = hidden
        for rate_column, count_column in (derived or {}).items():
            if count_column == column:
                out[rate_column] = out[rate_column].where(~hidden)
    return out


def _derivable(values: np.ndarray, primary: np.ndarray, hidden: np.ndarray, threshold: int) -> bool:
    """True when some hidden cell has only one value consistent with the hidden total."""
    positions = np.flatnonzero(hidden)
    if len(positions) == 0:
        return False
    if len(positions) == 1:
        return True
    total = values[positions].sum()
    low = np.ones(len(positions))
    high = np.where(primary[positions], threshold - 1, total)  # a cell cannot exceed the total
    for i in range(len(positions)):
        others_low = low.sum() - low[i]
        others_high = high.sum() - high[i]
        lowest = max(low[i], total - others_high)
        highest = min(high[i], total - others_low)
        if lowest >= highest:
            return True
    return False


def _protect_group(
    values: np.ndarray,
    primary: np.ndarray,
    secondary: np.ndarray,
    positions: np.ndarray,
    threshold: int,
) -> None:
    local_primary = primary[positions]
    hidden = local_primary.copy()
    local_values = np.nan_to_num(values[positions])
    while _derivable(local_values, local_primary, hidden, threshold):
        candidates = np.flatnonzero(~hidden & (local_values > 0))
        if len(candidates) == 0:
            break
        hidden[candidates[np.argmin(local_values[candidates])]] = True
    secondary[positions] = hidden & ~local_primary


def _format_count(value: float) -> str | None:
    if np.isnan(value):
        return None
    return str(int(value)) if float(value).is_integer() else str(value)
