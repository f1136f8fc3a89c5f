"""Joining, splitting, padding and choosing: ``concatenate stack split pad where``."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.axes import normalize_one_axis
from minigrad.tensor.ops.elementwise import astype
from minigrad.tensor.ops.indexing import getitem
from minigrad.tensor.ops.operands import as_tensor
from minigrad.tensor.ops.registry import answer_numpy
from minigrad.tensor.tensor import ArrayLike, Tensor


def _as_tensors(tensors: Sequence[ArrayLike], op: str) -> tuple[Tensor, ...]:
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}: expected a list or tuple of tensors, got {type(tensors).__name__}")
    result = tuple(as_tensor(t) for t in tensors)
    if not result:
        raise ValueError(f"{op}: needs at least one tensor")
    return result


# ----------------------------------------------------------- concatenate / stack


def _concatenate_backward(node: Node, g: Any, out: Any, *inputs: Any) -> tuple[Any, ...]:
    axis, bounds = node.args
    pieces = [
        (*(slice(None),) * axis, slice(start, stop)) for start, stop in itertools.pairwise(bounds)
    ]
    return tuple(g[piece] if need else None for need, piece in zip(node.needs, pieces, strict=True))


def _concatenate_forward(*operands: Any) -> np.ndarray:
    *arrays, axis, _bounds = operands
    return np.concatenate(arrays, axis=axis)


CONCATENATE = Op("concatenate", _concatenate_forward, _concatenate_backward, reads_inputs=False)


def concatenate(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join tensors along an existing ``axis``; all other lengths must match.

    Example:
        >>> from minigrad.tensor import Tensor, concatenate
        >>> concatenate([Tensor([1.0]), Tensor([2.0, 3.0])]).tolist()
        [1.0, 2.0, 3.0]
    """
    parts = _as_tensors(tensors, "concatenate")
    if parts[0].ndim == 0:
        raise ValueError("concatenate: 0-d tensors cannot be concatenated; use stack")
    position = normalize_one_axis(axis, parts[0].ndim, "concatenate")
    bounds = tuple(int(b) for b in np.cumsum([0] + [t.shape[position] for t in parts]))
    try:
        return apply(CONCATENATE, parts, (position, bounds))
    except ValueError:
        shapes = ", ".join(str(t.shape) for t in parts)
        raise ValueError(
            f"concatenate: shapes {shapes} must match except along axis {axis}"
        ) from None


def _stack_backward(node: Node, g: Any, out: Any, *inputs: Any) -> tuple[Any, ...]:
    needs = node.needs
    (axis,) = node.args
    pieces = [(*(slice(None),) * axis, i) for i in range(len(needs))]
    return tuple(g[piece] if need else None for need, piece in zip(needs, pieces, strict=True))


def _stack_forward(*operands: Any) -> np.ndarray:
    *arrays, axis = operands
    return np.stack(arrays, axis=axis)


STACK = Op("stack", _stack_forward, _stack_backward, reads_inputs=False)


def stack(tensors: Sequence[ArrayLike], axis: int = 0) -> Tensor:
    """Join tensors of equal shape along a new ``axis``.

    Example:
        >>> from minigrad.tensor import Tensor, stack
        >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], axis=1).tolist()
        [[1.0, 3.0], [2.0, 4.0]]
    """
    parts = _as_tensors(tensors, "stack")
    shapes = {t.shape for t in parts}
    if len(shapes) != 1:
        listed = ", ".join(str(t.shape) for t in parts)
        raise ValueError(f"stack: all tensors must have the same shape, got {listed}")
    position = normalize_one_axis(axis, parts[0].ndim + 1, "stack")
    return apply(STACK, parts, (position,))


def split(tensor: Tensor, indices_or_sections: int | Sequence[int], axis: int = 0) -> list[Tensor]:
    """Split into pieces along ``axis``, with NumPy's ``split`` rules.

    An int ``n`` gives ``n`` equal pieces (the length must divide evenly); a
    sequence of indices gives the cut points. Each piece is a differentiable
    slice of ``tensor``.

    Example:
        >>> from minigrad.tensor import Tensor, split
        >>> [p.tolist() for p in split(Tensor([1.0, 2.0, 3.0]), [1])]
        [[1.0], [2.0, 3.0]]
    """
    tensor = as_tensor(tensor)
    position = normalize_one_axis(axis, tensor.ndim, "split")
    length = tensor.shape[position]
    if isinstance(indices_or_sections, (int, np.integer)):
        sections = int(indices_or_sections)
        if sections <= 0 or length % sections:
            raise ValueError(
                f"split: {sections} sections cannot divide axis {axis} of length {length} "
                "equally; give the cut indices instead"
            )
        step = length // sections
        cuts = [step * i for i in range(1, sections)]
    else:
        cuts = [int(i) for i in indices_or_sections]
    pieces = [
        (*(slice(None),) * position, slice(start, stop))
        for start, stop in itertools.pairwise([0, *cuts, length])
    ]
    return [getitem(tensor, piece) for piece in pieces]


# ------------------------------------------------------------------------- pad


def _pad_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    _widths, _value, interior = node.args
    return (g[interior],)


PAD = Op(
    "pad",
    lambda x, widths, value, interior: np.pad(x, widths, mode="constant", constant_values=value),
    _pad_backward,
    reads_inputs=False,
)


def _pad_widths(pad_width: Any, ndim: int) -> list[tuple[int, int]]:
    widths = np.asarray(pad_width)
    if widths.dtype.kind not in "iu" or widths.ndim > 2:
        raise ValueError(
            f"pad: pad_width must be an int, a (before, after) pair or one pair per axis, "
            f"got {pad_width!r}"
        )
    try:
        pairs = np.broadcast_to(widths, (ndim, 2))
    except ValueError:
        raise ValueError(
            f"pad: pad_width {pad_width!r} does not fit a tensor with {ndim} axes "
            f"(give one (before, after) pair per axis)"
        ) from None
    if (pairs < 0).any():
        raise ValueError(f"pad: pad widths must be non-negative, got {pad_width!r}")
    return [(int(before), int(after)) for before, after in pairs]


_INDEX_MODES = ("edge", "reflect", "symmetric", "wrap")


def pad(
    tensor: Tensor,
    pad_width: int | Sequence[int] | Sequence[Sequence[int]],
    mode: str = "constant",
    constant_values: float = 0,
) -> Tensor:
    """Pad with NumPy's ``pad`` rules; ``pad_width`` is per axis ``(before, after)``.

    ``mode`` is ``"constant"`` (fill with ``constant_values``), ``"edge"``,
    ``"reflect"``, ``"symmetric"`` or ``"wrap"``. The gradient of padding is
    the gradient of the interior; the copied border values send theirs back to
    the elements they copy.

    Example:
        >>> from minigrad.tensor import Tensor, pad
        >>> pad(Tensor([1.0, 2.0]), (1, 2)).tolist()
        [0.0, 1.0, 2.0, 0.0, 0.0]
    """
    tensor = as_tensor(tensor)
    widths = _pad_widths(pad_width, tensor.ndim)
    if mode == "constant":
        interior = tuple(
            slice(before, before + n) for (before, _), n in zip(widths, tensor.shape, strict=True)
        )
        return apply(PAD, (tensor,), (widths, constant_values, interior))
    if mode not in _INDEX_MODES:
        raise ValueError(
            f"pad: mode must be 'constant' or one of {', '.join(_INDEX_MODES)}, got {mode!r}"
        )
    # Each of these modes copies existing elements: padding is indexing with
    # the padded positions, and its gradient the scatter-add of indexing.
    try:
        positions = [
            np.pad(np.arange(n), width, mode=mode)  # type: ignore[call-overload]
            for n, width in zip(tensor.shape, widths, strict=True)
        ]
    except ValueError as error:
        raise ValueError(
            f"pad: cannot pad shape {tensor.shape} in mode {mode!r}: {error}"
        ) from None
    return getitem(tensor, np.ix_(*positions))


# ----------------------------------------------------------------------- where


def _where_backward(
    node: Node, g: Any, out: Any, condition: Any, x: Any, y: Any
) -> tuple[None, Any, Any]:
    needs = node.needs
    return (
        None,
        np.where(condition, g, 0) if needs[1] else None,
        np.where(condition, 0, g) if needs[2] else None,
    )


# The condition is an input (without gradient), so a replay with a new mask uses it.
WHERE = Op("where", np.where, _where_backward)


def where(condition: ArrayLike, x: ArrayLike, y: ArrayLike) -> Tensor:
    """Elementwise ``x`` where ``condition`` holds, else ``y``, with broadcasting.

    ``condition`` is a constant (no gradient); ``x`` and ``y`` get the gradient
    of the elements they supplied.

    Example:
        >>> from minigrad.tensor import Tensor, where
        >>> x = Tensor([1.0, -2.0])
        >>> where(x > 0, x, 0.0).tolist()
        [1.0, 0.0]
    """
    mask = astype(as_tensor(condition), np.bool_)
    like = x if isinstance(x, Tensor) else y
    x_t, y_t = as_tensor(x, like), as_tensor(y, like)
    try:
        return apply(WHERE, (mask, x_t, y_t))
    except ValueError:
        raise ValueError(
            f"where: shapes {mask.shape}, {x_t.shape} and {y_t.shape} cannot be broadcast together"
        ) from None


answer_numpy(np.where, lambda condition, x, y: where(condition, x, y))
answer_numpy(np.concatenate, lambda arrays, axis=0: concatenate(arrays, axis))
answer_numpy(np.stack, lambda arrays, axis=0: stack(arrays, axis))


__all__ = ["concatenate", "pad", "split", "stack", "where"]
