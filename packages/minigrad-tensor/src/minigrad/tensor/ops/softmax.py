"""``softmax`` and ``log_softmax`` along one axis, each a single stable operation.

As fused operations their gradients are short and exact, and they never form
``exp`` of a large number: the maximum along the axis is subtracted first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.axes import normalize_one_axis
from minigrad.tensor.ops.operands import as_tensor
from minigrad.tensor.ops.registry import install_methods
from minigrad.tensor.tensor import ArrayLike, Tensor

__all__ = ["SoftmaxMethods", "log_softmax", "softmax"]


def _softmax_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    (axis,) = node.args
    return (out * (g - (g * out).sum(axis=axis, keepdims=True)),)


def _log_softmax_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    (axis,) = node.args
    return (g - np.exp(out) * g.sum(axis=axis, keepdims=True),)


def _shifted(x: np.ndarray, axis: int) -> np.ndarray:
    shift = x.max(axis=axis, keepdims=True)
    # An all -inf (or inf) slice would give inf - inf = nan; shift it by 0 instead.
    if not np.isfinite(shift).all():
        shift = np.where(np.isfinite(shift), shift, 0)
    shifted: np.ndarray = x - shift
    return shifted


def _softmax_forward(x: np.ndarray, axis: int) -> np.ndarray:
    if x.size == 0:  # an empty result, as PyTorch (NumPy's max refuses an empty axis)
        empty: np.ndarray = np.exp(x)
        return empty
    e = np.exp(_shifted(x, axis))
    result: np.ndarray = e / e.sum(axis=axis, keepdims=True)
    return result


def _log_softmax_forward(x: np.ndarray, axis: int) -> np.ndarray:
    if x.size == 0:  # an empty result, as PyTorch (NumPy's max refuses an empty axis)
        empty: np.ndarray = np.exp(x)
        return empty
    shifted = _shifted(x, axis)
    result: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return result


SOFTMAX = Op("softmax", _softmax_forward, _softmax_backward, reads_inputs=False)
LOG_SOFTMAX = Op("log_softmax", _log_softmax_forward, _log_softmax_backward, reads_inputs=False)


def softmax(a: ArrayLike, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``: non-negative, summing to 1 along the axis.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> Tensor([[0.0, 0.0], [1000.0, 1000.0]]).softmax(axis=1).tolist()
        [[0.5, 0.5], [0.5, 0.5]]
    """
    a = as_tensor(a)
    return apply(SOFTMAX, (a,), (normalize_one_axis(axis, a.ndim, "softmax"),))


def log_softmax(a: ArrayLike, axis: int = -1) -> Tensor:
    """``x - log(sum(exp(x)))`` along ``axis``, the log of :func:`softmax` without underflow.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> Tensor([0.0, 0.0]).log_softmax().exp().tolist()
        [0.5, 0.5]
    """
    a = as_tensor(a)
    return apply(LOG_SOFTMAX, (a,), (normalize_one_axis(axis, a.ndim, "log_softmax"),))


def _softmax_method(a: Tensor, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``, computed stably as one operation."""
    return softmax(a, axis)


def _log_softmax_method(a: Tensor, axis: int = -1) -> Tensor:
    """``x - logsumexp(x)`` along ``axis``, computed stably as one operation."""
    return log_softmax(a, axis)


class SoftmaxMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    softmax = _softmax_method
    log_softmax = _log_softmax_method


install_methods(SoftmaxMethods)
