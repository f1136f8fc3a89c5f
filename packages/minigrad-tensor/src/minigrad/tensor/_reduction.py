"""Reductions over axes (``sum mean max min var std logsumexp argmax argmin``) and their rules."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import Axis, Tensor, make_result

_ALL_AXES: dict[int, tuple[int, ...]] = {n: tuple(range(n)) for n in range(8)}


def axis_error(op: str, axis: Any, ndim: int) -> np.exceptions.AxisError:
    """The error for an axis outside ``[-ndim, ndim)`` (a ValueError and an IndexError)."""
    return np.exceptions.AxisError(
        f"{op}: axis {axis} is out of range for a tensor with {ndim} dimension"
        f"{'' if ndim == 1 else 's'} (valid: {-ndim} to {ndim - 1})"
    )


def normalize_one_axis(axis: Any, ndim: int, op: str) -> int:
    """``axis`` as a non-negative int below ``ndim``; a clear error otherwise."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"{op}: axis must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise axis_error(op, axis, ndim)
    return int(axis) % ndim


def normalize_axis(axis: Axis, ndim: int, op: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes; a clear error when out of range."""
    if axis is None:
        return _ALL_AXES.get(ndim) or tuple(range(ndim))
    if isinstance(axis, (int, np.integer)):
        return (normalize_one_axis(axis, ndim, op),)
    if not isinstance(axis, (tuple, list)):
        raise TypeError(
            f"{op}: axis must be None, an int or a tuple of ints, got {type(axis).__name__}"
        )
    result = [normalize_one_axis(a, ndim, op) for a in axis]
    if len(set(result)) != len(result):
        raise ValueError(f"{op}: repeated axis in {tuple(axis)}")
    return tuple(sorted(result))


def expand_reduced(g: Any, shape: tuple[int, ...], axes: tuple[int, ...], keepdims: bool) -> Any:
    """Broadcast a reduced gradient (or value) back over the reduced ``axes`` to ``shape``."""
    if not keepdims and axes:
        kept = list(g.shape)
        for a in axes:
            kept.insert(a, 1)
        g = g.reshape(tuple(kept))
    if isinstance(g, np.ndarray):
        # A plain copy into a fresh array costs less than np.broadcast_to's
        # Python layers on small arrays, and later operations run on contiguous data.
        full = np.empty(shape, dtype=g.dtype)
        full[...] = g
        return full
    return np.broadcast_to(g, shape)


def _count(shape: tuple[int, ...], axes: tuple[int, ...]) -> int:
    count = 1
    for a in axes:
        count *= shape[a]
    return count


# ------------------------------------------------------------------ sum / mean


def _sum_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims = node.args
    return (expand_reduced(g, a.shape, axes, keepdims),)


def _mean_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims, count = node.args
    return (expand_reduced(g * (1.0 / count), a.shape, axes, keepdims),)


def sum(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (None: every axis)."""
    axes = normalize_axis(axis, a.ndim, "sum")
    data = np.asarray(a.data.sum(axis=axes, keepdims=keepdims))
    return make_result(data, (a,), _sum_backward, (axes, keepdims), "sum")


def mean(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis`` (None: every axis)."""
    axes = normalize_axis(axis, a.ndim, "mean")
    count = _count(a.shape, axes)
    if count == 0:
        raise ValueError(f"mean: no elements to average over axis {axis} of shape {a.shape}")
    data = np.asarray(a.data.mean(axis=axes, keepdims=keepdims))
    return make_result(data, (a,), _mean_backward, (axes, keepdims, count), "mean")


# ------------------------------------------------------------------- max / min


def _extreme_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # Every element equal to the extreme gets an equal share of its gradient.
    axes, keepdims = node.args
    hits = a == expand_reduced(out, a.shape, axes, keepdims)
    count = np.maximum(hits.sum(axis=axes, keepdims=True), 1)  # 0 only when out is nan
    share = expand_reduced(g, a.shape, axes, keepdims) / count.astype(g.dtype)
    return (np.where(hits, share, 0),)


def _extreme(a: Tensor, axis: Axis, keepdims: bool, op: str) -> Tensor:
    axes = normalize_axis(axis, a.ndim, op)
    if _count(a.shape, axes) == 0:
        raise ValueError(f"{op}: cannot reduce over an empty axis (shape {a.shape}, axis {axis})")
    reduce = a.data.max if op == "max" else a.data.min
    data = np.asarray(reduce(axis=axes, keepdims=keepdims))
    return make_result(data, (a,), _extreme_backward, (axes, keepdims), op)


def max(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Largest value over ``axis``.

    When several elements tie for the maximum, they share its gradient equally
    (each gets ``g / number_of_ties``), so the total gradient is preserved.
    """
    return _extreme(a, axis, keepdims, "max")


def min(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Smallest value over ``axis``.

    When several elements tie for the minimum, they share its gradient equally
    (each gets ``g / number_of_ties``), so the total gradient is preserved.
    """
    return _extreme(a, axis, keepdims, "min")


# ------------------------------------------------------------------- var / std


def _centered(a: Any, axes: tuple[int, ...]) -> Any:
    return a - a.mean(axis=axes, keepdims=True)


def _var_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims, dof = node.args
    g_full = expand_reduced(g, a.shape, axes, keepdims)
    return (g_full * _centered(a, axes) * (2.0 / dof),)


def _std_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d std = d var / (2 std); at std == 0 this is 0/0 (nan), as in PyTorch.
    axes, keepdims, dof = node.args
    scale = expand_reduced(g / out, a.shape, axes, keepdims)
    return (scale * _centered(a, axes) * (1.0 / dof),)


def _degrees_of_freedom(a: Tensor, axes: tuple[int, ...], ddof: int, op: str) -> int:
    count = _count(a.shape, axes)
    if count - ddof <= 0:
        raise ValueError(
            f"{op}: ddof={ddof} leaves no degrees of freedom for {count} element(s) "
            f"per reduction (shape {a.shape}, axes {axes})"
        )
    return count - ddof


def var(a: Tensor, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Variance over ``axis``: ``sum((x - mean)**2) / (N - ddof)``, ``ddof`` 0 as in NumPy."""
    axes = normalize_axis(axis, a.ndim, "var")
    dof = _degrees_of_freedom(a, axes, ddof, "var")
    data = np.asarray(a.data.var(axis=axes, ddof=ddof, keepdims=keepdims))
    return make_result(data, (a,), _var_backward, (axes, keepdims, dof), "var")


def std(a: Tensor, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Standard deviation over ``axis``, ``sqrt(var(axis, ddof))``."""
    axes = normalize_axis(axis, a.ndim, "std")
    dof = _degrees_of_freedom(a, axes, ddof, "std")
    data = np.asarray(a.data.std(axis=axes, ddof=ddof, keepdims=keepdims))
    return make_result(data, (a,), _std_backward, (axes, keepdims, dof), "std")


# ------------------------------------------------------------------ logsumexp


def _logsumexp_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    axes, keepdims = node.args
    # exp(a - out) is the softmax of a; renormalising removes the rounding error
    # of out (large in float32 when out is large) and changes nothing exact.
    e = np.exp(a - expand_reduced(out, a.shape, axes, keepdims))
    weights = e / e.sum(axis=axes, keepdims=True)
    return (expand_reduced(g, a.shape, axes, keepdims) * weights,)


def logsumexp_array(x: np.ndarray, axes: tuple[int, ...], keepdims: bool) -> np.ndarray:
    """``log(sum(exp(x)))`` over ``axes`` of an ndarray, shifted by the max against overflow."""
    shift = x.max(axis=axes, keepdims=True)
    shift = np.where(np.isfinite(shift), shift, 0)
    result = np.log(np.exp(x - shift).sum(axis=axes, keepdims=True)) + shift
    if not keepdims:
        result = result.reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))
    return np.asarray(result, dtype=x.dtype)


def logsumexp(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, stable for large values; its gradient is a softmax."""
    axes = normalize_axis(axis, a.ndim, "logsumexp")
    if _count(a.shape, axes) == 0:
        raise ValueError(f"logsumexp: cannot reduce over an empty axis (shape {a.shape})")
    data = logsumexp_array(a.data, axes, keepdims)
    return make_result(data, (a,), _logsumexp_backward, (axes, keepdims), "logsumexp")


# ------------------------------------------------------------- argmax / argmin


def _arg_extreme(a: Tensor, axis: int | None, keepdims: bool, op: str) -> Tensor:
    if a.size == 0:
        raise ValueError(f"{op}: the tensor is empty (shape {a.shape})")
    find = np.argmax if op == "argmax" else np.argmin
    if axis is None:
        index = find(a.data)
        if keepdims:
            return Tensor(np.asarray(index, dtype=np.int64).reshape((1,) * a.ndim))
        return Tensor(np.asarray(index, dtype=np.int64))
    position = normalize_one_axis(axis, a.ndim, op)
    return Tensor(np.asarray(find(a.data, axis=position, keepdims=keepdims), dtype=np.int64))


def argmax(a: Tensor, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Indices (int64) of the largest values along ``axis``; not differentiable."""
    return _arg_extreme(a, axis, keepdims, "argmax")


def argmin(a: Tensor, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Indices (int64) of the smallest values along ``axis``; not differentiable."""
    return _arg_extreme(a, axis, keepdims, "argmin")
