"""``cumsum``: running sums along one axis, and its rule, the running sum from the other end.

Example:
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> y = x.cumsum(0)
    >>> y.tolist()
    [1.0, 3.0, 6.0]
    >>> y.sum().backward()
    >>> x.grad.tolist()
    [3.0, 2.0, 1.0]
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

__all__ = ["CumulativeMethods", "cumsum"]


def _reversed(x: Any, axis: int) -> Any:
    """``x`` read backwards along ``axis`` (a view; indexing works on arrays and Tensors)."""
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


def _cumsum_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # Element i is in every running sum j >= i: its gradient sums g[j] for j >= i.
    (axis,) = node.args
    return (_reversed(_reversed(g, axis).cumsum(axis=axis), axis),)


CUMSUM = Op("cumsum", lambda x, axis: np.cumsum(x, axis=axis), _cumsum_backward)


def cumsum(a: ArrayLike, axis: int) -> Tensor:
    """Running sums along ``axis`` (PyTorch's ``dim``): ``out[i] = a[0] + ... + a[i]``.

    As ``torch.cumsum``: the result has ``a``'s shape and (float) dtype; a 0-d tensor
    comes back as it is.

    Example:
        >>> from minigrad.tensor import Tensor, cumsum
        >>> cumsum(Tensor([[1.0, 2.0], [3.0, 4.0]]), axis=0).tolist()
        [[1.0, 2.0], [4.0, 6.0]]
    """
    a = as_tensor(a)
    if a.ndim == 0:
        normalize_one_axis(axis, 1, "cumsum")
        return apply(CUMSUM, (a.reshape(1),), (0,)).reshape(())
    return apply(CUMSUM, (a,), (normalize_one_axis(axis, a.ndim, "cumsum"),))


def _cumsum_method(a: Tensor, axis: int) -> Tensor:
    """Running sums along ``axis``; see :func:`cumsum`."""
    return cumsum(a, axis)


class CumulativeMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    cumsum = _cumsum_method


install_methods(CumulativeMethods)
