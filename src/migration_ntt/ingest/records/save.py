"""Write a cleaning result: the clean table (Parquet and CSV), rejects, duplicates, the
report and the zero-filled regency × year counts."""

from __future__ import annotations

from pathlib import Path

from migration_ntt.ingest.records.clean import CleanResult
from migration_ntt.ingest.records.counts import count_records


def save_clean(result: CleanResult, folder: str | Path, stem: str | None = None) -> dict[str, Path]:
    """Write a cleaning result: ``<stem>_clean.parquet`` (what ``records_path`` in notebooks
    02–05 and ``--records`` take), ``_clean.csv``, ``_rejects.csv``, ``_duplicates.csv``,
    ``_report.csv`` / ``_report.txt`` and the zero-filled regency × year counts
    ``_counts.csv``. Returns the paths by kind.

    Parameters
    ----------
    result : CleanResult
        What :func:`~migration_ntt.ingest.records.clean_records` returned.
    folder : path
        Output folder (created when missing).
    stem : str, optional
        File stem (default: the source file's stem, or ``records``).

    Returns
    -------
    dict of str to pathlib.Path
        ``clean, clean_csv, rejects, duplicates, report, report_text`` and ``counts``.

    Examples
    --------
    >>> import tempfile
    >>> from migration_ntt.ingest import records, synthetic
    >>> messy, _ = synthetic.generate_records(100, seed=1)
    >>> paths = records.save_clean(records.clean_records(messy, secret="s"), tempfile.mkdtemp(),
    ...                            "demo_synthetic")
    >>> paths["clean"].name
    'demo_synthetic_clean.parquet'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if stem is None:
        source = result.report.source_file
        stem = Path(source).stem if source != "<DataFrame>" else "records"
    paths = {
        "clean": folder / f"{stem}_clean.parquet",
        "clean_csv": folder / f"{stem}_clean.csv",
        "rejects": folder / f"{stem}_rejects.csv",
        "duplicates": folder / f"{stem}_duplicates.csv",
        "report": folder / f"{stem}_report.csv",
        "report_text": folder / f"{stem}_report.txt",
    }
    result.clean.to_parquet(paths["clean"], index=False)
    result.clean.to_csv(paths["clean_csv"], index=False)
    result.rejects.to_csv(paths["rejects"], index=False)
    result.duplicates.to_csv(paths["duplicates"], index=False)
    result.report.to_frame().to_csv(paths["report"], index=False)
    paths["report_text"].write_text(result.report.full_text() + "\n", encoding="utf-8")
    if len(result.clean):
        paths["counts"] = folder / f"{stem}_counts.csv"
        count_records(result.clean).to_csv(paths["counts"], index=False)
    return paths
