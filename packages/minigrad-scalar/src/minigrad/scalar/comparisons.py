"""``< <= > >=`` for Values: they compare ``data`` and give a plain bool (no gradient).

`Value` inherits them from `ComparedByData`, so the engine's page keeps to the
operations that have gradients. ``==`` is deliberately not here: equality and
hashing stay by identity, so Values can be kept in sets and dicts.

Example:
    >>> from minigrad.scalar.engine import Value
    >>> Value(1.0) < Value(2.0), Value(3.0) >= 3
    (True, True)
"""

from __future__ import annotations

from minigrad.scalar.operands import as_constant

__all__ = ["ComparedByData"]


def _data_of(other: object) -> float | None:
    """The number to compare with: a Value's data, a real number, or None (not comparable)."""
    if isinstance(other, ComparedByData):
        return other.data
    return as_constant(other)


class ComparedByData:
    """Ordering comparisons on ``self.data``, with Values or plain numbers on either side."""

    __slots__ = ()
    data: float

    def __lt__(self, other: object) -> bool:
        other_data = _data_of(other)
        if other_data is None:
            return NotImplemented
        return self.data < other_data

    def __le__(self, other: object) -> bool:
        other_data = _data_of(other)
        if other_data is None:
            return NotImplemented
        return self.data <= other_data

    def __gt__(self, other: object) -> bool:
        other_data = _data_of(other)
        if other_data is None:
            return NotImplemented
        return self.data > other_data

    def __ge__(self, other: object) -> bool:
        other_data = _data_of(other)
        if other_data is None:
            return NotImplemented
        return self.data >= other_data
