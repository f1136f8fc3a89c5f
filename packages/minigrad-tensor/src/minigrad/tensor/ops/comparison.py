"""Comparisons, logical operators and other elementwise results without a gradient.

``< <= > >= == !=`` compare the data and give boolean tensors; ``~ & |`` combine
boolean (or integer) masks. ``==`` is elementwise as in NumPy and PyTorch
(unlike ``Value``, whose ``==`` is identity so that it can sit in sets);
tensors still hash by identity. These ops have no backward rule, but they run
through :func:`~minigrad.tensor.autograd.record.apply` like every other op, so
a tracer sees them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.operands import as_tensor, broadcast_error
from minigrad.tensor.ops.registry import answer_numpy, install_methods
from minigrad.tensor.tensor import Tensor

__all__ = ["ComparisonMethods", "compare", "logical"]

_UFUNCS: tuple[np.ufunc, ...] = (
    np.less,
    np.less_equal,
    np.greater,
    np.greater_equal,
    np.equal,
    np.not_equal,
    np.invert,
    np.bitwise_and,
    np.bitwise_or,
    np.logical_and,
    np.logical_or,
    np.logical_not,
    np.sign,
    np.isfinite,
    np.isnan,
)
# One op per ufunc, named after it; none has a gradient. The comparisons come first.
_OPS: dict[np.ufunc, Op] = {ufunc: Op(ufunc.__name__, ufunc) for ufunc in _UFUNCS}


def compare(ufunc: np.ufunc, a: Any, b: Any) -> Tensor:
    """A comparison ``ufunc`` of ``a`` and ``b``: a boolean Tensor, no graph.

    A Python number on either side takes the other side's float dtype, as NumPy's
    own comparison of an array with a Python number does.
    """
    x, y = as_tensor(a, b), as_tensor(b, a)
    try:
        return apply(_OPS[ufunc], (x, y))
    except ValueError:
        raise broadcast_error(ufunc.__name__, x, y) from None


def logical(ufunc: np.ufunc, *operands: Any) -> Tensor:
    """A logical or bitwise ``ufunc`` (``~ & |``) on boolean or integer tensors, no graph."""
    tensors = tuple(as_tensor(x) for x in operands)
    for tensor in tensors:
        if tensor.dtype.kind == "f":
            raise TypeError(
                f"{ufunc.__name__}: needs boolean or integer tensors (masks), got dtype "
                f"{tensor.dtype}"
            )
    try:
        return apply(_OPS[ufunc], tensors)
    except ValueError:
        raise broadcast_error(ufunc.__name__, *tensors) from None


def _unary_without_gradient(ufunc: np.ufunc) -> Any:
    return lambda a: apply(_OPS[ufunc], (as_tensor(a),))


for _ufunc in _UFUNCS[:6]:
    answer_numpy(_ufunc, lambda a, b, ufunc=_ufunc: compare(ufunc, a, b))
for _ufunc in (np.bitwise_and, np.bitwise_or, np.logical_and, np.logical_or):
    answer_numpy(_ufunc, lambda a, b, ufunc=_ufunc: logical(ufunc, a, b))
for _ufunc in (np.invert, np.logical_not):
    answer_numpy(_ufunc, lambda a, ufunc=_ufunc: logical(ufunc, a))
for _ufunc in (np.sign, np.isfinite, np.isnan):
    answer_numpy(_ufunc, _unary_without_gradient(_ufunc))


def _less(a: Tensor, b: Any) -> Tensor:
    return compare(np.less, a, b)


def _less_equal(a: Tensor, b: Any) -> Tensor:
    return compare(np.less_equal, a, b)


def _greater(a: Tensor, b: Any) -> Tensor:
    return compare(np.greater, a, b)


def _greater_equal(a: Tensor, b: Any) -> Tensor:
    return compare(np.greater_equal, a, b)


def _equal(a: Tensor, b: object) -> Tensor:
    return compare(np.equal, a, b)


def _not_equal(a: Tensor, b: object) -> Tensor:
    return compare(np.not_equal, a, b)


def _invert(a: Tensor) -> Tensor:
    return logical(np.invert, a)


def _and(a: Tensor, b: Any) -> Tensor:
    return logical(np.bitwise_and, a, b)


def _or(a: Tensor, b: Any) -> Tensor:
    return logical(np.bitwise_or, a, b)


class ComparisonMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    __lt__ = _less
    __le__ = _less_equal
    __gt__ = _greater
    __ge__ = _greater_equal
    __eq__ = _equal  # type: ignore[assignment]
    __ne__ = _not_equal  # type: ignore[assignment]
    __invert__ = _invert
    __and__ = _and
    __rand__ = _and
    __or__ = _or
    __ror__ = _or


install_methods(ComparisonMethods)
