"""Activation functions as modules, for use inside `Sequential`."""

from __future__ import annotations

from minigrad.tensor.nn.functional import (
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from minigrad.tensor.nn.module import Module
from minigrad.tensor.tensor import Tensor

__all__ = ["GELU", "LeakyReLU", "LogSoftmax", "ReLU", "Sigmoid", "Softmax", "Softplus", "Tanh"]


class ReLU(Module):
    """Elementwise ``max(x, 0)``.

    Example:
        >>> from minigrad.tensor import Tensor, nn
        >>> nn.ReLU()(Tensor([-1.0, 2.0])).tolist()
        [0.0, 2.0]
    """

    def forward(self, input: Tensor) -> Tensor:
        """``relu(input)``."""
        return relu(input)


class Tanh(Module):
    """Elementwise hyperbolic tangent."""

    def forward(self, input: Tensor) -> Tensor:
        """``tanh(input)``."""
        return tanh(input)


class Sigmoid(Module):
    """Elementwise logistic function."""

    def forward(self, input: Tensor) -> Tensor:
        """``sigmoid(input)``."""
        return sigmoid(input)


class GELU(Module):
    """Gaussian error linear unit; ``approximate="tanh"`` for the tanh formula."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input: Tensor) -> Tensor:
        """``gelu(input)``."""
        return gelu(input, self.approximate)

    def extra_repr(self) -> str:
        """The approximation."""
        return f"approximate={self.approximate!r}"


class LeakyReLU(Module):
    """Elementwise ``x`` for ``x > 0``, else ``negative_slope * x``."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input: Tensor) -> Tensor:
        """``leaky_relu(input, negative_slope)``."""
        return leaky_relu(input, self.negative_slope)

    def extra_repr(self) -> str:
        """The slope."""
        return f"negative_slope={self.negative_slope}"


class Softplus(Module):
    """Elementwise ``log(1 + e**(beta*x)) / beta``, linear above ``threshold``."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input: Tensor) -> Tensor:
        """``softplus(input, beta, threshold)``."""
        return softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        """The arguments."""
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """Softmax along ``axis`` (PyTorch's ``dim``; the last axis by default).

    Example:
        >>> from minigrad.tensor import Tensor, nn
        >>> nn.Softmax(axis=1)(Tensor([[0.0, 0.0]])).tolist()
        [[0.5, 0.5]]
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, input: Tensor) -> Tensor:
        """``softmax(input, axis)``."""
        return softmax(input, self.axis)

    def extra_repr(self) -> str:
        """The axis."""
        return f"axis={self.axis}"


class LogSoftmax(Module):
    """Log-softmax along ``axis`` (PyTorch's ``dim``; the last axis by default)."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, input: Tensor) -> Tensor:
        """``log_softmax(input, axis)``."""
        return log_softmax(input, self.axis)

    def extra_repr(self) -> str:
        """The axis."""
        return f"axis={self.axis}"
