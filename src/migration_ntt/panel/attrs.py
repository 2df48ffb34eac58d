"""What a panel carries in ``DataFrame.attrs``, shared rather than copied.

pandas copies ``attrs`` deeply into every frame derived from a panel (a filter, a merge, a
new column: thousands of times in a model or an evaluation). The panel's attrs hold
records (the procedural split, the record accounting, the count labels), and copying them
again and again cost a third of the model step. :class:`Shared` and :class:`SharedList`
are a ``dict`` and a ``list`` that a deep copy returns as they are: every derived frame
points to the same, read-only, description of the panel. They stay plain JSON, so the
attrs still go into the Parquet metadata.

Examples
--------
>>> import copy
>>> info = Shared({"a": [1, 2]})
>>> copy.deepcopy({"info": info})["info"] is info
True
"""

from __future__ import annotations


class Shared(dict):
    """A read-only ``dict`` of a panel's attrs: deep copies share it (module docstring)."""

    def __deepcopy__(self, memo: dict) -> Shared:
        return self


class SharedList(list):
    """A read-only ``list`` of a panel's attrs: deep copies share it (module docstring)."""

    def __deepcopy__(self, memo: dict) -> SharedList:
        return self
