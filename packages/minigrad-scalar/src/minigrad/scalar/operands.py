"""Checking what goes into a `Value`, and the errors for what does not fit.

The engine calls these only off its fast path: `as_constant` for a plain
number in the arithmetic, `as_number` when ``Value(...)`` is given something
that is not a float, and `check_overflow` when an operation's result is not
finite. Each error names what was expected and what was given.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Protocol

__all__ = [
    "as_constant",
    "as_number",
    "check_divisor",
    "check_label",
    "check_overflow",
    "not_a_tuple",
    "overflow",
]


class HasData(Protocol):
    """Anything with a float ``data`` (a Value, without importing the engine)."""

    data: float


def as_constant(x: object) -> float | None:
    """``x`` as a float if it is a plain real number, else None.

    bool is refused: True/False in arithmetic with a Value is almost always a
    slip (a comparison result used as a number), so it is reported rather than
    silently read as 1.0/0.0.

    Example:
        >>> as_constant(2), as_constant(0.5), as_constant(True), as_constant("1")
        (2.0, 0.5, None, None)
    """
    # The exact-type checks are the fast path; the ABC check lets in other
    # real numbers such as fractions.Fraction or numpy.float32.
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    if isinstance(x, bool):
        return None
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def as_number(x: object) -> float:
    """``x`` as the float data of a new Value, or a TypeError naming its type."""
    number = as_constant(x)
    if number is not None:
        return number
    if hasattr(x, "data") and hasattr(x, "_children"):  # a Value (checked without importing it)
        raise TypeError(
            "Value expects a real number (int or float), got Value; "
            "use the Value itself, or its .data"
        )
    raise TypeError(f"Value expects a real number (int or float), got {type(x).__name__}")


def not_a_tuple(children: object) -> TypeError:
    """The error for ``children`` that are not a tuple (a label given by position, often)."""
    hint = "; give a label as label=..." if isinstance(children, str) else ""
    return TypeError(
        f"Value children must be a tuple of Values, got {type(children).__name__}{hint}"
    )


def check_label(label: object) -> str:
    """``label`` if it is a str, else a TypeError naming its type."""
    if not isinstance(label, str):
        raise TypeError(f"Value label must be a str, got {type(label).__name__}")
    return label


def check_divisor(numerator: float, denominator: float) -> None:
    """Raise ZeroDivisionError, naming both operands, if ``denominator`` is zero."""
    if denominator == 0.0:
        raise ZeroDivisionError(f"division by zero: {numerator!r} / {denominator!r}")


def overflow(op: str, operands: str) -> OverflowError:
    """The error for a result too large for a float, naming the op and its input."""
    return OverflowError(f"{op} overflows the float range at {operands}")


def check_overflow(result: float, op: str, operands: Sequence[HasData]) -> None:
    """Raise OverflowError if ``result`` is infinite although no operand Value is.

    This is the scalar engine's one overflow rule: an operation whose result
    lies beyond the float range (magnitude above ``sys.float_info.max``,
    about 1.8e308) raises instead of returning ``inf``. Infinities and nan that
    are already in the operands flow on as IEEE arithmetic says; plain numbers
    in the arithmetic are not operand Values, so ``Value(2.0) * math.inf``
    raises too (write ``Value(math.inf)`` to compute with infinity).

    Example:
        >>> class V:
        ...     data = 1e308
        >>> check_overflow(math.inf, "*", [V()])
        Traceback (most recent call last):
        ...
        OverflowError: * overflows the float range at 1e+308 and a constant
    """
    if not math.isinf(result) or not all(math.isfinite(x.data) for x in operands):
        return
    shown = [repr(x.data) for x in operands]
    if len(shown) == 2 and op in ("+", "-", "*", "/", "**"):
        raise overflow(op, f" {op} ".join(shown))
    if len(shown) == 1 and op in ("+", "-", "*", "/"):
        raise overflow(op, f"{shown[0]} and a constant")
    raise overflow(op, ", ".join(shown))
