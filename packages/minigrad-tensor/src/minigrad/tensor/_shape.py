"""Operations that move data without changing it (reshape, permute, …), and their rules.

Every reshape-like operation (``reshape view flatten squeeze unsqueeze``) shares
one backward rule: reshape the gradient back. ``expand`` and ``broadcast_to``
hand the gradient on unchanged; the engine sums it back to the input's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor._reduction import axis_error, normalize_axis, normalize_one_axis
from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import Axis, Tensor, make_result


def normalize_shape_args(args: Sequence[Any]) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as NumPy and PyTorch do."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    try:
        return tuple(int(s) for s in args)
    except TypeError:
        raise TypeError(f"a shape must be ints or a tuple of ints, got {tuple(args)!r}") from None


def _reshape_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.reshape(a.shape),)


def _reshaped(a: Tensor, new_shape: tuple[int, ...], op: str) -> Tensor:
    try:
        data = a.data.reshape(new_shape)
    except ValueError:
        raise ValueError(
            f"{op}: cannot reshape a tensor of shape {a.shape} ({a.size} elements) "
            f"into shape {new_shape}"
        ) from None
    return make_result(data, (a,), _reshape_backward, (), op)


def reshape(a: Tensor, shape: Sequence[Any]) -> Tensor:
    """``a`` in a new shape with the same number of elements (one length may be -1)."""
    return _reshaped(a, normalize_shape_args(shape), "reshape")


def flatten(a: Tensor, start_axis: int = 0, end_axis: int = -1) -> Tensor:
    """``a`` with axes ``start_axis`` through ``end_axis`` merged into one.

    A 0-d tensor becomes a 1-element 1-d tensor, as in PyTorch.
    """
    if a.ndim == 0:
        return _reshaped(a, (1,), "flatten")
    start = normalize_one_axis(start_axis, a.ndim, "flatten")
    end = normalize_one_axis(end_axis, a.ndim, "flatten")
    if start > end:
        raise ValueError(
            f"flatten: start_axis {start_axis} comes after end_axis {end_axis} "
            f"for a tensor of shape {a.shape}"
        )
    merged = 1
    for n in a.shape[start : end + 1]:
        merged *= n
    return _reshaped(a, (*a.shape[:start], merged, *a.shape[end + 1 :]), "flatten")


def squeeze(a: Tensor, axis: Axis = None) -> Tensor:
    """``a`` without its length-1 axes (all, or those in ``axis``).

    Unlike PyTorch, and as NumPy, naming an axis whose length is not 1 is an error.
    """
    if axis is None:
        axes = tuple(i for i, n in enumerate(a.shape) if n == 1)
    else:
        axes = normalize_axis(axis, a.ndim, "squeeze")
        for i in axes:
            if a.shape[i] != 1:
                raise ValueError(
                    f"squeeze: axis {i} has length {a.shape[i]}, not 1 (shape {a.shape})"
                )
    return _reshaped(a, tuple(n for i, n in enumerate(a.shape) if i not in axes), "squeeze")


def unsqueeze(a: Tensor, axis: int) -> Tensor:
    """``a`` with a new axis of length 1 at ``axis`` (from ``-ndim-1`` to ``ndim``)."""
    position = normalize_one_axis(axis, a.ndim + 1, "unsqueeze")
    return _reshaped(a, (*a.shape[:position], 1, *a.shape[position:]), "unsqueeze")


def _permute_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.transpose(g, node.args[1]),)


def permute(a: Tensor, axes: tuple[int, ...]) -> Tensor:
    """``a`` with its axes in the order ``axes``."""
    if len(axes) != a.ndim:
        raise ValueError(f"permute: {axes} is not a permutation of the {a.ndim} axes of {a.shape}")
    order = tuple(normalize_one_axis(x, a.ndim, "permute") for x in axes)
    if len(set(order)) != len(order):
        raise ValueError(f"permute: {axes} is not a permutation of the {a.ndim} axes of {a.shape}")
    inverse = tuple(int(i) for i in np.argsort(order))
    data = a.data.transpose(order)
    return make_result(data, (a,), _permute_backward, (order, inverse), "permute")


def transpose(a: Tensor, axis0: int, axis1: int) -> Tensor:
    """``a`` with axes ``axis0`` and ``axis1`` swapped."""
    first = normalize_one_axis(axis0, a.ndim, "transpose")
    second = normalize_one_axis(axis1, a.ndim, "transpose")
    order = list(range(a.ndim))
    order[first], order[second] = order[second], order[first]
    return permute(a, tuple(order))


def _broadcast_to_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g,)  # the engine sums g back to a's shape


def broadcast_to(a: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``a`` broadcast to ``shape`` with NumPy's rules (a read-only view)."""
    try:
        data = np.broadcast_to(a.data, shape)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {shape}") from None
    return make_result(data, (a,), _broadcast_to_backward, (), "broadcast_to")


def expand(a: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``a`` broadcast to ``shape``; -1 keeps the length of that axis (PyTorch's ``expand``)."""
    extra = len(shape) - a.ndim
    if extra < 0:
        raise ValueError(f"expand: shape {shape} has fewer axes than the tensor's shape {a.shape}")
    target = []
    for i, n in enumerate(shape):
        if n == -1:
            if i < extra:
                raise ValueError(f"expand: -1 is not allowed for the new leading axis {i}")
            n = a.shape[i - extra]
        target.append(n)
    return broadcast_to(a, tuple(target))


__all__ = [
    "axis_error",
    "broadcast_to",
    "expand",
    "flatten",
    "normalize_shape_args",
    "permute",
    "reshape",
    "squeeze",
    "transpose",
    "unsqueeze",
]
