"""The one error a case file raises: :class:`RecordsError` (a ``ValueError``).

Its message names the file and what is wrong with it (and the row and column where there is
one), in one paragraph, so that the command line can show it as it is.
"""

from __future__ import annotations


class RecordsError(ValueError):
    """A case file that cannot be cleaned: the message names the file and what is wrong."""
