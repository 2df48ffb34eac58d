"""The outputs for policy staff: the bilingual brief (HTML, and PDF through Chromium) and the
TOWS export of a strategy workshop.

* :mod:`.text`: every sentence, in Bahasa Indonesia and English;
* :mod:`.facts`: the numbers and sentences computed from the results;
* :mod:`.brief`: :func:`build_brief`, one self-contained HTML file per count and language;
* :mod:`.pdf`: :func:`to_pdf` and :func:`preview`;
* :mod:`.tows`: :func:`export_tows`.

Examples
--------
>>> from migration_ntt import report
>>> report.TEXT["en"]["title"].format(count="PMI deaths abroad")
'PMI deaths abroad: where in NTT'
"""

from migration_ntt.report.brief import build_brief
from migration_ntt.report.pdf import BROWSERS, preview, to_pdf
from migration_ntt.report.text import TEXT
from migration_ntt.report.tows import ILLUSTRATIVE_NOTE, TOWS_HEADERS, export_tows

__all__ = [
    "BROWSERS",
    "ILLUSTRATIVE_NOTE",
    "TEXT",
    "TOWS_HEADERS",
    "build_brief",
    "export_tows",
    "preview",
    "to_pdf",
]
