"""Masking: ``masked_fill``, ``tril`` and ``triu``, the ops behind a causal attention mask.

Each keeps some elements and replaces the others by a constant, so its gradient
is the incoming gradient where an element was kept and 0 where it was replaced.
The rules use only ``np.where`` and ``np.tril`` / ``np.triu``, which Tensors answer
to, so they record their own graph under ``create_graph=True``.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor, tril
    >>> scores = Tensor(np.zeros((2, 2)))
    >>> keep = tril(Tensor(np.ones((2, 2)))) > 0
    >>> scores.masked_fill(~keep, float("-inf")).tolist()
    [[0.0, -inf], [0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.operands import as_tensor, is_py_number
from minigrad.tensor.ops.registry import answer_numpy, install_methods
from minigrad.tensor.tensor import ArrayLike, Tensor

__all__ = ["MaskingMethods", "masked_fill", "tril", "triu"]


def _masked_fill_forward(x: np.ndarray, mask: np.ndarray, value: float) -> np.ndarray:
    result: np.ndarray = np.where(mask, x.dtype.type(value), x)
    return result


def _masked_fill_backward(node: Node, g: Any, out: Any, x: Any, mask: Any) -> tuple[Any, None]:
    return (np.where(mask, 0.0, g), None)


# The mask is an input (without gradient), not an argument: a replay with a new
# mask (the next batch's padding) fills the new positions.
MASKED_FILL = Op("masked_fill", _masked_fill_forward, _masked_fill_backward)


def masked_fill(a: Tensor, mask: ArrayLike, value: Any) -> Tensor:
    """``a`` with ``value`` wherever ``mask`` is True, as PyTorch's ``Tensor.masked_fill``.

    ``mask`` is boolean and broadcasts to ``a``'s shape (the result has ``a``'s shape);
    ``value`` is a number (``float("-inf")`` for attention scores). The filled
    elements get no gradient.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> Tensor([1.0, 2.0, 3.0]).masked_fill(Tensor([False, True, False]), 0.0).tolist()
        [1.0, 0.0, 3.0]
    """
    mask_t = as_tensor(mask)
    if mask_t.dtype != np.bool_:
        raise TypeError(f"masked_fill: mask must be a boolean tensor, got dtype {mask_t.dtype}")
    if isinstance(value, Tensor):
        if value.size != 1:
            raise ValueError(
                f"masked_fill: value must be a number or a one-element tensor, got shape "
                f"{value.shape}"
            )
        value = value.item()
    if not is_py_number(value) and not isinstance(value, (np.floating, np.integer)):
        raise TypeError(f"masked_fill: value must be a number, got {type(value).__name__}")
    try:
        shape = np.broadcast_shapes(mask_t.shape, a.shape)
    except ValueError:
        shape = None
    if shape != a.shape:
        raise ValueError(
            f"masked_fill: mask of shape {mask_t.shape} must broadcast to the tensor's shape "
            f"{a.shape}"
        )
    return apply(MASKED_FILL, (a, mask_t), (float(value),))


def _tril_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.tril(g, node.args[0]),)


def _triu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.triu(g, node.args[0]),)


TRIL = Op("tril", lambda x, diagonal: np.tril(x, diagonal), _tril_backward)
TRIU = Op("triu", lambda x, diagonal: np.triu(x, diagonal), _triu_backward)


def _triangle(a: Tensor, diagonal: int, op: Op) -> Tensor:
    if a.ndim < 2:
        raise ValueError(f"{op.name}: expected a tensor with at least 2 dimensions, got {a.shape}")
    if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"{op.name}: diagonal must be an int, got {type(diagonal).__name__}")
    return apply(op, (a,), (int(diagonal),))


def tril(a: ArrayLike, diagonal: int = 0) -> Tensor:
    """The lower triangle of the last two axes; the rest is 0 (as ``torch.tril``).

    ``diagonal`` shifts the border: 0 keeps the main diagonal, 1 one more above it,
    -1 drops it. Leading axes are a batch.

    Example:
        >>> from minigrad.tensor import ones, tril
        >>> tril(ones(3, 3)).tolist()
        [[1.0, 0.0, 0.0], [1.0, 1.0, 0.0], [1.0, 1.0, 1.0]]
    """
    return _triangle(as_tensor(a), diagonal, TRIL)


def triu(a: ArrayLike, diagonal: int = 0) -> Tensor:
    """The upper triangle of the last two axes; the rest is 0 (as ``torch.triu``).

    Example:
        >>> from minigrad.tensor import ones, triu
        >>> triu(ones(2, 2), diagonal=1).tolist()
        [[0.0, 1.0], [0.0, 0.0]]
    """
    return _triangle(as_tensor(a), diagonal, TRIU)


answer_numpy(np.tril, lambda m, k=0: tril(m, k))
answer_numpy(np.triu, lambda m, k=0: triu(m, k))


class MaskingMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    masked_fill = masked_fill
    tril = tril
    triu = triu


install_methods(MaskingMethods)
