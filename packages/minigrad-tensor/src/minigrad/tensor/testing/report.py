"""Failure reports that stand on their own: which op, which input, which element, which values.

Both oracles compare two arrays of numbers with the same rule,
``|actual - expected| <= atol + rtol * |expected|`` (``numpy.isclose``'s rule),
and report the worst offending element in the same words.

Example:
    >>> import numpy as np
    >>> mismatch = find_mismatch(np.array([1.0, 2.5]), np.array([1.0, 2.0]), atol=1e-8, rtol=0.0)
    >>> mismatch.index, mismatch.actual, mismatch.expected, mismatch.count
    ((1,), 2.5, 2.0, 1)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "GradcheckError",
    "Mismatch",
    "ScalarMismatchError",
    "describe_tolerance",
    "find_mismatch",
]


class GradcheckError(AssertionError):
    """An analytic gradient differs from float64 central differences (see ``gradcheck``)."""


class ScalarMismatchError(AssertionError):
    """A Tensor result or gradient differs from the scalar engine (see ``check_against_scalar``)."""


@dataclass(frozen=True)
class Mismatch:
    """The worst element of a comparison that failed.

    Attributes:
        index: the element's index in the compared arrays' shape.
        actual: the value under test there.
        expected: the reference value there.
        count: how many elements failed the tolerance in all.
        total: how many elements were compared.
    """

    index: tuple[int, ...]
    actual: float
    expected: float
    count: int
    total: int


def find_mismatch(
    actual: np.ndarray, expected: np.ndarray, *, atol: float, rtol: float
) -> Mismatch | None:
    """The element that most exceeds ``atol + rtol * |expected|``, or None if all are close.

    NaNs compare equal to NaNs (both engines agreeing on "undefined" is agreement)
    and unequal to anything else; infinities must match exactly.
    """
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if actual.shape != expected.shape:
        raise ValueError(
            f"find_mismatch: shapes differ, {actual.shape} (actual) and {expected.shape} (expected)"
        )
    with np.errstate(invalid="ignore", over="ignore"):
        excess = np.abs(actual - expected) - (atol + rtol * np.abs(expected))
    both_nan = np.isnan(actual) & np.isnan(expected)
    same_inf = np.isinf(actual) & (actual == expected)
    excess = np.where(both_nan | same_inf, -1.0, excess)
    excess = np.where(np.isnan(excess), np.inf, excess)  # one side nan or inf: always a failure
    failed = excess > 0
    count = int(failed.sum())
    if count == 0:
        return None
    flat = int(np.argmax(excess))
    index = tuple(int(i) for i in np.unravel_index(flat, actual.shape))
    return Mismatch(
        index=index,
        actual=float(actual.reshape(-1)[flat]),
        expected=float(expected.reshape(-1)[flat]),
        count=count,
        total=int(actual.size),
    )


def describe_tolerance(mismatch: Mismatch, *, atol: float, rtol: float, reference: str) -> str:
    """The line under a report: the difference, the tolerance and how many elements failed."""
    difference = abs(mismatch.actual - mismatch.expected)
    return (
        f"|difference| {difference:.6g} > atol {atol:g} + rtol {rtol:g} * |{reference}|; "
        f"{mismatch.count} of {mismatch.total} elements differ"
    )
