"""The module-level functions of ``minigrad.tensor``, defined on :class:`ScalarArray`.

This module is the scalar side's namespace: ``array_namespace(x)`` returns it
when ``x`` is a ScalarArray, as it returns ``minigrad.tensor`` for a Tensor, so
``xp.concatenate([a, b])`` or ``xp.nn.functional.conv2d(x, w)`` run on both
engines. Each function is the plain definition: data movement by NumPy on the
object array, arithmetic by ``Value``.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor.testing.scalar_array import ScalarArray
    >>> a = ScalarArray.from_numbers(np.array([1.0, 2.0]))
    >>> concatenate([a, a * 3], axis=0).data.tolist()
    [1.0, 2.0, 3.0, 6.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.testing import scalar_functional
from minigrad.tensor.testing.scalar_array import (
    ScalarArray,
    as_object_array,
    erf_values,
    maximum_values,
    minimum_values,
    values_of,
)

__all__ = [
    "concatenate",
    "cumsum",
    "erf",
    "log_softmax",
    "matmul",
    "maximum",
    "minimum",
    "pad",
    "softmax",
    "split",
    "stack",
    "tril",
    "triu",
    "where",
]

# ``xp.nn.functional.conv2d(...)`` on the scalar side, as on ``minigrad.tensor``.
nn = SimpleNamespace(functional=scalar_functional)


def as_scalar_array(x: Any) -> ScalarArray:
    """``x`` as a ScalarArray; Tensors, arrays and numbers become constants."""
    if isinstance(x, ScalarArray):
        return x
    return ScalarArray(np.asarray(values_of(x)))


def concatenate(tensors: Sequence[Any], axis: int = 0) -> ScalarArray:
    """The arrays joined along an existing ``axis``."""
    return ScalarArray(np.concatenate([as_scalar_array(t).values for t in tensors], axis=axis))


def stack(tensors: Sequence[Any], axis: int = 0) -> ScalarArray:
    """The arrays joined along a new ``axis``."""
    return ScalarArray(np.stack([as_scalar_array(t).values for t in tensors], axis=axis))


def split(
    tensor: Any, indices_or_sections: int | Sequence[int], axis: int = 0
) -> list[ScalarArray]:
    """Pieces along ``axis``, with NumPy's ``split`` rules."""
    pieces = np.split(as_scalar_array(tensor).values, indices_or_sections, axis=axis)
    return [ScalarArray(p) for p in pieces]


def pad(
    tensor: Any,
    pad_width: Any,
    mode: str = "constant",
    constant_values: float = 0,
) -> ScalarArray:
    """Padding with NumPy's rules; the constant border holds plain numbers (no gradient)."""
    values = as_scalar_array(tensor).values
    widths = [
        (int(before), int(after))
        for before, after in np.broadcast_to(np.asarray(pad_width), (values.ndim, 2))
    ]
    if mode != "constant":
        return ScalarArray(np.pad(values, widths, mode=mode))  # type: ignore[call-overload]
    shape = tuple(
        n + before + after for n, (before, after) in zip(values.shape, widths, strict=True)
    )
    result = np.full(shape, float(constant_values), dtype=object)
    interior = tuple(
        slice(before, before + n) for n, (before, _) in zip(values.shape, widths, strict=True)
    )
    result[interior] = values
    return ScalarArray(result)


def where(condition: Any, x: Any, y: Any) -> ScalarArray:
    """``x`` where ``condition`` holds, else ``y`` (the condition is a constant)."""
    mask = np.asarray(_numbers_of(condition)).astype(bool)
    return ScalarArray(as_object_array(np.where(mask, values_of(x), values_of(y))))


def maximum(a: Any, b: Any) -> ScalarArray:
    """Elementwise larger value; a tie shares the gradient equally."""
    return ScalarArray(as_object_array(maximum_values(values_of(a), values_of(b))))


def minimum(a: Any, b: Any) -> ScalarArray:
    """Elementwise smaller value; a tie shares the gradient equally."""
    return ScalarArray(as_object_array(minimum_values(values_of(a), values_of(b))))


def matmul(a: Any, b: Any) -> ScalarArray:
    """Matrix product by sums of Value products."""
    return as_scalar_array(a).matmul(b)


def softmax(a: Any, axis: int = -1) -> ScalarArray:
    """exp(x) / sum(exp(x)) along ``axis``."""
    return as_scalar_array(a).softmax(axis)


def log_softmax(a: Any, axis: int = -1) -> ScalarArray:
    """x - logsumexp(x) along ``axis``."""
    return as_scalar_array(a).log_softmax(axis)


def erf(a: Any) -> ScalarArray:
    """The error function of each element."""
    return ScalarArray(erf_values(as_scalar_array(a).values))


def tril(a: Any, diagonal: int = 0) -> ScalarArray:
    """The lower triangle of the last two axes."""
    return as_scalar_array(a).tril(diagonal)


def triu(a: Any, diagonal: int = 0) -> ScalarArray:
    """The upper triangle of the last two axes."""
    return as_scalar_array(a).triu(diagonal)


def cumsum(a: Any, axis: int) -> ScalarArray:
    """Running sums along ``axis``."""
    return as_scalar_array(a).cumsum(axis)


def _numbers_of(x: Any) -> npt.ArrayLike:
    if isinstance(x, ScalarArray):
        return x.data
    return np.asarray(values_of(x))
