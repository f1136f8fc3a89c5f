"""Operations that move data without changing it (reshape, permute, …), and their rules."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, SupportsIndex

import numpy as np

from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import Tensor, make_result


def normalize_shape_args(args: Sequence[Any]) -> tuple[int, ...]:
    """Accept ``f(2, 3)`` and ``f((2, 3))`` alike, as NumPy and PyTorch do."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple(int(s) for s in args)


def _reshape_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.reshape(a.shape),)


def reshape(a: Tensor, shape: Sequence[SupportsIndex | Sequence[SupportsIndex]]) -> Tensor:
    """``a`` in a new shape with the same number of elements."""
    new_shape = normalize_shape_args(shape)
    try:
        data = a.data.reshape(new_shape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {a.shape} ({a.size} elements) "
            f"into shape {new_shape}"
        ) from None
    return make_result(data, (a,), _reshape_backward, (), "reshape")


def _permute_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.transpose(g, np.argsort(node.args[0])),)


def permute(a: Tensor, axes: tuple[int, ...]) -> Tensor:
    """``a`` with its axes in the order ``axes``."""
    if sorted(x % max(a.ndim, 1) for x in axes) != list(range(a.ndim)):
        raise ValueError(f"permute: {axes} is not a permutation of the {a.ndim} axes of {a.shape}")
    axes = tuple(x % a.ndim for x in axes)
    return make_result(a.data.transpose(axes), (a,), _permute_backward, (axes,), "permute")


def transpose(a: Tensor, axis0: int, axis1: int) -> Tensor:
    """``a`` with axes ``axis0`` and ``axis1`` swapped."""
    if a.ndim < 2:
        return a
    order = list(range(a.ndim))
    order[axis0], order[axis1] = order[axis1], order[axis0]
    return permute(a, tuple(order))


def _broadcast_to_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g,)  # the engine sums g back to a's shape


def broadcast_to(a: Tensor, shape: Sequence[SupportsIndex]) -> Tensor:
    """``a`` broadcast to ``shape`` (a read-only view, as in NumPy)."""
    target = normalize_shape_args(tuple(shape))
    try:
        data = np.broadcast_to(a.data, target)
    except ValueError:
        raise ValueError(f"broadcast_to: cannot broadcast shape {a.shape} to {target}") from None
    return make_result(data, (a,), _broadcast_to_backward, (), "broadcast_to")
