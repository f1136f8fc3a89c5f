"""MiniGrad's tensor engine: NumPy arrays with reverse-mode autograd and the scalar API.

Example:
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor([[1.0, -2.0]], requires_grad=True)
    >>> y = (x.relu() * 3).sum()
    >>> y.backward()
    >>> x.grad
    array([[3., 0.]], dtype=float32)
"""

from __future__ import annotations

from minigrad.tensor.autograd.backprop import grad
from minigrad.tensor.autograd.modes import (
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.tensor.checkpoint import load, save
from minigrad.tensor.creation import (
    arange,
    default_generator,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    get_rng,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    zeros,
    zeros_like,
)
from minigrad.tensor.graph import to_dot
from minigrad.tensor.ops.elementwise import maximum, minimum
from minigrad.tensor.ops.join import concatenate, pad, split, stack, where
from minigrad.tensor.ops.softmax import log_softmax, softmax
from minigrad.tensor.tensor import Tensor

__all__ = [
    "Tensor",
    "arange",
    "concatenate",
    "default_generator",
    "detect_anomaly",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "full",
    "full_like",
    "get_rng",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "linspace",
    "load",
    "log_softmax",
    "manual_seed",
    "maximum",
    "minimum",
    "no_grad",
    "ones",
    "ones_like",
    "pad",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "save",
    "set_grad_enabled",
    "softmax",
    "split",
    "stack",
    "to_dot",
    "where",
    "zeros",
    "zeros_like",
]
