"""Reductions over axes (``sum``, ``mean``, …) and their backward rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import Axis, Tensor, make_result


def normalize_axis(axis: Axis, ndim: int, op: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes; a clear error when out of range."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    result = []
    for a in axes:
        if not isinstance(a, (int, np.integer)):
            raise TypeError(f"{op}: axis must be an int or a tuple of ints, got {type(a).__name__}")
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"{op}: axis {a} is out of range for a tensor with {ndim} dimensions")
        result.append(int(a) % max(ndim, 1))
    if len(set(result)) != len(result):
        raise ValueError(f"{op}: repeated axis in {axis}")
    return tuple(sorted(result))


def expand_reduced(g: Any, shape: tuple[int, ...], axes: tuple[int, ...], keepdims: bool) -> Any:
    """Broadcast a reduced gradient back over the reduced ``axes`` to ``shape``."""
    if not keepdims:
        kept = list(g.shape)
        for a in axes:
            kept.insert(a, 1)
        g = g.reshape(tuple(kept))
    return np.broadcast_to(g, shape)


def _sum_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims = node.args
    return (expand_reduced(g, a.shape, axes, keepdims),)


def _mean_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims, count = node.args
    return (expand_reduced(g / count, a.shape, axes, keepdims),)


def sum(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over ``axis``."""
    axes = normalize_axis(axis, a.ndim, "sum")
    data = np.sum(a.data, axis=axes, keepdims=keepdims)
    return make_result(np.asarray(data), (a,), _sum_backward, (axes, keepdims), "sum")


def mean(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis``."""
    axes = normalize_axis(axis, a.ndim, "mean")
    count = int(np.prod([a.shape[i] for i in axes])) if axes else 1
    data = np.mean(a.data, axis=axes, keepdims=keepdims)
    return make_result(np.asarray(data), (a,), _mean_backward, (axes, keepdims, count), "mean")
