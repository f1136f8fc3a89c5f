"""The arithmetic of ``**``: a result and its local gradients, one function per kind of operand.

`Value.__pow__` and `Value.__rpow__` (in ``engine.py``) pick the function for
their operands and record its result. Each function checks its domain and
raises an error naming the operation and both operands: ``x ** n`` with a
number ``n`` needs an integer ``n`` when x < 0 (ValueError) and n >= 0 when
x == 0 (ZeroDivisionError); a Value exponent, as in ``2 ** x`` or ``x ** y``,
needs a positive base, because its gradient is ``log(base) * result``
(ValueError otherwise, even where the power itself would exist). A result
beyond the float range raises OverflowError (the engine's overflow rule); a
local gradient beyond it is ``inf``, as IEEE arithmetic gives.

Example:
    >>> power_with_constant_exponent(3.0, 2.0)   # 3^2 and d/dx x^2 = 2x
    (9.0, 6.0)
"""

from __future__ import annotations

import math

from minigrad.scalar.operands import overflow

__all__ = ["power_of_values", "power_with_constant_base", "power_with_constant_exponent"]


def _power(x: float, y: float) -> float:
    """``x ** y``, or OverflowError naming both when the result exceeds the float range."""
    try:
        result: float = x**y
    except OverflowError:
        raise overflow("power", f"{x!r} ** {y!r}") from None
    return result


def _slope(coefficient: float, x: float, y: float) -> float:
    """``coefficient * x ** y`` where ``x ** y`` may overflow: then +-inf (or nan if 0 * inf)."""
    try:
        slope: float = coefficient * x**y
    except OverflowError:
        return (
            coefficient * math.inf
            if x > 0.0 or (y.is_integer() and y % 2 == 0)
            else -coefficient * math.inf
        )
    return slope


def power_with_constant_exponent(x: float, n: float) -> tuple[float, float]:
    """``x ** n`` and d/dx x^n = n x^(n-1), for a Value base and a number exponent."""
    if x < 0.0 and not n.is_integer():
        raise ValueError(f"power of a negative base needs an integer exponent, got {x!r} ** {n!r}")
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"power of zero needs a non-negative exponent, got {x!r} ** {n!r}")
    result = _power(x, n)
    if n == 0.0:
        return result, 0.0  # x^0 is the constant 1
    if x == 0.0 and n < 1.0:
        return result, math.inf  # e.g. sqrt at 0: the slope is vertical
    return result, _slope(n, x, n - 1.0)


def power_with_constant_base(b: float, y: float) -> tuple[float, float]:
    """``b ** y`` and d/dy b^y = b^y log(b), for a number base; needs b > 0."""
    if b <= 0.0:
        raise ValueError(
            f"power with a Value exponent needs a positive base "
            f"(its gradient uses log(base)), got {b!r} ** {y!r}"
        )
    result = _power(b, y)
    return result, result * math.log(b)


def power_of_values(x: float, y: float) -> tuple[float, tuple[float, float]]:
    """``x ** y`` and its two local gradients, for Values on both sides; needs x > 0."""
    if x <= 0.0:
        raise ValueError(
            f"power with a Value exponent needs a positive base "
            f"(its gradient uses log(base)), got {x!r} ** {y!r}"
        )
    result = _power(x, y)
    return result, (_slope(y, x, y - 1.0), result * math.log(x))
