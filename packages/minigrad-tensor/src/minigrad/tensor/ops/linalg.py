"""Matrix multiplication with NumPy's rules, and its backward rule."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.operands import as_tensor
from minigrad.tensor.ops.registry import answer_numpy, install_methods
from minigrad.tensor.tensor import ArrayLike, Tensor

__all__ = ["LinalgMethods", "matmul"]


def _matmul_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    # Lift 1-D operands to matrices (a row for a, a column for b) and the
    # gradient with them, as matmul itself does, so one pair of formulas
    # covers every case.
    a2 = a.reshape((1, -1)) if a.ndim == 1 else a
    b2 = b.reshape((-1, 1)) if b.ndim == 1 else b
    g2 = g
    if b.ndim == 1:
        g2 = g2.reshape((*g2.shape, 1))
    if a.ndim == 1:
        g2 = g2.reshape((*g2.shape[:-1], 1, g2.shape[-1]))
    grad_a = grad_b = None
    if needs[0]:
        grad_a = g2 @ np.swapaxes(b2, -1, -2)
        if a.ndim == 1:
            grad_a = grad_a.reshape((*grad_a.shape[:-2], grad_a.shape[-1]))
    if needs[1]:
        grad_b = np.swapaxes(a2, -1, -2) @ g2
        if b.ndim == 1:
            grad_b = grad_b.reshape(grad_b.shape[:-1])
    return grad_a, grad_b


MATMUL = Op("matmul", np.matmul, _matmul_backward)


def matmul(a: Tensor, b: ArrayLike) -> Tensor:
    """Matrix product ``a @ b`` with NumPy's rules.

    1-D operands are treated as a row (left) or a column (right) vector, and
    leading batch dimensions broadcast.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> (Tensor([[1.0, 2.0]]) @ Tensor([[3.0], [4.0]])).tolist()
        [[11.0]]
    """
    b = as_tensor(b, a)
    if a.ndim == 0 or b.ndim == 0:
        raise ValueError(
            f"matmul: operands must have at least one dimension, got shapes {a.shape} and {b.shape}"
        )
    try:
        return apply(MATMUL, (a, b))
    except ValueError:
        raise ValueError(f"matmul: shapes {a.shape} and {b.shape} cannot be multiplied") from None


def _rmatmul(a: Tensor, b: ArrayLike) -> Tensor:
    return matmul(as_tensor(b, a), a)


def _matmul_method(a: Tensor, b: ArrayLike) -> Tensor:
    """Matrix product with NumPy's rules (1-D operands, broadcast batch dimensions)."""
    return matmul(a, b)


answer_numpy(np.matmul, lambda a, b: matmul(as_tensor(a, b), b))


class LinalgMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    __matmul__ = matmul
    __rmatmul__ = _rmatmul
    matmul = _matmul_method


install_methods(LinalgMethods)
