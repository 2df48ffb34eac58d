"""How the places of clean records were resolved (the kecamatan chain's input).

Examples
--------
>>> from migration_ntt.ingest import records, synthetic
>>> messy, _ = synthetic.generate_records(300, seed=1)
>>> cleaned = records.clean_records(messy, secret="x")
>>> int(records.match_summary(cleaned)["rows"].sum()) == len(cleaned.clean)
True
"""

from __future__ import annotations

import pandas as pd

from migration_ntt.ingest.records.counts import read_clean
from migration_ntt.regions.places import MATCH_MEANINGS, PLACE_MATCHES


def match_summary(records: object) -> pd.DataFrame:
    """How the places of clean records were resolved: ``match, rows, share_pct, meaning``
    and whether the record has a ``district_code`` (what the kecamatan chain counts).

    ``records``: a :class:`~migration_ntt.ingest.records.CleanResult`, its clean table, or
    a ``*_clean.parquet`` path.

    Parameters
    ----------
    records : CleanResult, DataFrame or path
        The cleaner's result, its clean table, or a ``*_clean.parquet`` path.

    Returns
    -------
    pandas.DataFrame
        One row per match kind and whether a kecamatan code was kept.
    """
    clean, _ = read_clean(records)
    if "place_match" not in clean.columns:
        raise ValueError("the clean table has no place_match column (cleaned before places)")
    match = clean["place_match"].astype(str)
    coded = clean["district_code"].notna()
    table = (
        pd.DataFrame({"match": match, "with_kecamatan_code": coded})
        .value_counts()
        .rename("rows")
        .reset_index()
    )
    order = {name: i for i, name in enumerate(PLACE_MATCHES)}
    table = table.sort_values(
        ["match", "with_kecamatan_code"], key=lambda s: s.map(order) if s.name == "match" else -s
    ).reset_index(drop=True)
    table["share_pct"] = (100 * table["rows"] / max(1, len(clean))).round(1)
    table["meaning"] = table["match"].map(MATCH_MEANINGS)
    return table
