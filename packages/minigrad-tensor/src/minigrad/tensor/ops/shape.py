"""Operations that move data without changing it (reshape, permute, …), and their rules.

Every reshape-like operation (``reshape view flatten squeeze unsqueeze``) shares
one backward rule: reshape the gradient back. ``expand`` and ``broadcast_to``
hand the gradient on unchanged; the engine sums it back to the input's shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.axes import Axis, normalize_axis, normalize_one_axis, normalize_shape_args
from minigrad.tensor.ops.operands import as_tensor
from minigrad.tensor.ops.registry import answer_numpy, install_methods
from minigrad.tensor.tensor import ShapeArgs, Tensor


def _reshape_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.reshape(a.shape),)


# One op per public name, so that graphs and errors say which was called.
_RESHAPES = {
    name: Op(name, lambda x, shape: x.reshape(shape), _reshape_backward, reads_inputs=False)
    for name in ("reshape", "flatten", "squeeze", "unsqueeze")
}


def _reshaped(a: Tensor, new_shape: tuple[int, ...], op: str) -> Tensor:
    try:
        return apply(_RESHAPES[op], (a,), (new_shape,))
    except ValueError:
        raise ValueError(
            f"{op}: cannot reshape a tensor of shape {a.shape} ({a.size} elements) "
            f"into shape {new_shape}"
        ) from None


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


PERMUTE = Op(
    "permute", lambda x, order, inverse: x.transpose(order), _permute_backward, reads_inputs=False
)


def permute(a: Tensor, axes: tuple[int, ...]) -> Tensor:
    """``a`` with its axes in the order ``axes``."""
    if len(axes) != a.ndim:
        raise ValueError(f"permute: {axes} is not a permutation of the {a.ndim} axes of {a.shape}")
    order = tuple(normalize_one_axis(x, a.ndim, "permute") for x in axes)
    if len(set(order)) != len(order):
        raise ValueError(f"permute: {axes} is not a permutation of the {a.ndim} axes of {a.shape}")
    inverse = tuple(int(i) for i in np.argsort(order))
    return apply(PERMUTE, (a,), (order, inverse))


def transpose(a: Tensor, axis0: int, axis1: int) -> Tensor:
    """``a`` with axes ``axis0`` and ``axis1`` swapped."""
    first = normalize_one_axis(axis0, a.ndim, "transpose")
    second = normalize_one_axis(axis1, a.ndim, "transpose")
    order = list(range(a.ndim))
    order[first], order[second] = order[second], order[first]
    return permute(a, tuple(order))


def _broadcast_to_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g,)  # the engine sums g back to a's shape


BROADCAST_TO = Op("broadcast_to", np.broadcast_to, _broadcast_to_backward, reads_inputs=False)


def broadcast_to(a: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``a`` broadcast to ``shape`` with NumPy's rules (a read-only view)."""
    try:
        return apply(BROADCAST_TO, (a,), (shape,))
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {shape}") from None


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


def _transpose_function(a: Any, axes: Sequence[int] | None = None) -> Tensor:
    a = as_tensor(a)
    if axes is None:
        return permute(a, tuple(range(a.ndim - 1, -1, -1)))
    return permute(a, tuple(int(x) for x in axes))


answer_numpy(np.transpose, _transpose_function)
answer_numpy(np.swapaxes, lambda a, axis1, axis2: transpose(as_tensor(a), axis1, axis2))
answer_numpy(np.reshape, lambda a, shape: reshape(as_tensor(a), (shape,)))
answer_numpy(
    np.broadcast_to,
    lambda a, shape: broadcast_to(as_tensor(a), normalize_shape_args((shape,))),
)
answer_numpy(np.expand_dims, lambda a, axis: unsqueeze(as_tensor(a), axis))
answer_numpy(np.squeeze, lambda a, axis=None: squeeze(as_tensor(a), axis))
answer_numpy(np.shape, lambda a: a.shape)
answer_numpy(np.ndim, lambda a: a.ndim)
answer_numpy(np.size, lambda a: a.size)


def _reshape_method(a: Tensor, *shape: ShapeArgs) -> Tensor:
    """The same data in a new shape (one dimension may be -1)."""
    return reshape(a, shape)


def _view_method(a: Tensor, *shape: ShapeArgs) -> Tensor:
    """The same as :meth:`reshape` (NumPy arrays need no contiguity for this)."""
    return reshape(a, shape)


def _permute_method(a: Tensor, *axes: ShapeArgs) -> Tensor:
    """The tensor with its axes reordered: ``t.permute(2, 0, 1)``."""
    return permute(a, normalize_shape_args(axes))


def _transpose_method(a: Tensor, axis0: int = -2, axis1: int = -1) -> Tensor:
    """The tensor with two axes swapped (the last two by default)."""
    return transpose(a, axis0, axis1)


def _expand_method(a: Tensor, *shape: ShapeArgs) -> Tensor:
    """Broadcast to ``shape``, where -1 keeps an axis's length, as in PyTorch."""
    return expand(a, normalize_shape_args(shape))


def _broadcast_to_method(a: Tensor, *shape: ShapeArgs) -> Tensor:
    """Broadcast to ``shape`` with NumPy's rules (a read-only view)."""
    return broadcast_to(a, normalize_shape_args(shape))


def _reversed_axes(a: Tensor) -> Tensor:
    """The tensor with its axes reversed (``permute`` of all axes backwards)."""
    return permute(a, tuple(range(a.ndim - 1, -1, -1)))


class ShapeMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    reshape = _reshape_method
    view = _view_method
    flatten = flatten
    permute = _permute_method
    transpose = _transpose_method
    squeeze = squeeze
    unsqueeze = unsqueeze
    expand = _expand_method
    broadcast_to = _broadcast_to_method
    T = property(_reversed_axes)


install_methods(ShapeMethods)


__all__ = [
    "ShapeMethods",
    "broadcast_to",
    "expand",
    "flatten",
    "permute",
    "reshape",
    "squeeze",
    "transpose",
    "unsqueeze",
]
