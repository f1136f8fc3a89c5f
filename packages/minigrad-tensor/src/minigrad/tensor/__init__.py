"""MiniGrad's tensor engine: NumPy arrays with reverse-mode autograd and the scalar engine's API.

Example:
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor([[1.0, -2.0]], requires_grad=True)
    >>> y = (x.relu() * 3).sum()
    >>> y.backward()
    >>> x.grad
    array([[3., 0.]], dtype=float32)
"""

from __future__ import annotations

from minigrad.tensor.autograd import (
    detect_anomaly,
    enable_grad,
    grad,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.tensor.tensor import Tensor

__all__ = [
    "Tensor",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]
