"""Activation functions: the engine's elementwise operations under PyTorch's names.

Each accepts a Tensor (or array data, which is wrapped) and returns a Tensor;
the gradients are the engine's rules.
"""

from __future__ import annotations

from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.tensor import Tensor

__all__ = [
    "gelu",
    "leaky_relu",
    "log_softmax",
    "relu",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]


def relu(input: Tensor) -> Tensor:
    """Elementwise ``max(x, 0)``.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.relu(Tensor([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """
    return as_float_tensor(input, "relu").relu()


def tanh(input: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent."""
    return as_float_tensor(input, "tanh").tanh()


def sigmoid(input: Tensor) -> Tensor:
    """Elementwise logistic function ``1 / (1 + e**-x)``, stable for large ``|x|``."""
    return as_float_tensor(input, "sigmoid").sigmoid()


def gelu(input: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)``; ``approximate="tanh"`` uses the tanh formula."""
    return as_float_tensor(input, "gelu").gelu(approximate)


def leaky_relu(input: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Elementwise ``x`` for ``x > 0``, else ``negative_slope * x``."""
    return as_float_tensor(input, "leaky_relu").leaky_relu(negative_slope)


def softplus(input: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Elementwise ``log(1 + e**(beta * x)) / beta``, linear where ``beta * x > threshold``."""
    return as_float_tensor(input, "softplus").softplus(beta, threshold)


def softmax(input: Tensor, axis: int = -1) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis`` (PyTorch's ``dim``), computed stably.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.softmax(Tensor([[0.0, 0.0]]), axis=1).tolist()
        [[0.5, 0.5]]
    """
    return as_float_tensor(input, "softmax").softmax(axis)


def log_softmax(input: Tensor, axis: int = -1) -> Tensor:
    """``x - logsumexp(x)`` along ``axis`` (PyTorch's ``dim``), computed stably."""
    return as_float_tensor(input, "log_softmax").log_softmax(axis)
