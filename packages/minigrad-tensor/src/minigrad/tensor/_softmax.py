"""``softmax`` and ``log_softmax`` along one axis, each a single stable operation.

As fused operations their gradients are short and exact, and they never form
``exp`` of a large number: the maximum along the axis is subtracted first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor._elementwise import as_tensor
from minigrad.tensor._reduction import normalize_one_axis
from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import ArrayLike, Tensor, make_result


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


def softmax(a: ArrayLike, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``: non-negative, summing to 1 along the axis.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> Tensor([[0.0, 0.0], [1000.0, 1000.0]]).softmax(axis=1).tolist()
        [[0.5, 0.5], [0.5, 0.5]]
    """
    a = as_tensor(a)
    position = normalize_one_axis(axis, a.ndim, "softmax")
    e = np.exp(_shifted(a.data, position))
    data = e / e.sum(axis=position, keepdims=True)
    return make_result(data, (a,), _softmax_backward, (position,), "softmax")


def log_softmax(a: ArrayLike, axis: int = -1) -> Tensor:
    """``x - log(sum(exp(x)))`` along ``axis``, the log of :func:`softmax` without underflow.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> Tensor([0.0, 0.0]).log_softmax().exp().tolist()
        [0.5, 0.5]
    """
    a = as_tensor(a)
    position = normalize_one_axis(axis, a.ndim, "log_softmax")
    shifted = _shifted(a.data, position)
    data = shifted - np.log(np.exp(shifted).sum(axis=position, keepdims=True))
    return make_result(data, (a,), _log_softmax_backward, (position,), "log_softmax")
