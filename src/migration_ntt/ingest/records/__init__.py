"""Clean case-level migrant-worker records: one clean, private, analysable table.

Case lists arrive as Excel or CSV exports, one row per person and event (placement,
prevented departure, deportation, repatriation of a troubled worker, death abroad,
trafficking victim), with headers, spellings and date formats that differ from office to
office. :func:`clean_records` turns any such file into

* ``clean``: the contract of DESIGN.md (``record_id, source_file, source_row,
  event_type, event_date, year, bps_code, procedural, sex, age, destination_iso3,
  person_key`` and ``flag_*`` columns), checked against it;
* ``rejects``: rows that cannot be used (no regency and no valid NIK, no or impossible
  event date, impossible age, a row with the wrong number of cells or a broken quote),
  with ``source_row``, a ``reason`` code and their **non-personal** fields only;
* ``duplicates``: the same person (``person_key``), event type and date (within
  ``dedupe_days``), each pointing to the kept row;
* ``report``: field mapping, parse quality per field, **every string it could not read
  with its row count**, date range, reject reasons, and the row accounting (every input
  row is in exactly one of the three tables).

The package, one concern per module:

* :mod:`.read`: formats, encodings, delimiters, header row; batches with row numbers;
* :mod:`.mapping`: which column holds which field, and what became of every column;
* :mod:`.vocabulary`, :mod:`.fields`, :mod:`.dates`, :mod:`.countries`: what the words
  mean, and the rule-based parsers (status and event type by stems, negation and one-edit
  typos; partial dates; every ISO country);
* :mod:`.overrides`: the user's value maps;
* :mod:`.state` and :mod:`.batch`: one batch of rows parsed, each distinct value once;
* :mod:`.identity`: person keys (keyed BLAKE2b) and duplicates on compact arrays;
* :mod:`.tables`: the clean table's contract and the parsed batches;
* :mod:`.report`: the cleaning report;
* :mod:`.clean`: :func:`clean_records`, streaming the file batch by batch;
* :mod:`.save`: writing a result; :mod:`.counts`: regency × year counts for the panel;
  :mod:`.place_matches`: how the places were resolved.

Names, NIK, passport and phone numbers never leave the cleaner: passport and phone are
not even read; the person key is made from NIK or name + birth date and both are dropped.

Examples
--------
>>> from migration_ntt.ingest import records, synthetic
>>> messy, truth = synthetic.generate_records(200, seed=1)
>>> result = records.clean_records(messy, secret="demo")
>>> result.report.accounted
True
"""

from migration_ntt.ingest.records.clean import (
    CANONICAL_FIELDS,
    CONTRACT,
    EVENT_TYPES,
    MAX_AGE,
    PERSONAL_FIELDS,
    PROCEDURAL,
    REJECT_REASONS,
    CleanResult,
    clean_records,
    clean_schema,
)
from migration_ntt.ingest.records.counts import count_column, count_records, count_table
from migration_ntt.ingest.records.errors import RecordsError
from migration_ntt.ingest.records.fields import (
    parse_date,
    parse_dates,
    parse_destination,
    parse_event_type,
    parse_sex,
    parse_status,
)
from migration_ntt.ingest.records.place_matches import match_summary
from migration_ntt.ingest.records.report import CleanReport
from migration_ntt.ingest.records.save import save_clean
from migration_ntt.ingest.records.vocabulary import HEADER_VARIANTS

__all__ = [
    "CANONICAL_FIELDS",
    "CONTRACT",
    "EVENT_TYPES",
    "HEADER_VARIANTS",
    "MAX_AGE",
    "PERSONAL_FIELDS",
    "PROCEDURAL",
    "REJECT_REASONS",
    "CleanReport",
    "CleanResult",
    "RecordsError",
    "clean_records",
    "clean_schema",
    "count_column",
    "count_records",
    "count_table",
    "match_summary",
    "parse_date",
    "parse_dates",
    "parse_destination",
    "parse_event_type",
    "parse_sex",
    "parse_status",
    "save_clean",
]
